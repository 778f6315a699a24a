import { create } from 'zustand';
import type { EngineView } from './engine-view.ts';
import { initialEngineView } from './engine-view.ts';

/** The renderer's single store of engine state; written only by the link connection. */
export const useEngineStore = create<EngineView>(() => initialEngineView);
