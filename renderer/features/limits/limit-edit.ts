import type { LimitAction, LimitRow } from '../../../core/protocol/index.ts';
import { formatFractionPct, formatLimitNumber } from '../risk/risk-format.ts';

/**
 * The limits panel's pure parts: ordering, the utilization bar, and the edit of one limit,
 * checked before the trader confirms it (the engine checks again: it is the authority).
 */

export const LIMIT_ACTIONS: readonly LimitAction[] = ['warn', 'reduce-only', 'pause', 'kill'];

export const LIMIT_ACTION_TITLES: Readonly<Record<LimitAction, string>> = {
  warn: 'warn only',
  'reduce-only': 'quote and trade only to reduce the exposure',
  pause: 'pause the strategy of the underlying',
  kill: 'pull everything everywhere and latch HALTED',
};

const STATE_RANK: Readonly<Record<LimitRow['state'], number>> = { breach: 0, warn: 1, ok: 2 };

/** Breaches first, then warnings, then the rest; within a state by underlying and label, so rows move only when their state changes. */
export function sortLimits(rows: readonly LimitRow[]): LimitRow[] {
  return [...rows].sort(
    (a, b) => STATE_RANK[a.state] - STATE_RANK[b.state] || a.currency.localeCompare(b.currency) || a.label.localeCompare(b.label) || a.limitId.localeCompare(b.limitId),
  );
}

export interface UtilizationBar {
  /** Filled width, 0–100 (%). */
  readonly fillPct: number;
  /** Where the warning starts, 0–100 (%). */
  readonly warnPct: number;
  /** Above 100 %: the bar is full and says so. */
  readonly over: boolean;
  readonly text: string;
}

function clampPct(fraction: number): number {
  return Number.isFinite(fraction) ? Math.min(100, Math.max(0, fraction * 100)) : 0;
}

export function utilizationBar(row: LimitRow): UtilizationBar {
  const utilization = Number.isFinite(row.utilization) ? row.utilization : 0;
  return { fillPct: clampPct(utilization), warnPct: clampPct(row.warnAtFraction), over: utilization > 1, text: formatFractionPct(row.utilization) };
}

/** "BTC vega total": the label, with the underlying in front unless the label already names it. */
export function limitSubject(row: LimitRow): string {
  const label = row.label.trim();
  if (row.currency === '' || label.toUpperCase().startsWith(`${row.currency.toUpperCase()} `) || label.toUpperCase() === row.currency.toUpperCase()) return label;
  return `${row.currency} ${label}`;
}

/** What the trader typed in the editor. */
export interface LimitDraft {
  readonly limitText: string;
  readonly warnText: string;
  readonly action: LimitAction;
}

export function draftOf(row: LimitRow): LimitDraft {
  return { limitText: formatLimitNumber(row.limit), warnText: formatLimitNumber(row.warnAtFraction), action: row.action };
}

/** A number as typed: thousands separators, spaces and underscores allowed ("60,000", "60 000"). */
export function parseNumber(text: string): number | undefined {
  const cleaned = text.trim().replace(/[,_\s]/g, '').replace(/^−/, '-');
  if (cleaned === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return undefined;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : undefined;
}

/** The fields of a SetLimit that change; absent fields stay as they are. */
export interface LimitPatch {
  readonly limit?: number;
  readonly warnAtFraction?: number;
  readonly action?: LimitAction;
}

export type LimitEditCheck = { readonly ok: true; readonly patch: LimitPatch; readonly confirmation: string } | { readonly ok: false; readonly reason: string };

/** Relative tolerance under which a typed number is the current one (60,000 vs 60000.0000001). */
const SAME = 1e-12;

function same(a: number, b: number): boolean {
  return Math.abs(a - b) <= SAME * Math.max(1, Math.abs(a), Math.abs(b));
}

export function validateLimitEdit(row: LimitRow, draft: LimitDraft): LimitEditCheck {
  const limit = parseNumber(draft.limitText);
  if (limit === undefined || limit <= 0) return { ok: false, reason: 'the limit must be a positive number' };
  const warn = parseNumber(draft.warnText);
  if (warn === undefined || warn <= 0 || warn > 1) return { ok: false, reason: 'the warning fraction must be above 0 and at most 1 (0.8 = warn at 80 % of the limit)' };
  if (!LIMIT_ACTIONS.includes(draft.action)) return { ok: false, reason: `the action must be one of ${LIMIT_ACTIONS.join(', ')}` };
  const patch: { limit?: number; warnAtFraction?: number; action?: LimitAction } = {};
  if (!same(limit, row.limit)) patch.limit = limit;
  if (!same(warn, row.warnAtFraction)) patch.warnAtFraction = warn;
  if (draft.action !== row.action) patch.action = draft.action;
  if (Object.keys(patch).length === 0) return { ok: false, reason: 'nothing changed' };
  return { ok: true, patch, confirmation: confirmationText(row, patch) };
}

/** The utilization the row would have under another limit, on the engine's own measure of it. */
export function projectedUtilization(row: LimitRow, limit: number): number {
  if (!Number.isFinite(row.utilization) || !(row.limit > 0) || !(limit > 0)) return Number.NaN;
  return (row.utilization * row.limit) / limit;
}

/**
 * What the trader confirms: "Set BTC vega total limit from 50,000 to 60,000 USD/vol pt?", with the
 * warning and the action when they change, and a note when the new limit is breached at once.
 */
export function confirmationText(row: LimitRow, patch: LimitPatch): string {
  const parts: string[] = [];
  const unit = row.unit.trim() === '' ? '' : ` ${row.unit.trim()}`;
  if (patch.limit !== undefined) parts.push(`limit from ${formatLimitNumber(row.limit)} to ${formatLimitNumber(patch.limit)}${unit}`);
  if (patch.warnAtFraction !== undefined) parts.push(`warning from ${formatFractionPct(row.warnAtFraction)} to ${formatFractionPct(patch.warnAtFraction)} of the limit`);
  if (patch.action !== undefined) parts.push(`breach action from ${row.action} to ${patch.action}`);
  let text = `Set ${limitSubject(row)} ${parts.join(', ')}?`;
  const limit = patch.limit ?? row.limit;
  const action = patch.action ?? row.action;
  if (projectedUtilization(row, limit) > 1) {
    text += ` The current value ${formatLimitNumber(row.value)}${unit} is over the new limit: it breaches at once (${action}: ${LIMIT_ACTION_TITLES[action]}).`;
  }
  return text;
}
