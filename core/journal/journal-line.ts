import { crc32, crc32Hex } from './crc32.ts';

/**
 * One journal line: `<json>\t<crc32 hex of the json bytes>\n`, where the JSON is an envelope
 * `{"seq":N,"record":{…}}` or `{"seq":N,"snapshot":{…}}`. The envelope keeps the journal's seq out
 * of the caller's record (a record may have its own `seq`, e.g. a venue's) and marks snapshots
 * without the journal knowing the caller's record types. JSON.stringify escapes tab and newline
 * inside strings, so neither byte can occur in the JSON: the line splits unambiguously.
 */

/** What every journaled value is: the kernel defines the union, the journal only needs the tag. */
export interface TaggedRecord {
  readonly type: string;
}

export type EntryKind = 'record' | 'snapshot';

const TAB = 0x09;
/** `\t` + 8 hex digits. */
const TRAILER_BYTES = 9;

/** The bytes of one line, newline included, for a record already serialized to JSON. */
export function encodeLine(seq: number, kind: EntryKind, valueJson: string): Buffer {
  const json = `{"seq":${seq},"${kind}":${valueJson}}`;
  const jsonBytes = Buffer.byteLength(json);
  const line = Buffer.allocUnsafe(jsonBytes + TRAILER_BYTES + 1);
  line.write(json, 0, 'utf8');
  line[jsonBytes] = TAB;
  line.write(crc32Hex(line, 0, jsonBytes), jsonBytes + 1, 'latin1');
  line[line.length - 1] = 0x0a;
  return line;
}

export type DecodedLine =
  /** The frame or its CRC is wrong: what a torn or damaged write looks like. */
  | { readonly status: 'damaged'; readonly reason: string }
  /** The CRC matches, so these bytes were written as they are, yet they are not an envelope. */
  | { readonly status: 'invalid'; readonly reason: string }
  | { readonly status: 'ok'; readonly seq: number; readonly kind: EntryKind; readonly value: unknown };

/** Checks the frame and CRC only: enough to tell whether an intact record follows a damaged one. */
export function isIntact(line: Uint8Array): boolean {
  return frameDamage(line) === undefined;
}

/** Decodes one line without its newline. */
export function decodeLine(line: Uint8Array): DecodedLine {
  const damage = frameDamage(line);
  if (damage !== undefined) return { status: 'damaged', reason: damage };
  const jsonEnd = line.length - TRAILER_BYTES;
  let envelope: unknown;
  try {
    envelope = JSON.parse(Buffer.from(line.buffer, line.byteOffset, jsonEnd).toString('utf8'));
  } catch (error) {
    return { status: 'invalid', reason: `not JSON (${(error as Error).message})` };
  }
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) return { status: 'invalid', reason: 'not an object' };
  const { seq } = envelope as { seq?: unknown };
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return { status: 'invalid', reason: 'no positive integer seq' };
  const hasRecord = 'record' in envelope;
  const hasSnapshot = 'snapshot' in envelope;
  if (hasRecord === hasSnapshot) return { status: 'invalid', reason: 'needs exactly one of record, snapshot' };
  const kind: EntryKind = hasRecord ? 'record' : 'snapshot';
  return { status: 'ok', seq, kind, value: (envelope as Record<EntryKind, unknown>)[kind] };
}

function frameDamage(line: Uint8Array): string | undefined {
  if (line.length < TRAILER_BYTES + 2) return 'too short for a record';
  const jsonEnd = line.length - TRAILER_BYTES;
  if (line[jsonEnd] !== TAB) return 'no CRC field';
  const hex = Buffer.from(line.buffer, line.byteOffset + jsonEnd + 1, 8).toString('latin1');
  if (!/^[0-9a-f]{8}$/.test(hex)) return 'malformed CRC field';
  const actual = crc32(line, 0, jsonEnd);
  if (actual !== Number.parseInt(hex, 16)) return `CRC mismatch (stored ${hex}, computed ${actual.toString(16).padStart(8, '0')})`;
  return undefined;
}
