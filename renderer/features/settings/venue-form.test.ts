import { describe, expect, it } from 'vitest';
import { checkForm, DERIBIT_URLS, formFromView } from './venue-form.ts';

const base = { choice: 'testnet' as const, customUrl: '', currencies: ['BTC'], clientId: 'id', clientSecret: 'secret' };

describe('venue settings form', () => {
  it('builds the settings the main process accepts', () => {
    expect(checkForm({ ...base, choice: 'simulator' })).toEqual({ ok: true, input: { kind: 'simulator' } });
    expect(checkForm(base)).toEqual({ ok: true, input: { kind: 'deribit', url: DERIBIT_URLS.testnet, currencies: ['BTC'], clientId: 'id', clientSecret: 'secret' } });
    expect(checkForm({ ...base, clientId: '', clientSecret: '' })).toEqual({ ok: true, input: { kind: 'deribit', url: DERIBIT_URLS.testnet, currencies: ['BTC'] } });
  });

  it('refuses half a key, a bad address and no currency, saying why', () => {
    expect(checkForm({ ...base, clientSecret: '' })).toEqual({ ok: false, reason: expect.stringContaining('both') });
    expect(checkForm({ ...base, choice: 'custom', customUrl: 'http://example.invalid' })).toEqual({ ok: false, reason: expect.stringContaining('ws://') });
    expect(checkForm({ ...base, currencies: [] })).toMatchObject({ ok: false });
  });

  it('never fills the secret from stored settings', () => {
    const form = formFromView({ venue: { kind: 'deribit', url: DERIBIT_URLS.production, currencies: ['ETH'], clientId: 'abc', hasSecret: true }, keychain: { available: true, detail: '' }, restartNeeded: false });
    expect(form).toEqual({ choice: 'production', customUrl: '', currencies: ['ETH'], clientId: 'abc', clientSecret: '' });
  });
});
