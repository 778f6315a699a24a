import type { Clock } from '../../model/clock.ts';
import type { Session, TrafficFilter } from '../rpc/session.ts';

/**
 * Per-session traffic faults: hang (silence both ways), delay (hold outgoing frames) and reorder
 * (reverse a block of outgoing notifications). Installed on a session only while a fault is
 * active; `tick` (every 100 ms of simulated time) releases what is due, so delays have the
 * tick's granularity. Frames leave in order except where reordering is asked for: a delayed
 * frame holds back those behind it, as a stalled TCP stream would.
 */

export type HangEnd = 'drop' | 'resume';

interface Queued {
  readonly text: string;
  readonly dueMs: number;
}

interface Hang {
  readonly untilMs: number;
  readonly onEnd: HangEnd;
}

interface Delay {
  remaining: number;
  readonly delayMs: number;
}

interface Reorder {
  readonly size: number;
  readonly channelPrefix: string | undefined;
  readonly deadlineMs: number;
  readonly held: string[];
}

export interface TrafficState {
  readonly hungUntilMs?: number;
  readonly hangEnd?: HangEnd;
  readonly delayRemaining?: number;
  readonly delayMs?: number;
  readonly reorderHeld?: number;
  readonly reorderSize?: number;
  readonly queued: number;
  /** Incoming frames (requests, pings) ignored while hung. */
  readonly ignored: number;
}

export class SessionTraffic implements TrafficFilter {
  readonly #session: Session;
  readonly #queue: Queued[] = [];
  #hang: Hang | undefined;
  #delay: Delay | undefined;
  #reorder: Reorder | undefined;
  #ignored = 0;

  constructor(
    session: Session,
    private readonly clock: Clock,
  ) {
    this.#session = session;
  }

  get hung(): boolean {
    return this.#hang !== undefined;
  }

  refuseIncoming(): boolean {
    if (!this.#hang) return false;
    this.#ignored += 1;
    return true;
  }

  /** Nothing held and no fault active: the filter can be removed. */
  get idle(): boolean {
    return !this.#hang && !this.#delay && !this.#reorder && this.#queue.length === 0;
  }

  /** Silence until `untilMs`: outgoing frames are held, incoming ones ignored. Replaces a running hang. */
  hang(untilMs: number, onEnd: HangEnd): void {
    this.#hang = { untilMs, onEnd };
  }

  /** Holds each of the next `count` outgoing frames for `delayMs`. Replaces a running delay. */
  delay(count: number, delayMs: number): void {
    this.#delay = { remaining: count, delayMs };
  }

  /**
   * Collects the next `size` notifications (of channels starting with `channelPrefix`, if given)
   * and sends them in reverse order; what has been collected by `deadlineMs` goes out reversed
   * then. Other frames pass. A block still being collected is released first.
   */
  reorder(size: number, channelPrefix: string | undefined, deadlineMs: number): void {
    this.#releaseReorder();
    this.#reorder = { size, channelPrefix, deadlineMs, held: [] };
  }

  deliver(text: string, channel: string | undefined): void {
    const reorder = this.#reorder;
    if (reorder && channel !== undefined && (reorder.channelPrefix === undefined || channel.startsWith(reorder.channelPrefix))) {
      reorder.held.push(text);
      if (reorder.held.length >= reorder.size) this.#releaseReorder();
      return;
    }
    this.#stage(text);
  }

  /**
   * Advances to the clock's time: ends a hang that is over, releases an overdue reorder block and sends
   * the frames now due. Returns 'drop' when a hang ended with `onEnd: 'drop'` (the caller
   * terminates the connection; held frames are discarded).
   */
  tick(): 'drop' | undefined {
    const nowMs = this.clock.nowMs();
    if (this.#hang && nowMs >= this.#hang.untilMs) {
      const { onEnd } = this.#hang;
      this.#hang = undefined;
      if (onEnd === 'drop') {
        this.#queue.length = 0;
        this.#reorder = undefined;
        this.#delay = undefined;
        return 'drop';
      }
    }
    if (this.#reorder && nowMs >= this.#reorder.deadlineMs) this.#releaseReorder();
    this.#flushDue(nowMs);
    return undefined;
  }

  /** Ends every fault now: a hang resumes, held frames go out in order (a reorder block reversed). */
  clear(): void {
    this.#hang = undefined;
    this.#delay = undefined;
    this.#releaseReorder();
    for (const queued of this.#queue.splice(0)) this.#session.transport.send(queued.text);
  }

  state(): TrafficState {
    return {
      ...(this.#hang && { hungUntilMs: this.#hang.untilMs, hangEnd: this.#hang.onEnd }),
      ...(this.#delay && { delayRemaining: this.#delay.remaining, delayMs: this.#delay.delayMs }),
      ...(this.#reorder && { reorderHeld: this.#reorder.held.length, reorderSize: this.#reorder.size }),
      queued: this.#queue.length,
      ignored: this.#ignored,
    };
  }

  #releaseReorder(): void {
    const reorder = this.#reorder;
    if (!reorder) return;
    this.#reorder = undefined;
    for (let i = reorder.held.length - 1; i >= 0; i--) this.#stage(reorder.held[i]!);
  }

  #stage(text: string): void {
    const nowMs = this.clock.nowMs();
    if (this.#hang) {
      this.#queue.push({ text, dueMs: nowMs });
      return;
    }
    const delay = this.#delay;
    if (delay) {
      this.#queue.push({ text, dueMs: nowMs + delay.delayMs });
      if (--delay.remaining <= 0) this.#delay = undefined;
      return;
    }
    if (this.#queue.length > 0) {
      // Behind a delayed frame: wait for it, keep the order.
      this.#queue.push({ text, dueMs: nowMs });
      return;
    }
    this.#session.transport.send(text);
  }

  #flushDue(nowMs: number): void {
    if (this.#hang) return;
    let sent = 0;
    while (sent < this.#queue.length && this.#queue[sent]!.dueMs <= nowMs) {
      this.#session.transport.send(this.#queue[sent]!.text);
      sent += 1;
    }
    if (sent > 0) this.#queue.splice(0, sent);
  }
}
