/**
 * A seeded pseudo-random generator for the simulated market: sfc32 (Chris Doty-Humphrey's Small
 * Fast Counting generator: 128-bit state, no multiplications, passes PractRand far beyond what a
 * simulation draws), seeded through splitmix32 so that nearby seeds give unrelated streams.
 *
 * Sub-streams: fork(label) derives a generator from this generator's *seed* and the label, never
 * from its current state, so forking draws nothing from the parent and a consumer added later (a
 * new fork) does not shift any other consumer's draws. The same label forked twice gives the same
 * stream: distinct consumers take distinct labels.
 */

const TWO_POW_32 = 4294967296;
const INV_TWO_POW_32 = 1 / TWO_POW_32;
/** Seeds are integers below 2^53: 21 high bits and 32 low bits. */
const HIGH_MASK = 0x1fffff;
/** Above this mean, poisson() adds independent chunks so exp(−mean) never underflows. */
const POISSON_CHUNK = 30;

/** splitmix32's finaliser: a bijective avalanche of 32 bits. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** FNV-1a over the UTF-16 code units of a label, from a chosen offset basis. */
function hashLabel(label: string, basis: number): number {
  let h = basis >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export class Rng {
  readonly #seedLow: number;
  readonly #seedHigh: number;
  #a = 0;
  #b = 0;
  #c = 0;
  #d = 1;
  // Polar normals come in pairs; the second is kept for the next call.
  #spareNormal = 0;
  #hasSpare = false;

  /** A generator from an integer seed below 2^53 (a fractional part is ignored). Same seed, same stream. */
  constructor(seed: number) {
    const whole = Number.isFinite(seed) ? Math.abs(Math.trunc(seed)) : 0;
    this.#seedLow = whole >>> 0;
    this.#seedHigh = Math.floor(whole / TWO_POW_32) & HIGH_MASK;
    // splitmix32 sequence from the seed fills the 96 free bits of state; sfc32's counter starts at 1.
    let s = mix32(this.#seedHigh ^ 0x6a09e667) ^ this.#seedLow;
    const splitmix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      return mix32(s);
    };
    this.#a = splitmix();
    this.#b = splitmix();
    this.#c = splitmix();
    // A dozen rounds spread the seed through the whole state before the first output.
    for (let i = 0; i < 12; i++) this.#nextUint32();
  }

  #nextUint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) + t;
    this.#c |= 0;
    return t >>> 0;
  }

  /** An independent deterministic stream named `label`; draws nothing from this one. */
  fork(label: string): Rng {
    const low = mix32(this.#seedLow ^ hashLabel(label, 0x811c9dc5) ^ mix32(this.#seedHigh));
    const high = mix32(this.#seedHigh ^ hashLabel(label, 0x01000193) ^ mix32(this.#seedLow ^ 0x85ebca6b)) & HIGH_MASK;
    return new Rng(high * TWO_POW_32 + low);
  }

  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number {
    return this.#nextUint32() * INV_TWO_POW_32;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [0, n) for n ≥ 1. */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal by Marsaglia's polar method, caching the spare of each pair. */
  normal(): number {
    if (this.#hasSpare) {
      this.#hasSpare = false;
      return this.#spareNormal;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.#spareNormal = v * factor;
    this.#hasSpare = true;
    return u * factor;
  }

  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate: number): number {
    // 1 − u lies in (0, 1], so the logarithm is finite.
    return -Math.log(1 - this.next()) / rate;
  }

  /**
   * Poisson with the given mean by Knuth's multiplication method: meant for the small means of
   * arrivals per time step. Larger means are summed from chunks of at most 30, exact but O(mean).
   */
  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    let count = 0;
    let remaining = mean;
    while (remaining > 0) {
      const chunk = Math.min(remaining, POISSON_CHUNK);
      remaining -= chunk;
      const limit = Math.exp(-chunk);
      let product = this.next();
      while (product > limit) {
        count++;
        product *= this.next();
      }
    }
    return count;
  }

  /**
   * Pareto with shape alphaShape and scale xMin, truncated to [xMin, xMax] by inverting the
   * truncated distribution function (not by rejection, so it always costs one draw):
   *   F(x) = (1 − (xMin/x)^α) / (1 − (xMin/xMax)^α).
   */
  pareto(alphaShape: number, xMin: number, xMax = Infinity): number {
    const tailMass = xMax === Infinity ? 1 : 1 - Math.pow(xMin / xMax, alphaShape);
    const x = xMin / Math.pow(1 - this.next() * tailMass, 1 / alphaShape);
    return Math.min(x, xMax);
  }
}
