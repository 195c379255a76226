// What a first visit costs, as shipped: the release dist/ served on loopback, a fresh headless Chromium profile per
// mode, every request the page (and its workers) makes until the mode is interactive (`concord-ready`: annotator
// mode's first task shown, review mode mounted), each counted at its gzip -9 size. Also the size of every mode's
// and worker's code, and the time to interactive. Written to target/bench/delivery.json. No figure is asserted.
import { launch, serve } from './chromium.mjs';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve, join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = resolve(here, '../../dist');
const { server, base } = await serve(8384);
const browser = await launch();

// `gzip -9` itself (GNU gzip's deflate compresses these files about 1 % smaller than zlib's level 9).
const gz = (path) => execFileSync('gzip', ['-9', '-c', path], { maxBuffer: 1 << 28 }).length;

/** Code files of dist/ (html, js, wasm, css) with raw and gzip sizes. */
const files = Object.fromEntries(readdirSync(dist).filter((f) => /\.(html|js|wasm|css)$/.test(f))
  .map((f) => [f, { raw: readFileSync(join(dist, f)).length, gzip: gz(join(dist, f)) }]));

async function firstVisit(url, runs = 3) {
  const out = [];
  for (let k = 0; k < runs; k++) {
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    // What the page had requested when the mode said it was interactive: the resources it started before then.
    await page.addInitScript(() => addEventListener('concord-ready', () => {
      window.readyAt = performance.now();
      window.fetchedBeforeReady = performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname);
    }, { once: true }));
    await page.goto(url);
    await page.waitForFunction(() => window.readyAt !== undefined, null, { timeout: 60_000 });
    const readyAt = await page.evaluate(() => window.readyAt);
    const fetched = ['/index.html', ...(await page.evaluate(() => window.fetchedBeforeReady))];
    const code = fetched.map((p) => p.split('/').pop() || 'index.html').filter((f) => files[f]);
    const other = fetched.filter((p) => !files[p.split('/').pop() || 'index.html']);
    out.push({ ready_ms: readyAt, code: [...new Set(code)], other_requests: other.length,
      code_gzip: [...new Set(code)].reduce((s, f) => s + files[f].gzip, 0) });
    await context.close();
  }
  out.sort((a, b) => a.ready_ms - b.ready_ms);
  const mid = out[Math.floor(out.length / 2)];
  return { ...mid, ready_ms: +mid.ready_ms.toFixed(0) };
}

const result = {
  files,
  annotator: await firstVisit('./?project=demo/retail/'),
  review: await firstVisit('./?mode=review&project=demo/retail/'),
  // The 3D mode, on the street LiDAR demo (its first frame's points are data, not code).
  scene: await firstVisit('./?mode=scene&project=demo/street/'),
};
for (const [mode, r] of Object.entries({ annotator: result.annotator, review: result.review, scene: result.scene })) {
  console.log(`${mode}: ${(r.code_gzip / 1000).toFixed(1)} KB gzip of code before interactive (${r.code.join(', ')}), interactive at ${r.ready_ms} ms`);
}
mkdirSync(resolve(here, '../../target/bench'), { recursive: true });
writeFileSync(resolve(here, '../../target/bench/delivery.json'), JSON.stringify(result, null, 2));
await browser.close();
server.kill();
