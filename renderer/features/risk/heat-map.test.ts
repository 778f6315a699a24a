import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { heatColor, MAX_ALPHA, MIN_ALPHA, scenarioHeatMap } from './heat-map.ts';

function alphaOf(color: string): number {
  const match = /rgba\(\d+, \d+, \d+, ([\d.]+)\)/.exec(color);
  if (!match) throw new Error(`not an rgba colour: ${color}`);
  return Number(match[1]);
}

describe('heat-map colour scale', () => {
  it('paints losses red and gains green, strongest at the largest', () => {
    expect(heatColor(-100, 100)).toBe(`rgba(248, 81, 73, ${MAX_ALPHA})`);
    expect(heatColor(100, 100)).toBe(`rgba(63, 185, 80, ${MAX_ALPHA})`);
    expect(alphaOf(heatColor(-1, 100))).toBeCloseTo(MIN_ALPHA + (MAX_ALPHA - MIN_ALPHA) / 100, 3);
    expect(alphaOf(heatColor(50, 100))).toBeCloseTo((MIN_ALPHA + MAX_ALPHA) / 2, 3);
  });

  it('leaves zero, missing values and an all-zero grid unpainted', () => {
    expect(heatColor(0, 100)).toBe('transparent');
    expect(heatColor(undefined, 100)).toBe('transparent');
    expect(heatColor(Number.NaN, 100)).toBe('transparent');
    expect(heatColor(5, 0)).toBe('transparent');
  });

  it('grows with magnitude and stays within its alpha range', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), fc.double({ min: 1e-6, max: 1e6, noNaN: true }), fc.double({ min: 1, max: 1e6, noNaN: true }), (a, b, max) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        const alphaSmall = alphaOf(heatColor(-small, max));
        const alphaLarge = alphaOf(heatColor(-large, max));
        expect(alphaSmall).toBeLessThanOrEqual(alphaLarge);
        expect(alphaSmall).toBeGreaterThanOrEqual(MIN_ALPHA);
        expect(alphaLarge).toBeLessThanOrEqual(MAX_ALPHA);
        expect(heatColor(large, max).startsWith('rgba(63, 185, 80,')).toBe(true);
      }),
    );
  });
});

describe('scenario heat map', () => {
  // pnlUsd[spot][vol]; shocks deliberately out of order.
  const grid = {
    spotShocksPct: [10, -10, 0],
    volShocksPts: [-5, 5, 0],
    pnlUsd: [
      [2_000, 8_000, 5_000], // spot +10 %
      [-20_000, -4_000, -12_000], // spot −10 %
      [-1_000, 1_000, 0], // spot 0
    ],
    includesWorkingQuotes: true,
  };

  it('lays spot shocks across (lowest left) and vol shocks down (highest on top)', () => {
    const map = scenarioHeatMap(grid);
    expect(map.spotLabels).toEqual(['−10 %', '0 %', '+10 %']);
    expect(map.rows.map((row) => row.label)).toEqual(['+5 vol pts', '0 vol pts', '−5 vol pts']);
    expect(map.rows.map((row) => row.cells.map((cell) => cell.pnlUsd))).toEqual([
      [-4_000, 1_000, 8_000],
      [-12_000, 0, 5_000],
      [-20_000, -1_000, 2_000],
    ]);
    expect(map.includesWorkingQuotes).toBe(true);
  });

  it('scales colours to the largest |PnL| and marks the base and the worst scenario', () => {
    const map = scenarioHeatMap(grid);
    expect(map.maxAbsUsd).toBe(20_000);
    const cells = map.rows.flatMap((row) => row.cells);
    const base = cells.filter((cell) => cell.base);
    expect(base).toHaveLength(1);
    expect(base[0]).toMatchObject({ spotShockPct: 0, volShockPts: 0, background: 'transparent', text: '$0' });
    expect(map.worst).toMatchObject({ spotShockPct: -10, volShockPts: -5, pnlUsd: -20_000, text: '−$20.0k', worst: true, background: `rgba(248, 81, 73, ${MAX_ALPHA})` });
    expect(cells.filter((cell) => cell.worst)).toHaveLength(1);
    expect(map.worst!.title).toBe('Spot −10 %, vol −5 vol pts: PnL −20,000 USD');
    expect(new Set(cells.map((cell) => cell.key)).size).toBe(9);
  });

  it('shows missing or non-finite cells as absent, and no worst without a loss', () => {
    const map = scenarioHeatMap({ spotShocksPct: [0, 5], volShocksPts: [0], pnlUsd: [[Number.NaN]], includesWorkingQuotes: false });
    expect(map.rows[0]!.cells.map((cell) => [cell.pnlUsd, cell.text, cell.background])).toEqual([
      [undefined, '—', 'transparent'],
      [undefined, '—', 'transparent'],
    ]);
    expect(map.worst).toBeUndefined();
    expect(map.maxAbsUsd).toBe(0);
    expect(scenarioHeatMap({ spotShocksPct: [], volShocksPts: [], pnlUsd: [], includesWorkingQuotes: false }).rows).toEqual([]);
  });
});
