import type { KillSwitchView, LimitRow, StrategyMode, StrategyRow, VenueStatus } from '../../../core/protocol/index.ts';
import { formatDurationMs } from '../../ui/format.ts';
import { formatLimitNumber } from '../risk/risk-format.ts';
import { limitSubject } from '../limits/limit-edit.ts';
import type { HealthLevel } from '../engine/engine-health.ts';

/**
 * What the status bar and the risk banner say: each venue's link figures (round trip, message
 * rate, rate-limit credits, safe mode), each underlying's strategy mode, the kill switch and the
 * limits in breach. Pure, so the bar stays a thin component.
 */

/** Credits below these fractions of the ceiling warn, then alarm: quoting is about to be throttled. */
export const CREDITS_WARN_FRACTION = 0.3;
export const CREDITS_BAD_FRACTION = 0.1;

export interface VenueFigures {
  readonly venueId: string;
  readonly level: HealthLevel;
  readonly label: string;
  readonly title: string;
  /** '' when the venue has not answered a request yet. */
  readonly rtt: string;
  readonly rate: string;
  readonly rateTitle: string;
  readonly credits: string;
  readonly creditsLevel: HealthLevel;
  readonly safeMode: boolean;
}

function perSecond(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(1)}k` : value >= 10 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, '');
}

export function venueFigures(venue: VenueStatus): VenueFigures {
  const rates = Object.entries(venue.messagesPerSec ?? {}).filter(([, value]) => Number.isFinite(value));
  const total = rates.reduce((sum, [, value]) => sum + value, 0);
  const available = venue.creditsAvailable;
  const max = venue.creditsMax;
  const fraction = available !== undefined && max !== undefined && max > 0 ? available / max : undefined;
  const creditsLevel: HealthLevel = fraction === undefined ? 'ok' : fraction < CREDITS_BAD_FRACTION ? 'bad' : fraction < CREDITS_WARN_FRACTION ? 'warn' : 'ok';
  const safeMode = venue.safeMode === true;
  const level: HealthLevel = venue.state !== 'connected' ? 'bad' : safeMode ? 'bad' : creditsLevel === 'bad' ? 'warn' : 'ok';
  return {
    venueId: venue.venueId,
    level,
    label: `${venue.displayName} ${venue.state}`,
    title: venue.detail,
    rtt: venue.rttMs === undefined ? '' : `rtt ${formatDurationMs(venue.rttMs)}`,
    rate: venue.messagesPerSec === undefined ? '' : `${perSecond(total)} msg/s`,
    rateTitle:
      rates.length === 0
        ? 'Messages received from the venue per second'
        : `Messages received per second: ${rates
            .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
            .map(([family, value]) => `${family} ${perSecond(value)}`)
            .join(' · ')}`,
    credits: available === undefined || max === undefined ? '' : `credits ${Math.floor(available).toLocaleString('en-US')}/${max.toLocaleString('en-US')}`,
    creditsLevel,
    safeMode,
  };
}

export interface StrategyBadge {
  readonly currency: string;
  readonly mode: StrategyMode;
  readonly reason: string;
}

export function strategyBadges(strategies: Readonly<Record<string, StrategyRow>> | undefined): readonly StrategyBadge[] {
  return Object.values(strategies ?? {})
    .map((row) => ({ currency: row.currency, mode: row.mode, reason: row.reason }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
}

export interface LimitAlerts {
  /** Limits in breach, worst utilization first. */
  readonly breaches: readonly LimitRow[];
  readonly warnings: number;
}

export function limitAlerts(limits: Readonly<Record<string, LimitRow>> | undefined): LimitAlerts {
  const rows = Object.values(limits ?? {});
  const breaches = rows.filter((row) => row.state === 'breach').sort((a, b) => b.utilization - a.utilization || a.limitId.localeCompare(b.limitId));
  return { breaches, warnings: rows.filter((row) => row.state === 'warn').length };
}

/** "BTC net delta 12.3 / 10 coin → reduce-only". */
export function breachText(row: LimitRow): string {
  return `${limitSubject(row)} ${formatLimitNumber(row.value)} / ${formatLimitNumber(row.limit)} ${row.unit} → ${row.action}`;
}

/** The banner's one line: the worst breach, and how many more. */
export function breachSummary(alerts: LimitAlerts): string {
  const [worst, ...rest] = alerts.breaches;
  if (!worst) return '';
  return `${breachText(worst)}${rest.length > 0 ? ` · ${rest.length} more` : ''}`;
}

/** "HALTED: kill switch pulled by the trader", or '' while armed. */
export function haltText(kill: KillSwitchView | undefined): string {
  if (kill?.state !== 'triggered') return '';
  return `HALTED: ${kill.reason ?? 'no reason given'}`;
}
