// Trunk post-build hook: puts the strict Content-Security-Policy into the built index.html, as a meta tag for hosts
// that send no header. The page has no inline script (boot.js is a file), so the policy needs no hash and does not
// change from build to build: a static host can send the very same policy as a header (docs/deploying.md).
// WebAssembly compiles under 'wasm-unsafe-eval'; nothing may use eval. The build fails if an inline script appears.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { POLICY } from './policy.mjs';

const file = join(process.env.TRUNK_STAGING_DIR || 'dist', 'index.html');
let html = readFileSync(file, 'utf8');
const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)];
if (inline.length > 0) throw new Error(`${file}: ${inline.length} inline script(s); the policy allows none`);
if (html.includes('http-equiv="Content-Security-Policy"')) throw new Error(`${file} already has a policy`);
html = html.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="${POLICY}">`);
writeFileSync(file, html);
console.log('csp: no inline script; policy written');
