import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HistoryRow } from '../../../core/protocol/index.ts';
import { diffHistory, HISTORY_SERIES_KEYS, historyCurrencies, historyPoints, historyValues, sortedHistory, timeOf } from './history-series.ts';

const T0 = 1_790_000_000_000;

function sample(tsMs: number, btcIndex = 100_000 + (tsMs - T0) / 1000, extra: Partial<HistoryRow> = {}): HistoryRow {
  return {
    tsMs,
    indexUsd: { BTC: btcIndex },
    perpetualUsd: { BTC: btcIndex + 20 },
    pnlUsd: { BTC: { realized: 10, unrealized: -4, total: 6 } },
    deltaCoin: { BTC: 0.5 },
    vegaUsdPerVolPt: { BTC: -1_200 },
    ...extra,
  };
}

function keyed(rows: readonly HistoryRow[]): Record<string, HistoryRow> {
  return Object.fromEntries(rows.map((row) => [String(row.tsMs), row]));
}

describe('history samples in order', () => {
  it('sorts by tsMs whatever the key order', () => {
    const history = keyed([sample(T0 + 2000), sample(T0), sample(T0 + 1000)]);
    expect(sortedHistory(history).map((row) => row.tsMs)).toEqual([T0, T0 + 1000, T0 + 2000]);
    expect(sortedHistory(undefined)).toEqual([]);
  });

  it('keeps one sample per second, the latest', () => {
    const history = keyed([sample(T0 + 1500, 2), sample(T0 + 1000, 1), sample(T0 + 2000, 3), sample(Number.NaN)]);
    expect(sortedHistory(history).map((row) => [row.tsMs, row.indexUsd.BTC])).toEqual([
      [T0 + 1500, 2],
      [T0 + 2000, 3],
    ]);
  });

  it('gives points with strictly ascending whole-second times, for any sample set', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 120_000 }), { maxLength: 60 }), (offsets) => {
        const history = keyed(offsets.map((offset) => sample(T0 + offset, offset)));
        const points = historyPoints(sortedHistory(history), 'BTC');
        const seconds = new Set(offsets.map((offset) => timeOf(T0 + offset)));
        for (const key of HISTORY_SERIES_KEYS) {
          const series = points[key];
          expect(series).toHaveLength(seconds.size);
          for (let i = 1; i < series.length; i++) expect(series[i]!.time).toBeGreaterThan(series[i - 1]!.time);
        }
        // Each second shows the latest sample in it.
        for (const point of points.index) {
          const latest = Math.max(...offsets.filter((offset) => timeOf(T0 + offset) === point.time));
          expect(point.value).toBe(latest);
        }
      }),
    );
  });
});

describe('history values of one underlying', () => {
  it('maps every series and skips what a sample lacks', () => {
    const row = sample(T0, 100_000, { perpetualUsd: {}, vegaUsdPerVolPt: { BTC: Number.NaN, ETH: 5 } });
    expect(historyValues(row, 'BTC')).toEqual({ index: 100_000, perpetual: undefined, pnlRealized: 10, pnlUnrealized: -4, pnlTotal: 6, delta: 0.5, vega: undefined });
    expect(historyValues(row, 'SOL')).toEqual({ index: undefined, perpetual: undefined, pnlRealized: undefined, pnlUnrealized: undefined, pnlTotal: undefined, delta: undefined, vega: undefined });
    const points = historyPoints([row, sample(T0 + 1000)], 'BTC');
    expect(points.perpetual).toEqual([{ time: timeOf(T0 + 1000), value: 100_021 }]);
    expect(points.vega.map((point) => point.time)).toEqual([timeOf(T0 + 1000)]);
    expect(points.pnlTotal).toEqual([
      { time: timeOf(T0), value: 6 },
      { time: timeOf(T0 + 1000), value: 6 },
    ]);
  });

  it('lists the underlyings of every sample', () => {
    const rows = [sample(T0), sample(T0 + 1000, 1, { deltaCoin: { ETH: 2 } })];
    expect(historyCurrencies(rows)).toEqual(['BTC', 'ETH']);
    const seen = new Set(['SOL']);
    expect(historyCurrencies([sample(T0)], seen)).toEqual(['BTC', 'SOL']);
  });
});

describe('history changes', () => {
  const rows = [sample(T0), sample(T0 + 1000), sample(T0 + 2000)];
  const drawn = keyed(rows);
  const through = T0 + 2000;

  it('draws from scratch the first time', () => {
    expect(diffHistory(undefined, drawn, undefined)).toEqual({ kind: 'reset' });
    expect(diffHistory(drawn, drawn, through)).toEqual({ kind: 'none' });
    expect(diffHistory(drawn, { ...drawn }, through)).toEqual({ kind: 'none' });
  });

  it('appends new samples in time order', () => {
    const next = { ...drawn, [String(T0 + 4000)]: sample(T0 + 4000), [String(T0 + 3000)]: sample(T0 + 3000) };
    const change = diffHistory(drawn, next, through);
    expect(change.kind).toBe('append');
    if (change.kind === 'append') expect(change.rows.map((row) => row.tsMs)).toEqual([T0 + 3000, T0 + 4000]);
  });

  it('appends while the oldest samples are pruned from the front', () => {
    const { [String(T0)]: _pruned, ...rest } = drawn;
    const change = diffHistory(drawn, { ...rest, [String(T0 + 3000)]: sample(T0 + 3000) }, through);
    expect(change.kind).toBe('append');
    expect(diffHistory(drawn, rest, through)).toEqual({ kind: 'none' });
  });

  it('redraws when the history was replaced, an old sample changed, or a sample vanished from the middle', () => {
    // A fresh snapshot: same times, new objects.
    expect(diffHistory(drawn, keyed(rows.map((row) => ({ ...row }))), through)).toEqual({ kind: 'reset' });
    expect(diffHistory(drawn, { ...drawn, [String(T0 + 1000)]: sample(T0 + 1000, 1) }, through)).toEqual({ kind: 'reset' });
    // A late sample older than what is drawn cannot be appended.
    expect(diffHistory(drawn, { ...drawn, [String(T0 + 1500)]: sample(T0 + 1500) }, through)).toEqual({ kind: 'reset' });
    const { [String(T0 + 1000)]: _middle, ...holed } = drawn;
    expect(diffHistory(drawn, holed, through)).toEqual({ kind: 'reset' });
    const { [String(T0 + 2000)]: _last, ...shortened } = drawn;
    expect(diffHistory(drawn, shortened, through)).toEqual({ kind: 'reset' });
    // Everything drawn is gone: a new history.
    expect(diffHistory(drawn, keyed([sample(T0 + 9000)]), through)).toEqual({ kind: 'reset' });
    expect(diffHistory(drawn, {}, through)).toEqual({ kind: 'reset' });
  });

  it('rebuilds exactly the drawn series by appends, whatever the arrival order of new samples', () => {
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(fc.integer({ min: 1, max: 300 }), { maxLength: 8 }), { maxLength: 8 }), (batches) => {
        // Batches of new seconds, each later than all before it (as the engine publishes them).
        let current = keyed([sample(T0)]);
        let drawnHistory = current;
        let throughTsMs = T0;
        const points: { time: number; value: number }[] = historyPoints(sortedHistory(current), 'BTC').index.slice();
        let base = T0;
        for (const batch of batches) {
          const added = batch.map((offset) => sample(base + offset * 1000));
          if (added.length === 0) continue;
          base += Math.max(...batch) * 1000;
          current = { ...current, ...keyed(added) };
          const change = diffHistory(drawnHistory, current, throughTsMs);
          expect(change.kind).toBe('append');
          if (change.kind !== 'append') return;
          for (const row of change.rows) points.push({ time: timeOf(row.tsMs), value: historyValues(row, 'BTC').index! });
          drawnHistory = current;
          throughTsMs = change.rows.at(-1)!.tsMs;
        }
        expect(points).toEqual(historyPoints(sortedHistory(current), 'BTC').index);
      }),
    );
  });
});
