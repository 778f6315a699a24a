import type { Command } from './commands.ts';
import { CommandSchema } from './commands.ts';
import type { EngineEvent } from './events.ts';

/** Largest command frame the engine edge accepts; anything bigger is hostile or a bug. */
export const MAX_COMMAND_BYTES = 64 * 1024;

export type DecodedCommand =
  | { readonly ok: true; readonly command: Command }
  | { readonly ok: false; readonly commandId: string; readonly reason: string };

function commandIdOf(raw: unknown): string {
  if (typeof raw === 'object' && raw !== null && 'commandId' in raw) {
    const id = (raw as { commandId: unknown }).commandId;
    if (typeof id === 'string' && id.length <= 64) return id;
  }
  return '';
}

/** Validates an already-parsed value (MessagePort transports deliver structured clones). */
export function decodeCommand(raw: unknown): DecodedCommand {
  const parsed = CommandSchema.safeParse(raw);
  if (parsed.success) return { ok: true, command: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, commandId: commandIdOf(raw), reason: `invalid command: ${where}${issue?.message ?? 'unknown error'}` };
}

/** Parses and validates a text frame (the WebSocket transport). */
export function decodeCommandText(text: string): DecodedCommand {
  if (text.length > MAX_COMMAND_BYTES) {
    return { ok: false, commandId: '', reason: `command frame too large: ${text.length} bytes (max ${MAX_COMMAND_BYTES})` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, commandId: '', reason: `malformed JSON: ${(error as Error).message}` };
  }
  return decodeCommand(raw);
}

export function encodeEvent(event: EngineEvent): string {
  return JSON.stringify(event);
}

export function encodeCommand(command: Command): string {
  return JSON.stringify(command);
}

/** Keyed by the union: a new event type fails the typecheck until the codec knows it. */
const EVENT_TYPE_KEYS: Readonly<Record<EngineEvent['type'], true>> = {
  CommandAccepted: true,
  CommandRejected: true,
  PingAnswered: true,
  OrderChecked: true,
  HedgePreviewed: true,
  Snapshot: true,
  Delta: true,
};
const EVENT_TYPES: ReadonlySet<string> = new Set(Object.keys(EVENT_TYPE_KEYS));

/**
 * Parses an event frame on the renderer side. The engine is trusted (same machine, token-checked
 * link), so this checks the envelope only and returns undefined for anything unrecognised.
 */
export function decodeEventText(text: string): EngineEvent | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const type = (raw as { type?: unknown }).type;
  return typeof type === 'string' && EVENT_TYPES.has(type) ? (raw as EngineEvent) : undefined;
}
