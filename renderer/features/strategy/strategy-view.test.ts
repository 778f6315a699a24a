import { describe, expect, it } from 'vitest';
import type { StrategyRow } from '../../../core/protocol/index.ts';
import { formatSince, HALTED_EXPLANATION, humanize, modeButtons, modeReason, sortedStrategies, suppressedEntries, suppressedTotal, toggledMode } from './strategy-view.ts';

function strategy(currency: string, fields: Partial<StrategyRow> = {}): StrategyRow {
  return {
    currency,
    mode: 'ACTIVE',
    reason: 'trader',
    sinceTsMs: 1,
    params: {},
    quotedInstruments: 0,
    suppressed: {},
    surfaceExpiries: 0,
    autoHedge: { enabled: false, targetCoin: 0, bandCoin: 1, minIntervalMs: 10_000 },
    ...fields,
  };
}

describe('strategy mode buttons', () => {
  it('offers every other trader mode, never the current one', () => {
    const enabled = (mode: StrategyRow['mode']) =>
      modeButtons(mode)
        .filter((button) => button.enabled)
        .map((button) => button.id);
    expect(enabled('ACTIVE')).toEqual(['pause', 'reduce']);
    expect(enabled('PAUSED')).toEqual(['resume', 'reduce']);
    expect(enabled('REDUCING')).toEqual(['pause', 'resume']);
  });

  it('disables everything while halted, and says why', () => {
    const buttons = modeButtons('HALTED');
    expect(buttons.every((button) => !button.enabled)).toBe(true);
    expect(buttons.every((button) => button.title === HALTED_EXPLANATION)).toBe(true);
    expect(HALTED_EXPLANATION).toMatch(/acknowledge/i);
  });

  it('maps each button to the mode it requests', () => {
    expect(Object.fromEntries(modeButtons('ACTIVE').map((button) => [button.id, button.target]))).toEqual({ pause: 'PAUSED', resume: 'ACTIVE', reduce: 'REDUCING' });
  });

  it('gives the engine a reason it can show', () => {
    expect(modeButtons('ACTIVE').map((button) => button.reason)).toEqual(['paused by the trader', 'resumed by the trader', 'set to reduce only by the trader']);
    expect(modeReason('ACTIVE', 'the trader (keyboard)')).toBe('resumed by the trader (keyboard)');
  });

  it('toggles pause and resume, and leaves a halt alone', () => {
    expect(toggledMode('ACTIVE')).toBe('PAUSED');
    expect(toggledMode('REDUCING')).toBe('PAUSED');
    expect(toggledMode('PAUSED')).toBe('ACTIVE');
    expect(toggledMode('HALTED')).toBeUndefined();
  });
});

describe('strategy view', () => {
  it('orders strategies by currency', () => {
    expect(sortedStrategies({ ETH: strategy('ETH'), BTC: strategy('BTC') }).map((row) => row.currency)).toEqual(['BTC', 'ETH']);
    expect(sortedStrategies(undefined)).toEqual([]);
  });

  it('lists suppression reasons, most common first, without zeros', () => {
    const suppressed = { 'stale-book': 3, wideMarket: 5, no_theo: 0, crossed: 3 };
    expect(suppressedEntries(suppressed)).toEqual([
      { reason: 'wideMarket', label: 'wide market', count: 5 },
      { reason: 'crossed', label: 'crossed', count: 3 },
      { reason: 'stale-book', label: 'stale book', count: 3 },
    ]);
    expect(suppressedTotal(suppressed)).toBe(11);
  });

  it('humanizes engine keys', () => {
    expect(humanize('limit:BTC.vega')).toBe('limit:btc vega');
    expect(humanize('minEdgeVolPts')).toBe('min edge vol pts');
  });

  it('shows when a mode began and how long ago', () => {
    const since = new Date(2026, 0, 2, 14, 3, 7).getTime();
    expect(formatSince(since, since + 5 * 60_000 + 3_000)).toBe('14:03:07 (5 min 3 s ago)');
    expect(formatSince(since, since - 10)).toBe('14:03:07');
    expect(formatSince(0, 1)).toBe('—');
  });
});
