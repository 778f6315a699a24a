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
 *
 * Where level-0 quotes go as mass quotes (the engine asks for them and the venue takes them),
 * the underlying also gets a mass-quote MMP group (`mq_<currency>`), which the venue requires of
 * every mass quote: the same limits, with a quantity limit (the margin the venue reserves for the
 * group, and above which no quote may be) of ten of the largest option orders the limits allow —
 * without that limit there is no group, and quotes stay regular orders. A delta limit at or above
 * the quantity limit could never trigger first (an option's delta is at most one) and is left out,
 * as the venue requires. The group is usable once the venue holds it and while it is not frozen;
 * its trigger is handled as the index's.
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
  /** Whether level-0 quotes on this venue are to go as mass quotes (asked for, and the venue takes them now). */
  massQuotes(venueId: string): boolean;
}

interface MmpState {
  requested: boolean;
  configured: boolean;
  frozenUntilMs?: number;
  /** The mass-quote group: asked for, held by the venue, frozen until. */
  groupRequested: boolean;
  groupConfigured: boolean;
  groupFrozenUntilMs?: number;
}

/** The mass-quote MMP group of an underlying. */
export function quoteGroupOf(currency: string): string {
  return `mq_${currency.toLowerCase()}`;
}

const currencyOfIndex = (indexName: string): string => indexName.split('_')[0]!.toUpperCase();

export class MmpDesk {
  readonly #states = new Map<string, MmpState>();
  readonly #venues = new Map<string, string>();

  constructor(private readonly deps: MmpDeskDeps) {}

  /** Whether quotes of this underlying go under the protection (configured and not frozen). */
  covers(currency: string): boolean {
    const state = this.#states.get(currency);
    return state?.configured === true && state.frozenUntilMs === undefined;
  }

  /** The MMP group level-0 quotes of this underlying go in as mass quotes, or undefined: regular orders. */
  quoteGroup(currency: string): string | undefined {
    const state = this.#states.get(currency);
    if (!state?.groupConfigured || state.groupFrozenUntilMs !== undefined || state.frozenUntilMs !== undefined) return undefined;
    const venueId = this.#venueOf(currency);
    return venueId !== undefined && this.deps.massQuotes(venueId) ? quoteGroupOf(currency) : undefined;
  }

  /** The limits changed: the protection is set again from them. */
  invalidate(): void {
    for (const state of this.#states.values()) {
      state.requested = false;
      state.groupRequested = false;
    }
  }

  /** Sets the protection for every quoted underlying that does not have it yet; thaws timed freezes. */
  tick(nowMs: number): VenueRequest[] {
    const requests: VenueRequest[] = [];
    for (const state of this.#states.values()) {
      if (state.frozenUntilMs !== undefined && nowMs >= state.frozenUntilMs) delete state.frozenUntilMs;
      if (state.groupFrozenUntilMs !== undefined && nowMs >= state.groupFrozenUntilMs) delete state.groupFrozenUntilMs;
    }
    for (const currency of this.deps.strategies.currencies()) {
      const state = this.#state(currency);
      const limits = limitsFor(this.deps.limits(), currency);
      const venueId = this.#venueOf(currency);
      if (!limits || !venueId || !this.deps.venueConnected(venueId)) continue;
      const settings = mmpFromLimits(limits);
      if (!state.requested) {
        state.requested = true;
        requests.push({ type: 'ConfigureMmp', venueId, config: { indexName: usdIndexOf(currency), ...settings } });
      }
      if (!state.groupRequested && this.deps.massQuotes(venueId)) {
        state.groupRequested = true;
        const { deltaLimitCoin, ...rest } = settings;
        if (rest.quantityLimitCoin === undefined) {
          this.deps.activity.add(nowMs, 'risk', 'warn', `${currency} quotes go as regular orders: a mass-quote MMP group needs a quantity limit (set the largest option order in the pre-trade limits)`);
          continue;
        }
        const config = { indexName: usdIndexOf(currency), mmpGroup: quoteGroupOf(currency), ...rest, ...(deltaLimitCoin !== undefined && deltaLimitCoin < rest.quantityLimitCoin && { deltaLimitCoin }) };
        requests.push({ type: 'ConfigureMmp', venueId, config });
      }
    }
    return requests;
  }

  /** Resuming after a trigger: the venue's freeze is reset (the index's reset covers its mass-quote group). */
  resetIfFrozen(currency: string): VenueRequest[] {
    const venueId = this.#venueOf(currency);
    const state = this.#states.get(currency);
    const frozen = state?.frozenUntilMs !== undefined || state?.groupFrozenUntilMs !== undefined;
    return frozen && venueId ? [{ type: 'ResetMmp', venueId, indexName: usdIndexOf(currency) }] : [];
  }

  onEvent(event: MmpEvent, tsMs: number): VenueRequest[] {
    const { activity } = this.deps;
    const currency = currencyOfIndex(event.type === 'MmpConfigured' ? event.config.indexName : event.indexName);
    const state = this.#state(currency);
    const group = event.type === 'MmpConfigured' ? event.config.mmpGroup : event.mmpGroup;
    if (group !== undefined && group !== quoteGroupOf(currency)) return [];
    if (group !== undefined) return this.#onGroupEvent(currency, state, event, tsMs);
    switch (event.type) {
      case 'MmpConfigured':
        state.configured = event.config.intervalSec > 0;
        activity.add(tsMs, 'risk', 'info', `${currency} market maker protection set at ${event.venueId}: ${JSON.stringify(event.config)}`);
        return [];
      case 'MmpTriggered': {
        state.frozenUntilMs = Number.isFinite(event.frozenUntilMs) ? event.frozenUntilMs : Infinity;
        activity.add(tsMs, 'risk', 'error', `${currency} market maker protection triggered at ${event.venueId}: quotes frozen${Number.isFinite(event.frozenUntilMs) ? ` until ${new Date(event.frozenUntilMs).toISOString()}` : ' until reset'}`);
        return this.#pauseOnTrigger(currency, 'MMP triggered at the venue: resume to reset it', tsMs);
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

  /** A trigger pauses the strategy (resuming resets the protection) and pulls its quotes. */
  #pauseOnTrigger(currency: string, reason: string, tsMs: number): VenueRequest[] {
    const { strategies } = this.deps;
    const result = strategies.changeMode(currency, { kind: 'mmp' }, reason, tsMs);
    if (result.ok && result.changed) this.deps.modeChanged(currency, result.mode, reason, tsMs);
    return strategies.pullQuotes(currency, tsMs);
  }

  /** The mass-quote group's events: a trigger is handled as the index's (pause, pull); a failed configuration leaves quotes as regular orders. */
  #onGroupEvent(currency: string, state: MmpState, event: MmpEvent, tsMs: number): VenueRequest[] {
    const { activity } = this.deps;
    switch (event.type) {
      case 'MmpConfigured':
        state.groupConfigured = event.config.intervalSec > 0;
        activity.add(tsMs, 'risk', 'info', `${currency} mass quotes go in MMP group ${event.config.mmpGroup} at ${event.venueId}: ${JSON.stringify(event.config)}`);
        return [];
      case 'MmpTriggered': {
        state.groupFrozenUntilMs = Number.isFinite(event.frozenUntilMs) ? event.frozenUntilMs : Infinity;
        activity.add(tsMs, 'risk', 'error', `${currency} mass-quote MMP group ${event.mmpGroup} triggered at ${event.venueId}: its quotes are cancelled and frozen${Number.isFinite(event.frozenUntilMs) ? ` until ${new Date(event.frozenUntilMs).toISOString()}` : ' until reset'}`);
        return this.#pauseOnTrigger(currency, 'MMP triggered at the venue (mass quotes): resume to reset it', tsMs);
      }
      case 'MmpReset':
        delete state.groupFrozenUntilMs;
        activity.add(tsMs, 'risk', 'info', `${currency} mass-quote MMP group ${event.mmpGroup} reset`);
        return [];
      case 'MmpRequestFailed':
        if (event.request === 'configure') state.groupConfigured = false;
        activity.add(tsMs, 'risk', 'warn', `${currency} mass-quote MMP group ${event.request} failed: ${event.reason}${event.request === 'configure' ? ' (quotes go as regular orders)' : ''}`);
        return [];
    }
  }

  #state(currency: string): MmpState {
    let state = this.#states.get(currency);
    if (!state) this.#states.set(currency, (state = { requested: false, configured: false, groupRequested: false, groupConfigured: false }));
    return state;
  }

  #venueOf(currency: string): string | undefined {
    // Asked on every requote that places a level-0 quote: remembered once found (an underlying's options stay on their venue).
    const known = this.#venues.get(currency);
    if (known !== undefined) return known;
    for (const instrument of this.deps.marketData.instrumentsMap().values()) {
      if (instrument.currency === currency && instrument.kind === 'option') {
        this.#venues.set(currency, instrument.venueId);
        return instrument.venueId;
      }
    }
    return undefined;
  }
}
