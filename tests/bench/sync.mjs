// The outbox as shipped (release dist/), against real nginx WebDAV on loopback (tests/dav-server.mjs) behind the
// e2e server's /dav/PORT/ proxy, in headless Chromium:
// - latency: an action submitted → its segment on the server; the lead's review page opened → the figures shown;
//   an action → counted on the lead's open review page (which reads the folder every 15 s);
// - a day's backlog: 10,000 actions made while the server was away (written into the browser's log), then the
//   server back — time until the top bar says synced, and actions per second.
// Writes target/bench/sync.json. Usage: node tests/bench/sync.mjs (after `trunk build --release`).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch } from './chromium.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');
const PORT = 8951; // the sync fixture's project.json names /dav/8951/sync/
const BUNDLE = '/fixtures/bundles/sync/';
const BACKLOG = 10_000;

async function startDav(dir, options = {}) {
  const command = execFileSync('node', [resolve(here, '../dav-server.mjs'), dir, String(PORT),
    JSON.stringify({ ...options, prefix: `/dav/${PORT}/sync/` })], { encoding: 'utf8' });
  const [bin, ...args] = command.trim().split(/\s+/);
  const child = spawn(bin, args, { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    try { await fetch(`http://127.0.0.1:${PORT}/`); break; } catch { await new Promise((r) => setTimeout(r, 25)); }
  }
  return { root: join(dir, 'root'), stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }) };
}

/** Every event id in the server's segments. */
function onServer(dir) {
  const ids = new Set();
  const logs = join(dir, 'logs');
  if (!existsSync(logs)) return ids;
  for (const f of readdirSync(logs)) for (const s of readdirSync(join(logs, f))) {
    for (const l of readFileSync(join(logs, f, s), 'utf8').split('\n').filter(Boolean)) ids.add(JSON.parse(l).id);
  }
  return ids;
}

const { server, base } = await serve(8197);
const browser = await launch();
const out = {};
try {
  const dir = resolve(root, 'target/bench-dav');
  let dav = await startDav(dir);
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${base}?project=${BUNDLE}`);
  await page.locator('#annotator-name').fill('Ann');
  await page.locator('#annotator-name').press('Enter');
  const sync = page.getByTestId('sync');
  // Latency: five actions, each timed from its submission to its segment on the server.
  const latencies = [];
  for (let k = 0; k < 5; k++) {
    const before = onServer(dav.root).size;
    await page.keyboard.press('1');
    const t0 = Date.now();
    await page.keyboard.press('Enter');
    while (onServer(dav.root).size < before + 2) await new Promise((r) => setTimeout(r, 10));
    latencies.push(Date.now() - t0);
  }
  latencies.sort((a, b) => a - b);
  out.action_to_server_ms = { median: latencies[2], max: latencies[4] };
  // The lead opens review mode: the folder read and the figures shown.
  const lead = await (await browser.newContext()).newPage();
  const t1 = Date.now();
  await lead.goto(`${base}?mode=review&project=${BUNDLE}`);
  await lead.getByTestId('import-summary').waitFor({ timeout: 30_000 });
  out.review_opened_to_figures_ms = Date.now() - t1;
  // End to end: with the lead's page open (reading the folder every 15 s), an action → the label counted there. Each
  // action follows the previous one's arrival, so just after a read: this is the longest wait, not the average.
  const counted = async () => Number(await lead.locator('[data-figure="annotations"]').last().textContent());
  const seen = [];
  for (let k = 0; k < 3; k++) {
    const before = await counted();
    await page.keyboard.press('2');
    const t0 = Date.now();
    await page.keyboard.press('Enter');
    while (await counted() <= before) {
      if (Date.now() - t0 > 60_000) throw new Error('the action did not reach the open review page in a minute');
      await new Promise((r) => setTimeout(r, 50));
    }
    seen.push(Date.now() - t0);
  }
  seen.sort((a, b) => a - b);
  out.action_to_review_ms = { median: seen[1], max: seen[2] };
  // A day offline: the server away, 10,000 actions in the browser's log, then the server back.
  await dav.stop();
  await page.evaluate(async (n) => {
    const db = await new Promise((ok, no) => { const r = indexedDB.open('concord-log:sync-check', 1); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
    const tx = db.transaction('events', 'readwrite');
    const store = tx.objectStore('events');
    const now = Date.now();
    for (let i = 0; i < n; i++) {
      const task = `s${String(1 + (i >> 1) % 60).padStart(3, '0')}`;
      const op = i % 2 === 0 ? { type: 'choose', control: 'topic', labels: ['politics'] } : { type: 'submit' };
      store.add(JSON.stringify({ id: `offline:${i + 1}`, at: now + i, annotator: 'Ann', task, guidelines: '1', op }));
    }
    await new Promise((ok) => { tx.oncomplete = ok; });
  }, BACKLOG);
  dav = await startDav(dir, { keep: true });
  // The next morning: the page opened again (it restores the log, then its outbox sends what waits).
  const t2 = Date.now();
  await page.reload();
  while (onServer(dav.root).size < BACKLOG + 10) {
    if (Date.now() - t2 > 300_000) throw new Error('the backlog did not go up in 5 minutes');
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (Date.now() - t2) / 1000;
  out.backlog = { actions: BACKLOG, seconds, actions_per_second: Math.round(BACKLOG / seconds) };
  await dav.stop();
} finally {
  await browser.close();
  server.kill();
}
mkdirSync(resolve(root, 'target/bench'), { recursive: true });
writeFileSync(resolve(root, 'target/bench/sync.json'), JSON.stringify(out, null, 2));
console.log(JSON.stringify(out));
