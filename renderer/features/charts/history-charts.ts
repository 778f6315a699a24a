import type { DeepPartial, IChartApi, ISeriesApi, LineSeriesOptions, MouseEventParams, PriceFormat, Time, UTCTimestamp } from 'lightweight-charts';
import { createChart, CrosshairMode, LineSeries, TickMarkType } from 'lightweight-charts';
import type { HistoryRow } from '../../../core/protocol/index.ts';
import { useEngineStore } from '../../stores/engine-store.ts';
import { formatPrice } from '../../ui/format.ts';
import { formatQuantity } from '../risk/risk-format.ts';
import type { HistorySeriesKey, HistoryValues } from './history-series.ts';
import { diffHistory, HISTORY_SERIES_KEYS, historyCurrencies, historyPoints, historyValues, sortedHistory, timeOf } from './history-series.ts';
import { timeChartTheme } from '../../ui/chart-theme.ts';

/**
 * The history charts: one lightweight-charts chart with four panes on one time axis (underlying
 * index and perpetual, PnL, net delta, net vega) for one underlying. Fed from the store outside
 * React: when the history topic changes (once a second), new samples are added with
 * series.update; the series are set whole only when the underlying changes or the history was
 * replaced.
 */

export const HISTORY_COLORS: Readonly<Record<HistorySeriesKey, string>> = {
  index: '#58a6ff',
  perpetual: '#d29922',
  pnlRealized: '#a5d6ff',
  pnlUnrealized: '#bc8cff',
  pnlTotal: '#3fb950',
  delta: '#ffa657',
  vega: '#79c0ff',
};

export const HISTORY_LABELS: Readonly<Record<HistorySeriesKey, string>> = {
  index: 'index',
  perpetual: 'perpetual',
  pnlRealized: 'realized',
  pnlUnrealized: 'unrealized',
  pnlTotal: 'total',
  delta: 'net delta',
  vega: 'net vega',
};

/** Pane of each series, top to bottom: prices, PnL, delta, vega. */
const PANE: Readonly<Record<HistorySeriesKey, number>> = { index: 0, perpetual: 0, pnlRealized: 1, pnlUnrealized: 1, pnlTotal: 1, delta: 2, vega: 3 };
const PANE_STRETCH = [1.3, 1.2, 0.8, 0.8];
/** Points kept on the chart beyond the history the engine still holds, before the chart is redrawn from it. */
const PRUNE_SLACK = 600;

const EMPTY_HISTORY: Readonly<Record<string, HistoryRow>> = {};

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A chart time (UTC seconds) as local wall-clock time. */
export function localClock(timeSec: number, withSeconds: boolean): string {
  const date = new Date(timeSec * 1000);
  const hm = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return withSeconds ? `${hm}:${pad(date.getSeconds())}` : hm;
}

function priceFormat(formatter: (value: number) => string, minMove: number): PriceFormat {
  return { type: 'custom', formatter, minMove };
}

const adaptive = (value: number): string => formatQuantity(value);

function seriesOptions(key: HistorySeriesKey): DeepPartial<LineSeriesOptions> {
  const format = key === 'index' || key === 'perpetual' ? priceFormat((value) => formatPrice(value, 2), 0.01) : priceFormat(adaptive, key === 'delta' ? 0.0001 : 0.01);
  return {
    color: HISTORY_COLORS[key],
    lineWidth: key === 'pnlTotal' || key === 'index' ? 2 : 1,
    title: HISTORY_LABELS[key],
    priceFormat: format,
    priceLineVisible: false,
    lastValueVisible: true,
    crosshairMarkerRadius: 3,
  };
}

export interface HistoryReadout {
  /** The sample under the crosshair, or the latest. */
  readonly tsMs: number | undefined;
  readonly values: HistoryValues;
  readonly live: boolean;
}

export interface HistoryChartsCallbacks {
  /** Underlyings present in the history (called when the list changes). */
  readonly onCurrencies: (currencies: readonly string[]) => void;
  readonly onReadout: (readout: HistoryReadout) => void;
}

export interface HistoryCharts {
  setCurrency(currency: string | undefined): void;
  /** Counters for tests and measurements. */
  stats(): { setData: number; updates: number; resets: number; points: number };
  readonly chart: IChartApi;
  dispose(): void;
}

const NO_VALUES: HistoryValues = { index: undefined, perpetual: undefined, pnlRealized: undefined, pnlUnrealized: undefined, pnlTotal: undefined, delta: undefined, vega: undefined };

export function createHistoryCharts(host: HTMLElement, callbacks: HistoryChartsCallbacks): HistoryCharts {
  const chart = createChart(host, {
    ...timeChartTheme(host),
    rightPriceScale: { borderColor: '#263040', scaleMargins: { top: 0.12, bottom: 0.08 } },
    timeScale: {
      borderColor: '#263040',
      timeVisible: true,
      secondsVisible: true,
      rightOffset: 2,
      shiftVisibleRangeOnNewBar: true,
      tickMarkFormatter: (time: Time, type: TickMarkType) => (typeof time === 'number' ? localClock(time, type === TickMarkType.TimeWithSeconds) : null),
    },
    crosshair: { mode: CrosshairMode.Magnet, vertLine: { color: '#3b4656', labelBackgroundColor: '#263040' }, horzLine: { color: '#3b4656', labelBackgroundColor: '#263040' } },
    localization: { locale: 'en-US', timeFormatter: (time: Time) => (typeof time === 'number' ? localClock(time, true) : String(time)) },
  });
  const series = {} as Record<HistorySeriesKey, ISeriesApi<'Line'>>;
  for (const key of HISTORY_SERIES_KEYS) series[key] = chart.addSeries(LineSeries, seriesOptions(key), PANE[key]);
  chart.panes().forEach((pane, index) => pane.setStretchFactor(PANE_STRETCH[index] ?? 1));

  let currency: string | undefined;
  let drawn: Readonly<Record<string, HistoryRow>> | undefined;
  let drawnThroughTsMs: number | undefined;
  let drawnCount = 0;
  let latest: HistoryReadout = { tsMs: undefined, values: NO_VALUES, live: true };
  let hovering = false;
  const currencies = new Set<string>();
  let currenciesKey = '';
  const counters = { setData: 0, updates: 0, resets: 0 };

  const publishCurrencies = (list: readonly string[]): void => {
    const key = list.join(',');
    if (key === currenciesKey) return;
    currenciesKey = key;
    callbacks.onCurrencies(list);
  };

  const publishLatest = (row: HistoryRow | undefined): void => {
    latest = { tsMs: row?.tsMs, values: row && currency !== undefined ? historyValues(row, currency) : NO_VALUES, live: true };
    if (!hovering) callbacks.onReadout(latest);
  };

  /** Draws the whole history anew: on a new underlying, a replaced history, or after pruning. */
  const reset = (history: Readonly<Record<string, HistoryRow>>): void => {
    counters.resets++;
    const rows = sortedHistory(history);
    currencies.clear();
    publishCurrencies(historyCurrencies(rows, currencies));
    const points = currency === undefined ? undefined : historyPoints(rows, currency);
    for (const key of HISTORY_SERIES_KEYS) {
      series[key].setData((points?.[key] ?? []).map((point) => ({ time: point.time as UTCTimestamp, value: point.value })));
      counters.setData++;
    }
    drawn = history;
    drawnThroughTsMs = rows.at(-1)?.tsMs;
    drawnCount = rows.length;
    if (rows.length > 0) chart.timeScale().fitContent();
    publishLatest(rows.at(-1));
  };

  /** Adds samples newer than everything drawn, point by point. */
  const append = (history: Readonly<Record<string, HistoryRow>>, rows: readonly HistoryRow[]): void => {
    publishCurrencies(historyCurrencies(rows, currencies));
    if (currency !== undefined) {
      for (const row of rows) {
        const time = timeOf(row.tsMs) as UTCTimestamp;
        const values = historyValues(row, currency);
        for (const key of HISTORY_SERIES_KEYS) {
          const value = values[key];
          if (value === undefined) continue;
          series[key].update({ time, value });
          counters.updates++;
        }
      }
    }
    drawn = history;
    drawnThroughTsMs = rows.at(-1)?.tsMs ?? drawnThroughTsMs;
    drawnCount += rows.length;
    publishLatest(rows.at(-1));
  };

  const sync = (): void => {
    const history = useEngineStore.getState().state?.history ?? EMPTY_HISTORY;
    const change = diffHistory(drawn, history, drawnThroughTsMs);
    if (change.kind === 'none') {
      drawn = history;
      return;
    }
    if (change.kind === 'reset' || drawnCount + change.rows.length > Object.keys(history).length + PRUNE_SLACK) {
      reset(history);
      return;
    }
    try {
      append(history, change.rows);
    } catch {
      // The chart refused a point (out of order): draw it all anew rather than show a wrong line.
      reset(history);
    }
  };

  const onCrosshairMove = (param: MouseEventParams): void => {
    if (param.time === undefined || typeof param.time !== 'number' || currency === undefined) {
      hovering = false;
      callbacks.onReadout(latest);
      return;
    }
    hovering = true;
    const values = {} as Record<HistorySeriesKey, number | undefined>;
    for (const key of HISTORY_SERIES_KEYS) {
      const data = param.seriesData.get(series[key]);
      values[key] = data && 'value' in data ? data.value : undefined;
    }
    callbacks.onReadout({ tsMs: param.time * 1000, values, live: false });
  };
  chart.subscribeCrosshairMove(onCrosshairMove);

  reset(useEngineStore.getState().state?.history ?? EMPTY_HISTORY);
  const unsubscribe = useEngineStore.subscribe((view, previous) => {
    if (view.state?.history !== previous.state?.history) sync();
  });

  return {
    setCurrency: (next) => {
      if (next === currency) return;
      currency = next;
      reset(useEngineStore.getState().state?.history ?? EMPTY_HISTORY);
    },
    stats: () => ({ ...counters, points: drawnCount }),
    chart,
    dispose: () => {
      unsubscribe();
      chart.unsubscribeCrosshairMove(onCrosshairMove);
      chart.remove();
    },
  };
}
