import { test, expect, chromium } from '@playwright/test';
import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { start, saved } from './helpers';

// Work survives a stopped server, a killed browser and a full disk.

const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

function serve(port: number): Promise<ChildProcess> {
  return new Promise((ok, fail) => {
    const p = spawn('node', [resolve(__dirname, '../serve.mjs'), String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    p.stdout!.once('data', () => ok(p));
    p.once('error', fail);
  });
}

test('with the server stopped, a reload still opens the project and labeling continues', async ({ browser }) => {
  const port = 8190 + test.info().workerIndex;
  let server = await serve(port);
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}/` });
  const page = await context.newPage();
  try {
    await start(page, 'demo/retail/');
    await page.evaluate(() => navigator.serviceWorker.ready);
    // Once the worker controls the page, a reload fetches (and caches) everything through it.
    await page.reload();
    await expect(page.locator('.task')).toHaveAttribute('data-task-id', 'p0001');
    await expect(page.locator('.task-image')).toBeVisible();
    server.kill();
    await new Promise((r) => server.once('exit', r));
    await page.reload();
    await expect(page.getByTestId('project-name')).toHaveText('Retail products');
    await expect(page.locator('.task')).toHaveAttribute('data-task-id', 'p0001');
    await page.keyboard.press('1');
    await page.keyboard.press('Enter');
    await expect(page.locator('.task')).toHaveAttribute('data-task-id', 'p0002');
    await saved(page, 2);
    await page.reload();
    await expect(page.locator('.task')).toHaveAttribute('data-task-id', 'p0002');
    await expect(page.getByTestId('items-total')).toHaveText('1');
  } finally {
    server.kill();
    await context.close();
  }
});

test('a killed browser loses no acknowledged action (200 actions, killed at random points)', async ({}, testInfo) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'concord-kill-'));
  const base = testInfo.project.use.baseURL!;
  // A seeded generator, so a failure replays.
  let seed = 20261128;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  let acknowledged = 0;
  let first = true;
  try {
    while (acknowledged < 200) {
      const context = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', args: launchArgs, baseURL: base });
      const page = context.pages()[0] ?? (await context.newPage());
      if (first) {
        await start(page, 'demo/retail/', 'Kim');
        first = false;
      } else {
        await page.goto('./?project=demo/retail/');
      }
      // Everything acknowledged before the kill is there.
      await expect(page.getByTestId('save-state')).toHaveAttribute('data-saved', String(acknowledged));
      const burst = 10 + Math.floor(rand() * 40);
      for (let i = 0; i < burst && acknowledged < 200; i++) {
        // As a person would: act on a task once it is on screen (after a submit, the next one may still be
        // loading its chunk; keys meant for a task not shown yet are not actions).
        await expect(page.locator('.task[data-task-id]')).toBeVisible();
        // Alternate labels so that each key is a real change.
        await page.keyboard.press(String(1 + (acknowledged % 9)));
        acknowledged += 1;
        if (rand() < 0.3) {
          await page.keyboard.press('Enter');
          acknowledged += 1;
        }
      }
      await saved(page, acknowledged);
      // Kill: SIGKILL to every process of this browser profile — no unload, no flush, no goodbye.
      // (pkill without a shell, whose own command line would match; status 0 means processes were killed.)
      expect(spawnSync('pkill', ['-9', '-f', '--', `user-data-dir=${dir}`]).status).toBe(0);
      await context.close().catch(() => {});
    }
    const context = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', args: launchArgs, baseURL: base });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto('./?project=demo/retail/');
    await expect(page.getByTestId('save-state')).toHaveAttribute('data-saved', String(acknowledged));
    await context.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a full disk is reported, the export is offered, and nothing saved before is lost', async ({ page }) => {
  // Writes fail on demand, as they do when the quota is exhausted.
  await page.addInitScript(() => {
    const add = IDBObjectStore.prototype.add;
    IDBObjectStore.prototype.add = function (...args: any[]) {
      if ((window as any).failWrites) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return add.apply(this, args as any);
    };
  });
  await start(page, 'demo/retail/');
  await page.keyboard.press('1');
  await page.keyboard.press('Enter');
  await saved(page, 2);
  await page.evaluate(() => ((window as any).failWrites = true));
  await page.keyboard.press('3');
  const alert = page.getByTestId('store-error');
  await expect(alert).toContainText('could not be saved');
  await expect(alert).toContainText('storage is full');
  await expect(page.getByTestId('save-state')).toHaveText('Not saved!');
  // The unsaved action is still in the tab, and in the export.
  await expect(page.locator('.label-button[data-label="orange"]')).toHaveAttribute('aria-pressed', 'true');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-log').click()]);
  const fs = await import('node:fs');
  const ops = fs.readFileSync(await download.path(), 'utf8').trim().split('\n').map((l: string) => JSON.parse(l).op.type);
  expect(ops).toEqual(['choose', 'submit', 'choose']);
  // Space is freed: retry saves it.
  await page.evaluate(() => ((window as any).failWrites = false));
  await alert.getByRole('button', { name: 'Retry saving' }).click();
  await saved(page, 3);
  await page.reload();
  await expect(page.locator('.label-button[data-label="orange"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('items-total')).toHaveText('1');
});

test('two tabs on one project: each sees the other\'s work at once, and both keep every action', async ({ context }) => {
  const a = await context.newPage();
  await start(a, 'demo/retail/', 'Ann');
  const b = await context.newPage();
  await b.goto('./?project=demo/retail/');
  await expect(b.locator('.task')).toHaveAttribute('data-task-id', 'p0001');
  // Tab A labels p0001 apple and submits; tab B, open on p0001, is told and shows it.
  await a.keyboard.press('1');
  await a.keyboard.press('Enter');
  await saved(a, 2);
  await expect(b.locator('.notice.info')).toContainText('Another tab changed task p0001');
  await expect(b.locator('.label-button[data-label="apple"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(b.getByTestId('task-status')).toHaveText('Submitted');
  // Tab B corrects it to banana; tab A (now on p0002) goes back and sees the correction.
  await b.keyboard.press('2');
  await b.keyboard.press('Enter');
  await saved(b, 4);
  await a.keyboard.press('PageUp');
  await expect(a.locator('.label-button[data-label="banana"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(a.getByTestId('save-state')).toHaveAttribute('data-saved', '4');
  // Both orders of work are in the one log; after a reload both tabs agree.
  await a.reload();
  await b.reload();
  for (const p of [a, b]) {
    await expect(p.getByTestId('save-state')).toHaveAttribute('data-saved', '4');
    await p.getByLabel('Go to task number').fill('1');
    await p.getByLabel('Go to task number').press('Enter');
    await expect(p.locator('.label-button[data-label="banana"]')).toHaveAttribute('aria-pressed', 'true');
  }
});

test('after a crash that left local storage behind the log, the queue opens at the first task not yet submitted', async ({ page }) => {
  await start(page, 'demo/retail/');
  for (const id of ['p0001', 'p0002', 'p0003']) {
    await expect(page.locator('.task')).toHaveAttribute('data-task-id', id);
    await page.keyboard.press('1');
    await page.keyboard.press('Enter');
  }
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', 'p0004');
  await saved(page, 6);
  // What a killed browser can leave: the log committed action by action, local storage from before it.
  const stale = () => page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.endsWith(':position')) localStorage.setItem(k, JSON.stringify({ position: 0, at: 1 }));
  });
  await stale();
  await page.reload();
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', 'p0004');
  await expect(page.getByTestId('position')).toHaveText('4 / 200');
  // No saved position at all: the same.
  await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.endsWith(':position')) localStorage.removeItem(k); });
  await page.reload();
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', 'p0004');
  // A position saved after the last action stands: the annotator went back to look at the first task.
  await page.keyboard.press('PageUp');
  await page.keyboard.press('PageUp');
  await page.keyboard.press('PageUp');
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', 'p0001');
  await page.reload();
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', 'p0001');
});

test('review work: a write that fails is reported and not shown as done; the next one that succeeds keeps both', async ({ page }) => {
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args: any[]) {
      if ((window as any).failWrites) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args as any);
    };
  });
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'concord-kept-'));
  const csv = join(dir, 'labels.csv');
  writeFileSync(csv, 'item,annotator,label\nt1,ana,cat\nt1,ben,dog\nt1,cai,cat\nt2,ana,dog\nt2,ben,dog\nt2,cai,cat\n');
  await page.goto('./?mode=review');
  await page.getByTestId('import-files').setInputFiles(csv);
  const rows = page.getByTestId('review-queue').locator('li.queue-row');
  await expect(rows).toHaveCount(2);
  await page.evaluate(() => ((window as any).failWrites = true));
  await rows.nth(0).focus();
  await page.keyboard.press('a');
  await expect(page.getByTestId('work-error')).toContainText('Not saved');
  await expect(rows.nth(0)).toHaveAttribute('data-verdict', '');
  await page.evaluate(() => ((window as any).failWrites = false));
  await rows.nth(0).focus();
  await page.keyboard.press('a');
  await rows.nth(1).focus();
  await page.keyboard.press('a');
  await expect(rows.nth(0)).toHaveAttribute('data-verdict', 'accepted');
  await expect(rows.nth(1)).toHaveAttribute('data-verdict', 'accepted');
  await expect(page.getByTestId('work-error')).toHaveCount(0);
  // Kept: a reload of the same files shows both.
  await page.reload();
  await page.getByTestId('import-files').setInputFiles(csv);
  await expect(page.getByTestId('review-queue').getByTestId('queue-count')).toHaveAttribute('data-reviewed', '2');
});
