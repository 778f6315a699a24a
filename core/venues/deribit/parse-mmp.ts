import { z } from 'zod';
import type { MmpConfig } from '../venue-adapter.ts';

/**
 * Deribit's market maker protection on the wire (test/fixtures/deribit: private.set_mmp_config,
 * private.get_mmp_config, private.reset_mmp, channel.user.mmp_trigger; private/get_mmp_status per
 * Deribit's API reference): our MmpConfig as request params, and the venue's configurations,
 * statuses and trigger notifications in our terms, the index's protection of MMP orders and its
 * mass-quote groups (mmp_group) alike. Block RFQ MMP is not ours: entries carrying it are left out.
 */

/** private/set_mmp_config params: omitted limits are reset by Deribit, so only what is set goes. */
export function mmpConfigParams(config: MmpConfig): Record<string, unknown> {
  return {
    index_name: config.indexName,
    ...(config.mmpGroup !== undefined && { mmp_group: config.mmpGroup }),
    interval: config.intervalSec,
    frozen_time: config.frozenTimeSec,
    ...(config.quantityLimitCoin !== undefined && { quantity_limit: config.quantityLimitCoin }),
    ...(config.deltaLimitCoin !== undefined && { delta_limit: config.deltaLimitCoin }),
    ...(config.vegaLimitUsd !== undefined && { vega_limit: config.vegaLimitUsd }),
    ...(config.maxQuoteQuantityCoin !== undefined && { max_quote_quantity: config.maxQuoteQuantityCoin }),
  };
}

const finite = z.number();
const ours = { mmp_group: z.string().optional(), block_rfq: z.boolean().optional() };

const ConfigSchema = z.object({
  index_name: z.string().min(1),
  interval: finite.nonnegative(),
  frozen_time: finite.nonnegative(),
  quantity_limit: finite.nonnegative().optional(),
  delta_limit: finite.nonnegative().optional(),
  vega_limit: finite.nonnegative().optional(),
  max_quote_quantity: finite.nonnegative().optional(),
  ...ours,
});

const StatusSchema = z.object({ index_name: z.string().min(1), frozen_until: finite.nonnegative(), ...ours });

const isOurs = (entry: { block_rfq?: boolean | undefined }): boolean => entry.block_rfq !== true;

/** Deribit's frozen_until: 0 means until reset. */
const frozenUntil = (ms: number): number => (ms === 0 ? Number.POSITIVE_INFINITY : ms);

export type ParsedList<T> = { readonly ok: true; readonly value: readonly T[] } | { readonly ok: false; readonly reason: string };

/** private/get_mmp_config's result (an array; Deribit's set_mmp_config echoes one object). */
export function parseMmpConfigs(result: unknown): ParsedList<MmpConfig> {
  const parsed = z.array(ConfigSchema).safeParse(Array.isArray(result) ? result : [result]);
  if (!parsed.success) return { ok: false, reason: `MMP configuration: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  return {
    ok: true,
    value: parsed.data.filter(isOurs).map((c) => ({
      indexName: c.index_name,
      ...(c.mmp_group !== undefined && { mmpGroup: c.mmp_group }),
      intervalSec: c.interval,
      frozenTimeSec: c.frozen_time,
      ...(c.quantity_limit !== undefined && { quantityLimitCoin: c.quantity_limit }),
      ...(c.delta_limit !== undefined && { deltaLimitCoin: c.delta_limit }),
      ...(c.vega_limit !== undefined && { vegaLimitUsd: c.vega_limit }),
      ...(c.max_quote_quantity !== undefined && { maxQuoteQuantityCoin: c.max_quote_quantity }),
    })),
  };
}

export interface MmpFreeze {
  readonly indexName: string;
  /** A mass-quote group's freeze; absent for the index's MMP orders. */
  readonly mmpGroup?: string;
  /** Venue time; +Infinity until a reset. */
  readonly frozenUntilMs: number;
}

/** private/get_mmp_status's result: the triggered (frozen) indices. */
export function parseMmpStatuses(result: unknown): ParsedList<MmpFreeze> {
  const parsed = z.array(StatusSchema).safeParse(result);
  if (!parsed.success) return { ok: false, reason: `MMP status: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  return { ok: true, value: parsed.data.filter(isOurs).map((s) => ({ indexName: s.index_name, ...(s.mmp_group !== undefined && { mmpGroup: s.mmp_group }), frozenUntilMs: frozenUntil(s.frozen_until) })) };
}

/** A user.mmp_trigger.{index_name} notification: ours, a group's or Block RFQ's (not ours: undefined), or malformed. */
export function parseMmpTrigger(data: unknown): { readonly ok: true; readonly freeze: MmpFreeze | undefined } | { readonly ok: false; readonly reason: string } {
  const parsed = StatusSchema.safeParse(data);
  if (!parsed.success) return { ok: false, reason: `MMP trigger: ${parsed.error.issues[0]?.path.join('.') || 'data'}: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  const s = parsed.data;
  return { ok: true, freeze: isOurs(s) ? { indexName: s.index_name, ...(s.mmp_group !== undefined && { mmpGroup: s.mmp_group }), frozenUntilMs: frozenUntil(s.frozen_until) } : undefined };
}

/** Whether the venue's configuration is ours (limits the venue does not echo are not compared). */
export function sameMmpConfig(ours: MmpConfig, venue: MmpConfig): boolean {
  const same = (a: number | undefined, b: number | undefined): boolean => Math.abs((a ?? 0) - (b ?? 0)) < 1e-9;
  return (
    ours.indexName === venue.indexName &&
    ours.mmpGroup === venue.mmpGroup &&
    ours.intervalSec === venue.intervalSec &&
    ours.frozenTimeSec === venue.frozenTimeSec &&
    same(ours.quantityLimitCoin, venue.quantityLimitCoin) &&
    same(ours.deltaLimitCoin, venue.deltaLimitCoin) &&
    same(ours.vegaLimitUsd, venue.vegaLimitUsd) &&
    (venue.maxQuoteQuantityCoin === undefined || same(ours.maxQuoteQuantityCoin, venue.maxQuoteQuantityCoin))
  );
}
