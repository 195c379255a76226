// A static server for the end-to-end tests: `dist/` at `/`, the test bundles under `/fixtures/`, and the
// concord-qa package (target/concord-qa) under `/concord-qa/`, and the benchmark bundles under `/bench/`.
// Loopback only. Usage: node tests/serve.mjs PORT
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const roots = [
  ['/fixtures/', resolve(here, 'fixtures')],
  ['/concord-qa/', resolve(here, '..', 'target', 'concord-qa')],
  ['/bench/', resolve(here, '..', 'target', 'bench-bundles')],
  ['/', resolve(here, '..', 'dist')],
];
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.jsonl': 'application/x-ndjson',
  '.md': 'text/markdown; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
};

const port = Number(process.argv[2] || 8181);
createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const [prefix, dir] = roots.find(([p]) => path.startsWith(p));
  let file = normalize(join(dir, path.slice(prefix.length)));
  if (!file.startsWith(dir + sep) && file !== dir) { res.writeHead(403).end(); return; }
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}).listen(port, '127.0.0.1', () => console.log(`serving on http://127.0.0.1:${port}`));
