import { describe, expect, it } from 'vitest';
import { LINK_PATH, LINK_SUBPROTOCOL } from '../../protocol/index.ts';
import { allowedOriginsFor, checkBind, checkUpgrade, isLoopbackHost, parseProtocolsHeader, tokenFromProtocols } from './access.ts';

const TOKEN = 'a'.repeat(48);
const origins = allowedOriginsFor('127.0.0.1', 4000);
const request = (overrides: Partial<Parameters<typeof checkUpgrade>[0]> = {}) => ({
  path: LINK_PATH,
  origin: 'http://127.0.0.1:4000',
  protocols: [LINK_SUBPROTOCOL, `token.${TOKEN}`],
  ...overrides,
});

describe('web-mode access rules', () => {
  it('binds to loopback freely and elsewhere only when asked with a strong token', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.1.2.3')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(checkBind('127.0.0.1', false, undefined)).toEqual({ ok: true });
    expect(checkBind('0.0.0.0', false, TOKEN)).toMatchObject({ ok: false, reason: expect.stringContaining('--allow-remote') });
    expect(checkBind('0.0.0.0', true, undefined)).toMatchObject({ ok: false, reason: expect.stringContaining('--token') });
    expect(checkBind('0.0.0.0', true, 'short')).toMatchObject({ ok: false });
    expect(checkBind('0.0.0.0', true, TOKEN)).toEqual({ ok: true });
  });

  it('accepts the link only on its path, from the page origin, with the token', () => {
    expect(checkUpgrade(request(), origins, TOKEN, LINK_PATH)).toEqual({ ok: true });
    expect(checkUpgrade(request({ origin: 'http://localhost:4000' }), origins, TOKEN, LINK_PATH)).toEqual({ ok: true });
    expect(checkUpgrade(request({ path: '/other' }), origins, TOKEN, LINK_PATH)).toMatchObject({ ok: false, status: 404 });
    expect(checkUpgrade(request({ origin: 'http://evil.example' }), origins, TOKEN, LINK_PATH)).toMatchObject({ ok: false, status: 403 });
    expect(checkUpgrade(request({ origin: 'http://127.0.0.1:4001' }), origins, TOKEN, LINK_PATH)).toMatchObject({ ok: false, status: 403 });
    expect(checkUpgrade(request({ origin: undefined }), origins, TOKEN, LINK_PATH)).toMatchObject({ ok: false, status: 403 });
    expect(checkUpgrade(request({ protocols: [`token.${TOKEN}`] }), origins, TOKEN, LINK_PATH)).toMatchObject({ ok: false, status: 403 });
    expect(checkUpgrade(request({ protocols: [LINK_SUBPROTOCOL] }), origins, TOKEN, LINK_PATH)).toMatchObject({ ok: false, status: 401 });
    expect(checkUpgrade(request({ protocols: [LINK_SUBPROTOCOL, 'token.b'] }), origins, TOKEN, LINK_PATH)).toMatchObject({ ok: false, status: 401 });
  });

  it('parses the subprotocol header', () => {
    expect(parseProtocolsHeader(' a, token.x ,,b')).toEqual(['a', 'token.x', 'b']);
    expect(parseProtocolsHeader(undefined)).toEqual([]);
    expect(tokenFromProtocols(['a', 'token.x'])).toBe('x');
    expect(tokenFromProtocols(['a'])).toBeUndefined();
  });
});
