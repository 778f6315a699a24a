import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ZERO_RISK_GREEKS } from './greeks.ts';
import type { LimitStatus, LimitsConfig } from './limits.ts';
import { applyLimitEdit, DEFAULT_LIMITS, LimitsConfigSchema, evaluateLimits, limitStatus, limitTransitions, parseLimitPatch, parseLimitsConfig, strongestAction } from './limits.ts';
import type { UnderlyingMetrics } from './metrics.ts';
import { emptyUnderlyingMetrics } from './metrics.ts';

const config: LimitsConfig = LimitsConfigSchema.parse({
  version: 1,
  underlyings: {
    BTC: {
      netDeltaCoin: { limit: 10, action: 'reduce-only' },
      gammaCoinPerPct: { limit: 2, action: 'warn' },
      vegaTotalUsdPerVolPt: { limit: 50_000, warnAtFraction: 0.9, action: 'pause' },
      vegaPerExpiryUsdPerVolPt: { limit: 20_000, action: 'reduce-only' },
      optionPositionCoin: { limit: 100, action: 'reduce-only' },
      futurePositionUsd: { limit: 1_000_000, action: 'kill' },
      openOrders: { limit: 500, action: 'pause' },
      ordersPerSec: { limit: 20, action: 'pause' },
      messagesPerSec: { limit: 50, action: 'pause' },
      grossNotionalUsd: { limit: 10_000_000, action: 'reduce-only' },
      dailyLossUsd: { limit: 100_000, action: 'kill' },
      drawdownUsd: { limit: 50_000, action: 'pause' },
    },
    '*': { grossNotionalUsd: { limit: 100_000, action: 'reduce-only' } },
  },
});

function btc(overrides: Partial<UnderlyingMetrics> = {}): UnderlyingMetrics {
  return {
    ...emptyUnderlyingMetrics('BTC', 50_000),
    greeks: { ...ZERO_RISK_GREEKS, deltaCoin: -8.5, gammaCoinPerUsd: 0.005, vegaUsdPerVolPt: 46_000 },
    vegaByExpiry: [
      { bucketId: '2026-12-25', expiryMs: 1, vegaUsdPerVolPt: 25_000 },
      { bucketId: '2027-03-26', expiryMs: 2, vegaUsdPerVolPt: 21_000 },
    ],
    positions: { 'BTC-PERPETUAL': { kind: 'future', size: -300_000 }, 'BTC-25DEC26-60000-C': { kind: 'option', size: 120 } },
    grossNotionalUsd: 9_000_000,
    openOrders: 120,
    ordersPerSec: 4,
    messagesPerSec: 9,
    dailyPnlUsd: -20_000,
    dayPeakPnlUsd: 35_000,
    ...overrides,
  };
}

const byId = (statuses: readonly LimitStatus[]) => new Map(statuses.map((s) => [s.limitId, s]));

describe('limits configuration', () => {
  it('parses the defaults, which fill in warnAtFraction and collars', () => {
    expect(DEFAULT_LIMITS.underlyings.BTC!.netDeltaCoin).toEqual({ limit: 10, warnAtFraction: 0.8, action: 'reduce-only' });
    expect(DEFAULT_LIMITS.underlyings['*']!.preTrade.optionCollar).toEqual({ maxTicksFromReference: 4, maxFractionFromReference: 0.1 });
  });

  it('ships an example file equal to the defaults', () => {
    const example = JSON.parse(readFileSync(new URL('./limits.example.json', import.meta.url), 'utf8')) as unknown;
    const parsed = parseLimitsConfig(example);
    expect(parsed).toEqual({ ok: true, config: DEFAULT_LIMITS });
  });

  it('rejects a bad file with every problem and its path', () => {
    const parsed = parseLimitsConfig({ version: 1, underlyings: { BTC: { netDeltaCoin: { limit: -1, action: 'explode' }, vegaTotal: {} } } });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toContain('underlyings.BTC.netDeltaCoin.limit');
    expect(parsed.error).toContain('underlyings.BTC.netDeltaCoin.action');
    expect(parsed.error).toContain('vegaTotal');
  });
});

describe('evaluateLimits', () => {
  const statuses = evaluateLimits({ BTC: btc() }, config);
  const s = byId(statuses);

  it('gives stable ids, per bucket and per instrument', () => {
    expect(statuses.map((x) => x.limitId)).toEqual([
      'BTC.delta',
      'BTC.gamma',
      'BTC.vega.total',
      'BTC.vega.2026-12-25',
      'BTC.vega.2027-03-26',
      'BTC.position.BTC-25DEC26-60000-C',
      'BTC.position.BTC-PERPETUAL',
      'BTC.openOrders',
      'BTC.orderRate',
      'BTC.messageRate',
      'BTC.notional',
      'BTC.dailyLoss',
      'BTC.drawdown',
    ]);
    expect(s.get('BTC.vega.2026-12-25')!.label).toBe('BTC vega 2026-12-25');
  });

  it('measures utilization on magnitudes and sets ok / warn / breach', () => {
    expect(s.get('BTC.delta')).toMatchObject({ value: -8.5, limit: 10, utilization: 0.85, state: 'warn', action: 'reduce-only' });
    expect(s.get('BTC.gamma')).toMatchObject({ value: 2.5, state: 'breach', action: 'warn' });
    expect(s.get('BTC.vega.total')).toMatchObject({ utilization: 0.92, state: 'warn' });
    expect(s.get('BTC.vega.2026-12-25')).toMatchObject({ state: 'breach' });
    expect(s.get('BTC.vega.2027-03-26')).toMatchObject({ state: 'breach' });
    expect(s.get('BTC.position.BTC-25DEC26-60000-C')).toMatchObject({ value: 120, state: 'breach' });
    expect(s.get('BTC.position.BTC-PERPETUAL')).toMatchObject({ value: -300_000, utilization: 0.3, state: 'ok' });
    expect(s.get('BTC.notional')).toMatchObject({ utilization: 0.9, state: 'warn' });
  });

  it('measures the daily loss and the drawdown from the day’s peak', () => {
    expect(s.get('BTC.dailyLoss')).toMatchObject({ value: 20_000, state: 'ok' });
    expect(s.get('BTC.drawdown')).toMatchObject({ value: 55_000, state: 'breach', action: 'pause' });
    const winning = byId(evaluateLimits({ BTC: btc({ dailyPnlUsd: 40_000, dayPeakPnlUsd: 35_000 }) }, config));
    expect(winning.get('BTC.dailyLoss')!.value).toBe(0);
    expect(winning.get('BTC.drawdown')!.value).toBe(0);
  });

  it('applies the "*" limits to an unlisted currency and lists configured currencies without metrics', () => {
    const all = evaluateLimits({ SOL: { ...emptyUnderlyingMetrics('SOL', 150), grossNotionalUsd: 120_000 } }, config);
    const sol = all.filter((x) => x.currency === 'SOL');
    expect(sol.map((x) => [x.limitId, x.state])).toEqual([['SOL.notional', 'breach']]);
    expect(all.filter((x) => x.currency === 'BTC').every((x) => x.state === 'ok')).toBe(true);
  });

  it('treats an unknown value as a breach and a value at the limit as within it', () => {
    const rule = { limit: 100, warnAtFraction: 0.8, action: 'reduce-only' as const };
    expect(limitStatus('BTC', 'netDeltaCoin', Number.NaN, rule).state).toBe('breach');
    expect(limitStatus('BTC', 'netDeltaCoin', -100, rule).state).toBe('warn');
    expect(limitStatus('BTC', 'netDeltaCoin', 100 * (1 + 1e-12), rule).state).toBe('warn');
    expect(limitStatus('BTC', 'netDeltaCoin', 100.001, rule).state).toBe('breach');
    const nothing = { ...rule, limit: 0 };
    expect(limitStatus('BTC', 'optionPositionCoin', 0, nothing, 'X')).toMatchObject({ utilization: 0, state: 'ok' });
    expect(limitStatus('BTC', 'optionPositionCoin', 0.1, nothing, 'X')).toMatchObject({ utilization: Infinity, state: 'breach' });
  });

  it('keeps a subject’s status while its value stays, under the same rules', () => {
    const again = byId(evaluateLimits({ BTC: btc() }, config));
    expect(again.get('BTC.position.BTC-PERPETUAL')).toBe(s.get('BTC.position.BTC-PERPETUAL'));
    expect(again.get('BTC.vega.2026-12-25')).toBe(s.get('BTC.vega.2026-12-25'));
    const moved = byId(evaluateLimits({ BTC: btc({ positions: { 'BTC-PERPETUAL': { kind: 'future', size: -900_000 } } }) }, config));
    expect(moved.get('BTC.position.BTC-PERPETUAL')).toMatchObject({ value: -900_000, utilization: 0.9, state: 'warn' });
    // A new config is new rules: its statuses are its own, even for the same values.
    const edited = applyLimitEdit(config, statuses, { limitId: 'BTC.position.BTC-PERPETUAL', warnAtFraction: 0.2 });
    if (!edited.ok) throw new Error(edited.error);
    const underEdit = byId(evaluateLimits({ BTC: btc() }, edited.config));
    expect(underEdit.get('BTC.position.BTC-PERPETUAL')).toMatchObject({ value: -300_000, state: 'warn' });
    expect(byId(evaluateLimits({ BTC: btc() }, config)).get('BTC.position.BTC-PERPETUAL')).toMatchObject({ value: -300_000, state: 'ok' });
  });

  it('reads the gamma of an unknown index as a breach only when there is gamma', () => {
    const nan = (gammaCoinPerUsd: number) => byId(evaluateLimits({ BTC: btc({ indexUsd: Number.NaN, greeks: { ...ZERO_RISK_GREEKS, gammaCoinPerUsd } }) }, config)).get('BTC.gamma')!.state;
    expect(nan(0)).toBe('ok');
    expect(nan(1e-6)).toBe('breach');
  });
});

describe('transitions and actions', () => {
  const before = evaluateLimits({ BTC: btc() }, config);
  const after = evaluateLimits(
    {
      BTC: btc({
        greeks: { ...ZERO_RISK_GREEKS, deltaCoin: -11, vegaUsdPerVolPt: 46_000 },
        vegaByExpiry: [{ bucketId: '2027-03-26', expiryMs: 2, vegaUsdPerVolPt: 19_000 }],
        dayPeakPnlUsd: 0,
      }),
    },
    config,
  );

  it('reports limits entering breach and leaving it, including vanished ones', () => {
    const t = limitTransitions(before, after);
    expect(t.map((x) => [x.kind, x.limitId, x.value])).toEqual([
      ['breached', 'BTC.delta', -11],
      ['reset', 'BTC.gamma', 0],
      ['reset', 'BTC.vega.2027-03-26', 19_000],
      ['reset', 'BTC.drawdown', 20_000],
      ['reset', 'BTC.vega.2026-12-25', 0],
    ]);
    expect(t[0]!.message).toBe('BTC net delta -11 coin exceeds limit 10 (reduce-only)');
    expect(limitTransitions(after, after)).toEqual([]);
    expect(limitTransitions([], before).filter((x) => x.kind === 'breached')).toHaveLength(before.filter((x) => x.state === 'breach').length);
  });

  it('names the strongest action among breached limits only', () => {
    expect(strongestAction(before)).toBe('pause'); // drawdown
    expect(strongestAction(after)).toBe('reduce-only');
    expect(strongestAction([])).toBeUndefined();
    expect(strongestAction(before.map((x) => ({ ...x, state: 'warn' as const })))).toBeUndefined();
    const kill = { ...before[0]!, state: 'breach' as const, action: 'kill' as const };
    expect(strongestAction([...before, kill])).toBe('kill');
    expect(strongestAction([{ ...kill, action: 'warn' }])).toBe('warn');
  });
});

describe('parseLimitPatch', () => {
  it('applies a merge patch from the UI and returns a new config', () => {
    const r = parseLimitPatch(config, { underlyings: { BTC: { vegaTotalUsdPerVolPt: { limit: 60_000 } } } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.underlyings.BTC!.vegaTotalUsdPerVolPt).toEqual({ limit: 60_000, warnAtFraction: 0.9, action: 'pause' });
    expect(config.underlyings.BTC!.vegaTotalUsdPerVolPt!.limit).toBe(50_000);
  });

  it('removes a limit with null and adds a currency', () => {
    const r = parseLimitPatch(config, { underlyings: { BTC: { gammaCoinPerPct: null }, ETH: { netDeltaCoin: { limit: 100, action: 'warn' } } } });
    expect(r.ok && r.config.underlyings.BTC!.gammaCoinPerPct).toBeUndefined();
    expect(r.ok && r.config.underlyings.ETH!.netDeltaCoin).toEqual({ limit: 100, warnAtFraction: 0.8, action: 'warn' });
  });

  it('refuses an edit that leaves an invalid config, with a clear error', () => {
    const negative = parseLimitPatch(config, { underlyings: { BTC: { netDeltaCoin: { limit: -5 } } } });
    expect(negative.ok).toBe(false);
    expect(!negative.ok && negative.error).toMatch(/underlyings\.BTC\.netDeltaCoin\.limit/);
    const noAction = parseLimitPatch(config, { underlyings: { BTC: { drawdownUsd: null }, ETH: { drawdownUsd: { limit: 5 } } } });
    expect(!noAction.ok && noAction.error).toMatch(/underlyings\.ETH\.drawdownUsd\.action/);
    const unknown = parseLimitPatch(config, { underlyings: { BTC: { vegaTotal: { limit: 5, action: 'warn' } } } });
    expect(!unknown.ok && unknown.error).toMatch(/vegaTotal/);
    expect(parseLimitPatch(config, 'raise vega')).toEqual({ ok: false, error: 'limits patch: expected an object (a JSON merge patch of the limits file)' });
    expect(parseLimitPatch(config, { version: null }).ok).toBe(false);
    const polluted = parseLimitPatch(config, JSON.parse('{"underlyings": {"__proto__": {"polluted": 1}}}'));
    expect(polluted.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('a trader’s limit edit', () => {
  const statuses = evaluateLimits({ BTC: emptyUnderlyingMetrics('BTC', 100_000), SOL: emptyUnderlyingMetrics('SOL', 150) }, DEFAULT_LIMITS);

  it('changes the rule behind a displayed limit and keeps the rest', () => {
    const edited = applyLimitEdit(DEFAULT_LIMITS, statuses, { limitId: 'BTC.vega.total', limit: 60_000, action: 'pause' });
    if (!edited.ok) throw new Error(edited.error);
    expect(edited.config.underlyings.BTC?.vegaTotalUsdPerVolPt).toMatchObject({ limit: 60_000, action: 'pause', warnAtFraction: 0.8 });
    expect(edited.config.underlyings.BTC?.netDeltaCoin).toEqual(DEFAULT_LIMITS.underlyings.BTC?.netDeltaCoin);
  });

  it('gives a currency on the defaults its own copy, and refuses what it does not know or cannot accept', () => {
    const sol = statuses.find((s) => s.currency === 'SOL' && s.key === 'grossNotionalUsd')!;
    const edited = applyLimitEdit(DEFAULT_LIMITS, statuses, { limitId: sol.limitId, limit: 2_000_000 });
    if (!edited.ok) throw new Error(edited.error);
    expect(edited.config.underlyings.SOL?.grossNotionalUsd?.limit).toBe(2_000_000);
    expect(edited.config.underlyings['*']).toEqual(DEFAULT_LIMITS.underlyings['*']);
    expect(applyLimitEdit(DEFAULT_LIMITS, statuses, { limitId: 'BTC.nothing', limit: 1 })).toEqual({ ok: false, error: 'no limit BTC.nothing' });
    expect(applyLimitEdit(DEFAULT_LIMITS, statuses, { limitId: 'BTC.vega.total', warnAtFraction: 1.5 })).toMatchObject({ ok: false });
  });
});
