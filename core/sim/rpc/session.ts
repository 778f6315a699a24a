import type { Channel } from './channels.ts';
import type { CreditConfig } from './credits.ts';
import { CreditPool } from './credits.ts';

/** What one WebSocket connection to the simulator carries between requests. */
export interface SessionTransport {
  send(text: string): void;
  close(code: number, reason: string): void;
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
  closed = false;

  constructor(
    readonly id: number,
    readonly transport: SessionTransport,
    credits: CreditConfig,
    nowMs: number,
  ) {
    this.nonMatching = new CreditPool(credits.nonMatching, nowMs);
    this.matching = new CreditPool(credits.matching, nowMs);
  }

  send(message: unknown): void {
    if (!this.closed) this.transport.send(JSON.stringify(message));
  }

  notify(channel: string, data: unknown): void {
    if (!this.closed) this.transport.send(`{"jsonrpc":"2.0","method":"subscription","params":{"channel":${JSON.stringify(channel)},"data":${JSON.stringify(data)}}}`);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.transport.close(code, reason);
  }
}
