import type { InstrumentRow, OverrideRow, OverrideScope, SetOverride } from '../../../core/protocol/index.ts';
import { formatDurationMs } from '../../ui/format.ts';
import { expiryDate } from '../market/chain-index.ts';
import { parseNumber } from './quoting-params.ts';

/**
 * The override editor: a trader's manual change to the strategy on one instrument, one expiry or a
 * whole underlying, with the reason that goes into its provenance. The ranges are the protocol's
 * (core/protocol/commands.ts SetOverrideSchema); the engine checks again and is the authority.
 */

export type ScopeKind = OverrideScope['kind'];

export interface OverrideDraft {
  readonly scopeKind: ScopeKind;
  readonly volOffsetText: string;
  readonly widthText: string;
  readonly skewText: string;
  readonly sizeText: string;
  readonly sideOff: '' | 'bid' | 'ask';
  readonly fixedBidText: string;
  readonly fixedAskText: string;
  /** '' leaves locking alone; 'unlock' exempts the scope from a broader lock (lock: false). */
  readonly lock: '' | 'lock' | 'unlock';
  readonly reason: string;
  readonly expiresInMinText: string;
}

export const EMPTY_OVERRIDE_DRAFT: OverrideDraft = {
  scopeKind: 'instrument',
  volOffsetText: '',
  widthText: '',
  skewText: '',
  sizeText: '',
  sideOff: '',
  fixedBidText: '',
  fixedAskText: '',
  lock: '',
  reason: '',
  expiresInMinText: '',
};

/** Whether the trader has typed nothing yet (the scope does not count). */
export function isBlankDraft(draft: OverrideDraft): boolean {
  return (Object.keys(EMPTY_OVERRIDE_DRAFT) as (keyof OverrideDraft)[]).every((key) => key === 'scopeKind' || draft[key] === EMPTY_OVERRIDE_DRAFT[key]);
}

export const OVERRIDE_LIMITS = {
  volOffsetPts: { min: -50, max: 50 },
  widthMultiplier: { min: 0.1, max: 20 },
  skewOffsetPts: { min: -50, max: 50 },
  /** The engine's range for a size override (core/quoting/overrides.ts): positive, at most 10,000 coin. */
  sizeCoin: { max: 10_000 },
  /** A week: an override meant to last longer should be a parameter. */
  expiresInMin: { min: 0, max: 7 * 24 * 60 },
  reasonMaxChars: 200,
} as const;

/** What the trader has selected, as the scopes see it. */
export interface ScopeContext {
  readonly instrumentName?: string;
  readonly currency?: string;
  readonly expiryMs?: number;
}

/**
 * The context of the shared selection: the instrument's own currency and expiry when it is
 * listed, else the chain being shown.
 */
export function scopeContext(
  selection: { readonly underlying: string | undefined; readonly expiryMs: number | undefined; readonly instrumentName: string | undefined },
  instrument: InstrumentRow | undefined,
): ScopeContext {
  const context: { instrumentName?: string; currency?: string; expiryMs?: number } = {};
  if (selection.instrumentName !== undefined) context.instrumentName = selection.instrumentName;
  const currency = instrument?.currency ?? selection.underlying;
  if (currency !== undefined) context.currency = currency;
  const expiryMs = instrument && !instrument.isPerpetual ? instrument.expiryMs : selection.expiryMs;
  if (expiryMs !== undefined) context.expiryMs = expiryMs;
  return context;
}

export type ScopeResult = { readonly ok: true; readonly scope: OverrideScope } | { readonly ok: false; readonly reason: string };

export function scopeFor(kind: ScopeKind, context: ScopeContext): ScopeResult {
  switch (kind) {
    case 'instrument':
      return context.instrumentName !== undefined ? { ok: true, scope: { kind, instrumentName: context.instrumentName } } : { ok: false, reason: 'select an instrument in the chain first' };
    case 'expiry':
      return context.currency !== undefined && context.expiryMs !== undefined && Number.isInteger(context.expiryMs) && context.expiryMs > 0
        ? { ok: true, scope: { kind, currency: context.currency, expiryMs: context.expiryMs } }
        : { ok: false, reason: 'select an expiry in the chain first' };
    case 'underlying':
      return context.currency !== undefined ? { ok: true, scope: { kind, currency: context.currency } } : { ok: false, reason: 'select an underlying in the chain first' };
  }
}

/** "BTC-27NOV26-95000-C", "BTC 27 NOV 26", "BTC (all expiries)". */
export function describeScope(scope: OverrideScope): string {
  switch (scope.kind) {
    case 'instrument':
      return scope.instrumentName;
    case 'expiry':
      return `${scope.currency} ${expiryDate(scope.expiryMs)}`;
    case 'underlying':
      return `${scope.currency} (all expiries)`;
  }
}

/** The command a sender writes (the engine assigns the id and the time). */
export type OverrideCommand = Omit<SetOverride, 'commandId'>;

export type OverrideCheck = { readonly ok: true; readonly command: OverrideCommand } | { readonly ok: false; readonly reason: string };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function optionalNumber(text: string, label: string, limits?: { readonly min: number; readonly max: number }): { readonly value?: number; readonly error?: string } {
  if (text.trim() === '') return {};
  const value = parseNumber(text);
  if (value === undefined) return { error: `${label} is not a number` };
  if (limits && (value < limits.min || value > limits.max)) return { error: `${label} must be from ${limits.min} to ${limits.max}` };
  return { value };
}

/**
 * Checks the editor's fields and builds the SetOverride to send. `nowMs` is the engine's clock
 * (expiry is an absolute engine time), `by` who is setting it.
 */
export function checkOverride(draft: OverrideDraft, context: ScopeContext, nowMs: number, by = 'trader'): OverrideCheck {
  const scope = scopeFor(draft.scopeKind, context);
  if (!scope.ok) return scope;
  const command: Mutable<OverrideCommand> = { type: 'SetOverride', scope: scope.scope, by, reason: '' };

  const vol = optionalNumber(draft.volOffsetText, 'vol offset', OVERRIDE_LIMITS.volOffsetPts);
  const width = optionalNumber(draft.widthText, 'width multiplier', OVERRIDE_LIMITS.widthMultiplier);
  const skew = optionalNumber(draft.skewText, 'skew offset', OVERRIDE_LIMITS.skewOffsetPts);
  const size = optionalNumber(draft.sizeText, 'size');
  const bid = optionalNumber(draft.fixedBidText, 'fixed bid');
  const ask = optionalNumber(draft.fixedAskText, 'fixed ask');
  for (const field of [vol, width, skew, size, bid, ask]) if (field.error) return { ok: false, reason: field.error };

  if (vol.value !== undefined) command.volOffsetPts = vol.value;
  if (width.value !== undefined) command.widthMultiplier = width.value;
  if (skew.value !== undefined) command.skewOffsetPts = skew.value;
  if (size.value !== undefined) {
    if (size.value <= 0 || size.value > OVERRIDE_LIMITS.sizeCoin.max) return { ok: false, reason: `size must be above 0 and at most ${OVERRIDE_LIMITS.sizeCoin.max} coin` };
    command.sizeCoin = size.value;
  }
  if (draft.sideOff !== '') command.sideOff = draft.sideOff;

  if (bid.value !== undefined || ask.value !== undefined) {
    if (scope.scope.kind !== 'instrument') return { ok: false, reason: 'a fixed price applies to one instrument only' };
    if ((bid.value !== undefined && bid.value <= 0) || (ask.value !== undefined && ask.value <= 0)) return { ok: false, reason: 'a fixed price must be positive' };
    if (bid.value !== undefined && ask.value !== undefined && bid.value >= ask.value) return { ok: false, reason: 'the fixed bid must be below the fixed ask' };
    if (draft.sideOff === 'bid' && bid.value !== undefined) return { ok: false, reason: 'the bid is switched off: no fixed bid' };
    if (draft.sideOff === 'ask' && ask.value !== undefined) return { ok: false, reason: 'the ask is switched off: no fixed ask' };
    command.fixedPrice = { ...(bid.value !== undefined ? { bidPriceCoin: bid.value } : {}), ...(ask.value !== undefined ? { askPriceCoin: ask.value } : {}) };
  }
  if (draft.lock !== '') command.lock = draft.lock === 'lock';

  const effects = ['volOffsetPts', 'widthMultiplier', 'skewOffsetPts', 'sizeCoin', 'sideOff', 'fixedPrice', 'lock'] as const;
  if (!effects.some((key) => command[key] !== undefined)) return { ok: false, reason: 'set at least one field to override' };

  const reason = draft.reason.trim();
  if (reason === '') return { ok: false, reason: 'say why (the reason is kept with the override)' };
  if (reason.length > OVERRIDE_LIMITS.reasonMaxChars) return { ok: false, reason: `the reason is limited to ${OVERRIDE_LIMITS.reasonMaxChars} characters` };
  command.reason = reason;

  const expires = optionalNumber(draft.expiresInMinText, 'expiry (minutes)');
  if (expires.error) return { ok: false, reason: expires.error };
  if (expires.value !== undefined) {
    const { min, max } = OVERRIDE_LIMITS.expiresInMin;
    if (expires.value <= min || expires.value > max) return { ok: false, reason: `expiry must be more than ${min} and at most ${max} minutes` };
    command.expiresAtMs = Math.round(nowMs + expires.value * 60_000);
  }
  return { ok: true, command };
}

function signed(value: number, decimals: number): string {
  const text = Math.abs(value).toFixed(decimals);
  return `${value < 0 ? '−' : '+'}${text}`;
}

/** What an override does, in a line: "vol +1.5 pts, width ×2, bid off, locked". */
export function describeOverride(row: Pick<OverrideRow, 'volOffsetPts' | 'widthMultiplier' | 'skewOffsetPts' | 'sizeCoin' | 'sideOff' | 'fixedPrice' | 'lock'>): string {
  const parts: string[] = [];
  if (row.volOffsetPts !== undefined) parts.push(`vol ${signed(row.volOffsetPts, 2)} pts`);
  if (row.widthMultiplier !== undefined) parts.push(`width ×${row.widthMultiplier}`);
  if (row.skewOffsetPts !== undefined) parts.push(`skew ${signed(row.skewOffsetPts, 2)} pts`);
  if (row.sizeCoin !== undefined) parts.push(`size ${row.sizeCoin}`);
  if (row.sideOff !== undefined) parts.push(`${row.sideOff} off`);
  if (row.fixedPrice?.bidPriceCoin !== undefined) parts.push(`fixed bid ${row.fixedPrice.bidPriceCoin}`);
  if (row.fixedPrice?.askPriceCoin !== undefined) parts.push(`fixed ask ${row.fixedPrice.askPriceCoin}`);
  if (row.lock === true) parts.push('locked');
  if (row.lock === false) parts.push('exempt from lock');
  return parts.length > 0 ? parts.join(', ') : 'no change';
}

/** "in 4 min 3 s", "expired", "never". */
export function describeExpiry(expiresAtMs: number | undefined, nowMs: number): string {
  if (expiresAtMs === undefined) return 'never';
  const leftMs = expiresAtMs - nowMs;
  return leftMs <= 0 ? 'expired' : `in ${formatDurationMs(leftMs)}`;
}

/** Whether an override acts on what the trader has selected (its instrument, expiry or underlying). */
export function appliesTo(scope: OverrideScope, context: ScopeContext): boolean {
  switch (scope.kind) {
    case 'instrument':
      return scope.instrumentName === context.instrumentName;
    case 'expiry':
      return scope.currency === context.currency && scope.expiryMs === context.expiryMs;
    case 'underlying':
      return scope.currency === context.currency;
  }
}

/** Active overrides, newest first. */
export function sortedOverrides(overrides: Readonly<Record<string, OverrideRow>> | undefined): readonly OverrideRow[] {
  if (!overrides) return [];
  return Object.values(overrides).sort((a, b) => b.atMs - a.atMs || a.id.localeCompare(b.id));
}
