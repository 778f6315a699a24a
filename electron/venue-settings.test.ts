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
    expect(store.save({ ...DERIBIT, massQuote: 'yes' })).toEqual({ ok: false, reason: expect.stringContaining('massQuote') });
  });

  it('keeps the mass-quote switch with the venue and hands it to the engine', () => {
    const path = settingsPath();
    const store = new VenueSettingsStore(path, keychain(), 'linux');
    expect(store.save({ ...DERIBIT, massQuote: true })).toEqual({ ok: true });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ massQuote: true });
    expect(store.venue()).toEqual({
      venue: { kind: 'deribit', venueId: 'deribit', displayName: 'Deribit testnet', url: DERIBIT.url, currencies: ['BTC'], credentials: { clientId: 'abc', clientSecret: 'top-secret-value' }, massQuote: true },
    });
    expect(store.view({ url: DERIBIT.url, massQuote: true })).toMatchObject({ venue: { kind: 'deribit', massQuote: true }, restartNeeded: false });
    // Switching it takes effect at the next start, like the venue itself.
    expect(store.view({ url: DERIBIT.url })).toMatchObject({ restartNeeded: true });

    expect(store.save({ ...DERIBIT, massQuote: false })).toEqual({ ok: true });
    expect(store.venue().venue).not.toHaveProperty('massQuote');
    expect(store.view({ url: DERIBIT.url })).toMatchObject({ venue: { massQuote: false }, restartNeeded: false });
    // Sent without the switch (an older page): off.
    expect(store.save(DERIBIT)).toEqual({ ok: true });
    expect(store.view(undefined).venue).toMatchObject({ kind: 'deribit', massQuote: false });
  });

  it('reads settings saved before the switch existed as mass quotes off', () => {
    const path = settingsPath();
    writeFileSync(path, JSON.stringify({ kind: 'deribit', url: DERIBIT.url, currencies: ['ETH'] }));
    const store = new VenueSettingsStore(path, keychain(), 'linux');
    expect(store.venue()).toEqual({ venue: { kind: 'deribit', venueId: 'deribit', displayName: 'Deribit testnet', url: DERIBIT.url, currencies: ['ETH'] } });
    expect(store.view(undefined)).toMatchObject({ venue: { kind: 'deribit', massQuote: false } });
    expect(store.view(undefined)).not.toHaveProperty('problem');
  });

  it('a bad stored switch says so, turns mass quotes off and keeps the venue and keys', () => {
    const path = settingsPath();
    const store = new VenueSettingsStore(path, keychain(), 'linux');
    expect(store.save({ ...DERIBIT, massQuote: true })).toEqual({ ok: true });
    const edited = `${JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), massQuote: 'yes' }, null, 2)}\n`;
    writeFileSync(path, edited);

    const configured = store.venue();
    expect(configured.venue).toEqual({ kind: 'deribit', venueId: 'deribit', displayName: 'Deribit testnet', url: DERIBIT.url, currencies: ['BTC'], credentials: { clientId: 'abc', clientSecret: 'top-secret-value' } });
    expect(configured.problem).toMatch(/massQuote[\s\S]*expected boolean[\s\S]*mass quotes are off until the settings are saved again/);
    const view = store.view(undefined);
    expect(view.venue).toEqual({ kind: 'deribit', url: DERIBIT.url, currencies: ['BTC'], clientId: 'abc', hasSecret: true, massQuote: false });
    expect(view.problem).toContain('massQuote');
    // The file is not rewritten behind the trader's back.
    expect(readFileSync(path, 'utf8')).toBe(edited);
  });

  it('anything else wrong in the file still falls back to the simulator', () => {
    const path = settingsPath();
    writeFileSync(path, JSON.stringify({ kind: 'deribit', url: DERIBIT.url, currencies: [], massQuote: 'yes' }));
    expect(new VenueSettingsStore(path, keychain(), 'linux').venue()).toEqual({ venue: 'simulator', problem: expect.stringContaining('using the simulator') });
  });
});
