import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { LimitsConfig } from '../risk/index.ts';
import { parseLimitsConfig } from '../risk/index.ts';

/**
 * limits.json beside the journal: the trader's limits as a file (format: core/risk/limits.ts,
 * example: core/risk/limits.example.json). Read at start; a file that does not parse is left
 * untouched, reported, and the built-in defaults apply until it is fixed.
 */
export function readLimitsFile(path: string, notices: string[]): LimitsConfig | undefined {
  if (!existsSync(path)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    notices.push(`limits file ${path} is not JSON (${(error as Error).message}); the built-in limits apply and the file is left as it is`);
    return undefined;
  }
  const parsed = parseLimitsConfig(json);
  if (parsed.ok) return parsed.config;
  notices.push(`limits file ${path}: ${parsed.error}; the built-in limits apply and the file is left as it is`);
  return undefined;
}

/** Saves limits changed from the UI; written beside and renamed over, so a crash never leaves half a file. */
export function writeLimitsFile(path: string, config: unknown): void {
  const temp = `${path}.saving`;
  writeFileSync(temp, `${JSON.stringify(config, null, 2)}\n`);
  renameSync(temp, path);
}
