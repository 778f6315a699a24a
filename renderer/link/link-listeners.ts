import type { EngineEvent, LinkStatus } from '../../core/protocol/index.ts';

/** The listener bookkeeping every transport shares. */
export class LinkListeners {
  readonly #events = new Set<(event: EngineEvent) => void>();
  readonly #statuses = new Set<(status: LinkStatus) => void>();

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.#events.add(listener);
    return () => this.#events.delete(listener);
  }

  onStatus(listener: (status: LinkStatus) => void): () => void {
    this.#statuses.add(listener);
    return () => this.#statuses.delete(listener);
  }

  emitEvent(event: EngineEvent): void {
    for (const listener of this.#events) listener(event);
  }

  emitStatus(status: LinkStatus): void {
    for (const listener of this.#statuses) listener(status);
  }

  clear(): void {
    this.#events.clear();
    this.#statuses.clear();
  }
}
