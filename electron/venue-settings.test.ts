import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Keychain } from './venue-settings.ts';
import { VenueSettingsStore } from './venue-settings.ts';

/** A fake keychain that really transforms the secret, so a plain-text leak would show. */
function keychain(backend = 'gnome_libsecret', available = true): Keychain {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (text) => Buffer.from(`enc:${[...text].reverse().join('')}`),
    decryptString: (buffer) => [...buffer.toString().slice(4)].reverse().join(''),
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function settingsPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'venue-settings-'));
  dirs.push(dir);
  return join(dir, 'venue.json');
}

const DERIBIT = { kind: 'deribit', url: 'wss://test.deribit.com/ws/api/v2', currencies: ['BTC'], clientId: 'abc', clientSecret: 'top-secret-value' } as const;

describe('venue settings', () => {
  it('runs the simulator when nothing is configured', () => {
    expect(new VenueSettingsStore(settingsPath(), keychain(), 'linux').venue()).toEqual({ venue: 'simulator' });
  });

  it('keeps the secret encrypted on disk, gives it to the engine, and never back to the page', () => {
    const path = settingsPath();
    const store = new VenueSettingsStore(path, keychain(), 'linux');
    expect(store.save(DERIBIT)).toEqual({ ok: true });
    expect(readFileSync(path, 'utf8')).not.toContain('top-secret-value');
    expect(store.venue().venue).toMatchObject({ kind: 'deribit', url: DERIBIT.url, credentials: { clientId: 'abc', clientSecret: 'top-secret-value' } });
    const view = store.view(undefined);
    expect(JSON.stringify(view)).not.toContain('top-secret-value');
    expect(view).toMatchObject({ venue: { kind: 'deribit', clientId: 'abc', hasSecret: true }, keychain: { available: true }, restartNeeded: true });
  });

  it('refuses keys where only plain-text storage exists, and says why', () => {
    const path = settingsPath();
    const store = new VenueSettingsStore(path, keychain('basic_text'), 'linux');
    expect(store.save(DERIBIT)).toEqual({ ok: false, reason: expect.stringContaining('plain-text') });
    expect(new VenueSettingsStore(path, keychain('gnome_libsecret', false), 'darwin').save(DERIBIT)).toEqual({ ok: false, reason: expect.stringContaining('not available') });
    // Market data only (no keys) needs no keychain.
    expect(store.save({ kind: 'deribit', url: DERIBIT.url, currencies: ['BTC'] })).toEqual({ ok: true });
  });

  it('refuses bad input with the reason and leaves an unreadable file untouched', () => {
    const path = settingsPath();
    const store = new VenueSettingsStore(path, keychain(), 'linux');
    expect(store.save({ kind: 'deribit', url: 'https://example.invalid', currencies: ['BTC'] })).toEqual({ ok: false, reason: expect.stringContaining('ws://') });
    expect(store.save({ ...DERIBIT, clientSecret: undefined })).toEqual({ ok: false, reason: expect.stringContaining('both') });
    writeFileSync(path, '{ broken');
    expect(store.venue()).toEqual({ venue: 'simulator', problem: expect.stringContaining('left as it is') });
    expect(readFileSync(path, 'utf8')).toBe('{ broken');
  });
});
