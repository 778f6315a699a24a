import type { StrategyMode, StrategyRow } from '../../../core/protocol/index.ts';
import { formatClock, formatDurationMs } from '../../ui/format.ts';

/**
 * What the strategy panel shows of each underlying's strategy, and which mode changes a click may
 * ask for. The engine owns the mode machine (core/quoting/strategy-mode.ts) and answers every
 * request; these rules only keep the buttons honest about what it would accept.
 */

/** The modes a trader may set; HALTED is entered only through the kill switch. */
export type TraderMode = Exclude<StrategyMode, 'HALTED'>;

export const HALTED_EXPLANATION = 'Kill switch latched: nothing quotes until the halt is acknowledged (action bar); strategies then come back PAUSED.';

export interface ModeButton {
  /** Test id prefix and the word on the button. */
  readonly id: 'pause' | 'resume' | 'reduce';
  readonly label: string;
  readonly target: TraderMode;
  readonly enabled: boolean;
  /** Tooltip: what the click does, or why it cannot. */
  readonly title: string;
  /** The reason the command gives the engine (shown as the strategy's reason). */
  readonly reason: string;
}

const BUTTONS: readonly { readonly id: ModeButton['id']; readonly label: string; readonly target: TraderMode; readonly does: string }[] = [
  { id: 'pause', label: 'Pause', target: 'PAUSED', does: 'Pull every quote of this underlying; positions are kept' },
  { id: 'resume', label: 'Resume', target: 'ACTIVE', does: 'Quote both sides again' },
  { id: 'reduce', label: 'Reduce only', target: 'REDUCING', does: 'Quote only the side that reduces the position' },
];

/** "paused by the trader", "resumed by the trader", "set to reduce only by the trader". */
export function modeReason(target: TraderMode, by = 'the trader'): string {
  return `${target === 'PAUSED' ? 'paused' : target === 'ACTIVE' ? 'resumed' : 'set to reduce only'} by ${by}`;
}

export function modeButtons(mode: StrategyMode): readonly ModeButton[] {
  return BUTTONS.map((button) => {
    const base = { id: button.id, label: button.label, target: button.target, reason: modeReason(button.target) };
    if (mode === 'HALTED') return { ...base, enabled: false, title: HALTED_EXPLANATION };
    if (mode === button.target) return { ...base, enabled: false, title: `Already ${mode}` };
    return { ...base, enabled: true, title: button.does };
  });
}

/**
 * The one-key pause/resume: a quoting strategy (ACTIVE or REDUCING) pauses, a paused one resumes;
 * a halted one stays halted (undefined: the halt must be acknowledged first).
 */
export function toggledMode(mode: StrategyMode): TraderMode | undefined {
  switch (mode) {
    case 'ACTIVE':
    case 'REDUCING':
      return 'PAUSED';
    case 'PAUSED':
      return 'ACTIVE';
    case 'HALTED':
      return undefined;
  }
}

/** Strategies in a stable order (by currency). */
export function sortedStrategies(strategies: Readonly<Record<string, StrategyRow>> | undefined): readonly StrategyRow[] {
  if (!strategies) return [];
  return Object.values(strategies).sort((a, b) => a.currency.localeCompare(b.currency));
}

/** "stale-book" or "wideMarket" → "stale book", "wide market". */
export function humanize(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_.]+/g, ' ')
    .trim()
    .toLowerCase();
}

export interface SuppressedEntry {
  readonly reason: string;
  readonly label: string;
  readonly count: number;
}

/** Why options are not quoted, most common first; zero counts dropped. */
export function suppressedEntries(suppressed: Readonly<Record<string, number>>): readonly SuppressedEntry[] {
  return Object.entries(suppressed)
    .filter(([, count]) => Number.isFinite(count) && count > 0)
    .map(([reason, count]) => ({ reason, label: humanize(reason), count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

export function suppressedTotal(suppressed: Readonly<Record<string, number>>): number {
  return suppressedEntries(suppressed).reduce((sum, entry) => sum + entry.count, 0);
}

/** "14:03:07 (5 min 3 s ago)", on the engine's clock. */
export function formatSince(sinceTsMs: number, nowMs: number): string {
  if (!Number.isFinite(sinceTsMs) || sinceTsMs <= 0) return '—';
  const clock = formatClock(sinceTsMs).slice(0, 8);
  const ageMs = nowMs - sinceTsMs;
  return ageMs >= 0 ? `${clock} (${formatDurationMs(ageMs)} ago)` : clock;
}
