import type { ParseArgsConfig } from 'node:util';
import { parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * The command lines of the backtest tools: strict options plus --help; a bad command line
 * prints the reason and the usage and exits with 2 (nothing is run on half-understood input).
 */
export function failWithUsage(usage: string, message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

export function parseCommandLine<const T extends Options>(usage: string, options: T) {
  const config = { options: { ...options, help: { type: 'boolean' as const } }, strict: true as const };
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    return failWithUsage(usage, (error as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed.values;
}
