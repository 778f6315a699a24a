import { describe, expect, it } from 'vitest';
import { checkForm, DERIBIT_URLS, formFromView, massQuoteSwitch } from './venue-form.ts';

const base = { choice: 'testnet' as const, customUrl: '', currencies: ['BTC'], clientId: 'id', clientSecret: 'secret', massQuote: false };

describe('venue settings form', () => {
  it('builds the settings the main process accepts', () => {
    expect(checkForm({ ...base, choice: 'simulator' })).toEqual({ ok: true, input: { kind: 'simulator' } });
    expect(checkForm(base)).toEqual({ ok: true, input: { kind: 'deribit', url: DERIBIT_URLS.testnet, currencies: ['BTC'], clientId: 'id', clientSecret: 'secret', massQuote: false } });
    expect(checkForm({ ...base, clientId: '', clientSecret: '' })).toEqual({ ok: true, input: { kind: 'deribit', url: DERIBIT_URLS.testnet, currencies: ['BTC'], massQuote: false } });
    expect(checkForm({ ...base, choice: 'production', massQuote: true })).toMatchObject({ ok: true, input: { url: DERIBIT_URLS.production, massQuote: true } });
    // The simulator grants mass quotes by itself: nothing to send.
    expect(checkForm({ ...base, choice: 'simulator', massQuote: true })).toEqual({ ok: true, input: { kind: 'simulator' } });
  });

  it('refuses half a key, a bad address and no currency, saying why', () => {
    expect(checkForm({ ...base, clientSecret: '' })).toEqual({ ok: false, reason: expect.stringContaining('both') });
    expect(checkForm({ ...base, choice: 'custom', customUrl: 'http://example.invalid' })).toEqual({ ok: false, reason: expect.stringContaining('ws://') });
    expect(checkForm({ ...base, currencies: [] })).toMatchObject({ ok: false });
  });

  it('never fills the secret from stored settings', () => {
    const form = formFromView({ venue: { kind: 'deribit', url: DERIBIT_URLS.production, currencies: ['ETH'], clientId: 'abc', hasSecret: true, massQuote: true }, keychain: { available: true, detail: '' }, restartNeeded: false });
    expect(form).toEqual({ choice: 'production', customUrl: '', currencies: ['ETH'], clientId: 'abc', clientSecret: '', massQuote: true });
  });

  it('shows mass quotes on and fixed for the simulator, and as saved (off by default) for Deribit', () => {
    const simulator = formFromView({ venue: { kind: 'simulator' }, keychain: { available: true, detail: '' }, restartNeeded: false });
    expect(massQuoteSwitch(simulator)).toMatchObject({ checked: true, disabled: true });
    // Choosing testnet from the simulator does not carry the simulator's grant over.
    expect(massQuoteSwitch({ ...simulator, choice: 'testnet' })).toMatchObject({ checked: false, disabled: false, note: expect.stringContaining('permission') });
    expect(massQuoteSwitch({ ...base, massQuote: true })).toMatchObject({ checked: true, disabled: false, note: expect.stringContaining('post-only') });
  });
});
