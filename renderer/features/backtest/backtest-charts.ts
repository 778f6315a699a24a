import type { DeepPartial, IChartApi, ISeriesApi, LineSeriesOptions, MouseEventParams, Time, UTCTimestamp } from 'lightweight-charts';
import { createChart, createTextWatermark, CrosshairMode, LineSeries, LineStyle } from 'lightweight-charts';
import { formatQuantity } from '../risk/risk-format.ts';
import type { BacktestSeries, BacktestSeriesKey } from './backtest-view.ts';
import { formatUtc, formatUtcTime, PANE_TITLES, SERIES } from './backtest-view.ts';
import { timeChartTheme } from '../../ui/chart-theme.ts';

/**
 * A backtest's time series, drawn with lightweight-charts: one chart, four panes on one time axis
 * (PnL with each attribution term as its own line, net delta, net vega, gross options inventory),
 * times in UTC like the rest of the report. The series are created once and set whole when a
 * report is opened; the legend's toggles hide and show lines.
 */

const PANE_STRETCH = [2.2, 0.9, 0.9, 0.8];

export interface BacktestReadout {
  /** The sample's time (ms): the one under the crosshair, or the run's last; undefined when nothing is drawn. */
  readonly tsMs: number | undefined;
  readonly values: Readonly<Partial<Record<BacktestSeriesKey, number>>>;
  /** True for the run's last sample (no crosshair). */
  readonly end: boolean;
}

export interface BacktestCharts {
  setSeries(series: BacktestSeries): void;
  setVisible(key: BacktestSeriesKey, visible: boolean): void;
  readonly chart: IChartApi;
  dispose(): void;
}

function seriesOptions(key: BacktestSeriesKey, color: string, label: string, pane: number): DeepPartial<LineSeriesOptions> {
  return {
    color,
    lineWidth: key === 'total' ? 2 : 1,
    title: pane === 0 && key !== 'total' ? '' : label,
    priceFormat: { type: 'custom', formatter: (value: number) => formatQuantity(value), minMove: pane === 0 ? 0.01 : 0.0001 },
    priceLineVisible: false,
    lastValueVisible: key === 'total' || pane > 0,
    crosshairMarkerRadius: 3,
  };
}

export function createBacktestCharts(host: HTMLElement, onReadout: (readout: BacktestReadout) => void): BacktestCharts {
  const chart = createChart(host, {
    ...timeChartTheme(host),
    rightPriceScale: { borderColor: '#263040', scaleMargins: { top: 0.15, bottom: 0.08 } },
    timeScale: {
      borderColor: '#263040',
      timeVisible: true,
      secondsVisible: true,
      rightOffset: 2,
      tickMarkFormatter: (time: Time) => (typeof time === 'number' ? formatUtcTime(time * 1000) : null),
    },
    crosshair: { mode: CrosshairMode.Magnet, vertLine: { color: '#3b4656', labelBackgroundColor: '#263040' }, horzLine: { color: '#3b4656', labelBackgroundColor: '#263040' } },
    localization: { locale: 'en-US', timeFormatter: (time: Time) => (typeof time === 'number' ? `${formatUtc(time * 1000)} UTC` : String(time)) },
  });

  const series = new Map<BacktestSeriesKey, ISeriesApi<'Line'>>();
  for (const spec of SERIES) series.set(spec.key, chart.addSeries(LineSeries, seriesOptions(spec.key, spec.color, spec.label, spec.pane), spec.pane));
  series.get('total')?.createPriceLine({ price: 0, color: '#3b4656', lineWidth: 1, lineStyle: LineStyle.Dashed, axisLabelVisible: false, title: '' });
  const watermarks = chart.panes().map((pane, index) => {
    pane.setStretchFactor(PANE_STRETCH[index] ?? 1);
    return createTextWatermark(pane, { horzAlign: 'left', vertAlign: 'top', lines: [{ text: PANE_TITLES[index] ?? '', color: 'rgba(125, 138, 153, 0.7)', fontSize: 11 }] });
  });

  let latest: BacktestReadout = { tsMs: undefined, values: {}, end: true };

  const onCrosshairMove = (param: MouseEventParams): void => {
    if (typeof param.time !== 'number') {
      onReadout(latest);
      return;
    }
    const values: Partial<Record<BacktestSeriesKey, number>> = {};
    for (const [key, line] of series) {
      const data = param.seriesData.get(line);
      if (data && 'value' in data) values[key] = data.value;
    }
    onReadout({ tsMs: param.time * 1000, values, end: false });
  };
  chart.subscribeCrosshairMove(onCrosshairMove);

  return {
    setSeries: (data) => {
      const values: Partial<Record<BacktestSeriesKey, number>> = {};
      let lastTime: number | undefined;
      for (const [key, line] of series) {
        const points = data[key];
        line.setData(points.map((point) => ({ time: point.time as UTCTimestamp, value: point.value })));
        const last = points.at(-1);
        if (last) {
          values[key] = last.value;
          lastTime = last.time;
        }
      }
      latest = { tsMs: lastTime === undefined ? undefined : lastTime * 1000, values, end: true };
      chart.timeScale().fitContent();
      onReadout(latest);
    },
    setVisible: (key, visible) => series.get(key)?.applyOptions({ visible }),
    chart,
    dispose: () => {
      chart.unsubscribeCrosshairMove(onCrosshairMove);
      for (const watermark of watermarks) watermark.detach();
      chart.remove();
    },
  };
}
