import { test, expect, Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saved, start } from './helpers';

// Each mode loads only its own code: annotator mode never fetches review mode's wasm or the workers before its
// first task; review mode never fetches annotator mode's; the import worker comes with the first import. After a
// first visit, every mode works offline.

/** The app's code files (glue, wasm, loader shims) the page requested, by name. */
function codeRequests(page: Page): string[] {
  const names: string[] = [];
  page.on('request', (r) => {
    const name = new URL(r.url()).pathname.split('/').pop()!;
    if (/^concord-.*\.(js|wasm)$/.test(name)) names.push(name);
  });
  return names;
}

test('annotator mode fetches its own wasm and nothing of review mode or the workers before the first task', async ({ page }) => {
  // What the page had requested when the mode said it was interactive (the first task on screen).
  await page.addInitScript(() => addEventListener('concord-ready', () => {
    (window as any).beforeReady = performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname.split('/').pop());
  }, { once: true }));
  const names = codeRequests(page);
  await page.goto('./?project=demo/retail/');
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', 'p0001');
  const before: string[] = await page.waitForFunction(() => (window as any).beforeReady).then((h) => h.jsonValue());
  expect(before).toContain('concord-annotate.js');
  expect(before).toContain('concord-annotate_bg.wasm');
  expect(before.filter((n) => /review|import|worker|deferred/.test(n))).toEqual([]);
  // After it, the chunk worker starts (it renders the guideline), and the mode's deferred code arrives: never
  // review mode.
  await expect(page.locator('.guideline article h2').first()).toBeVisible();
  expect(names).toContain('concord-worker_loader.js');
  await expect.poll(() => names).toContain('concord-annotate_deferred.wasm');
  expect(names.filter((n) => /review|import/.test(n))).toEqual([]);
});

// The page modes' wasm is split (crates/xtask/src/wasm_split.rs): what a first task runs, by the profiles in
// www/split/, and the rest, fetched once the task is shown. A function of the rest called earlier is fetched
// synchronously (www/boot.js marks it `concord-deferred-sync`): that still works, but costs the first load its
// size. This fails when the code a first task runs has changed and the profiles have not: run
// `cargo xtask split-profile` after a release build.
const firstVisits = [
  './',
  ...['retail', 'news', 'shelf', 'aerial', 'tickets', 'digits'].map((d) => `./?project=demo/${d}/`),
  ...['retail', 'news', 'shelf', 'aerial', 'tickets', 'street'].map((d) => `./?mode=review&project=demo/${d}/`),
  './?mode=review',
  './?mode=scene&project=demo/street/',
];
test('every demo, in every mode, shows its first task without the deferred code', async ({ browser }) => {
  test.setTimeout(120_000);
  for (const url of firstVisits) {
    const context = await browser.newContext();
    const page = await context.newPage();
    // What the page had requested, and fetched synchronously, when the mode said it was interactive.
    await page.addInitScript(() => addEventListener('concord-ready', () => {
      (window as any).atReady = {
        fetched: performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname.split('/').pop())
          .filter((n) => /deferred/.test(n!)),
        early: performance.getEntriesByName('concord-deferred-sync').map((m: any) => m.detail.slot),
      };
    }, { once: true }));
    await page.goto(url);
    const atReady = await page.waitForFunction(() => (window as any).atReady).then((h) => h.jsonValue());
    expect({ url, ...atReady }).toEqual({ url, fetched: [], early: [] });
    await context.close();
  }
});

test('deferred code whose fetch after the first task failed is fetched by the first call that needs it', async ({ page }) => {
  // The fetch that starts once the task is shown fails; the app goes on, and the first call into the deferred
  // code fetches it, synchronously, once.
  let asked = 0;
  await page.route('**/concord-annotate_deferred.wasm', (route) => (asked++ === 0 ? route.abort() : route.continue()));
  await start(page, 'demo/retail/');
  await page.keyboard.press('1');
  await page.keyboard.press('Enter');
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', 'p0002');
  await saved(page, 2);
  const sync = await page.evaluate(() => performance.getEntriesByName('concord-deferred-sync').map((m: any) => m.detail));
  expect(sync.map((d) => d.ready)).toEqual([true]);
  expect(asked).toBe(2);
});

test('review mode fetches its own wasm, and the import worker only with the first import', async ({ page }) => {
  const names = codeRequests(page);
  await page.goto('./?mode=review');
  await expect(page.getByRole('heading', { name: "Review annotators' files" })).toBeVisible();
  expect(names).toContain('concord-review_bg.wasm');
  expect(names.filter((n) => /annotate|import|worker/.test(n))).toEqual([]);
  const dir = mkdtempSync(join(tmpdir(), 'concord-delivery-'));
  const csv = join(dir, 'labels.csv');
  writeFileSync(csv, 'item,annotator,label\nt1,ana,cat\nt1,ben,cat\nt2,ana,dog\nt2,ben,cat\n');
  await page.getByTestId('import-files').setInputFiles(csv);
  await expect(page.getByTestId('import-summary')).toBeVisible();
  expect(names).toContain('concord-import_loader.js');
  expect(names).toContain('concord-import_bg.wasm');
});

test('after one visit to annotator mode, review mode opens offline too (every mode is precached)', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await start(page, 'demo/retail/');
    await page.evaluate(() => navigator.serviceWorker.ready);
    // The worker has precached every mode and worker on install.
    const cached = await page.evaluate(async () => {
      const keys = await caches.keys();
      const c = await caches.open(keys.find((k) => k.startsWith('concord-'))!);
      return (await c.keys()).map((r) => new URL(r.url).pathname.split('/').pop());
    });
    for (const f of ['concord-review_bg.wasm', 'concord-import_bg.wasm', 'concord-worker_bg.wasm', 'boot.js']) {
      expect(cached).toContain(f);
    }
    // Offline, review mode — never opened online — starts from the cache. (Annotator mode offline, with the
    // bundle cached as it is fetched, is durability.spec.ts's test.)
    await context.setOffline(true);
    await page.goto('./?mode=review');
    await expect(page.getByRole('heading', { name: "Review annotators' files" })).toBeVisible();
    await expect(page.getByTestId('import-files')).toBeEnabled();
  } finally {
    await context.close();
  }
});

test('the start screen, every demo and both modes load with no console warning or error, on the page or in a worker', async ({ page }) => {
  const messages: string[] = [];
  const listen = (where: string) => (m: { type(): string; text(): string }) => {
    if (m.type() === 'warning' || m.type() === 'error') messages.push(`${where} ${m.type()}: ${m.text()}`);
  };
  page.on('console', listen('page'));
  page.on('worker', (w) => w.on('console', listen(`worker ${w.url()}`)));
  page.on('pageerror', (e) => messages.push(`page error: ${e.message}`));
  await page.goto('./');
  await expect(page.getByTestId('demo-projects')).toBeVisible();
  for (const demo of ['retail', 'news', 'shelf', 'aerial', 'tickets']) {
    await page.goto(`./?project=demo/${demo}/`);
    await expect(page.locator('.task[data-task-id]')).toBeVisible();
    // The chunk worker starts after the first task (it renders the guideline): wait for its answer too.
    await expect(page.locator('.guideline article :is(h1, h2, h3, p)').first()).toBeVisible();
  }
  await page.goto('./?mode=review&project=demo/retail/');
  await expect(page.getByTestId('review-project')).toBeVisible();
  expect(messages).toEqual([]);
});
