// A static server for the end-to-end tests: `dist/` at `/`, the test bundles under `/fixtures/`, and the
// concord-qa package (target/concord-qa) under `/concord-qa/`, and the benchmark bundles under `/bench/`.
// Loopback only. Usage: node tests/serve.mjs PORT (CONCORD_DIST=DIR serves another build at `/`)
// Pages get their Content-Security-Policy as a header, taken out of the page's meta tag: the app and the embed demo
// are tested the way a static host that sets the header serves them, with no meta policy.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { POLICY } from '../www/policy.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const roots = [
  ['/fixtures/', resolve(here, 'fixtures')],
  ['/concord-qa/', resolve(here, '..', 'target', 'concord-qa')],
  ['/bench/', resolve(here, '..', 'target', 'bench-bundles')],
  ['/', resolve(process.env.CONCORD_DIST || resolve(here, '..', 'dist'))],
];
const dist = resolve(process.env.CONCORD_DIST || resolve(here, '..', 'dist'));
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.jsonl': 'application/x-ndjson',
  '.md': 'text/markdown; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

const port = Number(process.argv[2] || 8181);

// `/dav/PORT/…` goes, path unchanged, to the WebDAV server a sync test started on 127.0.0.1:PORT (serving that
// prefix, tests/dav-server.mjs): the page reaches its sync folder on its own origin, as behind a deployment's reverse
// proxy. A server that is down answers 502, as a proxy would.
async function proxy(req, res) {
  const davPort = req.url.split('/')[2];
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const headers = { ...req.headers };
  delete headers.host;
  try {
    const r = await fetch(`http://127.0.0.1:${davPort}${req.url}`, {
      method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const out = {};
    r.headers.forEach((v, k) => { if (!['content-encoding', 'transfer-encoding', 'connection'].includes(k)) out[k] = v; });
    res.writeHead(r.status, out);
    res.end(Buffer.from(await r.arrayBuffer()));
  } catch (e) {
    res.writeHead(502, { 'content-type': 'text/plain' }).end(`the sync server is down (${e.message})`);
  }
}

createServer(async (req, res) => {
  if (req.url.startsWith('/dav/')) return proxy(req, res);
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const [prefix, dir] = roots.find(([p]) => path.startsWith(p));
  let file = normalize(join(dir, path.slice(prefix.length)));
  if (!file.startsWith(dir + sep) && file !== dir) { res.writeHead(403).end(); return; }
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    let body = await readFile(file);
    const headers = { 'content-type': types[extname(file)] || 'application/octet-stream', 'cache-control': 'no-cache' };
    if (extname(file) === '.html') {
      // The page's own policy (the app's is POLICY; the embed demo's is stricter) moves from the meta tag to the header.
      const html = body.toString('utf8');
      const meta = html.match(/\s*<meta http-equiv="Content-Security-Policy" content="([^"]*)">/);
      if (meta) {
        body = html.replace(meta[0], '');
        headers['content-security-policy'] = meta[1];
      } else if (prefix === '/' && dirname(file) === dist) {
        headers['content-security-policy'] = POLICY;
      }
    }
    res.writeHead(200, headers);
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}).listen(port, '127.0.0.1', () => console.log(`serving on http://127.0.0.1:${port}`));
