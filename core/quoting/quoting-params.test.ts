import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTING_PARAMS, parseQuotingParams, parseQuotingParamsPatch, QuotingParamsPatchSchema } from './quoting-params.ts';

describe('quoting parameters', () => {
  it('accepts the documented defaults', () => {
    expect(parseQuotingParams(DEFAULT_QUOTING_PARAMS)).toEqual({ ok: true, params: DEFAULT_QUOTING_PARAMS });
  });

  it('applies a valid patch without touching the current parameters', () => {
    const before = structuredClone(DEFAULT_QUOTING_PARAMS);
    const result = parseQuotingParamsPatch(DEFAULT_QUOTING_PARAMS, { baseHalfWidthVolPts: 2.5, levels: 3, postOnly: false });
    expect(result).toEqual({ ok: true, params: { ...DEFAULT_QUOTING_PARAMS, baseHalfWidthVolPts: 2.5, levels: 3, postOnly: false } });
    expect(DEFAULT_QUOTING_PARAMS).toEqual(before);
  });

  it('names every offending field of a bad patch', () => {
    const result = parseQuotingParamsPatch(DEFAULT_QUOTING_PARAMS, { levels: 4, sizeCoin: -1, spread: 2 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain('levels:');
    expect(result.error).toContain('sizeCoin:');
    expect(result.error).toContain('spread');
    expect(parseQuotingParamsPatch(DEFAULT_QUOTING_PARAMS, 'wider please')).toMatchObject({ ok: false });
    expect(parseQuotingParamsPatch(DEFAULT_QUOTING_PARAMS, { levelSizeFactors: [1, 2] })).toMatchObject({ ok: false, error: expect.stringContaining('levelSizeFactors') });
    expect(parseQuotingParamsPatch(DEFAULT_QUOTING_PARAMS, { baseHalfWidthVolPts: Infinity })).toMatchObject({ ok: false });
  });

  it('checks the merged result against the cross-field rules', () => {
    expect(parseQuotingParamsPatch(DEFAULT_QUOTING_PARAMS, { minAbsDelta: 0.98 })).toEqual({ ok: false, error: 'minAbsDelta: must be below maxAbsDelta (0.97)' });
    expect(parseQuotingParamsPatch(DEFAULT_QUOTING_PARAMS, { minAbsDelta: 0.98, maxAbsDelta: 0.99 })).toMatchObject({ ok: true });
  });

  it('either accepts a patch into valid parameters or refuses it, for any patch', () => {
    const patch = fc.record(
      {
        baseHalfWidthVolPts: fc.double({ min: -1, max: 60 }),
        minEdgeTicks: fc.double({ min: -1, max: 5 }),
        levels: fc.integer({ min: 0, max: 4 }),
        minAbsDelta: fc.double({ min: 0, max: 1 }),
        maxAbsDelta: fc.double({ min: 0, max: 1 }),
        postOnly: fc.oneof(fc.boolean(), fc.constant('yes')),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(patch, (p) => {
        const result = parseQuotingParamsPatch(DEFAULT_QUOTING_PARAMS, p);
        if (result.ok) {
          expect(parseQuotingParams(result.params).ok).toBe(true);
          expect(result.params).toEqual({ ...DEFAULT_QUOTING_PARAMS, ...p });
        } else {
          expect(result.error.length).toBeGreaterThan(0);
          const patchOk = QuotingParamsPatchSchema.safeParse(p).success;
          const merged = { ...DEFAULT_QUOTING_PARAMS, ...p };
          expect(patchOk && merged.minAbsDelta < merged.maxAbsDelta).toBe(false);
        }
      }),
      { seed: 42, numRuns: 2000 },
    );
  });
});
