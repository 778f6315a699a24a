import type { MouseEventParams } from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import { ChartCredit } from '../../ui/ChartCredit.tsx';
import { formatPrice, formatVolPctWithUnit } from '../../ui/format.ts';
import { useValidChainSelection } from '../market/use-chain-selection.ts';
import type { SmileHeader } from './smile-charts.ts';
import { createSmileCharts, SMILE_COLORS } from './smile-charts.ts';
import './smile.css';

function pct(value: number | undefined): string {
  return formatVolPctWithUnit(value === undefined ? undefined : value / 100);
}

function num(value: number | undefined): string {
  return value === undefined ? '—' : value.toFixed(1);
}

interface SmileKeyProps {
  readonly color: string;
  readonly mark: 'dot' | 'line';
  readonly label: string;
  readonly title?: string;
}

const SMILE_KEYS: readonly SmileKeyProps[] = [
  { color: SMILE_COLORS.bid, mark: 'dot', label: 'bid IV' },
  { color: SMILE_COLORS.mark, mark: 'line', label: 'mark IV' },
  { color: SMILE_COLORS.ask, mark: 'dot', label: 'ask IV' },
  { color: SMILE_COLORS.fit, mark: 'line', label: 'SVI fit' },
  { color: SMILE_COLORS.ourBid, mark: 'dot', label: 'our bid', title: "Our working quotes (the strategy's bid and ask) as IVs" },
  { color: SMILE_COLORS.ourAsk, mark: 'dot', label: 'our ask' },
];

/** One legend entry: the series' marker (a dot for points, a line for a curve) and its name. */
function SmileKey({ color, mark, label, title }: SmileKeyProps) {
  return (
    <span className="smile-key" {...(title !== undefined && { title })}>
      <i style={{ background: color }} className={mark === 'dot' ? 'smile-dot' : 'smile-line'} />
      {label}
    </span>
  );
}

/**
 * The selected expiry's smile (market bid/ask IV and mark IV against strike, the engine's fitted
 * SVI curve and our own quotes' IVs) over the ATM term
 * structure of the same underlying. Follows the chain's underlying and expiry through the shared
 * selection store. React renders the frame once; the charts and the header text are fed outside it.
 */
export function SmilePanel() {
  useValidChainSelection();
  const smileHost = useRef<HTMLDivElement>(null);
  const termHost = useRef<HTMLDivElement>(null);
  const title = useRef<HTMLSpanElement>(null);
  const figures = useRef<HTMLSpanElement>(null);
  const fitLabel = useRef<HTMLSpanElement>(null);
  const stale = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLSpanElement>(null);
  const termReadout = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    if (!smileHost.current || !termHost.current) return undefined;
    const onHeader = (header: SmileHeader): void => {
      if (title.current) title.current.textContent = header.title ?? 'no expiry selected';
      if (figures.current) figures.current.textContent = header.figures;
      if (fitLabel.current) fitLabel.current.textContent = header.fit;
      if (stale.current) {
        stale.current.textContent = header.staleReason === '' ? '' : `STALE · ${header.staleReason}. Vols shown are the last known.`;
        stale.current.hidden = header.staleReason === '';
      }
      smileHost.current?.classList.toggle('smile-stale', header.staleReason !== '');
      termHost.current?.classList.toggle('smile-stale', header.staleReason !== '');
    };
    const charts = createSmileCharts(smileHost.current, termHost.current, onHeader);
    const onSmileMove = (param: MouseEventParams<number>): void => {
      if (!readout.current) return;
      const point = param.time === undefined ? undefined : charts.smileAt(param.time);
      readout.current.textContent = point
        ? `${formatPrice(point.strike)} ${point.side}  bid ${num(point.bidIvPct)} · mark ${num(point.markIvPct)} · ask ${num(point.askIvPct)} · ours ${num(point.ourBidIvPct)}/${num(point.ourAskIvPct)} %${point.stale ? ' · stale' : ''}`
        : '';
    };
    const onTermMove = (param: MouseEventParams<number>): void => {
      if (!termReadout.current) return;
      const point = param.time === undefined ? undefined : charts.termAt(param.time);
      termReadout.current.textContent = point ? `ATM ${formatPrice(point.atmStrike)} · F ${formatPrice(point.forward, 2)} · mark IV ${pct(point.atmIvPct)}` : '';
    };
    charts.smileChart.subscribeCrosshairMove(onSmileMove);
    charts.termChart.subscribeCrosshairMove(onTermMove);
    (smileHost.current as HTMLElement & { smileStats?: () => unknown }).smileStats = charts.stats;
    return () => {
      charts.smileChart.unsubscribeCrosshairMove(onSmileMove);
      charts.termChart.unsubscribeCrosshairMove(onTermMove);
      charts.dispose();
    };
  }, []);

  return (
    <div className="panel-column smile-panel" data-testid="smile-panel">
      <div className="smile-header">
        <span className="smile-title" ref={title} data-testid="smile-title">
          no expiry selected
        </span>
        <span className="smile-figures" ref={figures} />
        <span className="status-spacer" />
        <span className="smile-fit" ref={fitLabel} data-testid="smile-fit" title="The engine's raw SVI fit of this expiry: root-mean-square error against the quotes it used, in vol points" />
      </div>
      <div className="stale-strip" role="status" ref={stale} hidden data-testid="smile-stale" />
      <div className="smile-legend" title="Per strike, the out-of-the-money option's IVs: the put's below the forward, the call's at and above it">
        {SMILE_KEYS.map((key) => (
          <SmileKey key={key.label} {...key} />
        ))}
        <span className="muted">OTM</span>
        <span className="status-spacer" />
        <span className="smile-readout" ref={readout} />
      </div>
      <div className="smile-chart" ref={smileHost} data-testid="smile-chart" />
      <div className="smile-subheader">
        <span title="Mark IV of the strike nearest each expiry's forward; expiries evenly spaced">ATM vol term structure · mark IV</span>
        <SmileKey color={SMILE_COLORS.selected} mark="dot" label="expiry in the smile" />
        <span className="status-spacer" />
        <span className="smile-readout" ref={termReadout} />
      </div>
      <div className="smile-term" ref={termHost} data-testid="term-chart" />
      <ChartCredit />
    </div>
  );
}
