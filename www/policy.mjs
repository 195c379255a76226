// The app's Content-Security-Policy: one text for the built page's meta tag (csp.mjs), the test server's header
// (tests/serve.mjs) and the deployment examples. Beyond `default-src 'self'`:
// - 'wasm-unsafe-eval': WebAssembly must compile; nothing may use eval;
// - style-src-attr 'unsafe-inline': the views place and colour regions with style attributes (they cannot run code);
// - img-src blob: data:: images of bundles opened from disk or a zip are blob: URLs; the favicon is a data: URL.
export const POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
