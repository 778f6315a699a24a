import type { MarketData } from '../marketdata/market-data.ts';
import type { StrategyMode } from '../protocol/index.ts';
import type { LimitsConfig } from '../risk/index.ts';
import { limitsFor, mmpFromLimits } from '../risk/index.ts';
import { usdIndexOf } from '../venues/mmp-config.ts';
import type { VenueEvent } from '../venues/venue-adapter.ts';
import type { ActivityLog } from './activity-log.ts';
import type { StrategyDesk } from './strategy-desk.ts';
import type { VenueRequest } from './venue-request.ts';

/**
 * The venue's market maker protection per underlying: set from the limits (core/risk/mmp.ts)
 * once the venue is connected and again when the limits change; a trigger pauses the strategy
 * and pulls its quotes, and the trader's resume resets it at the venue.
 */

export type MmpEvent = Extract<VenueEvent, { type: 'MmpConfigured' | 'MmpTriggered' | 'MmpReset' | 'MmpRequestFailed' }>;

export interface MmpDeskDeps {
  readonly marketData: MarketData;
  readonly strategies: StrategyDesk;
  readonly activity: ActivityLog;
  limits(): LimitsConfig;
  venueConnected(venueId: string): boolean;
  /** Journals and logs a mode change the desk caused. */
  modeChanged(currency: string, mode: StrategyMode, reason: string, tsMs: number): void;
}

interface MmpState {
  requested: boolean;
  configured: boolean;
  frozenUntilMs?: number;
}

const currencyOfIndex = (indexName: string): string => indexName.split('_')[0]!.toUpperCase();

export class MmpDesk {
  readonly #states = new Map<string, MmpState>();

  constructor(private readonly deps: MmpDeskDeps) {}

  /** Whether quotes of this underlying go under the protection (configured and not frozen). */
  covers(currency: string): boolean {
    const state = this.#states.get(currency);
    return state?.configured === true && state.frozenUntilMs === undefined;
  }

  /** The limits changed: the protection is set again from them. */
  invalidate(): void {
    for (const state of this.#states.values()) state.requested = false;
  }

  /** Sets the protection for every quoted underlying that does not have it yet; thaws timed freezes. */
  tick(nowMs: number): VenueRequest[] {
    const requests: VenueRequest[] = [];
    for (const state of this.#states.values()) if (state.frozenUntilMs !== undefined && nowMs >= state.frozenUntilMs) delete state.frozenUntilMs;
    for (const currency of this.deps.strategies.currencies()) {
      const state = this.#state(currency);
      const limits = limitsFor(this.deps.limits(), currency);
      const venueId = this.#venueOf(currency);
      if (state.requested || !limits || !venueId || !this.deps.venueConnected(venueId)) continue;
      state.requested = true;
      requests.push({ type: 'ConfigureMmp', venueId, config: { indexName: usdIndexOf(currency), ...mmpFromLimits(limits) } });
    }
    return requests;
  }

  /** Resuming after a trigger: the venue's freeze is reset. */
  resetIfFrozen(currency: string): VenueRequest[] {
    const venueId = this.#venueOf(currency);
    return this.#states.get(currency)?.frozenUntilMs !== undefined && venueId ? [{ type: 'ResetMmp', venueId, indexName: usdIndexOf(currency) }] : [];
  }

  onEvent(event: MmpEvent, tsMs: number): VenueRequest[] {
    const { activity, strategies } = this.deps;
    const currency = currencyOfIndex(event.type === 'MmpConfigured' ? event.config.indexName : event.indexName);
    const state = this.#state(currency);
    switch (event.type) {
      case 'MmpConfigured':
        state.configured = event.config.intervalSec > 0;
        activity.add(tsMs, 'risk', 'info', `${currency} market maker protection set at ${event.venueId}: ${JSON.stringify(event.config)}`);
        return [];
      case 'MmpTriggered': {
        state.frozenUntilMs = Number.isFinite(event.frozenUntilMs) ? event.frozenUntilMs : Infinity;
        activity.add(tsMs, 'risk', 'error', `${currency} market maker protection triggered at ${event.venueId}: quotes frozen${Number.isFinite(event.frozenUntilMs) ? ` until ${new Date(event.frozenUntilMs).toISOString()}` : ' until reset'}`);
        const reason = 'MMP triggered at the venue: resume to reset it';
        const result = strategies.changeMode(currency, { kind: 'mmp' }, reason, tsMs);
        if (result.ok && result.changed) this.deps.modeChanged(currency, result.mode, reason, tsMs);
        return strategies.pullQuotes(currency, tsMs);
      }
      case 'MmpReset':
        delete state.frozenUntilMs;
        activity.add(tsMs, 'risk', 'info', `${currency} market maker protection reset`);
        return [];
      case 'MmpRequestFailed':
        if (event.request === 'configure') state.configured = false;
        activity.add(tsMs, 'risk', 'warn', `${currency} market maker protection ${event.request} failed: ${event.reason}${event.request === 'configure' ? ' (quotes go without it)' : ''}`);
        return [];
    }
  }

  #state(currency: string): MmpState {
    let state = this.#states.get(currency);
    if (!state) this.#states.set(currency, (state = { requested: false, configured: false }));
    return state;
  }

  #venueOf(currency: string): string | undefined {
    for (const instrument of this.deps.marketData.instrumentsMap().values()) if (instrument.currency === currency && instrument.kind === 'option') return instrument.venueId;
    return undefined;
  }
}
