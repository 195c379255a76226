// Trunk post-build hook: puts a strict Content-Security-Policy into the built index.html.
// Trunk writes one inline module script (the wasm loader); rather than allow inline script, the policy allows
// exactly that script by its SHA-256 hash. WebAssembly compiles under 'wasm-unsafe-eval'; nothing may use eval.
// Style attributes are allowed (the views set colours and sizes that way; they cannot run code).
// Requests go to the app's own origin only ('self'), plus blob: for files opened from disk and the worker.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const file = join(process.env.TRUNK_STAGING_DIR || 'dist', 'index.html');
let html = readFileSync(file, 'utf8');
const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
  .map((m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
const policy = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`,
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  // gloo-worker starts the chunk-parsing worker from a blob: URL that imports concord-worker.js.
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
if (html.includes('http-equiv="Content-Security-Policy"')) throw new Error(`${file} already has a policy`);
html = html.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="${policy}">`);
writeFileSync(file, html);
console.log(`csp: ${hashes.length} inline script(s) allowed by hash`);
