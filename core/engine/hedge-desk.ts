import { z } from 'zod';
import type { TacticSpec } from '../hedging/index.ts';
import { autoHedgeDecision, lotUsd, planDeltaHedge, planFlatten, resolveHedgeInstrument } from '../hedging/index.ts';
import type { MarketData } from '../marketdata/market-data.ts';
import type { Command, InstrumentRow, QuoteRow, StrategyMode } from '../protocol/index.ts';
import { DEFAULT_FLATTEN_SLIPPAGE_PCT } from '../protocol/index.ts';
import type { ActivityLog } from './activity-log.ts';
import type { CommandOutcome } from './engine.ts';
import type { ExecutionDesk } from './execution-desk.ts';
import type { RiskDesk } from './risk-desk.ts';
import type { StrategyDesk } from './strategy-desk.ts';
import type { VenueRequest } from './venue-request.ts';

/**
 * The trader's hedging commands and the auto-hedger: plans from core/hedging against the risk
 * desk's figures, carried out by the execution desk. A preview sends nothing.
 */

/** Deribit's futures fees (fractions of notional): the hedge preview's cost estimate. */
const FUTURE_FEES = { takerRate: 0.0005, makerRate: 0 };
const FLATTEN_TACTIC: TacticSpec = { kind: 'passive-then-cross', timeoutMs: 5_000, maxSlippageBps: 30 };
const AUTO_HEDGE_TACTIC: TacticSpec = { kind: 'passive-then-cross', timeoutMs: 3_000, maxSlippageBps: 20 };

/** Auto-hedge settings as journaled (validated again when a journal is read back). */
export const AutoHedgeSettingsSchema = z.object({
  enabled: z.boolean(),
  targetCoin: z.number().finite(),
  bandCoin: z.number().finite().positive(),
  minIntervalMs: z.number().int().min(0),
  instrumentName: z.string().optional(),
});

export interface HedgeDeskDeps {
  readonly marketData: MarketData;
  readonly risk: RiskDesk;
  readonly strategies: StrategyDesk;
  readonly executions: ExecutionDesk;
  readonly activity: ActivityLog;
  modeChanged(currency: string, mode: StrategyMode, reason: string, tsMs: number): void;
}

export class HedgeDesk {
  readonly #lastHedgeTsMs = new Map<string, number>();

  constructor(private readonly deps: HedgeDeskDeps) {}

  hedge(command: Extract<Command, { type: 'HedgeDelta' }>, tsMs: number): CommandOutcome {
    const { marketData, risk, executions, activity } = this.deps;
    const reject = (reason: string): CommandOutcome => ({ events: [{ type: 'CommandRejected', commandId: command.commandId, reason, tsMs }], requests: [] });
    const instrument = this.#instrument(command.currency, command.instrumentName, tsMs);
    if (!instrument) return reject(`no ${command.instrumentName ?? `${command.currency} perpetual`} to hedge with`);
    const index = this.#index(command.currency);
    if (index === undefined) return reject(`no ${command.currency} index price yet`);
    risk.refresh(tsMs);
    const plan = planDeltaHedge({
      greeks: { deltaCoin: risk.deltaCoin(command.currency), gammaCoinPerUsd: 0, vegaUsdPerVolPt: risk.vegaUsdPerVolPt(command.currency), thetaUsdPerDay: 0, vannaCoinPerVolPt: 0, volgaUsdPerVolPt: 0 },
      targetDeltaCoin: command.targetDeltaCoin,
      instrument,
      quote: marketData.quote(instrument.instrumentName),
      indexPriceUsd: index,
      fees: FUTURE_FEES,
      tactic: command.tactic,
      nowMs: tsMs,
    });
    if (!plan.ok) return reject(plan.message);
    if (!command.execute) {
      return {
        events: [
          {
            type: 'HedgePreviewed',
            commandId: command.commandId,
            currency: command.currency,
            instrumentName: instrument.instrumentName,
            side: plan.order.side,
            amount: plan.order.amountUsd,
            limitPrice: plan.order.limitPriceUsd,
            deltaBeforeCoin: plan.deltaBeforeCoin,
            deltaAfterCoin: plan.deltaAfterCoin,
            expectedCostUsd: plan.expectedCost.totalUsd,
            expectedCostCoin: plan.expectedCost.totalCoin,
            warnings: plan.warnings.map((w) => `${w.code}: ${w.message}`),
          },
        ],
        requests: [],
      };
    }
    if (executions.inFlight(command.currency, 'hedge')) return reject(`a ${command.currency} hedge is already working`);
    const started = executions.startHedge(command.currency, instrument, plan.order.side, plan.order.amountUsd, command.tactic, tsMs, command.commandId);
    this.#lastHedgeTsMs.set(command.currency, tsMs);
    activity.add(tsMs, 'hedge', 'info', `hedge ${command.currency}: ${plan.order.side} ${plan.order.amountUsd} USD of ${instrument.instrumentName}, delta ${plan.deltaBeforeCoin.toFixed(4)} → ${plan.deltaAfterCoin.toFixed(4)}`);
    return { events: [{ type: 'CommandAccepted', commandId: command.commandId, commandType: command.type, tsMs }], requests: started.requests };
  }

  /** Pulls the quotes (the strategies pause), then closes every position with reduce-only orders. */
  flatten(command: Extract<Command, { type: 'Flatten' }>, tsMs: number): CommandOutcome {
    const { marketData, risk, strategies, executions, activity } = this.deps;
    const currencies = command.currency ? [command.currency] : strategies.currencies();
    const requests: VenueRequest[] = [];
    for (const currency of currencies) {
      const result = strategies.changeMode(currency, { kind: 'trader', mode: 'PAUSED' }, 'flatten', tsMs);
      if (result.ok && result.changed) this.deps.modeChanged(currency, 'PAUSED', 'flatten: quotes pulled', tsMs);
      requests.push(...strategies.pullQuotes(currency, tsMs));
    }
    const positions = risk.book.positions().filter((p) => p.size !== 0 && currencies.includes(p.currency));
    const quotes: Record<string, QuoteRow> = {};
    const instruments: Record<string, InstrumentRow> = {};
    for (const p of positions) {
      const quote = marketData.quote(p.instrumentName);
      const instrument = marketData.instrument(p.instrumentName);
      if (quote) quotes[p.instrumentName] = quote;
      if (instrument) instruments[p.instrumentName] = instrument;
    }
    const indexPricesUsd: Record<string, number> = {};
    for (const currency of currencies) {
      const index = this.#index(currency);
      if (index !== undefined) indexPricesUsd[currency] = index;
    }
    const plan = planFlatten(positions, quotes, instruments, { nowMs: tsMs, optionPricing: 'touch', maxSlippageFraction: (command.optionSlippagePct ?? DEFAULT_FLATTEN_SLIPPAGE_PCT) / 100, maxSlippageTicks: 2, futureTactic: FLATTEN_TACTIC, indexPricesUsd });
    const started = executions.startFlatten(command.currency ?? 'ALL', plan, tsMs, command.commandId);
    activity.add(tsMs, 'hedge', 'warn', `flatten ${command.currency ?? 'everything'}: ${plan.steps.length - 1} close(s), ${plan.unresolvable.length} unresolvable${plan.warnings.length > 0 ? `; ${plan.warnings.join('; ')}` : ''}`);
    return { events: [{ type: 'CommandAccepted', commandId: command.commandId, commandType: command.type, tsMs }], requests: [...requests, ...started.requests] };
  }

  /** Keeps each underlying's delta within its band (auto-hedge on): hedges back to the target. */
  autoHedge(nowMs: number): VenueRequest[] {
    const { marketData, risk, strategies, executions, activity } = this.deps;
    const requests: VenueRequest[] = [];
    for (const currency of strategies.currencies()) {
      const settings = strategies.autoHedge(currency);
      if (!settings?.enabled || strategies.mode(currency) === 'HALTED') continue;
      const instrument = this.#instrument(currency, settings.instrumentName, nowMs);
      const priceUsd = instrument ? marketData.quote(instrument.instrumentName)?.markPrice : undefined;
      if (!instrument || priceUsd === undefined) continue;
      const decision = autoHedgeDecision({
        deltaCoin: risk.deltaCoin(currency),
        targetCoin: settings.targetCoin,
        bandCoin: settings.bandCoin,
        lastHedgeTsMs: this.#lastHedgeTsMs.get(currency),
        nowMs,
        minIntervalMs: settings.minIntervalMs,
        minSizeUsd: lotUsd(instrument),
        hedgeInFlight: executions.inFlight(currency, 'hedge'),
        priceUsd,
        lotUsd: lotUsd(instrument),
      });
      if (!decision.hedge) continue;
      this.#lastHedgeTsMs.set(currency, nowMs);
      const started = executions.startHedge(currency, instrument, decision.side, decision.amountUsd, AUTO_HEDGE_TACTIC, nowMs);
      activity.add(nowMs, 'hedge', 'info', `auto-hedge ${currency}: delta ${risk.deltaCoin(currency).toFixed(4)} outside ±${settings.bandCoin} of ${settings.targetCoin}: ${decision.side} ${decision.amountUsd} USD of ${instrument.instrumentName}`);
      requests.push(...started.requests);
    }
    return requests;
  }

  #instrument(currency: string, instrumentName: string | undefined, nowMs: number): InstrumentRow | undefined {
    const instruments = Object.fromEntries(this.deps.marketData.instrumentsMap());
    return resolveHedgeInstrument(instrumentName ? { kind: 'future', instrumentName } : { kind: 'perpetual' }, currency, instruments, nowMs);
  }

  #index(currency: string): number | undefined {
    for (const index of this.deps.marketData.indicesMap().values()) if (index.currency === currency) return index.price;
    return undefined;
  }
}
