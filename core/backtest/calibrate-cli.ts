import { calibrateRecording } from './calibrate.ts';
import type { IntensityFit, VolEstimate } from './calibration.ts';
import { failWithUsage, parseCommandLine } from './cli-args.ts';

/** `npm run calibrate -- --data <recording> [--json] [--bin-vol-pts 0.25] [--min-depth-vol-pts 0]`: see calibration.ts. */
const USAGE = `usage: npm run calibrate -- --data <recording> [--json] [--bin-vol-pts <x>] [--min-depth-vol-pts <x>] [--atm-days <d>]
  --data               a recording file (.jsonl.gz) or a directory of daily files (npm run record)
  --json               print the estimates as JSON
  --bin-vol-pts        bin width of the depth histogram (vol points, default 0.25)
  --min-depth-vol-pts  leave shallower orders out of the intensity fit (default 0)
  --atm-days           expiry whose ATM IV gives the vol-of-vol (nearest to, default 30)`;

function fail(message: string): never {
  return failWithUsage(USAGE, message);
}

const values = parseCommandLine(USAGE, { data: { type: 'string' }, json: { type: 'boolean' }, 'bin-vol-pts': { type: 'string' }, 'min-depth-vol-pts': { type: 'string' }, 'atm-days': { type: 'string' } });
if (!values.data) fail('--data is required');
const positive = (name: string, raw: string | undefined, min = 0): number | undefined => {
  if (raw === undefined) return undefined;
  const x = Number(raw);
  if (!Number.isFinite(x) || x < min) fail(`--${name}: expected a number ≥ ${min}`);
  return x;
};
const binVolPts = positive('bin-vol-pts', values['bin-vol-pts'], 1e-6);
const minDepthVolPts = positive('min-depth-vol-pts', values['min-depth-vol-pts']);
const atmTargetDays = positive('atm-days', values['atm-days']);

const pm = (x: number, se: number, digits: number): string => `${x.toFixed(digits)} ± ${se.toFixed(digits)}`;
function intensityLine(label: string, unit: string, fit: IntensityFit | undefined): string {
  if (!fit) return `${label}: not enough taker orders to fit`;
  return `${label}: A = ${pm(fit.a, fit.aStdErr, 3)} orders/s, k = ${pm(fit.k, fit.kStdErr, 3)} per ${unit} (${fit.orders} orders over ${fit.durationSec.toFixed(0)} s, χ² ${fit.chiSquare.toFixed(1)} on ${fit.degreesOfFreedom} dof)`;
}
const volLine = (label: string, v: VolEstimate | undefined, scale: number, unit: string): string => (v ? `${label}: ${pm(v.value * scale, v.stdErr * scale, 2)} ${unit} (${v.samples} changes of ${v.sampleMs / 1000} s)` : `${label}: not enough data`);

try {
  const result = await calibrateRecording(values.data, { ...(binVolPts !== undefined && { binVolPts }), ...(minDepthVolPts !== undefined && { minDepthVolPts }), ...(atmTargetDays !== undefined && { atmTargetDays }) });
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else {
    const c = result.counts;
    console.log(`${(result.durationSec / 60).toFixed(1)} min of market, ${c.optionTrades} option trades = ${c.takerOrders} taker orders (${c.skippedNoBook} without a two-sided book, ${c.skippedNoVega} without vega left out)`);
    console.log(intensityLine('λ(δ) = A·e^(−kδ), δ in vol points from mid', 'vol pt', result.intensityVolPts));
    console.log(intensityLine('λ(δ) = A·e^(−kδ), δ in ticks from mid', 'tick', result.intensityTicks));
    if (result.suggestedHalfWidthVolPts !== undefined) console.log(`risk-neutral half-width 1/k = ${result.suggestedHalfWidthVolPts.toFixed(2)} vol pts (baseHalfWidthVolPts before adverse selection)`);
    console.log(volLine(`realised vol (${result.realisedVol?.currency ?? 'index'})`, result.realisedVol, 100, '% annual'));
    console.log(volLine(`vol-of-vol (ATM IV, ${result.volOfVolPtsAnnual?.instrumentExpiryDays.toFixed(1) ?? '?'} d expiry)`, result.volOfVolPtsAnnual, 1, 'vol pts per √year'));
  }
} catch (error) {
  console.error(`calibration failed: ${(error as Error).message}`);
  process.exit(1);
}
