/**
 * The renderer's Content-Security-Policy, sent as a header by both hosts of the renderer (the
 * web-mode server and Electron's app:// protocol). Scripts only from the app itself; styles also
 * inline because ag-grid and dockview inject style elements; no remote content of any kind.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
