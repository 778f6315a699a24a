import { z } from 'zod';

/**
 * The recording format: gzip-compressed JSON lines, one file per UTC day.
 *
 *   line 1   {"type":"header","format":"ows-recording","version":1,...}      (RecordingHeader)
 *   then     {"receivedTsMs":1763737200123,"frame":<the venue's frame, verbatim>}
 *   and      {"sentTsMs":1763737200100,"request":{"jsonrpc":"2.0","id":7,"method":...}}
 *
 * Inbound frames are embedded byte for byte as the venue sent them (no re-serialisation on the
 * hot path); a frame that is not a single line of JSON is stored as a string under "text".
 * Outbound requests are kept so that a response can be matched to its method (instruments), and
 * so the round trips the recorder saw can be measured back from the file.
 */

export const RECORDING_FORMAT = 'ows-recording';
export const RECORDING_VERSION = 1;

export const RecordingHeaderSchema = z
  .object({
    type: z.literal('header'),
    format: z.literal(RECORDING_FORMAT),
    version: z.literal(RECORDING_VERSION),
    venue: z.string().min(1),
    source: z.enum(['simulator', 'venue']),
    url: z.string(),
    currencies: z.array(z.string().min(1)),
    /** UTC day of the file (YYYY-MM-DD). */
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    createdTsMs: z.number().finite(),
    /** For a simulator recording: its seed and speed. */
    seed: z.number().int().optional(),
    note: z.string().optional(),
  })
  .strict();
export type RecordingHeader = z.infer<typeof RecordingHeaderSchema>;

const InboundSchema = z.union([
  z.object({ receivedTsMs: z.number().finite(), frame: z.unknown() }).strict(),
  z.object({ receivedTsMs: z.number().finite(), text: z.string() }).strict(),
]);
const OutboundSchema = z.object({ sentTsMs: z.number().finite(), request: z.object({ id: z.number().optional(), method: z.string() }).passthrough() }).strict();

/** One line after the header: an inbound frame (its text) or an outbound request. */
export type RecordLine =
  | { readonly kind: 'in'; readonly receivedTsMs: number; readonly text: string }
  | { readonly kind: 'out'; readonly sentTsMs: number; readonly id: number | undefined; readonly method: string; readonly params: unknown };

const IN_PREFIX = '{"receivedTsMs":';
const FRAME_KEY = ',"frame":';

/** The line of an inbound frame: string concatenation only, unless the text would break the line. */
export function inboundLine(receivedTsMs: number, text: string): string {
  if (text.length === 0 || text.includes('\n') || text.includes('\r')) return `${JSON.stringify({ receivedTsMs, text })}\n`;
  return `${IN_PREFIX}${receivedTsMs}${FRAME_KEY}${text}}\n`;
}

export function outboundLine(sentTsMs: number, request: { readonly id?: number; readonly method: string; readonly params?: unknown }): string {
  return `${JSON.stringify({ sentTsMs, request: { jsonrpc: '2.0', ...request } })}\n`;
}

export function headerLine(header: RecordingHeader): string {
  return `${JSON.stringify(RecordingHeaderSchema.parse(header))}\n`;
}

export type ParsedLine = { readonly ok: true; readonly line: RecordLine } | { readonly ok: false; readonly reason: string };

/**
 * Parses one line after the header. Inbound lines in the writer's own shape are split by hand
 * (the frame's text is what the adapter's parsers read, so it is not parsed twice); anything else
 * goes through the schema. A frame embedded verbatim that is not valid JSON is caught later, by
 * the venue parsers, exactly as a live malformed frame would be.
 */
export function parseRecordLine(line: string): ParsedLine {
  if (line.startsWith(IN_PREFIX)) {
    const keyAt = line.indexOf(FRAME_KEY, IN_PREFIX.length);
    if (keyAt > 0 && line.charCodeAt(line.length - 1) === 125 /* } */) {
      const receivedTsMs = Number(line.slice(IN_PREFIX.length, keyAt));
      if (Number.isFinite(receivedTsMs) && keyAt > IN_PREFIX.length) return { ok: true, line: { kind: 'in', receivedTsMs, text: line.slice(keyAt + FRAME_KEY.length, line.length - 1) } };
    }
  }
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, reason: `not JSON: ${line.slice(0, 60)}` };
  }
  const inbound = InboundSchema.safeParse(raw);
  if (inbound.success) {
    const value = inbound.data;
    return { ok: true, line: { kind: 'in', receivedTsMs: value.receivedTsMs, text: 'text' in value ? value.text : JSON.stringify(value.frame) } };
  }
  const outbound = OutboundSchema.safeParse(raw);
  if (outbound.success) {
    const { sentTsMs, request } = outbound.data;
    return { ok: true, line: { kind: 'out', sentTsMs, id: request.id, method: request.method, params: request.params } };
  }
  return { ok: false, reason: `not a recording line: ${line.slice(0, 60)}` };
}

export function parseHeader(line: string): { ok: true; header: RecordingHeader } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'the first line is not JSON' };
  }
  const parsed = RecordingHeaderSchema.safeParse(raw);
  return parsed.success ? { ok: true, header: parsed.data } : { ok: false, reason: `not a recording header: ${parsed.error.issues[0]?.message ?? ''}` };
}

/** YYYY-MM-DD of a UTC timestamp (pure: the caller passes the time). */
export function utcDay(tsMs: number): string {
  return new Date(tsMs).toISOString().slice(0, 10);
}
