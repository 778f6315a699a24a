import type { Command, InstrumentRow, StrategyRow } from '../../../core/protocol/index.ts';
import { parseNumber } from './quoting-params.ts';

/**
 * The auto-hedge settings of one underlying: keep its delta within `band` of `target` (coin) by
 * trading a perpetual or a future. The toggle sends the whole setting with the new switch state.
 */

export interface AutoHedgeDraft {
  readonly targetText: string;
  readonly bandText: string;
  /** Minimum time between two automatic hedges, in seconds as typed (the engine keeps ms). */
  readonly minIntervalText: string;
  /** '' lets the engine choose (its perpetual). */
  readonly instrumentName: string;
}

export type AutoHedgeCommand = Omit<Extract<Command, { type: 'SetAutoHedge' }>, 'commandId'>;

export type AutoHedgeCheck = { readonly ok: true; readonly command: AutoHedgeCommand } | { readonly ok: false; readonly reason: string };

/** The longest minimum interval between two automatic hedges the protocol accepts (one hour). */
export const MAX_MIN_INTERVAL_MS = 3_600_000;
/** A band wider than this is a typo, not a setting. */
export const MAX_BAND_COIN = 100_000;

export function autoHedgeDraftFrom(autoHedge: StrategyRow['autoHedge']): AutoHedgeDraft {
  return { targetText: String(autoHedge.targetCoin), bandText: String(autoHedge.bandCoin), minIntervalText: String(autoHedge.minIntervalMs / 1000), instrumentName: autoHedge.instrumentName ?? '' };
}

export function checkAutoHedge(currency: string, enabled: boolean, draft: AutoHedgeDraft): AutoHedgeCheck {
  const target = parseNumber(draft.targetText);
  if (target === undefined) return { ok: false, reason: 'target delta must be a number (coin)' };
  const band = parseNumber(draft.bandText);
  if (band === undefined || band <= 0) return { ok: false, reason: 'band must be a positive number (coin)' };
  if (band > MAX_BAND_COIN) return { ok: false, reason: `band must be at most ${MAX_BAND_COIN} coin` };
  if (Math.abs(target) > MAX_BAND_COIN) return { ok: false, reason: `target must be within ±${MAX_BAND_COIN} coin` };
  const minIntervalMs = parseMinIntervalMs(draft.minIntervalText);
  if (minIntervalMs === undefined) return { ok: false, reason: `minimum interval must be 0 to ${MAX_MIN_INTERVAL_MS / 1000} s` };
  const command: AutoHedgeCommand = { type: 'SetAutoHedge', currency, enabled, targetCoin: target, bandCoin: band, minIntervalMs };
  return { ok: true, command: draft.instrumentName === '' ? command : { ...command, instrumentName: draft.instrumentName } };
}

/** The typed interval (seconds) as whole milliseconds, if it is one the protocol accepts. */
export function parseMinIntervalMs(text: string): number | undefined {
  const seconds = parseNumber(text);
  if (seconds === undefined || seconds < 0) return undefined;
  const ms = Math.round(seconds * 1000);
  return ms <= MAX_MIN_INTERVAL_MS ? ms : undefined;
}

/**
 * The toggle's command: the edited settings when they are valid, else the ones the engine runs, so
 * a half-typed band never stops the trader from switching auto-hedge off (or back on).
 */
export function toggleAutoHedge(currency: string, autoHedge: StrategyRow['autoHedge'], draft: AutoHedgeDraft, enabled: boolean): AutoHedgeCheck {
  const edited = checkAutoHedge(currency, enabled, draft);
  return edited.ok ? edited : checkAutoHedge(currency, enabled, autoHedgeDraftFrom(autoHedge));
}

/** Whether the draft differs from what the engine runs. */
export function autoHedgeEdited(autoHedge: StrategyRow['autoHedge'], draft: AutoHedgeDraft): boolean {
  const saved = autoHedgeDraftFrom(autoHedge);
  return (
    parseNumber(draft.targetText) !== autoHedge.targetCoin ||
    parseNumber(draft.bandText) !== autoHedge.bandCoin ||
    parseMinIntervalMs(draft.minIntervalText) !== autoHedge.minIntervalMs ||
    draft.instrumentName !== saved.instrumentName
  );
}

/** What can hedge an underlying's delta: its perpetual first, then its futures by expiry. */
export function hedgeInstruments(instruments: Readonly<Record<string, InstrumentRow>> | undefined, currency: string): readonly InstrumentRow[] {
  if (!instruments) return [];
  return Object.values(instruments)
    .filter((instrument) => instrument.currency === currency && instrument.kind === 'future')
    .sort((a, b) => Number(b.isPerpetual) - Number(a.isPerpetual) || a.expiryMs - b.expiryMs || a.instrumentName.localeCompare(b.instrumentName));
}
