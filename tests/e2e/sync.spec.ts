import { test, expect, Page } from '@playwright/test';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { start, saved } from './helpers';
import { startDav } from './dav';

// Annotator mode's outbox against a real WebDAV server (nginx with its DAV modules, tests/dav-server.mjs), reached
// through the test server's /dav/PORT/ proxy: the same origin, as behind a deployment's reverse proxy.
const BUNDLE = '/fixtures/bundles/sync/';
const PORT = 8951; // the fixture's project.json names /dav/8951/sync/
const dir = (name: string) => resolve(__dirname, '../../target/e2e-dav', name);

test.describe.configure({ mode: 'serial' });

/** Every event in the segments under `root/logs/`, and how many times each id was sent. */
function segments(root: string): { ids: Map<string, number>; events: Map<string, string> } {
  const ids = new Map<string, number>();
  const events = new Map<string, string>();
  const logs = join(root, 'logs');
  if (!existsSync(logs)) return { ids, events };
  for (const folder of readdirSync(logs)) {
    for (const f of readdirSync(join(logs, folder))) {
      for (const line of readFileSync(join(logs, folder, f), 'utf8').split('\n').filter(Boolean)) {
        const e = JSON.parse(line);
        ids.set(e.id, (ids.get(e.id) ?? 0) + 1);
        events.set(e.id, JSON.stringify(e));
      }
    }
  }
  return { ids, events };
}

async function exportedLog(page: Page): Promise<Map<string, string>> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-log').click()]);
  const out = new Map<string, string>();
  for (const line of readFileSync(await download.path(), 'utf8').split('\n').filter(Boolean)) {
    const e = JSON.parse(line);
    out.set(e.id, JSON.stringify(e));
  }
  return out;
}

async function label(page: Page, n: number, key: string) {
  for (let i = 0; i < n; i++) {
    await page.keyboard.press(key);
    await page.keyboard.press('Enter');
  }
}

/** The annotator's name as a folder, worked out here apart from the engine: a slug, `-`, and FNV-1a of the name. */
function folderOf(name: string): string {
  const nfc = name.trim().normalize('NFC');
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(nfc)) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  const slug = nfc.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'annotator';
  return `${slug}-${(h & 0xffffffffn).toString(16).padStart(8, '0')}`;
}

test('every action reaches the sync folder once, also after a time offline and a server restart', async ({ page }) => {
  let dav = await startDav(dir('offline'), PORT);
  try {
    await start(page, BUNDLE, 'Ann');
    await label(page, 5, '1');
    await saved(page);
    const sync = page.getByTestId('sync');
    await expect(sync).toHaveAttribute('data-sync', 'synced', { timeout: 15_000 });
    await expect(sync).toContainText('Synced up to');
    expect(readdirSync(join(dav.root, 'logs'))).toEqual([folderOf('Ann')]);
    // The server goes away; the annotator labels on.
    await dav.stop();
    await label(page, 50, '2');
    await saved(page);
    await expect(sync).toHaveAttribute('data-sync', 'offline', { timeout: 15_000 });
    await expect(sync).toContainText(/Offline: \d+ actions waiting/);
    // Back, with its folder as it was: everything arrives, once.
    dav = await startDav(dir('offline'), PORT, { keep: true });
    await sync.locator('summary').click();
    await sync.getByRole('button', { name: 'Try again now' }).click();
    await expect(sync).toHaveAttribute('data-sync', 'synced', { timeout: 30_000 });
    const log = await exportedLog(page);
    const up = segments(dav.root);
    expect(log.size).toBe(110);
    expect([...up.ids.keys()].sort()).toEqual([...log.keys()].sort());
    expect([...up.ids.values()].every((n) => n === 1)).toBe(true);
    for (const [id, e] of log) expect(up.events.get(id)).toBe(e);
  } finally {
    await dav.stop();
  }
});

test('credentials: asked for, wrong then right; another annotator\'s folder is refused; nothing is lost', async ({ page }) => {
  const dav = await startDav(dir('auth'), PORT, {
    users: { ann: 'right-pw', bo: 'bo-pw' },
    owners: { ann: folderOf('Ann'), bo: folderOf('Bo') },
  });
  try {
    await start(page, BUNDLE, 'Ann');
    await label(page, 3, '3');
    await saved(page);
    const sync = page.getByTestId('sync');
    await expect(sync).toHaveAttribute('data-sync', 'credentials', { timeout: 15_000 });
    await sync.locator('summary').click();
    const signIn = async (user: string, pw: string) => {
      const form = sync.getByRole('form', { name: 'Sync server sign-in' });
      await form.getByLabel('User (empty for a token)').fill(user);
      await form.getByLabel('Password or token').fill(pw);
      await form.getByRole('button', { name: 'Sign in' }).click();
    };
    await signIn('ann', 'wrong-pw');
    await expect(sync).toHaveAttribute('data-sync', 'credentials', { timeout: 15_000 });
    // Bo's own account, but Ann's work goes to Ann's folder: the server refuses, and says so.
    await signIn('bo', 'bo-pw');
    await expect(sync).toHaveAttribute('data-sync', 'refused', { timeout: 15_000 });
    await expect(sync).toContainText('403');
    expect(existsSync(join(dav.root, 'logs'))).toBe(false);
    // The password is not in the page's address, the log or the export.
    expect(page.url()).not.toContain('pw');
    await signIn('ann', 'right-pw');
    await expect(sync).toHaveAttribute('data-sync', 'synced', { timeout: 15_000 });
    const log = await exportedLog(page);
    expect([...log.values()].join('\n')).not.toContain('right-pw');
    expect([...segments(dav.root).ids.keys()].sort()).toEqual([...log.keys()].sort());
  } finally {
    await dav.stop();
  }
});

test('a full server (507) is reported and nothing is lost locally', async ({ page }) => {
  const dav = await startDav(dir('full'), PORT, { full: true });
  try {
    await start(page, BUNDLE, 'Ann');
    await label(page, 2, '1');
    await saved(page);
    const sync = page.getByTestId('sync');
    await expect(sync).toHaveAttribute('data-sync', 'refused', { timeout: 15_000 });
    await expect(sync).toContainText('507');
    await expect(sync).toContainText('4 actions waiting');
    expect((await exportedLog(page)).size).toBe(4);
  } finally {
    await dav.stop();
  }
});
