import { z } from 'zod';
import type { Fill } from '../model/trading.ts';
import type { Command, LimitRow, OrderRow, OverrideRow, StrategyMode } from '../protocol/index.ts';
import { CommandSchema } from '../protocol/index.ts';

/**
 * What the engine writes to its journal, and how a restarted engine folds it back into state.
 * Facts are journaled, not inputs: a fill, an override, a limit change, a mode change — so a
 * restart does not have to re-run the market to get its book back. Commands are journaled too,
 * for the audit trail. The journal file is outside input on the way back in: every record is
 * parsed with these schemas, and one that does not parse is reported, never guessed at.
 */

const tsMs = z.number().finite();
const side = z.enum(['buy', 'sell']);

const FillSchema = z.object({
  venueId: z.string(),
  tradeId: z.string(),
  venueOrderId: z.string(),
  label: z.string(),
  instrumentName: z.string(),
  side,
  amount: z.number().finite(),
  price: z.number().finite(),
  feeCoin: z.number().finite(),
  indexPrice: z.number().finite(),
  liquidity: z.enum(['maker', 'taker']),
  tsMs,
});

const OrderSchema = z.object({
  clientOrderId: z.string(),
  venueOrderId: z.string().optional(),
  venueId: z.string(),
  instrumentName: z.string(),
  side,
  price: z.number().finite(),
  amount: z.number().finite(),
  filledAmount: z.number().finite(),
  averagePrice: z.number().finite(),
  postOnly: z.boolean(),
  reduceOnly: z.boolean(),
  origin: z.enum(['strategy', 'manual', 'hedge']),
  state: z.enum(['pending-new', 'open', 'partially-filled', 'filled', 'pending-cancel', 'pending-replace', 'cancelled', 'rejected', 'unknown']),
  reason: z.string().optional(),
  createdTsMs: tsMs,
  updatedTsMs: tsMs,
  /** A mass quote's MMP group; absent on ordinary orders and in journals written before it was recorded. */
  mmpGroup: z.string().optional(),
});
// zod strips fields a schema does not name, so an OrderRow field missing here is lost on every
// restart without an error (mmpGroup was): this only compiles while the schema names them all.
type UnjournaledOrderFields = Exclude<keyof OrderRow, keyof z.infer<typeof OrderSchema>>;
const JournaledOrderSchema: [UnjournaledOrderFields] extends [never] ? typeof OrderSchema : never = OrderSchema;

const OverrideSchema = z.object({
  id: z.string(),
  scope: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('instrument'), instrumentName: z.string() }),
    z.object({ kind: z.literal('expiry'), currency: z.string(), expiryMs: z.number() }),
    z.object({ kind: z.literal('underlying'), currency: z.string() }),
  ]),
  volOffsetPts: z.number().optional(),
  widthMultiplier: z.number().optional(),
  skewOffsetPts: z.number().optional(),
  sizeCoin: z.number().optional(),
  sideOff: z.enum(['bid', 'ask']).optional(),
  fixedPrice: z.object({ bidPriceCoin: z.number().optional(), askPriceCoin: z.number().optional() }).optional(),
  lock: z.boolean().optional(),
  by: z.string(),
  atMs: tsMs,
  reason: z.string(),
  expiresAtMs: z.number().optional(),
});

const LimitRowSchema = z.object({
  limitId: z.string(),
  currency: z.string(),
  label: z.string(),
  unit: z.string(),
  value: z.number(),
  limit: z.number(),
  utilization: z.number(),
  warnAtFraction: z.number(),
  state: z.enum(['ok', 'warn', 'breach']),
  action: z.enum(['warn', 'reduce-only', 'pause', 'kill']),
});

const mode = z.enum(['ACTIVE', 'REDUCING', 'PAUSED', 'HALTED']);
const params = z.record(z.string(), z.union([z.number(), z.boolean(), z.string()]));

export const JournalRecordSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session'), tsMs, sessionId: z.string(), version: z.string() }),
  z.object({ type: z.literal('command'), tsMs, command: CommandSchema }),
  z.object({ type: z.literal('fill'), tsMs, fill: FillSchema }),
  z.object({ type: z.literal('order'), tsMs, order: JournaledOrderSchema }),
  z.object({ type: z.literal('override-set'), tsMs, override: OverrideSchema }),
  z.object({ type: z.literal('override-cleared'), tsMs, overrideId: z.string(), why: z.string() }),
  /** The whole limits configuration after a change (validated again by core/risk on restore). */
  z.object({ type: z.literal('limits'), tsMs, config: z.unknown() }),
  z.object({ type: z.literal('limit-breached'), tsMs, limit: LimitRowSchema }),
  z.object({ type: z.literal('limit-reset'), tsMs, limit: LimitRowSchema }),
  z.object({ type: z.literal('params'), tsMs, currency: z.string(), params }),
  z.object({ type: z.literal('mode'), tsMs, currency: z.string(), mode, reason: z.string() }),
  z.object({ type: z.literal('auto-hedge'), tsMs, currency: z.string(), config: z.unknown() }),
  z.object({ type: z.literal('kill'), tsMs, reason: z.string(), source: z.enum(['trader', 'limit', 'venue-disconnect', 'engine']) }),
  z.object({ type: z.literal('halt-acknowledged'), tsMs }),
]);

export type JournalRecord =
  | { readonly type: 'session'; readonly tsMs: number; readonly sessionId: string; readonly version: string }
  | { readonly type: 'command'; readonly tsMs: number; readonly command: Command }
  | { readonly type: 'fill'; readonly tsMs: number; readonly fill: Fill }
  | { readonly type: 'order'; readonly tsMs: number; readonly order: OrderRow }
  | { readonly type: 'override-set'; readonly tsMs: number; readonly override: OverrideRow }
  | { readonly type: 'override-cleared'; readonly tsMs: number; readonly overrideId: string; readonly why: string }
  | { readonly type: 'limits'; readonly tsMs: number; readonly config: unknown }
  | { readonly type: 'limit-breached'; readonly tsMs: number; readonly limit: LimitRow }
  | { readonly type: 'limit-reset'; readonly tsMs: number; readonly limit: LimitRow }
  | { readonly type: 'params'; readonly tsMs: number; readonly currency: string; readonly params: Readonly<Record<string, number | boolean | string>> }
  | { readonly type: 'mode'; readonly tsMs: number; readonly currency: string; readonly mode: StrategyMode; readonly reason: string }
  | { readonly type: 'auto-hedge'; readonly tsMs: number; readonly currency: string; readonly config: unknown }
  | { readonly type: 'kill'; readonly tsMs: number; readonly reason: string; readonly source: 'trader' | 'limit' | 'venue-disconnect' | 'engine' }
  | { readonly type: 'halt-acknowledged'; readonly tsMs: number };

export function parseJournalRecord(value: unknown): JournalRecord | Error {
  const parsed = JournalRecordSchema.safeParse(value);
  if (parsed.success) return parsed.data as JournalRecord;
  const issue = parsed.error.issues[0];
  return new Error(`not a journal record: ${issue ? `${issue.path.join('.') || 'record'}: ${issue.message}` : 'invalid'}`);
}

/** Where the engine writes records; the worker backs it with the journal file, tests with an array. */
export interface JournalSink {
  append(record: JournalRecord): void;
}

/** The state a restarted engine starts from. */
export interface RestoredState {
  readonly fills: readonly Fill[];
  readonly orders: readonly OrderRow[];
  readonly overrides: readonly OverrideRow[];
  readonly limitsConfig?: unknown;
  readonly params: ReadonlyMap<string, Readonly<Record<string, number | boolean | string>>>;
  readonly modes: ReadonlyMap<string, { readonly mode: StrategyMode; readonly reason: string }>;
  readonly autoHedge: ReadonlyMap<string, unknown>;
  readonly kill?: { readonly reason: string; readonly source: 'trader' | 'limit' | 'venue-disconnect' | 'engine'; readonly tsMs: number };
  readonly records: number;
  /** Time of the first session in the journal: trades since then are asked of the venue on reconnect. */
  readonly firstSessionTsMs?: number;
}

/** Folds journal records, oldest first, into the state to restart from. */
export function restoreFrom(records: Iterable<JournalRecord>): RestoredState {
  const fills = new Map<string, Fill>();
  const orders = new Map<string, OrderRow>();
  const overrides = new Map<string, OverrideRow>();
  const params = new Map<string, Readonly<Record<string, number | boolean | string>>>();
  const modes = new Map<string, { mode: StrategyMode; reason: string }>();
  const autoHedge = new Map<string, unknown>();
  let limitsConfig: unknown;
  let kill: RestoredState['kill'];
  let count = 0;
  let firstSessionTsMs: number | undefined;
  for (const record of records) {
    count++;
    switch (record.type) {
      case 'session':
        firstSessionTsMs ??= record.tsMs;
        break;
      case 'fill':
        fills.set(`${record.fill.venueId}:${record.fill.tradeId}`, record.fill);
        break;
      case 'order':
        orders.set(record.order.clientOrderId, record.order);
        break;
      case 'override-set':
        overrides.set(record.override.id, record.override);
        break;
      case 'override-cleared':
        overrides.delete(record.overrideId);
        break;
      case 'limits':
        limitsConfig = record.config;
        break;
      case 'params':
        params.set(record.currency, record.params);
        break;
      case 'mode':
        modes.set(record.currency, { mode: record.mode, reason: record.reason });
        break;
      case 'auto-hedge':
        autoHedge.set(record.currency, record.config);
        break;
      case 'kill':
        kill = { reason: record.reason, source: record.source, tsMs: record.tsMs };
        break;
      case 'halt-acknowledged':
        kill = undefined;
        break;
      case 'command':
      case 'limit-breached':
      case 'limit-reset':
        break;
    }
  }
  return {
    fills: [...fills.values()],
    orders: [...orders.values()],
    overrides: [...overrides.values()],
    ...(limitsConfig !== undefined && { limitsConfig }),
    params,
    modes,
    autoHedge,
    ...(kill && { kill }),
    records: count,
    ...(firstSessionTsMs !== undefined && { firstSessionTsMs }),
  };
}
