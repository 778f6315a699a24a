import type { EngineEvent } from '../../core/protocol/index.ts';

/**
 * Collects engine events for a test and lets it await the first one matching a predicate, with
 * a bound so a missing event fails the test instead of hanging it.
 */
export class EventCollector {
  readonly events: EngineEvent[] = [];
  readonly #waiters: Array<{ predicate: (event: EngineEvent) => boolean; resolve: (event: EngineEvent) => void }> = [];

  readonly deliver = (event: EngineEvent): void => {
    this.events.push(event);
    for (const waiter of [...this.#waiters]) {
      if (waiter.predicate(event)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  };

  /** Resolves with the first event (already received or future) that matches. */
  waitFor<T extends EngineEvent>(predicate: (event: EngineEvent) => event is T, timeoutMs?: number): Promise<T>;
  waitFor(predicate: (event: EngineEvent) => boolean, timeoutMs?: number): Promise<EngineEvent>;
  waitFor(predicate: (event: EngineEvent) => boolean, timeoutMs = 10_000): Promise<EngineEvent> {
    const seen = this.events.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms; saw ${this.events.map((e) => e.type).join(', ')}`)), timeoutMs);
      this.#waiters.push({
        predicate,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      });
    });
  }

  /** Waits for an event after the ones already received. */
  next(predicate: (event: EngineEvent) => boolean, timeoutMs = 10_000): Promise<EngineEvent> {
    const already = this.events.length;
    return this.waitFor((event) => this.events.indexOf(event) >= already && predicate(event), timeoutMs);
  }
}

export const isRunState =
  (runState: string) =>
  (event: EngineEvent): boolean =>
    event.type === 'Delta' && event.changes.engine?.runState === runState;
