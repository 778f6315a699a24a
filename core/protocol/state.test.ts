import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineState, QuoteRow, TopicChanges } from './state.ts';
import { applyChanges, EMPTY_STATE_TOPICS } from './state.ts';

const state: EngineState = {
  engine: { runState: 'running', startedTsMs: 0, lastHeartbeatTsMs: 0, heartbeatSeq: 0, msgsPerSec: 0, restarts: 0, version: 't' },
  venues: [],
  ...EMPTY_STATE_TOPICS,
};

/**
 * The host's mirror and the renderer's store fold every delta with applyChanges, which shares what
 * it can; whatever it shares, reading the state must give what plain replacement would.
 */
describe('folding keyed deltas into the state', () => {
  // Few keys and few distinct rows, so that changes often hit the same key, re-send an equal row
  // (a structured clone of one held), remove what is there and what is not; '__proto__' too.
  const key = fc.constantFrom('BTC-A', 'BTC-B', 'BTC-C', 'ETH-A', '7', '__proto__', 'constructor');
  // Rows that differ by as little as possible: a key more or another, -0 for 0, NaN, a nested number.
  const rows = [
    { bidPrice: 1, levels: [[1, 3]], stale: false },
    { bidPrice: 1, levels: [[1, 3]], stale: false, staleReason: undefined },
    { bidPrice: 1, levels: [[1, 3]], stale: false, staleReason: 'gap' },
    { bidPrice: 1, levels: [[1, 3]], stale: false, lastPrice: undefined },
    { bidPrice: 1, levels: [[1, 4]], stale: false },
    { bidPrice: 1, levels: [[1, 3], [2, 3]], stale: false },
    { bidPrice: 0, levels: [], stale: true },
    { bidPrice: -0, levels: [], stale: true },
    { bidPrice: Number.NaN, levels: [], stale: true },
  ];
  const row = fc.constantFrom(...rows).map((fields) => structuredClone(fields) as unknown as QuoteRow);
  const change = fc.record({ upsert: fc.option(fc.dictionary(key, row, { maxKeys: 4, noNullPrototype: true }), { nil: undefined }), remove: fc.option(fc.array(key, { maxLength: 3 }), { nil: undefined }) });

  const withQuotes = (quotes: Record<string, QuoteRow>): EngineState => ({ ...state, quotes });
  const ownEntries = (record: Readonly<Record<string, unknown>>) => Object.keys(record).map((name) => [name, record[name]] as const);

  it('reads like a plain object with the upserts written over it and the removed keys deleted', () => {
    fc.assert(
      fc.property(fc.dictionary(key, row, { maxKeys: 5, noNullPrototype: true }), fc.array(change, { maxLength: 8 }), (initial, changes) => {
        let folded = withQuotes(initial);
        const model = new Map(ownEntries(initial));
        for (const { upsert, remove } of changes) {
          const before = folded.quotes;
          const frozen = structuredClone(ownEntries(before));
          const keyed: TopicChanges = { quotes: { ...(upsert && { upsert }), ...(remove && { remove }) } };
          folded = applyChanges(folded, keyed);
          for (const [name, value] of ownEntries(upsert ?? {})) model.set(name, value);
          for (const name of remove ?? []) model.delete(name);

          expect(ownEntries(folded.quotes).sort()).toStrictEqual([...model.entries()].sort());
          for (const name of ['BTC-A', 'BTC-B', 'BTC-C', 'ETH-A', '7', '__proto__', 'constructor', 'BTC-Z']) {
            expect(Object.hasOwn(folded.quotes, name)).toBe(model.has(name));
          }
          expect(Object.getPrototypeOf(folded.quotes)).toBe(Object.prototype);
          // What a consumer already holds never changes under it.
          expect(ownEntries(before)).toStrictEqual(frozen);
          // Rows the change leaves, or re-sends equal, keep their reference.
          for (const [name, value] of ownEntries(before)) {
            if (Object.hasOwn(folded.quotes, name) && ownEntries(upsert ?? {}).every(([upserted, next]) => upserted !== name || next !== folded.quotes[name])) {
              expect(folded.quotes[name]).toBe(value);
            }
          }
        }
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('keeps the record, and the state, when a delta changes nothing', () => {
    const quote: QuoteRow = { instrumentName: 'BTC-A', bidPrice: 1, tsMs: 5, stale: false };
    const before = withQuotes({ 'BTC-A': quote });
    const resent = applyChanges(before, { quotes: { upsert: { 'BTC-A': structuredClone(quote) }, remove: ['BTC-Z'] } });
    expect(resent).toBe(before);
    expect(resent.quotes['BTC-A']).toBe(quote);

    const moved = applyChanges(before, { quotes: { upsert: { 'BTC-A': { ...quote, bidPrice: 2 }, 'BTC-B': quote } } });
    expect(moved.quotes).not.toBe(before.quotes);
    expect(Object.keys(moved.quotes)).toEqual(['BTC-A', 'BTC-B']);
    expect(moved.instruments).toBe(before.instruments);
    expect(before.quotes).toEqual({ 'BTC-A': quote });
  });
});
