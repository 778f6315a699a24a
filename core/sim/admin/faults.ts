import { z } from 'zod';
import type { Clock } from '../../model/clock.ts';
import type { SimError } from '../exchange/errors.ts';
import { ERRORS } from '../exchange/errors.ts';
import type { SimExchange } from '../exchange/exchange.ts';
import type { Currency } from '../instruments/types.ts';
import { MATCHING_METHOD_NAMES, MATCHING_METHODS } from '../rpc/credits.ts';
import type { Publisher } from '../rpc/publisher.ts';
import type { Session } from '../rpc/session.ts';
import type { TrafficState } from './traffic.ts';
import { SessionTraffic } from './traffic.ts';

/**
 * Fault injection for the simulator: one command per fault, each with a bounded effect — a count
 * of messages or requests, or a duration in simulated milliseconds — after which the venue
 * behaves normally again. Commands are plain JSON validated here, so the same API serves tests in
 * the process (`venue.faults.apply(fault)`) and tests outside it (POST /admin/fault, see
 * endpoint.ts). Timed effects end on the venue's 100 ms ticks, so their granularity is one tick.
 *
 * Choices where the fault could mean several things:
 * - hangConnection: the session goes silent both ways (outgoing frames held, incoming ignored and
 *   never answered; the server's heartbeat check skips it). When the duration ends, by default
 *   the connection is dropped without a close frame (`onEnd: 'drop'`): a connection silent for
 *   that long is dead to a Deribit client, which should have noticed and reconnected.
 *   `onEnd: 'resume'` instead delivers the held frames in order and carries on.
 * - delayMessages holds the next `count` outgoing frames (answers and notifications) for
 *   `delayMs` each; frames behind them wait too, so order is kept, as on a stalled TCP stream.
 * - reorderMessages reverses a block of the next `count` notifications (answers pass through).
 * - Order faults (rejectOrders, delayOrderAcks, dropOrderAcks) apply to matching-engine requests
 *   (private/buy, sell, edit, cancel, cancel_all*, mass_quote, or the `methods` given) that are
 *   valid and authorised; rules are consumed in the order they were applied. A rejected request
 *   is not executed; a delayed or dropped one is executed at once (its notifications go out) and
 *   only its answer is held back or never sent. Delays and drops apply to WebSocket requests only.
 * - haltInstrument: new orders and edits get book_closed (10012); resting orders stay on the
 *   book, frozen, and can be cancelled; the simulator's own makers leave the book alone; the
 *   ticker's `state` is `closed`. Without `durationMs` the halt lasts until resumeInstrument.
 * - jumpPrice moves the index at once (and the marks with it); the market then evolves from the
 *   new level with the same random draws, so runs stay deterministic for a seed and a schedule.
 */

const sessionTarget = z.union([
  z.strictObject({ sessionId: z.number().int().positive() }),
  z.strictObject({ accountId: z.string().min(1).max(64) }),
  z.strictObject({ all: z.literal(true) }),
]);
/** Simulated milliseconds; at most an hour so every timed fault ends. */
const durationMs = z.number().int().min(1).max(3_600_000);
const count = z.number().int().min(1).max(100_000);
const instrumentName = z.string().min(1).max(64);
const methods = z.array(z.enum(MATCHING_METHOD_NAMES)).min(1).optional();
const ERROR_PRESETS = {
  matching_engine_queue_full: ERRORS.matchingEngineQueueFull,
  other_reject: ERRORS.otherReject,
  too_many_requests: ERRORS.tooManyRequests,
  not_enough_funds: ERRORS.notEnoughFunds,
  internal_server_error: { code: 11094, message: 'internal_server_error' },
} as const satisfies Record<string, SimError>;
const rejectError = z.union([
  z.enum(Object.keys(ERROR_PRESETS) as [keyof typeof ERROR_PRESETS, ...Array<keyof typeof ERROR_PRESETS>]),
  z.strictObject({ code: z.number().int(), message: z.string().min(1).max(100), data: z.record(z.string(), z.unknown()).optional() }),
]);

export const FaultSchema = z.discriminatedUnion('type', [
  /** Closes the matching sockets abruptly (no close frame); cancel-on-disconnect then applies. */
  z.strictObject({ type: z.literal('dropConnection'), target: sessionTarget }),
  /** Silence both ways for `durationMs`, then drop (default) or resume. */
  z.strictObject({ type: z.literal('hangConnection'), target: sessionTarget, durationMs, onEnd: z.enum(['drop', 'resume']).default('drop') }),
  /** Holds each of the next `count` outgoing frames for `delayMs`. */
  z.strictObject({ type: z.literal('delayMessages'), target: sessionTarget, delayMs: durationMs, count }),
  /** Reverses the next `count` notifications (of channels starting with `channelPrefix`); a block incomplete after `maxHoldMs` goes out reversed then. */
  z.strictObject({
    type: z.literal('reorderMessages'),
    target: sessionTarget,
    count: z.number().int().min(2).max(1000),
    channelPrefix: z.string().min(1).max(200).optional(),
    maxHoldMs: durationMs.default(1000),
  }),
  /** The next change on the instrument's book feed (both intervals unless one is named) skips a change_id. */
  z.strictObject({ type: z.literal('skipChangeId'), instrumentName, interval: z.enum(['raw', '100ms']).optional() }),
  /** One text frame that is not JSON. */
  z.strictObject({ type: z.literal('malformedFrame'), target: sessionTarget }),
  /** The next `count` order requests fail with `error` (default 10047 matching_engine_queue_full) without executing. */
  z.strictObject({ type: z.literal('rejectOrders'), accountId: z.string().min(1).max(64).optional(), count, error: rejectError.optional(), methods }),
  /** The answers to the next `count` order requests are sent `delayMs` late (the orders execute at once). */
  z.strictObject({ type: z.literal('delayOrderAcks'), accountId: z.string().min(1).max(64).optional(), count, delayMs: durationMs, methods }),
  /** The next `count` order requests execute but are never answered: lost acks. */
  z.strictObject({ type: z.literal('dropOrderAcks'), accountId: z.string().min(1).max(64).optional(), count, methods }),
  /** Empties the sessions' credit pools: the next request gets 10028 too_many_requests and the session closes. */
  z.strictObject({ type: z.literal('exhaustCredits'), target: sessionTarget }),
  /**
   * Triggers the account's MMP on an index as if a limit had been hit (needs an MMP configuration):
   * its MMP orders' protection, or with `mmpGroup` that mass-quote group alone (its quotes pulled,
   * the group frozen; other groups and the index's orders untouched).
   */
  z.strictObject({ type: z.literal('triggerMmp'), accountId: z.string().min(1).max(64), indexName: z.enum(['btc_usd', 'eth_usd']), mmpGroup: z.string().min(1).max(64).optional() }),
  /** Halts trading in an instrument, for `durationMs` or until resumeInstrument. */
  z.strictObject({ type: z.literal('haltInstrument'), instrumentName, durationMs: durationMs.optional() }),
  z.strictObject({ type: z.literal('resumeInstrument'), instrumentName }),
  /** Moves the currency's index by `fraction` at once (−0.1 = a 10 % crash). */
  z.strictObject({ type: z.literal('jumpPrice'), currency: z.enum(['BTC', 'ETH']), fraction: z.number().gt(-1).max(10) }),
  /** Ends every active fault now (held frames and acks are delivered, halts resumed). */
  z.strictObject({ type: z.literal('clearFaults') }),
]);

/** A fault command as callers write it (defaults may be omitted). */
export type Fault = z.input<typeof FaultSchema>;
export type FaultType = Fault['type'];
export type SessionTarget = z.infer<typeof sessionTarget>;
type ParsedFault = z.output<typeof FaultSchema>;

export interface FaultReceipt {
  readonly type: FaultType;
  /** Simulated time the fault was applied. */
  readonly atMs: number;
  /** Sessions the fault applies to (session-targeted faults). */
  readonly sessionIds?: readonly number[];
  /** Simulated time a timed fault ends. */
  readonly endsAtMs?: number;
}

/** A fault that cannot be applied: 400 invalid command, 404 nothing matches its target, 409 not applicable now. */
export class FaultError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
    readonly issues?: unknown,
  ) {
    super(message);
    this.name = 'FaultError';
  }
}

/** What jumpPrice needs of the market model (the venue supplies it; a bare server has none). */
export interface MarketControl {
  jump(currency: Currency, fraction: number): void;
}

/** What the controller acts on: the RPC server's sessions and publisher, the exchange, the market. */
export interface FaultHost {
  readonly clock: Clock;
  readonly exchange: SimExchange;
  readonly publisher: Publisher;
  sessions(): Iterable<Session>;
  /** Whether the session's orders are cancelled when it disconnects (connection or account scope). */
  cancelOnDisconnect(session: Session): boolean;
  /** Publishes what the exchange changed. */
  flush(): void;
  readonly market?: MarketControl | undefined;
}

export type OrderIntercept = { readonly kind: 'reject'; readonly error: SimError } | { readonly kind: 'delay'; readonly delayMs: number } | { readonly kind: 'drop' };

interface OrderRule {
  readonly kind: 'reject' | 'delay' | 'drop';
  remaining: number;
  readonly accountId: string | undefined;
  readonly methods: ReadonlySet<string>;
  readonly error: SimError;
  readonly delayMs: number;
}

interface HeldAck {
  readonly session: Session;
  readonly response: unknown;
  readonly dueMs: number;
}

export interface SessionInfo {
  readonly id: number;
  readonly accountId: string | null;
  readonly subscriptions: number;
  readonly cancelOnDisconnect: boolean;
  /** Traffic faults active on the session, if any. */
  readonly faults: TrafficState | null;
}

export interface ActiveFaults {
  readonly traffic: ReadonlyArray<TrafficState & { readonly sessionId: number }>;
  readonly orderRules: ReadonlyArray<{ readonly kind: OrderRule['kind']; readonly remaining: number; readonly accountId: string | null }>;
  readonly heldAcks: number;
  readonly pendingGaps: readonly string[];
  readonly halted: ReadonlyArray<{ readonly instrumentName: string; readonly untilMs: number | null }>;
}

/** An invalid JSON text frame: a notification cut short. */
export const MALFORMED_FRAME = '{"jsonrpc":"2.0","method":"subscription","params":{"channel":"book.';

export class FaultController {
  readonly #host: FaultHost;
  readonly #traffic = new Map<Session, SessionTraffic>();
  #orderRules: OrderRule[] = [];
  #heldAcks: HeldAck[] = [];
  /** Instruments halted by a fault, with the simulated time the halt ends (undefined: until resumed). */
  readonly #halts = new Map<string, number | undefined>();

  constructor(host: FaultHost) {
    this.#host = host;
  }

  /** Validates and applies one fault; throws FaultError when it is invalid or has nothing to act on. */
  apply(fault: Fault): FaultReceipt {
    const parsed = FaultSchema.safeParse(fault);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new FaultError(400, `invalid fault: ${issue ? `${issue.path.join('.') || '(fault)'}: ${issue.message}` : 'invalid'}`, parsed.error.issues);
    }
    return this.#apply(parsed.data);
  }

  #apply(fault: ParsedFault): FaultReceipt {
    const atMs = this.#host.clock.nowMs();
    const { exchange } = this.#host;
    switch (fault.type) {
      case 'dropConnection': {
        const sessions = this.#sessions(fault.target);
        for (const session of sessions) session.terminate();
        return { type: fault.type, atMs, sessionIds: ids(sessions) };
      }
      case 'hangConnection': {
        const sessions = this.#sessions(fault.target);
        const endsAtMs = atMs + fault.durationMs;
        for (const session of sessions) this.#trafficOf(session).hang(endsAtMs, fault.onEnd);
        return { type: fault.type, atMs, sessionIds: ids(sessions), endsAtMs };
      }
      case 'delayMessages': {
        const sessions = this.#sessions(fault.target);
        for (const session of sessions) this.#trafficOf(session).delay(fault.count, fault.delayMs);
        return { type: fault.type, atMs, sessionIds: ids(sessions) };
      }
      case 'reorderMessages': {
        const sessions = this.#sessions(fault.target);
        const endsAtMs = atMs + fault.maxHoldMs;
        for (const session of sessions) this.#trafficOf(session).reorder(fault.count, fault.channelPrefix, endsAtMs);
        return { type: fault.type, atMs, sessionIds: ids(sessions), endsAtMs };
      }
      case 'malformedFrame': {
        const sessions = this.#sessions(fault.target);
        for (const session of sessions) session.sendText(MALFORMED_FRAME, undefined);
        return { type: fault.type, atMs, sessionIds: ids(sessions) };
      }
      case 'exhaustCredits': {
        const sessions = this.#sessions(fault.target);
        for (const session of sessions) {
          session.matching.exhaust(atMs);
          session.nonMatching.exhaust(atMs);
        }
        return { type: fault.type, atMs, sessionIds: ids(sessions) };
      }
      case 'skipChangeId':
        this.#requireInstrument(fault.instrumentName);
        this.#host.publisher.injectGap(fault.instrumentName, fault.interval);
        return { type: fault.type, atMs };
      case 'rejectOrders':
      case 'delayOrderAcks':
      case 'dropOrderAcks': {
        if (fault.accountId !== undefined && !exchange.hasAccount(fault.accountId)) throw new FaultError(404, `unknown account ${fault.accountId}`);
        const error = fault.type === 'rejectOrders' ? rejectErrorOf(fault.error) : ERRORS.matchingEngineQueueFull;
        this.#orderRules.push({
          kind: fault.type === 'rejectOrders' ? 'reject' : fault.type === 'delayOrderAcks' ? 'delay' : 'drop',
          remaining: fault.count,
          accountId: fault.accountId,
          methods: fault.methods ? new Set(fault.methods) : MATCHING_METHODS,
          error,
          delayMs: fault.type === 'delayOrderAcks' ? fault.delayMs : 0,
        });
        return { type: fault.type, atMs };
      }
      case 'triggerMmp':
        if (!exchange.hasAccount(fault.accountId)) throw new FaultError(404, `unknown account ${fault.accountId}`);
        if (!exchange.triggerMmp(fault.accountId, fault.indexName, fault.mmpGroup)) {
          const what = fault.mmpGroup === undefined ? `MMP configuration for ${fault.indexName}` : `MMP group ${fault.mmpGroup} on ${fault.indexName}`;
          throw new FaultError(409, `account ${fault.accountId} has no ${what}`);
        }
        // Published like a real trigger: the cancelled quotes on user.orders, the freeze on user.mmp_trigger.
        this.#host.flush();
        return { type: fault.type, atMs };
      case 'haltInstrument': {
        this.#requireInstrument(fault.instrumentName);
        exchange.halt(fault.instrumentName);
        const endsAtMs = fault.durationMs === undefined ? undefined : atMs + fault.durationMs;
        this.#halts.set(fault.instrumentName, endsAtMs);
        return { type: fault.type, atMs, ...(endsAtMs !== undefined && { endsAtMs }) };
      }
      case 'resumeInstrument':
        this.#requireInstrument(fault.instrumentName);
        exchange.resume(fault.instrumentName);
        this.#halts.delete(fault.instrumentName);
        return { type: fault.type, atMs };
      case 'jumpPrice': {
        const market = this.#host.market;
        if (!market) throw new FaultError(409, 'no market model attached: jumpPrice needs a SimVenue');
        try {
          market.jump(fault.currency, fault.fraction);
        } catch (error) {
          throw new FaultError(404, (error as Error).message);
        }
        this.#host.flush();
        return { type: fault.type, atMs };
      }
      case 'clearFaults':
        this.clear();
        return { type: fault.type, atMs };
    }
  }

  /** Ends every fault now: hangs resume, held frames and acks go out, order rules and gaps are forgotten, halts end. */
  clear(): void {
    for (const [session, traffic] of this.#traffic) {
      traffic.clear();
      session.traffic = undefined;
    }
    this.#traffic.clear();
    this.#orderRules = [];
    for (const held of this.#heldAcks.splice(0)) held.session.send(held.response);
    this.#host.publisher.clearGaps();
    for (const instrumentName of this.#halts.keys()) this.#host.exchange.resume(instrumentName);
    this.#halts.clear();
  }

  /** Called by the server every 100 ms of simulated time: ends timed faults and releases what is due. */
  tick(): void {
    if (this.#traffic.size > 0) {
      for (const [session, traffic] of this.#traffic) {
        if (!session.closed && traffic.tick() === 'drop') session.terminate();
        if (session.closed || traffic.idle) {
          session.traffic = undefined;
          this.#traffic.delete(session);
        }
      }
    }
    const nowMs = this.#host.clock.nowMs();
    if (this.#heldAcks.length > 0) {
      const due = this.#heldAcks.filter((held) => held.dueMs <= nowMs);
      if (due.length > 0) {
        this.#heldAcks = this.#heldAcks.filter((held) => held.dueMs > nowMs && !held.session.closed);
        for (const held of due) held.session.send(held.response);
      }
    }
    if (this.#halts.size > 0) {
      for (const [instrumentName, untilMs] of this.#halts) {
        if (untilMs === undefined || untilMs > nowMs) continue;
        this.#host.exchange.resume(instrumentName);
        this.#halts.delete(instrumentName);
      }
    }
  }

  /**
   * Called by the server for each valid, authorised matching-engine request before it runs:
   * undefined to run it normally, or what to do instead (reject it; run it and delay or drop
   * its answer).
   */
  interceptOrder(method: string, accountId: string | undefined, viaSocket: boolean): OrderIntercept | undefined {
    if (this.#orderRules.length === 0) return undefined;
    const index = this.#orderRules.findIndex(
      (rule) => rule.methods.has(method) && (rule.accountId === undefined || rule.accountId === accountId) && (rule.kind === 'reject' || viaSocket),
    );
    if (index < 0) return undefined;
    const rule = this.#orderRules[index]!;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.#orderRules.splice(index, 1);
    if (rule.kind === 'reject') return { kind: 'reject', error: rule.error };
    if (rule.kind === 'delay') return { kind: 'delay', delayMs: rule.delayMs };
    return { kind: 'drop' };
  }

  /** Sends `response` on the session `delayMs` of simulated time from now (a delayed order ack). */
  holdAck(session: Session, response: unknown, delayMs: number): void {
    this.#heldAcks.push({ session, response, dueMs: this.#host.clock.nowMs() + delayMs });
  }

  /** Open sessions, for GET /admin/sessions and for tests to find a target. */
  sessions(): SessionInfo[] {
    return [...this.#host.sessions()]
      .filter((session) => !session.closed)
      .map((session) => ({
        id: session.id,
        accountId: session.accountId ?? null,
        subscriptions: session.subscriptions.size,
        cancelOnDisconnect: this.#host.cancelOnDisconnect(session),
        faults: this.#traffic.get(session)?.state() ?? null,
      }));
  }

  active(): ActiveFaults {
    return {
      traffic: [...this.#traffic].map(([session, traffic]) => ({ sessionId: session.id, ...traffic.state() })),
      orderRules: this.#orderRules.map((rule) => ({ kind: rule.kind, remaining: rule.remaining, accountId: rule.accountId ?? null })),
      heldAcks: this.#heldAcks.length,
      pendingGaps: this.#host.publisher.pendingGaps,
      halted: [...this.#halts].map(([instrumentName, untilMs]) => ({ instrumentName, untilMs: untilMs ?? null })),
    };
  }

  #sessions(target: SessionTarget): Session[] {
    const matched: Session[] = [];
    for (const session of this.#host.sessions()) {
      if (session.closed) continue;
      if ('all' in target || ('sessionId' in target ? session.id === target.sessionId : session.accountId === target.accountId)) matched.push(session);
    }
    if (matched.length === 0) throw new FaultError(404, `no open session matches ${JSON.stringify(target)}`);
    return matched;
  }

  #trafficOf(session: Session): SessionTraffic {
    let traffic = this.#traffic.get(session);
    if (!traffic) {
      traffic = new SessionTraffic(session, this.#host.clock);
      this.#traffic.set(session, traffic);
      session.traffic = traffic;
    }
    return traffic;
  }

  #requireInstrument(instrumentName: string): void {
    if (!this.#host.exchange.isActive(instrumentName)) throw new FaultError(404, `unknown or expired instrument ${instrumentName}`);
  }
}

function ids(sessions: readonly Session[]): number[] {
  return sessions.map((session) => session.id);
}

function rejectErrorOf(error: z.output<typeof rejectError> | undefined): SimError {
  if (error === undefined) return ERRORS.matchingEngineQueueFull;
  if (typeof error === 'string') return ERROR_PRESETS[error];
  return error;
}
