import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCommand, decodeCommandText, decodeEventText, encodeCommand, encodeEvent, MAX_COMMAND_BYTES } from './codec.ts';

describe('command codec', () => {
  it('round-trips every valid command', () => {
    const ping = { type: 'Ping', commandId: 'c-1', clientTsMs: 12.5 } as const;
    expect(decodeCommandText(encodeCommand(ping))).toEqual({ ok: true, command: ping });
    expect(decodeCommand({ type: 'RestartEngine', commandId: 'r' })).toEqual({ ok: true, command: { type: 'RestartEngine', commandId: 'r' } });
  });

  it('rejects with a reason that names the field, keeping the commandId', () => {
    expect(decodeCommand({ type: 'Ping', commandId: 'c-2', clientTsMs: 'soon' })).toMatchObject({ ok: false, commandId: 'c-2', reason: expect.stringContaining('clientTsMs') });
    expect(decodeCommand({ type: 'Ping', commandId: 'c-3', clientTsMs: 1, extra: true })).toMatchObject({ ok: false, commandId: 'c-3' });
    expect(decodeCommand({ type: 'Nope', commandId: 'c-4' })).toMatchObject({ ok: false, commandId: 'c-4' });
    expect(decodeCommand({ type: 'Ping', commandId: '', clientTsMs: 1 })).toMatchObject({ ok: false });
    expect(decodeCommandText('{')).toMatchObject({ ok: false, commandId: '', reason: expect.stringContaining('malformed JSON') });
    expect(decodeCommandText(' '.repeat(MAX_COMMAND_BYTES + 1))).toMatchObject({ ok: false, reason: expect.stringContaining('too large') });
  });

  it('never throws and never accepts a non-command, whatever arrives', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything()), (raw) => {
        const decoded = decodeCommand(raw);
        if (decoded.ok) expect(['Ping', 'RestartEngine']).toContain(decoded.command.type);
        else expect(decoded.reason.length).toBeGreaterThan(0);
      }),
      { seed: 1, numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(() => decodeCommandText(text)).not.toThrow();
      }),
      { seed: 2, numRuns: 1000 },
    );
  });
});

describe('event codec', () => {
  it('round-trips events and drops unknown frames', () => {
    const event = { type: 'CommandRejected', commandId: 'x', reason: 'r', tsMs: 1 } as const;
    expect(decodeEventText(encodeEvent(event))).toEqual(event);
    expect(decodeEventText('{"type":"Hacked"}')).toBeUndefined();
    expect(decodeEventText('null')).toBeUndefined();
    expect(decodeEventText('][')).toBeUndefined();
  });

  it('carries the command-specific answers (pre-trade check, hedge preview) over the WebSocket link', () => {
    const checked = { type: 'OrderChecked', commandId: 'c', ok: false, check: 'collar', reason: 'too far' } as const;
    expect(decodeEventText(encodeEvent(checked))).toEqual(checked);
    const preview = { type: 'HedgePreviewed', commandId: 'h', currency: 'BTC', instrumentName: 'BTC-PERPETUAL', side: 'buy', amount: 100, limitPrice: 95_000, deltaBeforeCoin: -0.01, deltaAfterCoin: 0, expectedCostUsd: 0.05, expectedCostCoin: 5e-7, warnings: [] } as const;
    expect(decodeEventText(encodeEvent(preview))).toEqual(preview);
  });
});
