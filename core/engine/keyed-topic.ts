import type { KeyedChanges } from '../protocol/index.ts';

/**
 * One keyed topic of the published state: the current entries plus what changed since the last
 * publication, so a delta carries only the entries that changed (and the keys that went away).
 */
export class KeyedTopic<T> {
  readonly #entries = new Map<string, T>();
  readonly #dirty = new Set<string>();
  readonly #removed = new Set<string>();

  get(key: string): T | undefined {
    return this.#entries.get(key);
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  values(): IterableIterator<T> {
    return this.#entries.values();
  }

  get size(): number {
    return this.#entries.size;
  }

  set(key: string, value: T): void {
    this.#entries.set(key, value);
    this.#dirty.add(key);
    this.#removed.delete(key);
  }

  delete(key: string): void {
    if (!this.#entries.delete(key)) return;
    this.#dirty.delete(key);
    this.#removed.add(key);
  }

  /** The entries and removals since the last call, or undefined when nothing changed. */
  take(): KeyedChanges<T> | undefined {
    if (this.#dirty.size === 0 && this.#removed.size === 0) return undefined;
    const upsert: Record<string, T> = {};
    for (const key of this.#dirty) upsert[key] = this.#entries.get(key)!;
    const changes: KeyedChanges<T> = this.#removed.size > 0 ? { upsert, remove: [...this.#removed] } : { upsert };
    this.#dirty.clear();
    this.#removed.clear();
    return changes;
  }

  record(): Readonly<Record<string, T>> {
    const out: Record<string, T> = {};
    for (const [key, value] of this.#entries) out[key] = value;
    return out;
  }
}

/**
 * A keyed topic that keeps only the newest `capacity` entries (activity, fills, history):
 * keys are inserted in order, and the oldest are removed from the published state too.
 */
export class BoundedTopic<T> extends KeyedTopic<T> {
  readonly #order: string[] = [];

  constructor(private readonly capacity: number) {
    super();
  }

  append(key: string, value: T): void {
    if (!this.has(key)) this.#order.push(key);
    this.set(key, value);
    while (this.#order.length > this.capacity) this.delete(this.#order.shift()!);
  }
}
