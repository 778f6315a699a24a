import { useMemo } from 'react';
import type { ScenarioGrid } from '../../../core/protocol/index.ts';
import { scenarioHeatMap } from './heat-map.ts';
import { formatSpotShockPct, formatVolShockPts } from './risk-format.ts';

/** PnL (USD) of the book under spot × vol shocks, as a heat map: losses red, gains green. */
export function ScenarioHeatMap({ grid }: { readonly grid: ScenarioGrid }) {
  const map = useMemo(() => scenarioHeatMap(grid), [grid]);
  const coverage = map.includesWorkingQuotes ? 'Includes working quotes (as if filled)' : 'Positions only: working quotes not included';
  if (map.rows.length === 0 || map.spotLabels.length === 0) {
    return (
      <div className="risk-scenarios" data-testid="scenario-grid">
        <p className="muted">No scenarios computed yet for this underlying.</p>
      </div>
    );
  }
  return (
    <div className="risk-scenarios" data-testid="scenario-grid" data-includes-working-quotes={map.includesWorkingQuotes}>
      <div className="risk-scenario-caption">
        <span className={map.includesWorkingQuotes ? 'risk-badge risk-badge-working' : 'risk-badge'} data-testid="scenario-coverage">
          {coverage}
        </span>
        <span className="muted">PnL in USD</span>
        {map.worst ? (
          <span className="muted">
            worst {map.worst.text} at spot {formatSpotShockPct(map.worst.spotShockPct)}, vol {formatVolShockPts(map.worst.volShockPts)}
          </span>
        ) : null}
      </div>
      <div className="risk-heat" role="table" aria-label="Scenario PnL, USD: vol shocks down, spot shocks across" style={{ gridTemplateColumns: `auto repeat(${map.spotLabels.length}, minmax(54px, 1fr))` }}>
        <div className="risk-heat-corner" role="columnheader">
          vol ↓ · spot →
        </div>
        {map.spotLabels.map((label) => (
          <div key={label} className="risk-heat-axis risk-heat-spot" role="columnheader">
            {label}
          </div>
        ))}
        {map.rows.map((row) => (
          <div key={row.volShockPts} className="risk-heat-row" role="row">
            <div className="risk-heat-axis risk-heat-vol" role="rowheader">
              {row.label}
            </div>
            {row.cells.map((cell) => (
              <div
                key={cell.key}
                role="cell"
                className={`risk-heat-cell${cell.base ? ' risk-heat-base' : ''}${cell.worst ? ' risk-heat-worst' : ''}${cell.pnlUsd === undefined ? ' muted' : ''}`}
                // The heat colour is translucent: laid over the panel colour, not over the grid lines.
                style={{ backgroundImage: `linear-gradient(${cell.background}, ${cell.background})` }}
                title={cell.title}
                data-spot-pct={cell.spotShockPct}
                data-vol-pts={cell.volShockPts}
                data-pnl-usd={cell.pnlUsd}
              >
                {cell.text}
              </div>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
