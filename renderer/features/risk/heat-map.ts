import type { ScenarioGrid } from '../../../core/protocol/index.ts';
import { formatSignedQuantity, formatSpotShockPct, formatUsdCompact, formatVolShockPts } from './risk-format.ts';

/**
 * The scenario grid as a heat map: spot shocks across (lowest left), vol shocks down (highest at
 * the top), losses red and gains green, the colour's strength the PnL's size relative to the
 * grid's largest. Pure: the panel renders the cells as they come.
 */

/** Theme colours (theme.css --bad and --ok) as RGB. */
export const LOSS_RGB = [248, 81, 73] as const;
export const GAIN_RGB = [63, 185, 80] as const;
/** Alpha of the faintest non-zero cell and of the largest. */
export const MIN_ALPHA = 0.1;
export const MAX_ALPHA = 0.85;

/** The fill of a cell: transparent at zero or without a value, up to MAX_ALPHA at the grid's largest |PnL|. */
export function heatColor(pnlUsd: number | undefined, maxAbsUsd: number): string {
  if (pnlUsd === undefined || !Number.isFinite(pnlUsd) || pnlUsd === 0 || !Number.isFinite(maxAbsUsd) || maxAbsUsd <= 0) return 'transparent';
  const strength = Math.min(1, Math.abs(pnlUsd) / maxAbsUsd);
  const alpha = Math.round((MIN_ALPHA + (MAX_ALPHA - MIN_ALPHA) * strength) * 1000) / 1000;
  const [r, g, b] = pnlUsd < 0 ? LOSS_RGB : GAIN_RGB;
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

export interface HeatCell {
  readonly key: string;
  readonly spotShockPct: number;
  readonly volShockPts: number;
  readonly pnlUsd: number | undefined;
  readonly text: string;
  readonly background: string;
  readonly title: string;
  /** The unshocked scenario (spot 0 %, vol 0). */
  readonly base: boolean;
  /** The scenario with the largest loss. */
  readonly worst: boolean;
}

export interface HeatMap {
  /** Column headers, left to right. */
  readonly spotLabels: readonly string[];
  /** One row per vol shock, highest first; cells by spot shock, lowest first. */
  readonly rows: readonly { readonly volShockPts: number; readonly label: string; readonly cells: readonly HeatCell[] }[];
  readonly maxAbsUsd: number;
  readonly worst: HeatCell | undefined;
  readonly includesWorkingQuotes: boolean;
}

function cellValue(grid: ScenarioGrid, spotIndex: number, volIndex: number): number | undefined {
  const value = grid.pnlUsd[spotIndex]?.[volIndex];
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

export function scenarioHeatMap(grid: ScenarioGrid): HeatMap {
  // Shocks may arrive in any order: keep each one's index into pnlUsd.
  const spots = grid.spotShocksPct.map((shock, index) => ({ shock, index })).sort((a, b) => a.shock - b.shock);
  const vols = grid.volShocksPts.map((shock, index) => ({ shock, index })).sort((a, b) => b.shock - a.shock);
  let maxAbsUsd = 0;
  let worstValue = 0;
  let worstKey: string | undefined;
  for (const spot of spots) {
    for (const vol of vols) {
      const value = cellValue(grid, spot.index, vol.index);
      if (value === undefined) continue;
      maxAbsUsd = Math.max(maxAbsUsd, Math.abs(value));
      if (value < worstValue) {
        worstValue = value;
        worstKey = `${spot.index}:${vol.index}`;
      }
    }
  }
  let worst: HeatCell | undefined;
  const rows = vols.map((vol) => ({
    volShockPts: vol.shock,
    label: formatVolShockPts(vol.shock),
    cells: spots.map((spot): HeatCell => {
      const key = `${spot.index}:${vol.index}`;
      const pnlUsd = cellValue(grid, spot.index, vol.index);
      const cell: HeatCell = {
        key,
        spotShockPct: spot.shock,
        volShockPts: vol.shock,
        pnlUsd,
        text: formatUsdCompact(pnlUsd),
        background: heatColor(pnlUsd, maxAbsUsd),
        title: `Spot ${formatSpotShockPct(spot.shock)}, vol ${formatVolShockPts(vol.shock)}: PnL ${pnlUsd === undefined ? 'not computed' : `${formatSignedQuantity(pnlUsd, 0)} USD`}`,
        base: spot.shock === 0 && vol.shock === 0,
        worst: key === worstKey,
      };
      if (cell.worst) worst = cell;
      return cell;
    }),
  }));
  return { spotLabels: spots.map((spot) => formatSpotShockPct(spot.shock)), rows, maxAbsUsd, worst, includesWorkingQuotes: grid.includesWorkingQuotes };
}
