import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../core/protocol/index.ts';
import { APP_ENTRY_URL, APP_ORIGIN, isAllowedRequest, isAppUrl, isTrustedSender, secureWebPreferences } from './security.ts';

describe('secureWebPreferences', () => {
  const prefs = secureWebPreferences('/opt/app/dist/electron/preload.cjs');

  it('passes the preload path through', () => {
    expect(prefs.preload).toBe('/opt/app/dist/electron/preload.cjs');
  });

  // Electron's security checklist, one setting at a time.
  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['webviewTag', false],
    ['experimentalFeatures', false],
    ['navigateOnDragDrop', false],
  ] as const)('sets %s to %s', (key, value) => {
    expect(prefs[key]).toBe(value);
  });

  it('sets nothing that loosens the renderer', () => {
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
    expect(prefs).not.toHaveProperty('partition');
  });
});

describe('isAppUrl', () => {
  it.each([APP_ENTRY_URL, `${APP_ORIGIN}/`, `${APP_ORIGIN}/assets/index-abc.js`, `${APP_ORIGIN}/index.html?x=1#y`])('accepts %s', (url) => {
    expect(isAppUrl(url)).toBe(true);
  });

  it.each([
    'file:///etc/passwd',
    'file://workstation/index.html',
    'http://workstation/index.html',
    'https://workstation/index.html',
    'https://example.com/',
    'http://127.0.0.1:5173/index.html',
    'app://other/index.html',
    'app://workstation.evil.com/index.html',
    'app://workstation:8080/index.html',
    'apps://workstation/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'devtools://devtools/bundled/inspector.html',
    'about:blank',
    '',
    'not a url',
    '//workstation/index.html',
    'workstation/index.html',
  ])('rejects %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('trusts the top-level app page', () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: null })).toBe(true);
  });

  it('rejects a subframe, even of the app itself', () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: { url: APP_ENTRY_URL, parent: null } })).toBe(false);
  });

  it('rejects a frame whose parent is unknown rather than null', () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: undefined })).toBe(false);
  });

  it.each(['https://example.com/', 'file:///index.html', 'app://other/index.html', 'about:blank', ''])('rejects a top-level page at %j', (url) => {
    expect(isTrustedSender({ url, parent: null })).toBe(false);
  });

  it('rejects a missing frame (destroyed or navigated away)', () => {
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });
});

describe('isAllowedRequest', () => {
  it('allows the app scheme and devtools internals only', () => {
    expect(isAllowedRequest(APP_ENTRY_URL)).toBe(true);
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html')).toBe(true);
    expect(isAllowedRequest('https://example.com/')).toBe(false);
    expect(isAllowedRequest('ws://127.0.0.1:1234/link')).toBe(false);
    expect(isAllowedRequest('file:///etc/passwd')).toBe(false);
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';')
      .map((part) => part.trim())
      .filter((part) => part.length > 0)
      .map((part) => {
        const [name = '', ...values] = part.split(/\s+/);
        return [name, values] as const;
      }),
  );

  it('declares each directive once', () => {
    expect(directives.size).toBe(CONTENT_SECURITY_POLICY.split(';').filter((part) => part.trim()).length);
  });

  it("has default-src 'none'", () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
  });

  it("has script-src 'self' without inline or eval", () => {
    const scriptSrc = directives.get('script-src');
    expect(scriptSrc).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });

  it("has object-src 'none' and frame-ancestors 'none'", () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('lets the renderer connect to nothing remote', () => {
    const connectSrc = directives.get('connect-src') ?? [];
    expect(connectSrc.length).toBeGreaterThan(0);
    for (const source of connectSrc) {
      expect(source === "'self'" || source === "'none'").toBe(true);
    }
  });

  it('allows no remote host or wildcard in any directive', () => {
    for (const [, values] of directives) {
      for (const value of values) {
        expect(value).not.toMatch(/^(\*|https?:|wss?:|\*\.|[a-z0-9-]+\.[a-z]{2,})/i);
      }
    }
  });
});
