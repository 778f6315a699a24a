import type { ChangeEvent, DragEvent } from 'react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ChartCredit } from '../../ui/ChartCredit.tsx';
import type { BacktestCharts, BacktestReadout } from './backtest-charts.ts';
import { createBacktestCharts } from './backtest-charts.ts';
import type { BacktestSeries, BacktestSeriesKey, Tone } from './backtest-view.ts';
import { attributionTable, breachTable, chartSeries, formatSeriesValue, formatUtcTime, PANE_TITLES, SERIES, summaryItems } from './backtest-view.ts';
import type { BacktestReportData } from './report-schema.ts';
import { readReportFile } from './report-schema.ts';
import './backtest.css';

interface Loaded {
  readonly report: BacktestReportData;
  readonly fileName: string;
}

function toneClass(tone: Tone): string {
  return tone === undefined ? '' : ` backtest-${tone}`;
}

/**
 * A backtest's results (`report.json` from `npm run backtest`), opened from a file: the run's
 * summary, PnL over time with its attribution, inventory and Greeks over time, the attribution
 * table with its sum check, and the limit breaches. A file that is not a valid report gets an
 * error naming the wrong field, and the report shown before stays.
 */
export function BacktestPanel() {
  const [loaded, setLoaded] = useState<Loaded | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [reading, setReading] = useState<string | undefined>(undefined);
  /** Only the latest file picked is shown, whatever order the reads finish in. */
  const latestRead = useRef(0);

  const open = useCallback(async (file: File) => {
    const read = ++latestRead.current;
    setReading(file.name);
    const result = await readReportFile(file);
    if (read !== latestRead.current) return;
    setReading(undefined);
    if (result.ok) {
      setLoaded({ report: result.report, fileName: file.name });
      setError(undefined);
    } else {
      setError(`${file.name}: ${result.error}`);
    }
  }, []);

  const onPick = (event: ChangeEvent<HTMLInputElement>): void => {
    const file = event.target.files?.[0];
    // Cleared so that picking the same file again (after re-running the backtest) reads it again.
    event.target.value = '';
    if (file) void open(file);
  };
  const onDragOver = (event: DragEvent<HTMLDivElement>): void => {
    if (event.dataTransfer.types.includes('Files')) event.preventDefault();
  };
  const onDrop = (event: DragEvent<HTMLDivElement>): void => {
    const file = event.dataTransfer.files[0];
    if (!file) return;
    event.preventDefault();
    void open(file);
  };

  return (
    <div className="panel-column backtest-panel" data-testid="backtest-panel" onDragOver={onDragOver} onDrop={onDrop}>
      <div className="backtest-toolbar">
        <label className="button backtest-open" title="Open the report.json that npm run backtest wrote next to report.html">
          Open report…
          <input type="file" accept=".json" className="backtest-file" onChange={onPick} data-testid="backtest-open" />
        </label>
        {loaded ? (
          <span className="backtest-file-name" title={loaded.fileName} data-testid="backtest-file-name">
            {loaded.fileName}
          </span>
        ) : null}
        {reading !== undefined ? <span className="muted">reading {reading}…</span> : null}
      </div>
      {error !== undefined ? (
        <div className="backtest-error" role="alert" data-testid="backtest-error">
          <span className="backtest-error-text">
            {error}
            {loaded ? <span className="backtest-error-kept"> Still showing {loaded.fileName}.</span> : null}
          </span>
          <button type="button" className="button button-quiet button-small" onClick={() => setError(undefined)} aria-label="Dismiss the error">
            ×
          </button>
        </div>
      ) : null}
      {loaded ? (
        <ReportView report={loaded.report} />
      ) : (
        <div className="panel-empty">
          <h3>No backtest open</h3>
          <p>
            Open the <code>report.json</code> that <code>npm run backtest</code> writes (next to <code>report.html</code>, in <code>backtests/&lt;name&gt;/</code> by default), or drop it here.
          </p>
        </div>
      )}
    </div>
  );
}

function ReportView({ report }: { readonly report: BacktestReportData }) {
  const summary = useMemo(() => summaryItems(report), [report]);
  const attribution = useMemo(() => attributionTable(report.summary), [report]);
  const series = useMemo(() => chartSeries(report.pnl), [report]);
  const breaches = useMemo(() => breachTable(report.breaches), [report]);

  return (
    <div className="backtest-body">
      <section className="backtest-summary" data-testid="backtest-summary" aria-label="Summary">
        {summary.map((item) => (
          <div key={item.id} className="backtest-figure" data-figure={item.id} title={item.title}>
            <span className="backtest-figure-label">{item.label}</span>
            <span className={`backtest-figure-value${toneClass(item.tone)}`}>{item.value}</span>
            {item.detail !== undefined ? <span className="backtest-figure-detail">{item.detail}</span> : null}
          </div>
        ))}
      </section>

      <section className="backtest-section">
        <h4 className="backtest-heading">PnL, attribution and inventory over time</h4>
        {report.pnl.length === 0 ? <p className="muted">The report has no PnL samples.</p> : <BacktestChart series={series} />}
      </section>

      <div className="backtest-lower">
        <section className="backtest-section backtest-attribution-block">
          <h4 className="backtest-heading">Attribution</h4>
          <table className="backtest-table" data-testid="backtest-attribution">
            <thead>
              <tr>
                <th scope="col">Term</th>
                <th scope="col" className="backtest-num">
                  USD
                </th>
              </tr>
            </thead>
            <tbody>
              {attribution.rows.map((row) => (
                <tr key={row.key} data-row={row.key} title={row.title}>
                  <th scope="row">{row.label}</th>
                  <td className={`backtest-num${toneClass(row.tone)}`}>{row.text}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="backtest-sum" data-row="sum">
                <th scope="row">Sum of the terms</th>
                <td className="backtest-num">{attribution.sumText}</td>
              </tr>
              <tr className="backtest-sum" data-row="total">
                <th scope="row">Total PnL</th>
                <td className="backtest-num">{attribution.totalText}</td>
              </tr>
              <tr data-row="check">
                <td colSpan={2} className={attribution.balanced ? 'backtest-check-ok' : 'backtest-check-bad'} data-testid="backtest-sum-check">
                  {attribution.balanced ? '✓ ' : '✗ '}
                  {attribution.differenceText}
                </td>
              </tr>
            </tfoot>
          </table>
        </section>

        <section className="backtest-section backtest-breaches-block" data-testid="backtest-breaches">
          <h4 className="backtest-heading">
            Limit breaches <span className="backtest-count">{breaches.total}</span>
            {breaches.byLimit.length > 0 ? <span className="backtest-by-limit">{breaches.byLimit.map((entry) => `${entry.label} ×${entry.count}`).join(' · ')}</span> : null}
          </h4>
          {breaches.total === 0 ? (
            <p className="muted">No limit was breached.</p>
          ) : (
            <table className="backtest-table">
              <thead>
                <tr>
                  <th scope="col">Time (UTC)</th>
                  <th scope="col">Limit</th>
                  <th scope="col" className="backtest-num">
                    Value
                  </th>
                  <th scope="col" className="backtest-num">
                    Limit
                  </th>
                  <th scope="col" className="backtest-num">
                    Use
                  </th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {breaches.rows.map((row) => (
                  <tr key={row.key}>
                    <td>{row.time}</td>
                    <td title={row.limitId}>{row.label}</td>
                    <td className="backtest-num">{row.value}</td>
                    <td className="backtest-num">{row.limit}</td>
                    <td className="backtest-num">{row.usage}</td>
                    <td className={row.severity === 'warn' ? 'backtest-warn' : 'backtest-neg'}>{row.action}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {breaches.rows.length < breaches.total ? (
            <p className="muted">
              First {breaches.rows.length} of {breaches.total} shown; all are in the file.
            </p>
          ) : null}
        </section>
      </div>
    </div>
  );
}

function BacktestChart({ series }: { readonly series: BacktestSeries }) {
  const host = useRef<HTMLDivElement>(null);
  const charts = useRef<BacktestCharts | undefined>(undefined);
  const legendValues = useRef<Partial<Record<BacktestSeriesKey, HTMLElement | null>>>({});
  const legendTime = useRef<HTMLSpanElement>(null);
  const [hidden, setHidden] = useState<ReadonlySet<BacktestSeriesKey>>(() => new Set());

  useEffect(() => {
    if (!host.current) return undefined;
    const onReadout = (readout: BacktestReadout): void => {
      for (const spec of SERIES) {
        const element = legendValues.current[spec.key];
        if (element) element.textContent = formatSeriesValue(spec.key, readout.values[spec.key]);
      }
      if (legendTime.current) legendTime.current.textContent = readout.tsMs === undefined ? '' : `${readout.end ? 'end' : 'at'} ${formatUtcTime(readout.tsMs)} UTC`;
    };
    const created = createBacktestCharts(host.current, onReadout);
    charts.current = created;
    return () => {
      charts.current = undefined;
      created.dispose();
    };
  }, []);

  useEffect(() => {
    charts.current?.setSeries(series);
  }, [series]);

  useEffect(() => {
    for (const spec of SERIES) charts.current?.setVisible(spec.key, !hidden.has(spec.key));
  }, [hidden]);

  const toggle = (key: BacktestSeriesKey): void =>
    setHidden((previous) => {
      const next = new Set(previous);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  return (
    <div className="backtest-chart-block">
      <div className="backtest-legend">
        {PANE_TITLES.map((title, pane) => (
          <span key={title} className="backtest-legend-group">
            <span className="muted">{title}</span>
            {SERIES.filter((spec) => spec.pane === pane).map((spec) => (
              <button
                key={spec.key}
                type="button"
                className={`backtest-key${hidden.has(spec.key) ? ' backtest-key-off' : ''}`}
                aria-pressed={!hidden.has(spec.key)}
                title={`Show or hide ${spec.label}`}
                onClick={() => toggle(spec.key)}
                data-series={spec.key}
              >
                <i className="backtest-swatch" style={{ background: spec.color }} />
                {spec.label}{' '}
                <span
                  className="backtest-key-value"
                  ref={(element) => {
                    legendValues.current[spec.key] = element;
                  }}
                >
                  —
                </span>
              </button>
            ))}
          </span>
        ))}
        <span className="status-spacer" />
        <span className="muted backtest-legend-time" ref={legendTime} />
      </div>
      <div className="backtest-chart" ref={host} data-testid="backtest-chart" />
      <ChartCredit />
    </div>
  );
}
