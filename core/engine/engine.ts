import { MarketData } from '../marketdata/market-data.ts';
import type { Clock } from '../model/clock.ts';
import type { Command, EngineEvent, EngineHealth, EngineState, IndexRow, InstrumentRow, QuoteRow, TopicChanges, VenueStatus, WholeTopic } from '../protocol/index.ts';
import { EMPTY_STATE_TOPICS } from '../protocol/index.ts';
import type { VenueEvent } from '../venues/venue-adapter.ts';
import { RateMeter } from './rate-meter.ts';

/**
 * The engine kernel: single-threaded and deterministic given its inputs and its clock. It owns
 * the published state and hands out coalesced deltas; it does no I/O itself — the worker entry
 * (live) or a replay driver (backtest) moves messages and time. What it needs done at a venue
 * comes back as VenueRequests for the caller to carry out.
 */
export type VenueRequest = { readonly type: 'Resnapshot'; readonly venueId: string; readonly instrumentName: string };

export interface Engine {
  /** Applies a validated command; returns the events that answer it (addressed to its sender). */
  handle(command: Command): readonly EngineEvent[];
  /** Folds a venue's event into market data; returns what must be asked of the venue. */
  onVenueEvent(event: VenueEvent): readonly VenueRequest[];
  /** Advances the engine's notion of liveness; called by the heartbeat timer. */
  heartbeat(): void;
  /** Counts messages the host of this engine published, for the health topic. */
  recordPublished(count: number): void;
  /** What changed since the last call, or undefined when nothing did. */
  takeChanges(): TopicChanges | undefined;
  snapshot(): EngineState;
}

export interface EngineOptions {
  readonly clock: Clock;
  readonly version: string;
}

export function createEngine({ clock, version }: EngineOptions): Engine {
  const startedTsMs = clock.nowMs();
  const published = new RateMeter(startedTsMs);
  const marketData = new MarketData();
  let engine: EngineHealth = {
    runState: 'running',
    startedTsMs,
    lastHeartbeatTsMs: startedTsMs,
    heartbeatSeq: 0,
    msgsPerSec: 0,
    restarts: 0,
    version,
  };
  let venues: readonly VenueStatus[] = [];
  const dirtyWhole = new Set<WholeTopic>();
  const dirtyQuotes = new Set<string>();
  const dirtyInstruments = new Set<string>();
  const removedInstruments = new Set<string>();
  const dirtyIndices = new Set<string>();

  function upserts<T>(keys: Set<string>, get: (key: string) => T | undefined): Record<string, T> {
    const out: Record<string, T> = {};
    for (const key of keys) {
      const value = get(key);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }

  function recordsOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
    const out: Record<string, T> = {};
    for (const [key, value] of entries) out[key] = value;
    return out;
  }

  return {
    handle(command) {
      switch (command.type) {
        case 'Ping':
          return [{ type: 'PingAnswered', commandId: command.commandId, clientTsMs: command.clientTsMs, engineTsMs: clock.nowMs() }];
        case 'RestartEngine':
          return [{ type: 'CommandRejected', commandId: command.commandId, reason: 'RestartEngine is handled by the engine host', tsMs: clock.nowMs() }];
      }
    },
    onVenueEvent(event) {
      if (event.type === 'StatusChanged') {
        venues = [...venues.filter((venue) => venue.venueId !== event.status.venueId), event.status];
        dirtyWhole.add('venues');
        return [];
      }
      const changes = marketData.apply(event);
      for (const name of changes.quotes) dirtyQuotes.add(name);
      for (const name of changes.instruments) dirtyInstruments.add(name);
      for (const name of changes.removedInstruments) {
        removedInstruments.add(name);
        dirtyInstruments.delete(name);
        dirtyQuotes.delete(name);
      }
      for (const name of changes.indices) dirtyIndices.add(name);
      return changes.resnapshot.map((instrumentName) => ({ type: 'Resnapshot', venueId: marketData.instrument(instrumentName)?.venueId ?? '', instrumentName }));
    },
    heartbeat() {
      const nowMs = clock.nowMs();
      engine = { ...engine, lastHeartbeatTsMs: nowMs, heartbeatSeq: engine.heartbeatSeq + 1, msgsPerSec: published.perSecond(nowMs) };
      dirtyWhole.add('engine');
    },
    recordPublished(count) {
      published.record(clock.nowMs(), count);
    },
    takeChanges() {
      if (dirtyWhole.size === 0 && dirtyQuotes.size === 0 && dirtyInstruments.size === 0 && removedInstruments.size === 0 && dirtyIndices.size === 0) return undefined;
      const removed = [...removedInstruments];
      const changes: TopicChanges = {
        ...(dirtyWhole.has('engine') && { engine }),
        ...(dirtyWhole.has('venues') && { venues }),
        ...((dirtyInstruments.size > 0 || removed.length > 0) && {
          instruments: { upsert: upserts<InstrumentRow>(dirtyInstruments, (key) => marketData.instrument(key)), remove: removed },
        }),
        ...((dirtyQuotes.size > 0 || removed.length > 0) && { quotes: { upsert: upserts<QuoteRow>(dirtyQuotes, (key) => marketData.quote(key)), remove: removed } }),
        ...(dirtyIndices.size > 0 && { indices: { upsert: upserts<IndexRow>(dirtyIndices, (key) => marketData.index(key)) } }),
      };
      dirtyWhole.clear();
      dirtyQuotes.clear();
      dirtyInstruments.clear();
      removedInstruments.clear();
      dirtyIndices.clear();
      return changes;
    },
    snapshot() {
      const instruments = recordsOf(marketData.instrumentsMap());
      const quotes: Record<string, QuoteRow> = {};
      for (const name of Object.keys(instruments)) {
        const quote = marketData.quote(name);
        if (quote) quotes[name] = quote;
      }
      return { ...EMPTY_STATE_TOPICS, engine, venues, instruments, quotes, indices: recordsOf(marketData.indicesMap()) };
    },
  };
}
