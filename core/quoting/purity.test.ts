import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * eslint.config.js enforces the pure-layer rules on core/pricing, core/model and core/protocol
 * only; until core/quoting joins that list, this keeps the quote generator's modules free of
 * I/O, clocks and randomness by reading their sources.
 */
const PURE_MODULES = ['chain-quoter.ts', 'collar.ts', 'index.ts', 'overrides.ts', 'quote-diff.ts', 'quote-generator.ts', 'quote-types.ts', 'quoting-params.ts', 'selection.ts', 'ticks.ts'];
const FORBIDDEN: readonly [RegExp, string][] = [
  [/from '(node:|fs|path|os|crypto|ws|electron|react)/, 'an I/O, Node or UI import'],
  [/\bDate\.now\b|new Date\(\)/, 'the clock'],
  [/\bMath\.random\b/, 'randomness'],
  [/\bperformance\.|\bprocess\.|\bsetTimeout\b|\bsetInterval\b|\bfetch\(/, 'the environment or a scheduler'],
];

describe('core/quoting purity', () => {
  it.each(PURE_MODULES)('%s reads no clock, randomness or environment', (file) => {
    const source = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    for (const [pattern, what] of FORBIDDEN) expect(pattern.test(source), `${file} uses ${what}`).toBe(false);
  });
});
