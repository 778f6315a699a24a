/**
 * Benchmarks of core/pricing: implied-volatility speed and accuracy, Black-76 pricing, chain
 * repricing and SVI fitting, with the npm packages `implied-volatility` and `black-scholes` as
 * peers (Black–Scholes on spot with r = 0 is Black-76 on the forward). Inputs come from a seeded
 * generator, so every run measures the same work; times are medians of repeated timed batches.
 */
import { createRequire } from 'node:module';
import { black76Price, ChainPricer, fitSvi, impliedVol, sviImpliedVol } from '../core/pricing/index.ts';
import type { OptionKind, SmileQuote, SviParams } from '../core/pricing/index.ts';
import type { Benchmark, BenchResult } from './types.ts';
import { mulberry32 } from '../test/support/prng.ts';

type PeerIv = (expectedCost: number, s: number, k: number, t: number, r: number, callPut: string) => number;
type PeerPrice = (s: number, k: number, t: number, v: number, r: number, callPut: string) => number;

// Both peers are CommonJS without type declarations.
const require = createRequire(import.meta.url);
const peerIv = (require('implied-volatility') as { getImpliedVolatility: PeerIv }).getImpliedVolatility;
const peerPrice = (require('black-scholes') as { blackScholes: PeerPrice }).blackScholes;


function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : 0.5 * (sorted[mid - 1]! + sorted[mid]!);
}

/** Median over `batches` timings of `run`, in milliseconds per call of run. */
function timeBatches(batches: number, run: () => void): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < batches; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return median(times);
}

const FORWARD = 65_000;
const HOUR = 1 / 8760;

interface IvCase {
  readonly price: number;
  readonly strike: number;
  readonly expiryYears: number;
  readonly vol: number;
  readonly kind: OptionKind;
}

/** Mixed grid: ln(K/F) uniform in [−3, 3], expiry log-uniform 1 h–3 y, vol log-uniform 1–500 %. */
function ivCases(count: number, seed: number): IvCase[] {
  const random = mulberry32(seed);
  const cases: IvCase[] = [];
  while (cases.length < count) {
    const strike = FORWARD * Math.exp(-3 + 6 * random());
    const expiryYears = Math.exp(Math.log(HOUR) + random() * Math.log(3 / HOUR));
    const vol = 0.01 * Math.pow(500, random());
    const kind: OptionKind = random() < 0.5 ? 'call' : 'put';
    const price = black76Price(FORWARD, strike, expiryYears, vol, kind);
    // Only prices that carry a volatility: above 1e-12 of the forward and above intrinsic.
    const intrinsic = kind === 'call' ? Math.max(FORWARD - strike, 0) : Math.max(strike - FORWARD, 0);
    if (price > 1e-12 * FORWARD && price - intrinsic > 1e-12 * FORWARD) cases.push({ price, strike, expiryYears, vol, kind });
  }
  return cases;
}

function ivSolve(): BenchResult[] {
  const cases = ivCases(20_000, 42);
  let sink = 0;
  const ms = timeBatches(15, () => {
    for (const c of cases) sink += impliedVol(c.price, FORWARD, c.strike, c.expiryYears, c.kind) ?? 0;
  });
  const ours = (ms * 1e6) / cases.length;

  // The peer bisects Black–Scholes prices from a 100-term series CDF: tens of µs per solve.
  const peerCases = cases.slice(0, 200);
  let peerMaxVolError = 0;
  let peerMaxPriceError = 0;
  const peerMs = timeBatches(3, () => {
    for (const c of peerCases) sink += peerIv(c.price, FORWARD, c.strike, c.expiryYears, 0, c.kind);
  });
  for (const c of peerCases) {
    const v = peerIv(c.price, FORWARD, c.strike, c.expiryYears, 0, c.kind);
    peerMaxVolError = Math.max(peerMaxVolError, Math.abs(v - c.vol));
    peerMaxPriceError = Math.max(peerMaxPriceError, Math.abs(black76Price(FORWARD, c.strike, c.expiryYears, v, c.kind) - c.price) / c.price);
  }
  return [
    {
      name: 'iv_solve_ns',
      value: ours,
      unit: 'ns',
      peer: { name: 'implied-volatility@1.0.0 getImpliedVolatility', value: (peerMs * 1e6) / peerCases.length },
      note:
        `target ≤ 500 ns; median of 15 batches of ${cases.length} solves (ln(K/F) in [−3, 3], 1 h–3 y, 1–500 % vol, calls and puts, ` +
        `price > 1e-12·F); peer on the first ${peerCases.length} cases with r = 0, spot = forward: ` +
        `max |σ error| ${peerMaxVolError.toExponential(2)}, max relative price error ${peerMaxPriceError.toExponential(2)} ` +
        `(it stops at cent accuracy) (checksum ${sink.toFixed(0)})`,
    },
  ];
}

function ivAccuracy(): BenchResult[] {
  const expiries = [HOUR, 4 * HOUR, 1 / 365, 7 / 365, 30 / 365, 0.25, 0.5, 1, 2, 3];
  let maxRel = 0;
  let maxVol = 0;
  let count = 0;
  let undefinedCount = 0;
  for (let i = 0; i <= 60; i++) {
    const strike = FORWARD * Math.exp(-3 + 0.1 * i);
    for (const t of expiries) {
      for (let j = 0; j <= 40; j++) {
        const vol = 0.01 * Math.pow(500, j / 40);
        for (const kind of ['call', 'put'] as const) {
          const price = black76Price(FORWARD, strike, t, vol, kind);
          if (!(price > 1e-12 * FORWARD)) continue;
          const implied = impliedVol(price, FORWARD, strike, t, kind);
          count++;
          if (implied === undefined) {
            undefinedCount++;
            continue;
          }
          maxRel = Math.max(maxRel, Math.abs(black76Price(FORWARD, strike, t, implied, kind) - price) / price);
          const s = vol * Math.sqrt(t);
          const d1 = Math.log(FORWARD / strike) / s + s / 2;
          const vega = (FORWARD * Math.exp(-0.5 * d1 * d1) * Math.sqrt(t)) / Math.sqrt(2 * Math.PI);
          if (vega >= 1e-6 * Math.max(FORWARD, price)) maxVol = Math.max(maxVol, Math.abs(implied - vol));
        }
      }
    }
  }
  return [
    {
      name: 'iv_max_rel_error',
      value: maxRel,
      unit: 'ratio',
      note:
        `target ≤ 1e-12; max |price(σ̂) − price|/price over ${count} grid points (ln(K/F) −3…3 step 0.1, 10 expiries 1 h–3 y, ` +
        `41 vols 1–500 %, calls and puts, price > 1e-12·F); ${undefinedCount} undefined; max |σ̂ − σ| ${maxVol.toExponential(2)} ` +
        `where vega ≥ 1e-6·max(F, price) (target ≤ 1e-9)`,
    },
  ];
}

function pricing(): BenchResult[] {
  const cases = ivCases(20_000, 7);
  let sink = 0;
  const ms = timeBatches(15, () => {
    for (const c of cases) sink += black76Price(FORWARD, c.strike, c.expiryYears, c.vol, c.kind);
  });
  const peerCases = cases.slice(0, 2000);
  const peerMs = timeBatches(5, () => {
    for (const c of peerCases) sink += peerPrice(FORWARD, c.strike, c.expiryYears, c.vol, 0, c.kind);
  });
  return [
    {
      name: 'black76_price_ns',
      value: (ms * 1e6) / cases.length,
      unit: 'ns',
      peer: { name: 'black-scholes@1.1.0 blackScholes', value: (peerMs * 1e6) / peerCases.length },
      note: `one undiscounted price (our kernel also computes all Greeks on the way); median of 15 batches of ${cases.length} (checksum ${sink.toFixed(0)})`,
    },
  ];
}

/** A Deribit-like chain: 10 expiries × 50 strikes × call and put = 1,000 options on a smile. */
function chainReprice(): BenchResult[] {
  const expiries = [1, 2, 7, 14, 30, 60, 90, 180, 270, 365].map((days) => days / 365);
  const pricer = new ChainPricer(1000);
  let i = 0;
  for (const t of expiries) {
    const width = 4 * 0.6 * Math.sqrt(t);
    for (let j = 0; j < 50; j++) {
      const k = -width + (2 * width * j) / 49;
      for (const isCall of [1, 0]) {
        pricer.forward[i] = FORWARD * Math.exp(0.05 * t);
        pricer.strike[i] = pricer.forward[i]! * Math.exp(k);
        pricer.expiryYears[i] = t;
        pricer.volAnnual[i] = 0.55 + 0.25 * k * k - 0.1 * k;
        pricer.isCall[i] = isCall;
        i++;
      }
    }
  }
  const ms = timeBatches(300, () => pricer.reprice());
  return [
    {
      name: 'chain_reprice_1000_us',
      value: ms * 1000,
      unit: 'µs',
      note:
        'target ≤ 100 µs; price, coin price, delta, premium-adjusted delta, gamma, vega, theta, vanna, volga, rho for 1,000 options ' +
        '(10 expiries 1 d–1 y × 50 strikes × call/put) into preallocated Float64Arrays; median of 300 reprices',
    },
  ];
}

function sviFit(): BenchResult[] {
  const truth: SviParams = { a: 0.02, b: 0.15, rho: -0.35, m: 0.05, sigma: 0.25 };
  const t = 0.25;
  const random = mulberry32(3);
  const quotes: SmileQuote[] = [];
  for (let j = 0; j < 40; j++) {
    const k = -1 + (2 * j) / 39;
    const noise = 0.002 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const mid = sviImpliedVol(truth, k, t) + noise;
    quotes.push({ logMoneyness: k, midVolAnnual: mid, bidVolAnnual: mid - 0.005, askVolAnnual: mid + 0.005 });
  }
  let last = fitSvi(quotes, t);
  const ms = timeBatches(40, () => {
    last = fitSvi(quotes, t);
  });
  const fit = last.ok
    ? `RMSE ${last.rmseVolPts.toFixed(3)} vol pts (weighted ${last.weightedRmseVolPts.toFixed(3)}) against 0.2 vol pt noise, ${last.evaluations} inner solves`
    : `fit failed: ${last.reason}`;
  return [
    {
      name: 'svi_fit_40_ms',
      value: ms,
      unit: 'ms',
      note: `target ≤ 2 ms; one 40-strike expiry (T = 0.25, k −1…1, seeded noise), quasi-explicit + Nelder–Mead, median of 40 fits; ${fit}`,
    },
  ];
}

export const benchmarks: readonly Benchmark[] = [
  { metrics: ['iv_solve_ns'], run: async () => ivSolve() },
  { metrics: ['iv_max_rel_error'], run: async () => ivAccuracy() },
  { metrics: ['black76_price_ns'], run: async () => pricing() },
  { metrics: ['chain_reprice_1000_us'], run: async () => chainReprice() },
  { metrics: ['svi_fit_40_ms'], run: async () => sviFit() },
];
