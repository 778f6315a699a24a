import type { ActivityRow } from '../protocol/index.ts';
import { BoundedTopic } from './keyed-topic.ts';

const ACTIVITY_CAPACITY = 500;

/** Notable engine events for every client's event log: breaches, kill switch, strategy changes, fills. */
export class ActivityLog {
  readonly topic = new BoundedTopic<ActivityRow>(ACTIVITY_CAPACITY);
  #next = 1;

  constructor(private readonly sessionId: string) {}

  add(tsMs: number, category: ActivityRow['category'], level: ActivityRow['level'], message: string): ActivityRow {
    // Session-prefixed ids: a restarted engine's entries never collide with the ones a renderer still shows.
    const row: ActivityRow = { id: `${this.sessionId}.${this.#next++}`, tsMs, category, level, message };
    this.topic.append(row.id, row);
    return row;
  }
}
