import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../core/protocol/index.ts';
import { APP_HOST } from './security.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Serves the built renderer on app://workstation/ with the CSP header; refuses other hosts and
 * paths that escape the renderer folder.
 */
export async function serveRendererFile(rendererDir: string, requestUrl: string): Promise<Response> {
  const url = new URL(requestUrl);
  if (url.host !== APP_HOST) return new Response('not found', { status: 404 });
  const relative = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '') || 'index.html';
  const path = join(rendererDir, relative);
  if (!path.startsWith(rendererDir.endsWith(sep) ? rendererDir : rendererDir + sep)) return new Response('not found', { status: 404 });
  try {
    const body = await readFile(path);
    return new Response(body, {
      headers: {
        'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch {
    return new Response('not found', { status: 404 });
  }
}
