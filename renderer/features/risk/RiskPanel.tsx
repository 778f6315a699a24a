import { useMemo, useState } from 'react';
import type { RiskRow } from '../../../core/protocol/index.ts';
import { useEngineStore } from '../../stores/engine-store.ts';
import { useSelectionStore } from '../../stores/selection-store.ts';
import { formatClock, formatPrice } from '../../ui/format.ts';
import { formatQuantity, formatSignedQuantity } from './risk-format.ts';
import type { Denomination, GreekLine, GreekValues } from './risk-view.ts';
import { drawdownFromPeakUsd, GREEK_KEYS, GREEK_NAMES, GREEK_TITLES, greekTable, greekUnit, pickCurrency, pnlLines, riskCurrencies } from './risk-view.ts';
import { ScenarioHeatMap } from './ScenarioHeatMap.tsx';
import './risk.css';

function signClass(value: number | undefined): string {
  if (value === undefined || value === 0) return '';
  return value < 0 ? 'risk-neg' : 'risk-pos';
}

function GreekCells({ values, worst }: { readonly values: GreekValues; readonly worst?: (key: (typeof GREEK_KEYS)[number]) => boolean }) {
  return (
    <>
      {GREEK_KEYS.map((key) => (
        <td key={key} className={`risk-num${worst?.(key) ? ' risk-worst' : ''}`} data-greek={key}>
          {formatQuantity(values[key])}
        </td>
      ))}
    </>
  );
}

function GreeksTable({ risk, denomination }: { readonly risk: RiskRow; readonly denomination: Denomination }) {
  const table = useMemo(() => greekTable(risk, denomination), [risk, denomination]);
  const line = (row: GreekLine, className: string, worst?: (key: (typeof GREEK_KEYS)[number]) => boolean) => (
    <tr key={row.id} className={className} data-row={row.id}>
      <th scope="row">{row.label}</th>
      <GreekCells values={row.values} worst={worst} />
    </tr>
  );
  const { working } = table;
  return (
    <table className="risk-table" data-testid="risk-greeks">
      <thead>
        <tr>
          <th scope="col">Bucket</th>
          {GREEK_KEYS.map((key) => (
            <th key={key} scope="col" className="risk-num" title={GREEK_TITLES[key]}>
              {GREEK_NAMES[key]}
              <span className="risk-unit">{greekUnit(key, denomination, risk.currency)}</span>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {line(table.total, 'risk-total')}
        {table.buckets.length === 0 ? (
          <tr>
            <td colSpan={GREEK_KEYS.length + 1} className="muted">
              No expiry buckets
            </td>
          </tr>
        ) : (
          table.buckets.map((bucket) => line(bucket, 'risk-bucket'))
        )}
      </tbody>
      <tbody className="risk-working" data-testid="risk-working">
        <tr>
          <th colSpan={GREEK_KEYS.length + 1} className="risk-section" title="The book's Greeks if every working bid (or every working ask) filled at once; the larger exposure of the two is marked">
            Working quotes’ worst case
          </th>
        </tr>
        {line(working.bids, 'risk-bucket', (key) => working.worst[key] === 'bids')}
        {line(working.asks, 'risk-bucket', (key) => working.worst[key] === 'asks')}
      </tbody>
    </table>
  );
}

function PnlTable({ risk }: { readonly risk: RiskRow }) {
  const lines = pnlLines(risk);
  const drawdown = drawdownFromPeakUsd(risk);
  return (
    <table className="risk-table risk-pnl" data-testid="risk-pnl">
      <thead>
        <tr>
          <th scope="col">PnL</th>
          <th scope="col" className="risk-num">
            {risk.currency}
          </th>
          <th scope="col" className="risk-num">
            USD
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line) => (
          <tr key={line.id} className={line.id === 'total' ? 'risk-total' : ''} data-row={line.id}>
            <th scope="row" title={line.id === 'fees' ? 'Fees paid (a negative fee is a rebate)' : undefined}>
              {line.label}
            </th>
            {/* Fees are a cost when positive (paid) and a gain when negative (rebates): shown as reported, uncoloured. */}
            <td className={`risk-num ${line.id === 'fees' ? '' : signClass(line.coin)}`}>{line.id === 'fees' ? formatQuantity(line.coin, 4) : formatSignedQuantity(line.coin, 4)}</td>
            <td className={`risk-num ${line.id === 'fees' ? '' : signClass(line.usd)}`} title={line.usdAtIndex ? `At the index price, ${formatPrice(risk.indexPrice, 2)}` : 'The engine’s USD total'}>
              {line.usdAtIndex && line.usd !== undefined ? '≈ ' : ''}
              {line.id === 'fees' ? formatQuantity(line.usd, 0) : formatSignedQuantity(line.usd, 0)}
            </td>
          </tr>
        ))}
        <tr>
          <th scope="row">Day peak</th>
          <td />
          <td className="risk-num">{formatSignedQuantity(risk.pnl.dayPeakUsd, 0)}</td>
        </tr>
        <tr>
          <th scope="row" title="Total PnL minus the day's peak">
            From peak
          </th>
          <td />
          <td className={`risk-num ${signClass(drawdown)}`}>{formatSignedQuantity(drawdown, 0)}</td>
        </tr>
      </tbody>
    </table>
  );
}

/**
 * Risk of one underlying: Greeks total and by expiry, the working quotes' worst case, PnL and the
 * spot × vol scenario grid. Follows the chain's underlying until the trader picks another here.
 */
export function RiskPanel() {
  const connected = useEngineStore((view) => view.state !== undefined);
  const risk = useEngineStore((view) => view.state?.risk);
  const preferred = useSelectionStore((selection) => selection.underlying);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [denomination, setDenomination] = useState<Denomination>('usd');
  const [withQuotes, setWithQuotes] = useState(false);
  const currencies = useMemo(() => riskCurrencies(risk), [risk]);
  const currency = pickCurrency(currencies, chosen, preferred);
  const row = currency === undefined ? undefined : risk?.[currency];

  if (!connected) {
    return (
      <div className="panel-empty" data-testid="risk-panel">
        Waiting for the engine’s first snapshot…
      </div>
    );
  }
  if (!row) {
    return (
      <div className="panel-empty" data-testid="risk-panel">
        <span data-testid="risk-empty">No positions yet — risk appears once the engine has positions or working quotes.</span>
      </div>
    );
  }
  return (
    <div className="panel-column risk-panel" data-testid="risk-panel">
      <div className="risk-toolbar">
        {currencies.length > 1 ? (
          <div className="segmented" role="tablist" aria-label="Underlying" data-testid="risk-underlying">
            {currencies.map((candidate) => (
              <button key={candidate} type="button" role="tab" aria-selected={candidate === currency} className={candidate === currency ? 'active' : ''} onClick={() => setChosen(candidate)}>
                {candidate}
              </button>
            ))}
          </div>
        ) : (
          <span className="risk-currency" data-testid="risk-underlying">
            {row.currency}
          </span>
        )}
        <span className="risk-field">
          <span className="muted">Index</span> {formatPrice(row.indexPrice, 2)}
        </span>
        <span className="status-spacer" />
        <div className="segmented" role="group" aria-label="Greeks in" data-testid="risk-denomination">
          <button type="button" className={denomination === 'coin' ? 'active' : ''} onClick={() => setDenomination('coin')} aria-pressed={denomination === 'coin'}>
            {row.currency}
          </button>
          <button type="button" className={denomination === 'usd' ? 'active' : ''} onClick={() => setDenomination('usd')} aria-pressed={denomination === 'usd'}>
            USD
          </button>
        </div>
        <span className="muted" title="Engine time of this risk figure">
          as of {formatClock(row.tsMs)}
        </span>
      </div>
      <div className="risk-body">
        <section className="risk-section-block">
          <h4 className="risk-heading">Greeks</h4>
          <GreeksTable risk={row} denomination={denomination} />
        </section>
        <div className="risk-lower">
          <section className="risk-section-block risk-pnl-block">
            <h4 className="risk-heading">PnL</h4>
            <PnlTable risk={row} />
          </section>
          <section className="risk-section-block risk-scenario-block">
            <h4 className="risk-heading">
              Scenarios · spot × vol shocks{' '}
              <label className="risk-scenario-toggle" title="Fill every working quote at its price first, then shock (the book’s worst tail)">
                <input type="checkbox" checked={withQuotes} disabled={!row.scenariosWithQuotes} onChange={(event) => setWithQuotes(event.target.checked)} data-testid="scenario-with-quotes" /> with working quotes
              </label>
            </h4>
            <ScenarioHeatMap grid={withQuotes && row.scenariosWithQuotes ? row.scenariosWithQuotes : row.scenarios} />
          </section>
        </div>
      </div>
    </div>
  );
}
