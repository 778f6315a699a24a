import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StrategyMode } from '../protocol/index.ts';
import type { ModeCause } from './strategy-mode.ts';
import { nextMode, quotesAllowed } from './strategy-mode.ts';

const modes: StrategyMode[] = ['ACTIVE', 'REDUCING', 'PAUSED', 'HALTED'];
const cause = fc.oneof(
  fc.constantFrom<ModeCause>({ kind: 'trader', mode: 'ACTIVE' }, { kind: 'trader', mode: 'REDUCING' }, { kind: 'trader', mode: 'PAUSED' }),
  fc.constantFrom<ModeCause>({ kind: 'limit', action: 'reduce-only' }, { kind: 'limit', action: 'pause' }, { kind: 'limit', action: 'kill' }),
  fc.constantFrom<ModeCause>({ kind: 'mmp' }, { kind: 'kill' }, { kind: 'halt-acknowledged' }),
);

describe('strategy mode', () => {
  it('leaves HALTED only through an acknowledgement, and then comes back PAUSED', () => {
    expect(nextMode('HALTED', { kind: 'trader', mode: 'ACTIVE' })).toEqual({ ok: false, reason: expect.stringContaining('acknowledge') });
    expect(nextMode('HALTED', { kind: 'halt-acknowledged' })).toEqual({ ok: true, mode: 'PAUSED' });
    expect(nextMode('ACTIVE', { kind: 'kill' })).toEqual({ ok: true, mode: 'HALTED' });
  });

  it('lets limits only tighten the mode', () => {
    expect(nextMode('ACTIVE', { kind: 'limit', action: 'reduce-only' })).toEqual({ ok: true, mode: 'REDUCING' });
    expect(nextMode('PAUSED', { kind: 'limit', action: 'reduce-only' })).toEqual({ ok: true, mode: 'PAUSED' });
    expect(nextMode('REDUCING', { kind: 'mmp' })).toEqual({ ok: true, mode: 'PAUSED' });
  });

  it('never reaches a quoting mode from HALTED in any sequence without an acknowledgement', () => {
    fc.assert(
      fc.property(fc.constantFrom(...modes), fc.array(cause, { maxLength: 30 }), (start, causes) => {
        let mode = start;
        let halted = start === 'HALTED';
        for (const c of causes) {
          const result = nextMode(mode, c);
          if (!result.ok) continue;
          if (c.kind === 'halt-acknowledged') halted = false;
          mode = result.mode;
          if (mode === 'HALTED') halted = true;
          if (halted) expect(quotesAllowed(mode)).toBe('none');
        }
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});
