import type { Channel } from './channels.ts';
import type { CreditConfig } from './credits.ts';
import { CreditPool, DEFAULT_MASS_QUOTE_LIMITS, MassQuoteLimiter } from './credits.ts';

/** What one WebSocket connection to the simulator carries between requests. */
export interface SessionTransport {
  send(text: string): void;
  /** Closes with a close frame (code and reason). */
  close(code: number, reason: string): void;
  /** Drops the connection abruptly, without a close frame (fault injection). */
  terminate(): void;
  /**
   * Buffers writes until `uncork` (calls nest), so a burst of frames — a tick's notifications, a
   * request's answer and the notifications it caused — leaves in one system call.
   */
  cork?(): void;
  uncork?(): void;
}

/**
 * Fault injection on a session's traffic (core/sim/admin): when installed, every outgoing frame
 * goes through `deliver` instead of straight to the socket, and incoming frames (requests and
 * pings) are ignored while `hung`. Undefined — the normal case — costs one property check per frame.
 */
export interface TrafficFilter {
  /** `channel` is the subscription channel of a notification, undefined for anything else. */
  deliver(text: string, channel: string | undefined): void;
  readonly hung: boolean;
  /** True when an incoming frame is to be ignored (and counted as such). */
  refuseIncoming(): boolean;
}

export class Session {
  accountId: string | undefined;
  readonly subscriptions = new Map<string, Channel>();
  heartbeatIntervalSec: number | undefined;
  lastHeartbeatMs = 0;
  awaitingTestReply = false;
  cancelOnDisconnect = false;
  /** Orders this connection created: what cancel-on-disconnect (connection scope) removes. */
  readonly createdOrderIds = new Set<string>();
  readonly nonMatching: CreditPool;
  readonly matching: CreditPool;
  readonly massQuotes: MassQuoteLimiter;
  closed = false;
  traffic: TrafficFilter | undefined;

  constructor(
    readonly id: number,
    readonly transport: SessionTransport,
    credits: CreditConfig,
    nowMs: number,
  ) {
    this.nonMatching = new CreditPool(credits.nonMatching, nowMs);
    this.matching = new CreditPool(credits.matching, nowMs);
    this.massQuotes = new MassQuoteLimiter(credits.massQuotes ?? DEFAULT_MASS_QUOTE_LIMITS, nowMs);
  }

  send(message: unknown): void {
    if (!this.closed) this.sendText(JSON.stringify(message), undefined);
  }

  notify(channel: string, data: unknown): void {
    if (!this.closed) this.sendText(notificationText(JSON.stringify(channel), JSON.stringify(data)), channel);
  }

  /** Sends an already serialised frame; `channel` names the subscription of a notification. */
  sendText(text: string, channel: string | undefined): void {
    if (this.closed) return;
    if (this.traffic) this.traffic.deliver(text, channel);
    else this.transport.send(text);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.transport.close(code, reason);
  }

  /** Drops the connection without a close frame, as a network failure would. */
  terminate(): void {
    if (this.closed) return;
    this.closed = true;
    this.transport.terminate();
  }
}

/** A subscription notification from its channel name and data, each already JSON. */
export function notificationText(channelJson: string, dataJson: string): string {
  return `{"jsonrpc":"2.0","method":"subscription","params":{"channel":${channelJson},"data":${dataJson}}}`;
}
