import { z } from 'zod';
import { decodeCommand } from '../protocol/codec.ts';
import type { Command } from '../protocol/index.ts';
import type { LimitsConfig } from '../risk/index.ts';
import { parseLimitsConfig } from '../risk/index.ts';
import { DERIBIT_FEES } from './fees.ts';
import type { FeeSchedule } from './fees.ts';
import type { QueueModel } from './fill-model.ts';
import type { LatencySpec } from './latency.ts';
import { LatencySpecSchema } from './latency.ts';

/**
 * A backtest's parameters (the `--params` file): the simulation's honesty knobs, and the engine
 * commands applied once the replayed venue is connected (quoting parameters, auto-hedge, modes,
 * overrides: anything the trader could do), validated by the engine link's own schema.
 */

const FeesSchema = z
  .object({
    optionMakerRate: z.number().finite(),
    optionTakerRate: z.number().finite(),
    optionCapFraction: z.number().finite().nonnegative(),
    futureMakerRate: z.number().finite(),
    futureTakerRate: z.number().finite(),
  })
  .partial()
  .strict();

export const BacktestParamsSchema = z
  .object({
    name: z.string().max(200).optional(),
    seed: z.number().int().default(1),
    queue: z.enum(['conservative', 'probabilistic']).default('conservative'),
    latency: z
      .object({
        orderEntry: LatencySpecSchema.default({ kind: 'constant', ms: 5 }),
        marketData: LatencySpecSchema.default({ kind: 'constant', ms: 0 }),
      })
      .strict()
      .default({ orderEntry: { kind: 'constant', ms: 5 }, marketData: { kind: 'constant', ms: 0 } }),
    fees: FeesSchema.default({}),
    sampleIntervalMs: z.number().int().min(100).max(3_600_000).default(1_000),
    commands: z.array(z.unknown()).max(1_000).default([]),
    limits: z.unknown().optional(),
  })
  .strict();

export interface BacktestParams {
  readonly name?: string;
  readonly seed: number;
  readonly queue: QueueModel;
  readonly latency: { readonly orderEntry: LatencySpec; readonly marketData: LatencySpec };
  readonly fees: FeeSchedule;
  readonly sampleIntervalMs: number;
  readonly commands: readonly Command[];
  readonly limits?: LimitsConfig;
}

export type ParsedParams = { readonly ok: true; readonly params: BacktestParams } | { readonly ok: false; readonly error: string };

export function parseBacktestParams(raw: unknown): ParsedParams {
  const parsed = BacktestParamsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` };
  }
  const { commands: rawCommands, limits: rawLimits, fees, ...rest } = parsed.data;
  const commands: Command[] = [];
  for (const [i, raw] of rawCommands.entries()) {
    const decoded = decodeCommand(raw);
    if (!decoded.ok) return { ok: false, error: `commands.${i}: ${decoded.reason}` };
    commands.push(decoded.command);
  }
  let limits: LimitsConfig | undefined;
  if (rawLimits !== undefined) {
    const parsedLimits = parseLimitsConfig(rawLimits);
    if (!parsedLimits.ok) return { ok: false, error: `limits: ${parsedLimits.error}` };
    limits = parsedLimits.config;
  }
  return { ok: true, params: { ...rest, fees: { ...DERIBIT_FEES, ...fees }, commands, ...(limits && { limits }) } };
}

export const DEFAULT_PARAMS: BacktestParams = (() => {
  const parsed = parseBacktestParams({});
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.params;
})();
