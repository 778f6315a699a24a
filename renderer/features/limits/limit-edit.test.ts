import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LimitRow } from '../../../core/protocol/index.ts';
import { SetLimitSchema } from '../../../core/protocol/index.ts';
import { confirmationText, draftOf, limitSubject, parseNumber, projectedUtilization, sortLimits, utilizationBar, validateLimitEdit } from './limit-edit.ts';

function limit(overrides: Partial<LimitRow> = {}): LimitRow {
  return {
    limitId: 'BTC.vega.total',
    currency: 'BTC',
    label: 'vega total',
    unit: 'USD/vol pt',
    value: 30_000,
    limit: 50_000,
    utilization: 0.6,
    warnAtFraction: 0.8,
    state: 'ok',
    action: 'warn',
    ...overrides,
  };
}

describe('limits order and bars', () => {
  it('puts breaches first, then warnings, then by underlying and label', () => {
    const rows = [
      limit({ limitId: 'a', currency: 'ETH', label: 'delta', state: 'ok' }),
      limit({ limitId: 'b', currency: 'BTC', label: 'vega', state: 'warn' }),
      limit({ limitId: 'c', currency: 'BTC', label: 'delta', state: 'ok' }),
      limit({ limitId: 'd', currency: 'ETH', label: 'gamma', state: 'breach' }),
      limit({ limitId: 'e', currency: 'BTC', label: 'theta', state: 'breach' }),
    ];
    expect(sortLimits(rows).map((row) => row.limitId)).toEqual(['e', 'd', 'b', 'c', 'a']);
    // The input is left as it was.
    expect(rows[0]!.limitId).toBe('a');
  });

  it('fills the bar to the utilization, capped, with the warning mark', () => {
    expect(utilizationBar(limit())).toEqual({ fillPct: 60, warnPct: 80, over: false, text: '60 %' });
    expect(utilizationBar(limit({ utilization: 1.35, state: 'breach' }))).toEqual({ fillPct: 100, warnPct: 80, over: true, text: '135 %' });
    expect(utilizationBar(limit({ utilization: Number.NaN }))).toMatchObject({ fillPct: 0, over: false, text: '—' });
  });

  it('names the limit with its underlying once', () => {
    expect(limitSubject(limit())).toBe('BTC vega total');
    expect(limitSubject(limit({ label: 'BTC vega total' }))).toBe('BTC vega total');
    expect(limitSubject(limit({ currency: '', label: 'open orders' }))).toBe('open orders');
  });
});

describe('limit edit validation', () => {
  const row = limit();

  it('reads numbers as traders type them', () => {
    expect(parseNumber('60,000')).toBe(60_000);
    expect(parseNumber(' 60 000 ')).toBe(60_000);
    expect(parseNumber('1_000.5')).toBe(1000.5);
    expect(parseNumber('.8')).toBe(0.8);
    expect(parseNumber('−5')).toBe(-5);
    expect(parseNumber('5e4')).toBe(50_000);
    for (const text of ['', 'abc', '1.2.3', '12k', 'Infinity', 'NaN', '0x10', '--1']) expect(parseNumber(text)).toBeUndefined();
  });

  it('starts from the current values and reports nothing changed', () => {
    const draft = draftOf(row);
    expect(draft).toEqual({ limitText: '50,000', warnText: '0.8', action: 'warn' });
    expect(validateLimitEdit(row, draft)).toEqual({ ok: false, reason: 'nothing changed' });
  });

  it('wants a positive finite limit', () => {
    for (const limitText of ['0', '-5', '', 'abc', '1e400']) {
      const check = validateLimitEdit(row, { ...draftOf(row), limitText });
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.reason).toMatch(/positive number/);
    }
  });

  it('wants a warning fraction above 0 and at most 1', () => {
    for (const warnText of ['0', '1.01', '80', '-0.5', 'x']) {
      const check = validateLimitEdit(row, { ...draftOf(row), warnText });
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.reason).toMatch(/above 0 and at most 1/);
    }
    expect(validateLimitEdit(row, { ...draftOf(row), warnText: '1' })).toMatchObject({ ok: true, patch: { warnAtFraction: 1 } });
  });

  it('rejects an unknown action', () => {
    expect(validateLimitEdit(row, { ...draftOf(row), action: 'explode' as never }).ok).toBe(false);
  });

  it('sends only what changed, as a SetLimit the engine schema accepts', () => {
    const check = validateLimitEdit(row, { limitText: '60,000', warnText: '0.8', action: 'warn' });
    expect(check).toEqual({ ok: true, patch: { limit: 60_000 }, confirmation: 'Set BTC vega total limit from 50,000 to 60,000 USD/vol pt?' });
    const all = validateLimitEdit(row, { limitText: '60000', warnText: '0.9', action: 'pause' });
    expect(all.ok && all.patch).toEqual({ limit: 60_000, warnAtFraction: 0.9, action: 'pause' });
    if (all.ok) expect(SetLimitSchema.safeParse({ type: 'SetLimit', commandId: 'x-1', limitId: row.limitId, ...all.patch }).success).toBe(true);
  });

  it('accepts exactly what the engine schema accepts, for any typed limit and warning', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: false }), fc.double({ noNaN: false }), (limitValue, warn) => {
        const check = validateLimitEdit(row, { limitText: String(limitValue), warnText: String(warn), action: 'kill' });
        const schema = SetLimitSchema.safeParse({ type: 'SetLimit', commandId: 'x-1', limitId: row.limitId, limit: limitValue, warnAtFraction: warn, action: 'kill' });
        expect(check.ok).toBe(schema.success);
      }),
    );
  });
});

describe('confirmation text', () => {
  const row = limit();

  it('says what changes, from what to what', () => {
    expect(confirmationText(row, { limit: 60_000 })).toBe('Set BTC vega total limit from 50,000 to 60,000 USD/vol pt?');
    expect(confirmationText(row, { warnAtFraction: 0.9 })).toBe('Set BTC vega total warning from 80 % to 90 % of the limit?');
    expect(confirmationText(row, { action: 'reduce-only' })).toBe('Set BTC vega total breach action from warn to reduce-only?');
    expect(confirmationText(row, { limit: 60_000, warnAtFraction: 0.9, action: 'pause' })).toBe(
      'Set BTC vega total limit from 50,000 to 60,000 USD/vol pt, warning from 80 % to 90 % of the limit, breach action from warn to pause?',
    );
  });

  it('warns when the new limit is breached at once, with the action it triggers', () => {
    expect(projectedUtilization(row, 25_000)).toBeCloseTo(1.2, 12);
    expect(confirmationText(row, { limit: 25_000, action: 'pause' })).toBe(
      'Set BTC vega total limit from 50,000 to 25,000 USD/vol pt, breach action from warn to pause? The current value 30,000 USD/vol pt is over the new limit: it breaches at once (pause: pause the strategy of the underlying).',
    );
    expect(confirmationText(row, { limit: 40_000 })).not.toMatch(/breaches at once/);
  });
});
