import type { AutoscaleInfoProvider, ChartOptionsImpl, DeepPartial, IChartApiBase, ISeriesApi, ISeriesMarkersPluginApi, LineData, LineSeriesOptions, SeriesMarker, WhitespaceData } from 'lightweight-charts';
import { ColorType, createChartEx, createSeriesMarkers, CrosshairMode, LineSeries } from 'lightweight-charts';
import type { QuoteRow, SmileRow, TheoRow } from '../../../core/protocol/index.ts';
import { useEngineStore } from '../../stores/engine-store.ts';
import { useSelectionStore } from '../../stores/selection-store.ts';
import { formatPrice } from '../../ui/format.ts';
import type { ExpiryChain } from '../market/chain-index.ts';
import { buildChainIndex, expiryLabel, expiryShort, findExpiry } from '../market/chain-index.ts';
import { feedStaleReason } from '../market/feed-health.ts';
import { engineNowMs } from '../market/use-chain-selection.ts';
import { NumericHorzScale } from './numeric-horz-scale.ts';
import type { Smile, SmilePoint, TermPoint } from './smile-data.ts';
import { expiryWeight, formatStrikeTick, linearStrikeGrid, smileKey, smileOf, strikeLabelStep, strikeWeight, sviCurve, sviFitLabel, termStructure, withMinSpan } from './smile-data.ts';

/**
 * The smile (IV against strike for one expiry) and the ATM term structure, drawn with
 * lightweight-charts and fed from the stores outside React: a timer looks at the stores a few
 * times a second (not per delta), and redraws only if a quote of the expiry changed, moving the
 * points whose value changed. Charts and series are created once; the expiry's strikes are set
 * as a whole only when the expiry changes.
 */

export const SMILE_COLORS = {
  bid: '#3fb950',
  ask: '#f85149',
  mark: '#58a6ff',
  fit: '#e3b341',
  ourBid: '#39d0d8',
  ourAsk: '#f778ba',
  stale: '#4b5563',
  atm: '#d29922',
  selected: '#bc8cff',
  term: '#a5d6ff',
} as const;
export const SMILE_REFRESH_MS = 250;
export const TERM_REFRESH_MS = 1000;

type Point = LineData<number> | WhitespaceData<number>;

/** Most points a series moves in place per redraw; more and it is set whole. */
const IN_PLACE_MAX = 16;

interface Drawn {
  readonly value: number | undefined;
  readonly color: string | undefined;
}

/**
 * One series' points by x. Moves the few points that changed in place; sets the whole series
 * when many changed, when the x set changes, or when a point appears or vanishes
 * (lightweight-charts' in-place update can replace or remove an existing point but cannot
 * insert one where the series had none).
 */
class PointSeries {
  readonly series: ISeriesApi<'Line', number>;
  #drawn = new Map<number, Drawn>();
  setDataCount = 0;
  updateCount = 0;

  constructor(series: ISeriesApi<'Line', number>) {
    this.series = series;
  }

  sync(points: readonly { readonly x: number; readonly value: number | undefined; readonly color?: string | undefined }[], force = false): void {
    let whole = force || points.length !== this.#drawn.size;
    const changed: (typeof points)[number][] = [];
    if (!whole) {
      for (const point of points) {
        const drawn = this.#drawn.get(point.x);
        if (!drawn || (drawn.value === undefined) !== (point.value === undefined)) {
          whole = true;
          break;
        }
        if (drawn.value !== point.value || drawn.color !== point.color) changed.push(point);
      }
    }
    // Each in-place update re-runs the library's per-series bookkeeping over the whole series, so
    // both it and one setData cost in proportion to the series' length; profiled at 1,000 strikes,
    // an update costs ~45 µs and a setData ~0.8 ms, so past IN_PLACE_MAX moved points one setData is
    // cheaper. A quarter of the points stays the rule for short series (measured: ~40 % less
    // script time on a fully ticking smile); alone, it meant 56 ms redraws at 1,000 strikes.
    if (changed.length > Math.min(IN_PLACE_MAX, points.length / 4)) whole = true;
    if (whole) {
      this.#drawn = new Map(points.map((point) => [point.x, { value: point.value, color: point.color }]));
      this.series.setData(points.map((point) => toPoint(point.x, point.value, point.color)));
      this.setDataCount++;
      return;
    }
    for (const point of changed) {
      this.#drawn.set(point.x, { value: point.value, color: point.color });
      this.series.update(toPoint(point.x, point.value, point.color), true);
      this.updateCount++;
    }
  }
}

function toPoint(x: number, value: number | undefined, color: string | undefined): Point {
  if (value === undefined) return { time: x };
  return color === undefined ? { time: x, value } : { time: x, value, color };
}

/** Smallest vol range the charts show, in vol points: a flat smile should look flat. */
const SMILE_MIN_SPAN_PCT = 6;
const TERM_MIN_SPAN_PCT = 4;

function minSpan(span: number): AutoscaleInfoProvider {
  return (base) => {
    const info = base();
    return info ? { ...info, priceRange: withMinSpan(info.priceRange, span) } : null;
  };
}

const pctFormat = { type: 'custom' as const, formatter: (value: number) => `${value.toFixed(1)}%`, minMove: 0.1 };

function chartOptions(host: HTMLElement, uniformDistribution: boolean, labelChars: number): DeepPartial<ChartOptionsImpl<number>> {
  return {
    autoSize: true,
    // The attribution the library's licence asks for is a visible link in the panel instead.
    layout: { background: { type: ColorType.Solid, color: '#12161c' }, textColor: '#7d8a99', fontSize: 11, fontFamily: getComputedStyle(host).fontFamily, attributionLogo: false },
    grid: { vertLines: { color: '#1a212b' }, horzLines: { color: '#1a212b' } },
    rightPriceScale: { borderColor: '#263040', scaleMargins: { top: 0.12, bottom: 0.1 } },
    timeScale: { borderColor: '#263040', ignoreWhitespaceIndices: true, fixLeftEdge: true, fixRightEdge: true, lockVisibleTimeRangeOnResize: true, minBarSpacing: 0.1, uniformDistribution, tickMarkMaxCharacterLength: labelChars },
    crosshair: { mode: CrosshairMode.Normal, vertLine: { color: '#3b4656', labelBackgroundColor: '#263040' }, horzLine: { color: '#3b4656', labelBackgroundColor: '#263040' } },
    localization: { priceFormatter: (value: number) => `${value.toFixed(1)}%`, locale: 'en-US' },
  };
}

function lineOptions(overrides: DeepPartial<LineSeriesOptions>): DeepPartial<LineSeriesOptions> {
  return { priceFormat: pctFormat, lastValueVisible: false, priceLineVisible: false, ...overrides };
}

export interface SmileHeader {
  /** The expiry shown, or undefined while there is none. */
  readonly title: string | undefined;
  /** Live figures: forward, ATM strike and its mark IV. */
  readonly figures: string;
  /** The fitted smile's quality (RMSE, quotes used), or that there is no fit. */
  readonly fit: string;
  readonly staleReason: string;
}

export interface SmileCharts {
  /** The point under the crosshair, for the readout. */
  smileAt(strike: number): SmilePoint | undefined;
  termAt(ordinal: number): TermPoint | undefined;
  /** Counters for tests and measurements. */
  stats(): { setData: number; updates: number; flushes: number; drawMs: number };
  readonly smileChart: IChartApiBase<number>;
  readonly termChart: IChartApiBase<number>;
  dispose(): void;
}

export function createSmileCharts(smileHost: HTMLElement, termHost: HTMLElement, onHeader: (header: SmileHeader) => void): SmileCharts {
  let termExpiries: readonly number[] = [];
  // Set for each expiry before its strikes reach the chart, which weighs its axis labels with it.
  let labelStep = 1;
  let nowMs = engineNowMs();

  // Strike labels of one roundness are all shown or none: no odd strike squeezed between round ones.
  const smileChart = createChartEx<number, NumericHorzScale>(
    smileHost,
    new NumericHorzScale((strike) => formatPrice(strike), (strike) => strikeWeight(strike, labelStep), formatStrikeTick),
    chartOptions(smileHost, true, 4),
  );
  const grid = new PointSeries(smileChart.addSeries(LineSeries, lineOptions({ visible: false })));
  const mark = new PointSeries(
    smileChart.addSeries(LineSeries, lineOptions({ color: SMILE_COLORS.mark, lineWidth: 2, autoscaleInfoProvider: minSpan(SMILE_MIN_SPAN_PCT) })),
  );
  const bid = new PointSeries(
    smileChart.addSeries(LineSeries, lineOptions({ color: SMILE_COLORS.bid, lineVisible: false, pointMarkersVisible: true, pointMarkersRadius: 3, crosshairMarkerVisible: false })),
  );
  const ask = new PointSeries(
    smileChart.addSeries(LineSeries, lineOptions({ color: SMILE_COLORS.ask, lineVisible: false, pointMarkersVisible: true, pointMarkersRadius: 3, crosshairMarkerVisible: false })),
  );
  // The engine's SVI fit, sampled at every x of the grid (strikes and the linear fill between them).
  const fit = new PointSeries(smileChart.addSeries(LineSeries, lineOptions({ color: SMILE_COLORS.fit, lineWidth: 2, crosshairMarkerVisible: false })));
  const ourBid = new PointSeries(
    smileChart.addSeries(LineSeries, lineOptions({ color: SMILE_COLORS.ourBid, lineVisible: false, pointMarkersVisible: true, pointMarkersRadius: 2, crosshairMarkerVisible: false })),
  );
  const ourAsk = new PointSeries(
    smileChart.addSeries(LineSeries, lineOptions({ color: SMILE_COLORS.ourAsk, lineVisible: false, pointMarkersVisible: true, pointMarkersRadius: 2, crosshairMarkerVisible: false })),
  );
  const smileMarkers: ISeriesMarkersPluginApi<number> = createSeriesMarkers(mark.series, []);

  const termFormat = (ordinal: number): string => {
    const expiryMs = termExpiries[Math.round(ordinal)];
    return expiryMs === undefined ? '' : expiryLabel(expiryMs, nowMs);
  };
  const termTick = (ordinal: number): string => {
    const expiryMs = termExpiries[Math.round(ordinal)];
    return expiryMs === undefined ? '' : expiryShort(expiryMs);
  };
  const termWeight = (ordinal: number): number => {
    const expiryMs = termExpiries[Math.round(ordinal)];
    return expiryMs === undefined ? 0 : expiryWeight(expiryMs);
  };
  const termChart = createChartEx<number, NumericHorzScale>(termHost, new NumericHorzScale(termFormat, termWeight, termTick), chartOptions(termHost, false, 7));
  const term = new PointSeries(
    termChart.addSeries(
      LineSeries,
      lineOptions({ color: SMILE_COLORS.term, lineWidth: 2, pointMarkersVisible: true, pointMarkersRadius: 3, autoscaleInfoProvider: minSpan(TERM_MIN_SPAN_PCT) }),
    ),
  );
  const termMarkers = createSeriesMarkers(term.series, []);

  let chain: ExpiryChain | undefined;
  let smile: Smile | undefined;
  let smileByStrike = new Map<number, SmilePoint>();
  let terms: TermPoint[] = [];
  let lastQuotes: Readonly<Record<string, QuoteRow>> | undefined;
  let lastTheos: Readonly<Record<string, TheoRow>> | undefined;
  let lastFit: SmileRow | undefined;
  let gridXs: number[] = [];
  let lastStale: string | undefined;
  let lastMarkerKey = '';
  let lastTermMarkerKey = '';
  let lastHeader: SmileHeader | undefined;
  let flushes = 0;

  const publish = (header: SmileHeader): void => {
    if (lastHeader && lastHeader.title === header.title && lastHeader.figures === header.figures && lastHeader.fit === header.fit && lastHeader.staleReason === header.staleReason) return;
    lastHeader = header;
    onHeader(header);
  };

  const drawSmile = (): void => {
    const view = useEngineStore.getState();
    const selection = useSelectionStore.getState();
    const next = findExpiry(buildChainIndex(view.state?.instruments), selection.underlying, selection.expiryMs);
    const quotes = view.state?.quotes ?? {};
    const theos = view.state?.theos ?? {};
    const fitRow = next ? view.state?.smiles[smileKey(next.currency, next.expiryMs)] : undefined;
    const staleReason = feedStaleReason(view.link, view.state, next?.venueId);
    const newChain = next !== chain;
    if (!newChain && quotes === lastQuotes && theos === lastTheos && fitRow === lastFit && staleReason === lastStale) {
      updateMarkers(selection.instrumentName);
      return;
    }
    flushes++;
    chain = next;
    lastQuotes = quotes;
    lastTheos = theos;
    const newFit = fitRow !== lastFit;
    lastFit = fitRow;
    if (!chain) {
      smile = undefined;
      smileByStrike = new Map();
      gridXs = [];
      lastStale = staleReason;
      for (const series of [grid, fit, mark, bid, ask, ourBid, ourAsk]) series.sync([]);
      updateMarkers(selection.instrumentName);
      publish({ title: undefined, figures: '', fit: '', staleReason });
      return;
    }
    smile = smileOf(chain, quotes, theos);
    smileByStrike = new Map(smile.points.map((point) => [point.strike, point]));
    const allStale = staleReason !== '';
    const colour = (point: SmilePoint): string | undefined => (allStale || point.stale ? SMILE_COLORS.stale : undefined);
    // Every strike is a point of every series (empty where there is no value), so in-place
    // updates always find their point on the shared horizontal scale.
    const strikes = chain.strikes;
    // Empty points fill strike gaps and pad one gap beyond each end, so edge points are not cut.
    const gridStrikes = linearStrikeGrid(strikes);
    const first = strikes[0];
    const last = strikes.at(-1);
    const pad = strikes.length > 1 && first !== undefined && last !== undefined ? Math.min(strikes[1]! - first, last - strikes.at(-2)!) : 0;
    if (pad > 0 && first !== undefined && last !== undefined) gridStrikes.push(...(first - pad > 0 ? [first - pad] : []), last + pad);
    if (newChain) labelStep = strikeLabelStep(strikes);
    if (newChain) {
      gridXs = [...strikes, ...gridStrikes].sort((a, b) => a - b);
      grid.sync(
        gridXs.map((x) => ({ x, value: undefined })),
        true,
      );
    }
    // The curve moves only when the engine publishes a new fit (T's drift in between is negligible).
    if (newChain || newFit || staleReason !== lastStale) {
      const curve = fitRow ? sviCurve(fitRow, gridXs, engineNowMs()) : [];
      const curveColour = staleReason !== '' ? SMILE_COLORS.stale : undefined;
      fit.sync(
        curve.length > 0 ? curve.map((point) => ({ ...point, color: curveColour })) : gridXs.map((x) => ({ x, value: undefined })),
        newChain,
      );
    }
    lastStale = staleReason;
    const seriesPoints = (pick: (point: SmilePoint) => number | undefined) =>
      strikes.map((x) => {
        const point = smileByStrike.get(x);
        return { x, value: point ? pick(point) : undefined, color: point ? colour(point) : undefined };
      });
    mark.sync(seriesPoints((point) => point.markIvPct), newChain);
    bid.sync(seriesPoints((point) => point.bidIvPct), newChain);
    ask.sync(seriesPoints((point) => point.askIvPct), newChain);
    ourBid.sync(seriesPoints((point) => point.ourBidIvPct), newChain);
    ourAsk.sync(seriesPoints((point) => point.ourAskIvPct), newChain);
    if (newChain) smileChart.timeScale().fitContent();
    updateMarkers(selection.instrumentName);
    const atmPoint = smile.atmStrike === undefined ? undefined : smileByStrike.get(smile.atmStrike);
    publish({
      title: `${chain.currency} ${expiryLabel(chain.expiryMs, nowMs)}`,
      figures: `F ${formatPrice(smile.forward, 2)} · ATM ${formatPrice(smile.atmStrike)} · mark IV ${atmPoint?.markIvPct?.toFixed(1) ?? '—'}%`,
      fit: sviFitLabel(fitRow),
      staleReason,
    });
  };

  const updateMarkers = (selectedName: string | undefined): void => {
    let selectedStrike: number | undefined;
    if (chain && selectedName !== undefined) {
      for (const pair of chain.pairs.values()) if (pair.call === selectedName || pair.put === selectedName) selectedStrike = pair.strike;
    }
    const atm = smile?.atmStrike;
    const atmHasMark = atm !== undefined && smileByStrike.get(atm)?.markIvPct !== undefined;
    const selectedHasMark = selectedStrike !== undefined && smileByStrike.get(selectedStrike)?.markIvPct !== undefined;
    const key = `${atmHasMark ? atm : ''}|${selectedHasMark ? selectedStrike : ''}|${selectedName ?? ''}`;
    if (key === lastMarkerKey) return;
    lastMarkerKey = key;
    const markers: SeriesMarker<number>[] = [];
    if (atmHasMark) markers.push({ time: atm, position: 'belowBar', shape: 'arrowUp', color: SMILE_COLORS.atm, text: 'ATM' });
    if (selectedHasMark && selectedStrike !== undefined) {
      const side = selectedName?.endsWith('-P') ? 'put' : 'call';
      markers.push({ time: selectedStrike, position: 'aboveBar', shape: 'arrowDown', color: SMILE_COLORS.selected, text: `selected ${side}` });
    }
    smileMarkers.setMarkers(markers);
  };

  const drawTerm = (): void => {
    nowMs = engineNowMs();
    const view = useEngineStore.getState();
    const selection = useSelectionStore.getState();
    const chains = (selection.underlying === undefined ? undefined : buildChainIndex(view.state?.instruments).expiries.get(selection.underlying)) ?? [];
    terms = termStructure(chains, view.state?.quotes ?? {}, nowMs);
    const expiries = terms.map((point) => point.expiryMs);
    const newExpiries = expiries.length !== termExpiries.length || expiries.some((expiryMs, i) => expiryMs !== termExpiries[i]);
    termExpiries = expiries;
    term.sync(
      terms.map((point, ordinal) => ({ x: ordinal, value: point.atmIvPct })),
      newExpiries,
    );
    if (newExpiries) termChart.timeScale().fitContent();
    const selectedOrdinal = selection.expiryMs === undefined ? -1 : expiries.indexOf(selection.expiryMs);
    const key = `${selectedOrdinal}|${terms[selectedOrdinal]?.atmIvPct === undefined ? '' : 'v'}`;
    if (key !== lastTermMarkerKey) {
      lastTermMarkerKey = key;
      termMarkers.setMarkers(
        selectedOrdinal >= 0 && terms[selectedOrdinal]?.atmIvPct !== undefined ? [{ time: selectedOrdinal, position: 'inBar', shape: 'circle', size: 0.5, color: SMILE_COLORS.selected }] : [],
      );
    }
  };

  let drawMs = 0;
  const timed = (draw: () => void) => () => {
    const started = performance.now();
    draw();
    drawMs += performance.now() - started;
  };
  drawSmile();
  drawTerm();
  const smileTimer = setInterval(timed(drawSmile), SMILE_REFRESH_MS);
  const termTimer = setInterval(timed(drawTerm), TERM_REFRESH_MS);
  // An expiry picked in the chain shows at once rather than at the next timer tick.
  const unsubscribeSelection = useSelectionStore.subscribe((selection, previous) => {
    if (selection.underlying !== previous.underlying || selection.expiryMs !== previous.expiryMs) {
      drawSmile();
      drawTerm();
    } else if (selection.instrumentName !== previous.instrumentName) updateMarkers(selection.instrumentName);
  });

  return {
    smileAt: (strike) => smileByStrike.get(strike),
    termAt: (ordinal) => terms[ordinal],
    stats: () => {
      const all = [grid, fit, mark, bid, ask, ourBid, ourAsk, term];
      return { setData: all.reduce((sum, s) => sum + s.setDataCount, 0), updates: all.reduce((sum, s) => sum + s.updateCount, 0), flushes, drawMs };
    },
    smileChart,
    termChart,
    dispose: () => {
      clearInterval(smileTimer);
      clearInterval(termTimer);
      unsubscribeSelection();
      smileChart.remove();
      termChart.remove();
    },
  };
}

