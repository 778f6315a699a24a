import { CONTENT_SECURITY_POLICY } from '../core/protocol/index.ts';
import { readRegularFile, resolveStaticPath } from '../core/engine/web/static-files.ts';
import { APP_HOST } from './security.ts';

const notFound = (): Response => new Response('not found', { status: 404 });

/**
 * Serves the built renderer on app://workstation/ with the CSP header; refuses other hosts,
 * paths that escape the renderer folder, and files that do not exist.
 */
export async function serveRendererFile(rendererDir: string, requestUrl: string): Promise<Response> {
  const url = new URL(requestUrl);
  if (url.host !== APP_HOST) return notFound();
  const path = resolveStaticPath(rendererDir, url.pathname);
  const file = path === undefined ? undefined : await readRegularFile(path);
  if (!file) return notFound();
  return new Response(new Uint8Array(file.body), {
    headers: {
      'Content-Type': file.contentType,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
