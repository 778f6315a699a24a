import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

/**
 * Serving the built renderer from disk, shared by web mode's HTTP server and Electron's app://
 * protocol: path resolution that can never leave the renderer folder, and content types.
 */

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
}

/**
 * The file a URL path names under `root`, or undefined for anything malformed or outside it
 * (percent-encoded `..`, backslashes, NUL bytes). The root path itself maps to index.html.
 */
export function resolveStaticPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = normalize(decoded).replace(/^([/\\])+/, '') || 'index.html';
  const path = join(root, relative);
  return path.startsWith(root.endsWith(sep) ? root : root + sep) ? path : undefined;
}

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/** Reads a regular file; undefined for folders and missing files. */
export async function readRegularFile(path: string): Promise<StaticFile | undefined> {
  try {
    if (!(await stat(path)).isFile()) return undefined;
    return { body: await readFile(path), contentType: contentTypeFor(path) };
  } catch {
    return undefined;
  }
}

/**
 * Web mode: a file under `root`, or index.html for paths that name no file (the renderer is a
 * single page); undefined for paths that try to leave `root`.
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | undefined> {
  const path = resolveStaticPath(root, urlPath);
  if (!path) return undefined;
  return (await readRegularFile(path)) ?? readRegularFile(join(root, 'index.html'));
}
