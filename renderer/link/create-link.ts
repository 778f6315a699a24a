import type { EngineLink, WorkstationBridge } from '../../core/protocol/index.ts';
import { takeLinkToken } from './link-token.ts';
import { createMessagePortLink } from './messageport-link.ts';
import { createWebSocketLink, linkUrlFor } from './websocket-link.ts';

declare global {
  interface Window {
    readonly workstation?: WorkstationBridge;
  }
}

export type LinkChoice = { readonly ok: true; readonly link: EngineLink } | { readonly ok: false; readonly reason: string };

/** Picks the transport this page was given: Electron's bridge if present, else web mode's WebSocket. */
export function createEngineLink(): LinkChoice {
  if (window.workstation) return { ok: true, link: createMessagePortLink(window.workstation) };
  const token = takeLinkToken(window.location, window.history, window.sessionStorage);
  if (!token) {
    return {
      ok: false,
      reason: 'This page was opened without its link token. Open the address that `npm start` or `npm run serve` printed (it ends in #token=…).',
    };
  }
  return { ok: true, link: createWebSocketLink({ url: linkUrlFor(window.location), token }) };
}
