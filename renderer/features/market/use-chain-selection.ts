import { useEffect, useState } from 'react';
import { useEngineStore } from '../../stores/engine-store.ts';
import { useSelectionStore } from '../../stores/selection-store.ts';
import { buildChainIndex, defaultChain, findExpiry } from './chain-index.ts';

/** The engine's clock as the renderer estimates it (local clock plus the ping-measured offset). */
export function engineNowMs(): number {
  return Date.now() + useEngineStore.getState().clockOffsetMs;
}

function ensureValidChain(): void {
  const index = buildChainIndex(useEngineStore.getState().state?.instruments);
  const selection = useSelectionStore.getState();
  if (findExpiry(index, selection.underlying, selection.expiryMs)) return;
  const chain = defaultChain(index, engineNowMs(), selection.underlying);
  if (chain) selection.selectChain(chain.currency, chain.expiryMs);
}

/**
 * Keeps the shared chain selection pointing at a listed expiry: fills in a default (first
 * underlying, nearest unexpired expiry) when there is none, and moves off an expiry that was
 * delisted. Checks only when the instrument list or the selection changes, never per tick.
 */
export function useValidChainSelection(): void {
  useEffect(() => {
    ensureValidChain();
    const unsubscribeEngine = useEngineStore.subscribe((view, previous) => {
      if (view.state?.instruments !== previous.state?.instruments) ensureValidChain();
    });
    const unsubscribeSelection = useSelectionStore.subscribe(ensureValidChain);
    return () => {
      unsubscribeEngine();
      unsubscribeSelection();
    };
  }, []);
}

/** The engine clock, refreshed every `intervalMs` (for labels like time to expiry, not for ticks). */
export function useEngineClock(intervalMs: number): number {
  const [nowMs, setNowMs] = useState(engineNowMs);
  useEffect(() => {
    const timer = setInterval(() => setNowMs(engineNowMs()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return nowMs;
}
