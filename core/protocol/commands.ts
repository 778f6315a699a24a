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

/** Cancels every order of ours at every venue, or on one instrument. */
export const CancelAllOrdersSchema = z.object({ type: z.literal('CancelAllOrders'), commandId, instrumentName: instrumentName.optional() }).strict();

export const CommandSchema = z.discriminatedUnion('type', [PingSchema, RestartEngineSchema, PlaceOrderSchema, CancelOrderSchema, CancelAllOrdersSchema]);

export type Ping = z.infer<typeof PingSchema>;
export type RestartEngine = z.infer<typeof RestartEngineSchema>;
export type PlaceOrder = z.infer<typeof PlaceOrderSchema>;
export type Command = Readonly<z.infer<typeof CommandSchema>>;
/** What a sender writes: defaults (postOnly, reduceOnly) may be left out. */
export type CommandInput = Readonly<z.input<typeof CommandSchema>>;
export type CommandType = Command['type'];

/** Commands handled by the host that supervises the engine worker rather than by the engine. */
export const HOST_COMMANDS: ReadonlySet<CommandType> = new Set<CommandType>(['RestartEngine']);
