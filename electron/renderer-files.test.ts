import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../core/protocol/index.ts';
import { serveRendererFile } from './renderer-files.ts';
import { APP_ENTRY_URL, APP_ORIGIN } from './security.ts';

const INDEX_HTML = '<!doctype html><title>Options Workstation</title>';
let root: string;
let rendererDir: string;

beforeAll(async () => {
  // <root>/renderer is served; <root>/secret.txt and <root>/renderer-other/ sit beside it and must
  // never be reachable.
  root = await mkdtemp(join(tmpdir(), 'renderer-files-'));
  rendererDir = join(root, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await mkdir(join(root, 'renderer-other'));
  await writeFile(join(rendererDir, 'index.html'), INDEX_HTML);
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(rendererDir, 'assets', 'app.css'), 'body{}');
  await writeFile(join(rendererDir, 'assets', 'data.bin'), Buffer.from([1, 2, 3]));
  await writeFile(join(rendererDir, 'assets', 'with space.svg'), '<svg/>');
  await writeFile(join(root, 'secret.txt'), 'secret');
  await writeFile(join(root, 'renderer-other', 'index.html'), 'other');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('serveRendererFile', () => {
  it('serves index.html with the CSP header and an HTML content type', async () => {
    const response = await serveRendererFile(rendererDir, APP_ENTRY_URL);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe(INDEX_HTML);
  });

  it('serves index.html for the root path', async () => {
    // Chromium always gives a standard scheme's URL a path, so app://workstation arrives as app://workstation/.
    const response = await serveRendererFile(rendererDir, `${APP_ORIGIN}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(INDEX_HTML);
  });

  it('ignores the query and fragment', async () => {
    const response = await serveRendererFile(rendererDir, `${APP_ENTRY_URL}?reload=1#engine`);
    expect(response.status).toBe(200);
  });

  it.each([
    ['assets/app.js', 'text/javascript; charset=utf-8'],
    ['assets/app.css', 'text/css; charset=utf-8'],
    ['assets/data.bin', 'application/octet-stream'],
    ['assets/with%20space.svg', 'image/svg+xml'],
  ])('serves %s as %s, with the CSP header', async (path, contentType) => {
    const response = await serveRendererFile(rendererDir, `${APP_ORIGIN}/${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(contentType);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it.each([
    `${APP_ORIGIN}/../secret.txt`,
    `${APP_ORIGIN}/assets/../../secret.txt`,
    `${APP_ORIGIN}/%2e%2e/secret.txt`,
    `${APP_ORIGIN}/..%2fsecret.txt`,
    `${APP_ORIGIN}/%2e%2e%2fsecret.txt`,
    `${APP_ORIGIN}/assets/..%2f..%2fsecret.txt`,
    `${APP_ORIGIN}/..%5csecret.txt`,
    `${APP_ORIGIN}/..%2frenderer-other%2findex.html`,
    `${APP_ORIGIN}/%2fetc%2fpasswd`,
    `${APP_ORIGIN}//etc/passwd`,
  ])('answers 404 to the traversal %s', async (url) => {
    const response = await serveRendererFile(rendererDir, url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('secret');
  });

  // Only the app:// scheme is routed here (protocol.handle), so the host is what is checked.
  it.each(['app://other/index.html', 'app://workstation.evil/index.html', 'app://workstation:1234/index.html', 'app://user@other/index.html'])(
    'answers 404 to another host: %s',
    async (url) => {
      expect((await serveRendererFile(rendererDir, url)).status).toBe(404);
    },
  );

  it.each(['missing.html', 'assets/missing.js', 'assets/', 'assets', 'index.html%00.js'])('answers 404 to a missing file or a folder: %s', async (path) => {
    expect((await serveRendererFile(rendererDir, `${APP_ORIGIN}/${path}`)).status).toBe(404);
  });

  it('answers 404 to malformed percent-encoding instead of failing the request', async () => {
    const response = await serveRendererFile(rendererDir, `${APP_ORIGIN}/%E0%A4%A.js`);
    expect(response.status).toBe(404);
  });

  it('serves the same folder when it is given with a trailing separator', async () => {
    const response = await serveRendererFile(`${rendererDir}/`, APP_ENTRY_URL);
    expect(response.status).toBe(200);
    expect((await serveRendererFile(`${rendererDir}/`, `${APP_ORIGIN}/../secret.txt`)).status).toBe(404);
  });
});
