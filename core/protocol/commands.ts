import { z } from 'zod';

/**
 * Commands: renderer → engine. Imperative names, a discriminated union on `type`, each carrying a
 * client-chosen `commandId` that the answer (`CommandAccepted` / `CommandRejected` / a specific
 * event) echoes. Every command is parsed with these schemas at the engine edge; TypeScript types
 * are derived from the schemas so the two cannot drift.
 */

const commandId = z.string().min(1).max(64);

export const PingSchema = z
  .object({
    type: z.literal('Ping'),
    commandId,
    /** The sender's clock when it sent the ping; echoed so the sender can measure round trip. */
    clientTsMs: z.number().finite(),
  })
  .strict();

/**
 * Answered by the engine host, not the engine: restarts a worker that exited or stalled. The host
 * never restarts on its own; the trader acknowledges first.
 */
export const RestartEngineSchema = z
  .object({
    type: z.literal('RestartEngine'),
    commandId,
  })
  .strict();

const instrumentName = z.string().min(1).max(64);
const positive = z.number().finite().positive();

/** A trader's order, typed in the ladder or the order ticket: first-class, never touched by strategies. */
export const PlaceOrderSchema = z
  .object({
    type: z.literal('PlaceOrder'),
    commandId,
    instrumentName,
    side: z.enum(['buy', 'sell']),
    price: positive,
    amount: positive,
    postOnly: z.boolean().default(false),
    reduceOnly: z.boolean().default(false),
  })
  .strict();

export const CancelOrderSchema = z.object({ type: z.literal('CancelOrder'), commandId, clientOrderId: z.string().min(1).max(64) }).strict();

/** Cancels every order of ours at every venue, on one underlying, or on one instrument. */
export const CancelAllOrdersSchema = z
  .object({ type: z.literal('CancelAllOrders'), commandId, instrumentName: instrumentName.optional(), currency: z.string().min(2).max(10).optional() })
  .strict()
  .refine((c) => c.instrumentName === undefined || c.currency === undefined, 'an instrument or a currency, not both');

/** Amends a working order in place (Deribit private/edit): keeps its id; price and/or size change. */
export const ReplaceOrderSchema = z.object({ type: z.literal('ReplaceOrder'), commandId, clientOrderId: z.string().min(1).max(64), price: positive, amount: positive }).strict();

/** Asks the pre-trade checks about an order without sending it (the ladder shows the answer). */
export const CheckOrderSchema = PlaceOrderSchema.extend({ type: z.literal('CheckOrder') }).strict();

const currency = z.string().min(2).max(10).regex(/^[A-Z0-9_]+$/, 'a currency code such as BTC');
const reason = z.string().trim().min(1, 'say why').max(200);

/** Strategy modes the trader sets; HALTED is only entered through the kill switch. */
export const SetStrategyModeSchema = z.object({ type: z.literal('SetStrategyMode'), commandId, currency, mode: z.enum(['ACTIVE', 'REDUCING', 'PAUSED']), reason: z.string().max(200).optional() }).strict();

/** Edits quoting parameters of one underlying; the engine validates the result as a whole. */
export const SetQuotingParamsSchema = z
  .object({ type: z.literal('SetQuotingParams'), commandId, currency, patch: z.record(z.string().max(64), z.union([z.number().finite(), z.boolean(), z.string().max(64)])) })
  .strict();

const overrideScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('instrument'), instrumentName }).strict(),
  z.object({ kind: z.literal('expiry'), currency, expiryMs: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('underlying'), currency }).strict(),
]);

/** A manual override of the strategy; the engine assigns its id and time, the trader says why. */
export const SetOverrideSchema = z
  .object({
    type: z.literal('SetOverride'),
    commandId,
    scope: overrideScope,
    volOffsetPts: z.number().finite().min(-50).max(50).optional(),
    widthMultiplier: z.number().finite().min(0.1).max(20).optional(),
    skewOffsetPts: z.number().finite().min(-50).max(50).optional(),
    sizeCoin: z.number().finite().min(0).optional(),
    sideOff: z.enum(['bid', 'ask']).optional(),
    fixedPrice: z.object({ bidPriceCoin: positive.optional(), askPriceCoin: positive.optional() }).strict().optional(),
    lock: z.boolean().optional(),
    by: z.string().trim().min(1).max(64).default('trader'),
    reason,
    expiresAtMs: z.number().int().positive().optional(),
  })
  .strict();

export const ClearOverrideSchema = z.object({ type: z.literal('ClearOverride'), commandId, overrideId: z.string().min(1).max(64) }).strict();

/** Changes one limit (value, warning fraction or action); the engine validates the new set. */
export const SetLimitSchema = z
  .object({
    type: z.literal('SetLimit'),
    commandId,
    limitId: z.string().min(1).max(96),
    limit: positive.optional(),
    warnAtFraction: z.number().finite().gt(0).max(1).optional(),
    action: z.enum(['warn', 'reduce-only', 'pause', 'kill']).optional(),
  })
  .strict();

/** Pulls everything everywhere and latches HALTED. One click, no confirmation. */
export const KillSwitchSchema = z.object({ type: z.literal('KillSwitch'), commandId, reason: z.string().max(200).default('kill switch pulled by the trader') }).strict();

/** Releases the HALTED latch; strategies come back PAUSED, never quoting by themselves. */
export const AcknowledgeHaltSchema = z.object({ type: z.literal('AcknowledgeHalt'), commandId, acknowledgement: z.literal('I have checked positions and orders') }).strict();

const hedgeTactic = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('passive-then-cross'), timeoutMs: z.number().int().min(100).max(600_000), maxSlippageBps: z.number().finite().min(0).max(500) }).strict(),
  z.object({ kind: z.literal('immediate'), maxSlippageBps: z.number().finite().min(0).max(500) }).strict(),
]);

/** Previews (execute false) or executes a delta hedge of one underlying on a perpetual or future. */
export const HedgeDeltaSchema = z
  .object({
    type: z.literal('HedgeDelta'),
    commandId,
    currency,
    instrumentName: instrumentName.optional(),
    targetDeltaCoin: z.number().finite().default(0),
    tactic: hedgeTactic.default({ kind: 'passive-then-cross', timeoutMs: 5000, maxSlippageBps: 20 }),
    execute: z.boolean(),
  })
  .strict();

export const SetAutoHedgeSchema = z
  .object({
    type: z.literal('SetAutoHedge'),
    commandId,
    currency,
    enabled: z.boolean(),
    targetCoin: z.number().finite().default(0),
    bandCoin: positive,
    minIntervalMs: z.number().int().min(0).max(3_600_000).default(10_000),
    instrumentName: instrumentName.optional(),
  })
  .strict();

/** Pulls all quotes of the underlying (or all), then closes every position with reduce-only orders. */
/** Flatten's option slippage cap when the command names none, percent of the mark. */
export const DEFAULT_FLATTEN_SLIPPAGE_PCT = 10;

/**
 * Closes every position (of one underlying, or all). `optionSlippagePct` caps how far from its mark
 * an option close may trade, in percent of the mark (default 10; at least two ticks): the trader's
 * protection against closing a wing into an empty book, widened to 100 to take whatever the book
 * offers.
 */
export const FlattenSchema = z.object({ type: z.literal('Flatten'), commandId, currency: currency.optional(), optionSlippagePct: z.number().finite().min(0).max(100).optional() }).strict();

/** Stops a hedge or a flatten in progress (its orders are cancelled). */
export const CancelExecutionSchema = z.object({ type: z.literal('CancelExecution'), commandId, executionId: z.string().min(1).max(64) }).strict();

/** Publishes an instrument's depth in the books topic (the ladder's selection); the oldest watch lapses after a few. */
export const WatchBookSchema = z.object({ type: z.literal('WatchBook'), commandId, instrumentName }).strict();

export const CommandSchema = z.discriminatedUnion('type', [
  PingSchema,
  RestartEngineSchema,
  PlaceOrderSchema,
  CancelOrderSchema,
  CancelAllOrdersSchema,
  ReplaceOrderSchema,
  CheckOrderSchema,
  SetStrategyModeSchema,
  SetQuotingParamsSchema,
  SetOverrideSchema,
  ClearOverrideSchema,
  SetLimitSchema,
  KillSwitchSchema,
  AcknowledgeHaltSchema,
  HedgeDeltaSchema,
  SetAutoHedgeSchema,
  FlattenSchema,
  CancelExecutionSchema,
  WatchBookSchema,
]);

export type Ping = z.infer<typeof PingSchema>;
export type RestartEngine = z.infer<typeof RestartEngineSchema>;
export type PlaceOrder = z.infer<typeof PlaceOrderSchema>;
export type SetOverride = z.infer<typeof SetOverrideSchema>;
export type HedgeDelta = z.infer<typeof HedgeDeltaSchema>;
export type HedgeTactic = z.infer<typeof hedgeTactic>;
export type Command = Readonly<z.infer<typeof CommandSchema>>;
/** What a sender writes: defaults (postOnly, reduceOnly) may be left out. */
export type CommandInput = Readonly<z.input<typeof CommandSchema>>;
export type CommandType = Command['type'];

/** Commands handled by the host that supervises the engine worker rather than by the engine. */
export const HOST_COMMANDS: ReadonlySet<CommandType> = new Set<CommandType>(['RestartEngine']);
