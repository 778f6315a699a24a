import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../risk/index.ts';
import { readLimitsFile, writeLimitsFile } from './limits-file.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function file(content?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'limits-'));
  dirs.push(dir);
  const path = join(dir, 'limits.json');
  if (content !== undefined) writeFileSync(path, content);
  return path;
}

describe('limits file', () => {
  it('round-trips the limits and reads nothing when there is no file', () => {
    const notices: string[] = [];
    expect(readLimitsFile(file(), notices)).toBeUndefined();
    const path = file();
    writeLimitsFile(path, DEFAULT_LIMITS);
    expect(readLimitsFile(path, notices)).toEqual(DEFAULT_LIMITS);
    expect(notices).toEqual([]);
  });

  it('reports a bad file, uses the defaults and leaves the file as it was', () => {
    const notices: string[] = [];
    const broken = file('{ "version": 1, "underlyings": { "BTC": { "netDeltaCoin": { "limit": -3, "action": "warn" } } } }');
    expect(readLimitsFile(broken, notices)).toBeUndefined();
    expect(notices[0]).toMatch(/limits file .*netDeltaCoin.*left as it is/s);
    expect(readFileSync(broken, 'utf8')).toContain('"limit": -3');
    const notJson = file('{ nope');
    expect(readLimitsFile(notJson, notices)).toBeUndefined();
    expect(notices[1]).toMatch(/is not JSON/);
  });
});
