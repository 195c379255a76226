// Trunk post-build hook: names, in the built sw.js, every file the app's modes are made of (index.html, boot.js,
// the stylesheet, each mode's and each worker's glue and wasm), and versions the cache by their content. After a
// first visit the service worker then holds every mode, offline, and a new build replaces the cache whole.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR || 'dist';
const files = readdirSync(dir, { withFileTypes: true })
  .filter((e) => e.isFile() && /\.(html|js|wasm|css|svg|webmanifest)$/.test(e.name) && e.name !== 'sw.js')
  .map((e) => e.name)
  .sort();
const hash = createHash('sha256');
for (const f of files) hash.update(f).update(readFileSync(join(dir, f)));
const version = hash.digest('hex').slice(0, 16);
const file = join(dir, 'sw.js');
let sw = readFileSync(file, 'utf8');
const list = JSON.stringify(['./', ...files.map((f) => `./${f}`)]);
const before = sw;
sw = sw.replace(/^const CACHE = .*;$/m, `const CACHE = 'concord-${version}';`)
  .replace(/^const PRECACHE = .*;$/m, `const PRECACHE = ${list};`);
if (sw === before) throw new Error(`${file}: no CACHE / PRECACHE line to fill in`);
writeFileSync(file, sw);
console.log(`precache: ${files.length} files, cache concord-${version}`);
