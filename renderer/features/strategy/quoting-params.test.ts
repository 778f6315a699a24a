import { describe, expect, it } from 'vitest';
import { checkField, checkParams, editDraft, paramLabel, parseNumber, rangeFor, unitOf } from './quoting-params.ts';

const params = { minEdgeVolPts: 1.5, widthMultiplier: 1, sizeCoin: 2, refreshMs: 250, skewOffsetPts: -0.5, quoteFarWings: false, venueLabel: 'mm' };

describe('quoting parameter names', () => {
  it('reads units and labels off the names', () => {
    expect(unitOf('minEdgeVolPts')).toBe('vol pts');
    expect(unitOf('refreshMs')).toBe('ms');
    expect(unitOf('widthMultiplier')).toBe('×');
    expect(unitOf('levels')).toBe('');
    expect(paramLabel('minEdgeVolPts')).toBe('min edge');
    expect(paramLabel('sizeCoin')).toBe('size');
    expect(paramLabel('Ms')).toBe('ms');
  });

  it('derives sensible ranges', () => {
    expect(rangeFor('refreshMs', 250)).toEqual({ min: 0, max: 86_400_000, integer: true });
    expect(rangeFor('widthMultiplier', 1)).toMatchObject({ min: 0, minExclusive: true });
    expect(rangeFor('skewOffsetPts', 0)).toEqual({ min: -100, max: 100 });
    expect(rangeFor('minEdgeVolPts', 1)).toEqual({ min: 0, max: 100 });
    expect(rangeFor('sizeCoin', 2)).toEqual({ min: 0 });
    expect(rangeFor('targetDeltaCoin', 0)).toEqual({});
    expect(rangeFor('maxSkewVolPts', 5)).toEqual({ min: 0, max: 100 });
    expect(rangeFor('riskAversionDelta', 5)).toEqual({ min: 0 });
    expect(rangeFor('maxExpiries', 8)).toMatchObject({ min: 0, integer: true });
    expect(rangeFor('levels', 1)).toMatchObject({ min: 0, integer: true });
    expect(rangeFor('refreshToleranceSizeFraction', 0)).toEqual({ min: 0, max: 1 });
    expect(rangeFor('mystery', -3)).toEqual({});
    expect(rangeFor('maxLevels', 3)).toMatchObject({ min: 0, integer: true });
  });

  it('parses numbers as typed, and nothing else', () => {
    expect(parseNumber(' 1.25 ')).toBe(1.25);
    expect(parseNumber('-.5')).toBe(-0.5);
    expect(parseNumber('−2')).toBe(-2);
    expect(parseNumber('1e3')).toBe(1000);
    for (const bad of ['', 'abc', '0x10', 'Infinity', 'NaN', '1.2.3', '1e999']) expect(parseNumber(bad)).toBeUndefined();
  });
});

describe('quoting parameter fields', () => {
  it('refuses non-finite and out-of-range values', () => {
    expect(checkField('sizeCoin', 2, 'abc')).toEqual({ ok: false, error: 'not a number' });
    expect(checkField('sizeCoin', 2, '')).toEqual({ ok: false, error: 'a value is required' });
    expect(checkField('sizeCoin', 2, '-1')).toMatchObject({ ok: false, error: expect.stringContaining('at least 0') });
    expect(checkField('widthMultiplier', 1, '0')).toMatchObject({ ok: false, error: expect.stringContaining('above 0') });
    expect(checkField('refreshMs', 250, '12.5')).toMatchObject({ ok: false, error: expect.stringContaining('whole number') });
    expect(checkField('minEdgeVolPts', 1, '150')).toMatchObject({ ok: false });
    expect(checkField('venueLabel', 'mm', 'x'.repeat(65))).toMatchObject({ ok: false });
  });

  it('accepts in-range values, and warns on a large jump', () => {
    expect(checkField('sizeCoin', 2, '3')).toEqual({ ok: true, value: 3 });
    expect(checkField('sizeCoin', 2, '25')).toMatchObject({ ok: true, value: 25, warning: expect.stringContaining('13×') });
    expect(checkField('sizeCoin', 2, '0.1')).toMatchObject({ ok: true, warning: expect.stringContaining('1/20') });
    expect(checkField('quoteFarWings', false, true)).toEqual({ ok: true, value: true });
  });
});

describe('quoting parameter form', () => {
  it('shows the engine values when nothing is edited', () => {
    const check = checkParams(params, {});
    expect(check.fields.map((field) => field.key)).toEqual(Object.keys(params));
    expect(check.fields.find((field) => field.key === 'quoteFarWings')).toMatchObject({ kind: 'boolean', input: false, changed: false });
    expect(check.fields.find((field) => field.key === 'sizeCoin')).toMatchObject({ kind: 'number', input: '2', unit: 'coin' });
    expect(check).toMatchObject({ patch: {}, changedCount: 0, ok: true });
  });

  it('patches only the keys that changed', () => {
    let drafts = editDraft({}, 'sizeCoin', '3', params.sizeCoin);
    drafts = editDraft(drafts, 'refreshMs', '250', params.refreshMs);
    drafts = editDraft(drafts, 'quoteFarWings', true, params.quoteFarWings);
    const check = checkParams(params, drafts);
    expect(check.patch).toEqual({ sizeCoin: 3, quoteFarWings: true });
    expect(check.changedCount).toBe(2);
    expect(check.fields.find((field) => field.key === 'refreshMs')).toMatchObject({ changed: false, input: '250' });
  });

  it('blocks the whole patch on any invalid field', () => {
    const drafts = editDraft(editDraft({}, 'sizeCoin', '3', 2), 'widthMultiplier', '-1', 1);
    const check = checkParams(params, drafts);
    expect(check.ok).toBe(false);
    expect(check.errorCount).toBe(1);
    expect(check.fields.find((field) => field.key === 'widthMultiplier')?.error).toBeDefined();
  });

  it('drops an edit when the engine value moved under it', () => {
    const drafts = editDraft({}, 'sizeCoin', '3', 2);
    const check = checkParams({ ...params, sizeCoin: 4 }, drafts);
    expect(check.patch).toEqual({});
    expect(check.fields.find((field) => field.key === 'sizeCoin')).toMatchObject({ input: '4', changed: false });
  });

  it('shows no field for a value the protocol cannot carry', () => {
    const odd = { ...params, levelSizeFactors: [1, 2, 3] } as unknown as Record<string, number>;
    const check = checkParams(odd, editDraft({}, 'levelSizeFactors', '1', 0));
    expect(check.fields.some((field) => field.key === 'levelSizeFactors')).toBe(false);
    expect(check.patch).toEqual({});
  });

  it('ignores keys the engine does not publish', () => {
    expect(checkParams(params, editDraft({}, 'unknownKey', '1', 0)).patch).toEqual({});
  });
});
