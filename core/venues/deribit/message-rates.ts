/**
 * Messages received per second by family (book, ticker, user, …) for the status bar: counts in
 * fixed windows, reporting the last complete one, so a reading is stable for a whole window and
 * costs one map update per message. Pure: the caller passes the time.
 */
export class MessageRates {
  readonly #windowMs: number;
  #startMs: number | undefined;
  #current = new Map<string, number>();
  #previous = new Map<string, number>();

  constructor(windowMs = 1000) {
    this.#windowMs = windowMs;
  }

  count(family: string, nowMs: number): void {
    this.#roll(nowMs);
    this.#current.set(family, (this.#current.get(family) ?? 0) + 1);
  }

  /** Per second over the last complete window (zero for families silent in it). */
  perSecond(nowMs: number): Readonly<Record<string, number>> {
    this.#roll(nowMs);
    const out: Record<string, number> = {};
    const scale = 1000 / this.#windowMs;
    for (const family of [...this.#previous.keys()].sort()) out[family] = Math.round(this.#previous.get(family)! * scale);
    return out;
  }

  #roll(nowMs: number): void {
    if (this.#startMs === undefined) {
      this.#startMs = nowMs;
      return;
    }
    const elapsed = nowMs - this.#startMs;
    if (elapsed < this.#windowMs) return;
    // A gap of more than one window: the window before this one saw nothing.
    this.#previous = elapsed < 2 * this.#windowMs ? this.#current : new Map();
    this.#current = new Map();
    this.#startMs += Math.floor(elapsed / this.#windowMs) * this.#windowMs;
  }
}

/** The family of a subscription channel: its first segment, with Deribit's long names shortened. */
export function channelFamily(channel: string): string {
  const dot = channel.indexOf('.');
  const head = dot < 0 ? channel : channel.slice(0, dot);
  if (head === 'deribit_price_index') return 'index';
  if (head === 'user') {
    // user.trades / user.orders / user.portfolio: what the trader wants to tell apart.
    const next = channel.indexOf('.', dot + 1);
    return `user.${next < 0 ? channel.slice(dot + 1) : channel.slice(dot + 1, next)}`;
  }
  return head;
}
