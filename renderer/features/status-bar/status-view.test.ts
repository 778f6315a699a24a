import { describe, expect, it } from 'vitest';
import type { LimitRow, StrategyRow, VenueStatus } from '../../../core/protocol/index.ts';
import { breachSummary, breachText, haltText, limitAlerts, strategyBadges, venueFigures } from './status-view.ts';

const venue: VenueStatus = {
  venueId: 'sim',
  displayName: 'Simulator',
  state: 'connected',
  detail: 'ws://127.0.0.1:1234',
  sinceTsMs: 1,
  rttMs: 3.4,
  creditsAvailable: 41_250.7,
  creditsMax: 50_000,
  safeMode: false,
  messagesPerSec: { book: 120, ticker: 30.5, user: 2 },
};

function limit(limitId: string, fields: Partial<LimitRow> = {}): LimitRow {
  return { limitId, currency: 'BTC', label: 'net delta', unit: 'coin', value: 1, limit: 10, utilization: 0.1, warnAtFraction: 0.8, state: 'ok', action: 'reduce-only', ...fields };
}

describe('status bar view', () => {
  it('shows a venue’s round trip, message rate, credits and safe mode', () => {
    const figures = venueFigures(venue);
    expect(figures).toMatchObject({ level: 'ok', label: 'Simulator connected', rtt: 'rtt 3.4 ms', rate: '153 msg/s', credits: 'credits 41,250/50,000', creditsLevel: 'ok', safeMode: false });
    expect(figures.rateTitle).toBe('Messages received per second: book 120 · ticker 31 · user 2');
  });

  it('warns as credits run low and alarms in safe mode or when disconnected', () => {
    expect(venueFigures({ ...venue, creditsAvailable: 10_000 }).creditsLevel).toBe('warn');
    expect(venueFigures({ ...venue, creditsAvailable: 1_000 })).toMatchObject({ creditsLevel: 'bad', level: 'warn' });
    expect(venueFigures({ ...venue, safeMode: true })).toMatchObject({ level: 'bad', safeMode: true });
    expect(venueFigures({ ...venue, state: 'reconnecting' }).level).toBe('bad');
  });

  it('leaves out figures a venue does not report', () => {
    const bare = venueFigures({ venueId: 'x', displayName: 'X', state: 'connecting', detail: '', sinceTsMs: 0 });
    expect(bare).toMatchObject({ rtt: '', rate: '', credits: '', safeMode: false, creditsLevel: 'ok' });
    expect(venueFigures({ ...venue, messagesPerSec: { book: 0.25 } }).rate).toBe('0.3 msg/s');
  });

  it('lists each underlying’s strategy mode by currency', () => {
    const row = (currency: string, mode: StrategyRow['mode']) => ({ currency, mode, reason: `${mode} why` }) as StrategyRow;
    expect(strategyBadges({ ETH: row('ETH', 'PAUSED'), BTC: row('BTC', 'ACTIVE') })).toEqual([
      { currency: 'BTC', mode: 'ACTIVE', reason: 'ACTIVE why' },
      { currency: 'ETH', mode: 'PAUSED', reason: 'PAUSED why' },
    ]);
    expect(strategyBadges(undefined)).toEqual([]);
  });

  it('summarises breaches worst first and counts warnings', () => {
    const limits = {
      a: limit('a', { state: 'breach', value: 12.34, utilization: 1.23 }),
      b: limit('b', { state: 'breach', label: 'vega total', unit: 'USD/vol pt', value: 2_100, limit: 2_000, utilization: 1.05, action: 'pause' }),
      c: limit('c', { state: 'warn' }),
      d: limit('d'),
    };
    const alerts = limitAlerts(limits);
    expect(alerts.breaches.map((row) => row.limitId)).toEqual(['a', 'b']);
    expect(alerts.warnings).toBe(1);
    expect(breachText(limits.a)).toMatch(/^BTC net delta 12\.3\d* \/ 10 coin → reduce-only$/);
    expect(breachSummary(alerts)).toMatch(/ · 1 more$/);
    expect(breachSummary(limitAlerts(undefined))).toBe('');
  });

  it('says HALTED and why while the kill switch is latched', () => {
    expect(haltText({ state: 'armed', ordersLeft: 0 })).toBe('');
    expect(haltText(undefined)).toBe('');
    expect(haltText({ state: 'triggered', reason: 'BTC daily loss', source: 'limit', tsMs: 1, ordersLeft: 2 })).toBe('HALTED: BTC daily loss');
  });
});
