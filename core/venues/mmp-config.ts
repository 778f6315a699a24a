import { z } from 'zod';
import type { MmpConfig } from './venue-adapter.ts';

/**
 * The edge check of an MMP configuration (what a command or a settings file hands the adapter),
 * venue-neutral: the adapter refuses what fails it without sending anything.
 */

const limit = z.number().nonnegative();

export const MmpConfigSchema = z
  .strictObject({
    indexName: z.string().regex(/^[a-z0-9]+_[a-z0-9]+$/, 'an index name such as btc_usd'),
    // Deribit: user-defined, case sensitive, 1 to 64 characters.
    mmpGroup: z.string().min(1).max(64).optional(),
    intervalSec: z.number().int().nonnegative(),
    frozenTimeSec: z.number().int().nonnegative(),
    quantityLimitCoin: limit.optional(),
    deltaLimitCoin: limit.optional(),
    vegaLimitUsd: limit.optional(),
    maxQuoteQuantityCoin: limit.optional(),
  })
  .refine((config) => config.intervalSec === 0 || (config.quantityLimitCoin ?? 0) > 0 || (config.deltaLimitCoin ?? 0) > 0 || (config.vegaLimitUsd ?? 0) > 0, {
    message: 'at least one of quantityLimitCoin, deltaLimitCoin, vegaLimitUsd must be positive',
  });

export type ParsedMmpConfig = { readonly ok: true; readonly config: MmpConfig } | { readonly ok: false; readonly reason: string };

export function parseMmpConfig(input: unknown): ParsedMmpConfig {
  const parsed = MmpConfigSchema.safeParse(input);
  if (parsed.success) return { ok: true, config: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, reason: issue ? `${issue.path.join('.') || 'config'}: ${issue.message}` : 'invalid MMP configuration' };
}

/** Deribit's index of a currency's USD-settled (inverse) instruments: BTC → btc_usd. */
export function usdIndexOf(currency: string): string {
  return `${currency.toLowerCase()}_usd`;
}
