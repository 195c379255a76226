import { test, expect, Locator, Page } from '@playwright/test';
import { readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { start, saved } from './helpers';
import { startDav, startRclone } from './dav';

// Annotator mode's outbox against a real WebDAV server (nginx with its DAV modules, tests/dav-server.mjs), reached
// through the test server's /dav/PORT/ proxy: the same origin, as behind a deployment's reverse proxy.
const BUNDLE = '/fixtures/bundles/sync/';
const PORT = 8951; // the fixture's project.json names /dav/8951/sync/
const dir = (name: string) => resolve(__dirname, '../../target/e2e-dav', name);
/** The server serves the path the page asks the proxy for. */
const served = (options: Record<string, unknown> = {}) => ({ ...options, prefix: `/dav/${PORT}/sync/` });

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

/** Every copy of every event on the server, by id: a segment sent twice must carry the same bytes. */
function copies(root: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const logs = join(root, 'logs');
  for (const folder of existsSync(logs) ? readdirSync(logs) : []) {
    for (const f of readdirSync(join(logs, folder))) {
      // Every file is whole: a line that does not parse fails here.
      for (const line of readFileSync(join(logs, folder, f), 'utf8').split('\n').filter(Boolean)) {
        const id = JSON.parse(line).id;
        if (!out.has(id)) out.set(id, new Set());
        out.get(id)!.add(line);
      }
    }
  }
  return out;
}

/** Fills the sync sign-in form inside `scope` (the top bar's sync menu, or review mode's reader) and sends it. */
async function signIn(scope: Locator, user: string, pw: string) {
  const form = scope.getByRole('form', { name: 'Sync server sign-in' });
  await form.getByLabel('User (empty for a token)').fill(user);
  await form.getByLabel('Password or token').fill(pw);
  await form.getByRole('button', { name: 'Sign in' }).click();
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
  let dav = await startDav(dir('offline'), PORT, served());
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
    dav = await startDav(dir('offline'), PORT, served({ keep: true }));
    await sync.locator('summary').click();
    // The outbox's own retry may come first (once in CI it synced before the click): then there is no button to
    // press, and the wait below is what matters.
    await sync.getByRole('button', { name: 'Try again now' }).click({ timeout: 3_000 }).catch(() => {});
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
  const dav = await startDav(dir('auth'), PORT, served({
    users: { ann: 'right-pw', bo: 'bo-pw' },
    owners: { ann: folderOf('Ann'), bo: folderOf('Bo') },
  }));
  try {
    await start(page, BUNDLE, 'Ann');
    await label(page, 3, '3');
    await saved(page);
    const sync = page.getByTestId('sync');
    await expect(sync).toHaveAttribute('data-sync', 'credentials', { timeout: 15_000 });
    await sync.locator('summary').click();
    await signIn(sync, 'ann', 'wrong-pw');
    await expect(sync).toHaveAttribute('data-sync', 'credentials', { timeout: 15_000 });
    // Bo's own account, but Ann's work goes to Ann's folder: the server refuses, and says so.
    await signIn(sync, 'bo', 'bo-pw');
    await expect(sync).toHaveAttribute('data-sync', 'refused', { timeout: 15_000 });
    await expect(sync).toContainText('403');
    expect(existsSync(join(dav.root, 'logs'))).toBe(false);
    // The password is not in the page's address, the log or the export.
    expect(page.url()).not.toContain('pw');
    await signIn(sync, 'ann', 'right-pw');
    await expect(sync).toHaveAttribute('data-sync', 'synced', { timeout: 15_000 });
    const log = await exportedLog(page);
    expect([...log.values()].join('\n')).not.toContain('right-pw');
    expect([...segments(dav.root).ids.keys()].sort()).toEqual([...log.keys()].sort());
  } finally {
    await dav.stop();
  }
});

test('a full server (507) is reported and nothing is lost locally', async ({ page }) => {
  const dav = await startDav(dir('full'), PORT, served({ full: true }));
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

test('two annotators and a lead: the lead reads the folder, and the figures are the CLI\'s on the pulled files', async ({ browser }) => {
  const dav = await startDav(dir('team'), PORT, served());
  try {
    // Ann and Bo, each in a browser of their own (their own IndexedDB), label the same 12 stories.
    for (const [name, keys] of [['Ann', '111222333111'], ['Bo', '112223331121']] as const) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await start(page, BUNDLE, name);
      for (const k of keys) {
        await page.keyboard.press(k);
        await page.keyboard.press('Enter');
      }
      await saved(page);
      await expect(page.getByTestId('sync')).toHaveAttribute('data-sync', 'synced', { timeout: 15_000 });
      await context.close();
    }
    // The lead opens review mode: the folder is read at once, no file passed by hand.
    const context = await browser.newContext();
    const lead = await context.newPage();
    const t0 = Date.now();
    await lead.goto(`./?mode=review&project=${BUNDLE}`);
    await expect(lead.getByTestId('sync-read-note')).toContainText('2 annotator folders', { timeout: 15_000 });
    await expect(lead.getByTestId('import-summary')).toBeVisible({ timeout: 15_000 });
    const shown = Number(await lead.locator('[data-figure="alpha"]').first().textContent());
    console.log(`sync: review mode showed the figures ${Date.now() - t0} ms after opening`);
    // The same folder pulled by the CLI, and `concord agreement` on it.
    const root = resolve(__dirname, '../..');
    const cli = ['target/debug/concord', 'target/release/concord'].map((p) => join(root, p)).find(existsSync);
    expect(cli, 'the concord CLI is built (cargo build -p concord-cli)').toBeTruthy();
    const pulled = dir('team-pulled');
    rmSync(pulled, { recursive: true, force: true });
    execFileSync(cli!, ['pull', dav.url, pulled]);
    const files = readdirSync(join(pulled, 'logs')).flatMap((f) => readdirSync(join(pulled, 'logs', f)).map((s) => join(pulled, 'logs', f, s)));
    const report = JSON.parse(execFileSync(cli!, ['agreement', '--bundle', join(root, 'tests/fixtures/bundles/sync'), ...files], { encoding: 'utf8' }));
    expect(report.annotators).toBe(2);
    expect(report.annotations).toBe(24);
    expect(shown).toBeCloseTo(report.krippendorff_alpha.nominal, 3);
    await expect(lead.locator('[data-figure="annotations"]').last()).toHaveText('24');
    await context.close();
  } finally {
    await dav.stop();
  }
});

test('the lead\'s files go to lead/, and the annotator picks up what was sent back at the next sync', async ({ browser }) => {
  const dav = await startDav(dir('lead'), PORT, served({
    users: { ann: 'ann-pw', bo: 'bo-pw', lead: 'lead-pw' },
    owners: { ann: folderOf('Ann'), bo: folderOf('Bo'), lead: 'lead' },
  }));
  try {
    // Ann and Bo label s001 sport and s002 politics, where the bundle's model is confident of politics and science.
    const annotate = async (name: string, user: string, pw: string) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await start(page, BUNDLE, name);
      for (const k of ['1', '2', '1']) {
        await page.keyboard.press(k);
        await page.keyboard.press('Enter');
      }
      await saved(page);
      const sync = page.getByTestId('sync');
      await expect(sync).toHaveAttribute('data-sync', 'credentials', { timeout: 15_000 });
      await sync.locator('summary').click();
      await signIn(sync, user, pw);
      await expect(sync).toHaveAttribute('data-sync', 'synced', { timeout: 15_000 });
      return { context, page, sync };
    };
    const { context: annContext, page: ann, sync } = await annotate('Ann', 'ann', 'ann-pw');
    const bo = await annotate('Bo', 'bo', 'bo-pw');
    await bo.context.close();

    // The lead reads the folder (signing in when asked) and sends back the model's conflicts.
    const leadContext = await browser.newContext({ acceptDownloads: true });
    const lead = await leadContext.newPage();
    await lead.goto(`./?mode=review&project=${BUNDLE}`);
    const reader = lead.getByTestId('sync-reader');
    await expect(reader.getByTestId('sync-read-note')).toContainText('401', { timeout: 15_000 });
    await signIn(reader, 'lead', 'lead-pw');
    await expect(reader.getByTestId('sync-read-note')).toContainText('2 annotator folders', { timeout: 15_000 });
    const requeue = lead.getByTestId('requeue');
    await expect(requeue.getByTestId('requeue-count')).toHaveAttribute('data-model', '2', { timeout: 15_000 });
    const [download] = await Promise.all([lead.waitForEvent('download'), requeue.getByTestId('download-requeue').click()]);
    const listed = readFileSync(await download.path(), 'utf8');
    await requeue.getByTestId('publish-requeue').getByRole('button', { name: 'Send to the sync folder' }).click();
    await expect(requeue.getByTestId('publish-requeue').locator('[data-sent]')).toContainText('lead/requeue.jsonl');
    expect(readFileSync(join(dav.root, 'lead/requeue.jsonl'), 'utf8')).toBe(listed);
    const sentBack = listed.trim().split('\n').map((l) => JSON.parse(l));
    expect(sentBack.map((r) => r.task).sort()).toEqual(['s001', 's002']);

    // The final files, as downloaded, and a recorded guideline version.
    const outcome = lead.getByTestId('review-outcome');
    const [final] = await Promise.all([lead.waitForEvent('download'), outcome.getByTestId('download-final').click()]);
    await outcome.getByTestId('publish-final').getByRole('button', { name: 'Send to the sync folder' }).click();
    await expect(outcome.getByTestId('publish-final').locator('[data-sent]')).toContainText('lead/final/final-label-studio.json');
    expect(readFileSync(join(dav.root, 'lead/final/final-labels.csv'), 'utf8')).toBe(readFileSync(await final.path(), 'utf8'));
    expect(JSON.parse(readFileSync(join(dav.root, 'lead/final/final-label-studio.json'), 'utf8')).length).toBe(3);
    expect(existsSync(join(dav.root, 'lead/final/labels-reviewed.csv'))).toBe(true);
    const gate = lead.getByTestId('pilot-gate');
    await gate.getByLabel('New guideline version').fill('2');
    await gate.getByLabel('What changed in the guideline').fill('politics vs science, with examples');
    await gate.getByRole('button', { name: 'Record version' }).click();
    await gate.getByTestId('publish-versions').getByRole('button', { name: 'Send to the sync folder' }).click();
    await expect(gate.getByTestId('publish-versions').locator('[data-sent]')).toBeVisible();
    const versions = JSON.parse(readFileSync(join(dav.root, 'lead/guideline-versions.json'), 'utf8'));
    expect(versions.map((v: { version: string; note: string }) => [v.version, v.note])).toEqual([['2', 'politics vs science, with examples']]);
    // The lead's account may not write into Ann's folder.
    const lead403 = await lead.evaluate(async (url) => (await fetch(`${url}x.jsonl`, {
      method: 'PUT', body: '{}', credentials: 'omit', headers: { Authorization: `Basic ${btoa('lead:lead-pw')}` },
    })).status, `/dav/${PORT}/sync/logs/${folderOf('Ann')}/`);
    expect(lead403).toBe(403);

    // Ann goes on; the next sync brings the list: the tasks sent back come first, each with its reason.
    await ann.keyboard.press('3');
    await ann.keyboard.press('Enter');
    await expect(ann.locator('.notice.info')).toContainText('2 tasks were sent back to you for re-annotation', { timeout: 15_000 });
    await expect(ann.locator('.task')).toHaveAttribute('data-task-id', 's001');
    await expect(ann.getByTestId('sent-back')).toHaveText(`Sent back for re-annotation: ${sentBack.find((r) => r.task === 's001').reason}`);
    // An unchanged list is not applied again: redoing s001 moves on to s002, and later syncs leave the queue be.
    await ann.keyboard.press('2');
    await ann.keyboard.press('Enter');
    await expect(ann.locator('.task')).toHaveAttribute('data-task-id', 's002');
    await saved(ann);
    await expect(sync).toHaveAttribute('data-sync', 'synced', { timeout: 15_000 });
    await expect(ann.locator('.task')).toHaveAttribute('data-task-id', 's002');
    await annContext.close();
    await leadContext.close();
  } finally {
    await dav.stop();
  }
});

test('the server restarted in the middle of an upload: every action arrives, whole and once per event id', async ({ page }) => {
  test.setTimeout(120_000);
  let dav = await startDav(dir('restart'), PORT, served());
  try {
    await start(page, BUNDLE, 'Ann');
    await label(page, 1, '1');
    await saved(page);
    await expect(page.getByTestId('sync')).toHaveAttribute('data-sync', 'synced', { timeout: 15_000 });
    // A day's backlog while the server is away: 10,000 actions in the browser's log (20 segments to send).
    await dav.stop();
    const backlog = 10_000;
    await page.evaluate(async (n) => {
      const db: IDBDatabase = await new Promise((ok, no) => { const r = indexedDB.open('concord-log:sync-check', 1); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
      const tx = db.transaction('events', 'readwrite');
      const now = Date.now();
      for (let i = 0; i < n; i++) {
        const task = `s${String(1 + (i >> 1) % 60).padStart(3, '0')}`;
        const op = i % 2 === 0 ? { type: 'choose', control: 'topic', labels: ['politics'] } : { type: 'submit' };
        tx.objectStore('events').add(JSON.stringify({ id: `offline:${i + 1}`, at: now + i, annotator: 'Ann', task, guidelines: '1', op }));
      }
      await new Promise((ok) => { tx.oncomplete = ok; });
    }, backlog);
    dav = await startDav(dir('restart'), PORT, served({ keep: true }));
    await page.reload();
    // The first segment of the backlog is on the server: the next is on its way. Stop the server now.
    const folder = join(dav.root, 'logs', folderOf('Ann'));
    const sent = () => readdirSync(folder).filter((f) => f.startsWith('offline-')).length;
    while (sent() === 0) await new Promise((r) => setTimeout(r, 2));
    await dav.stop();
    const whenStopped = sent();
    const t0 = Date.now();
    expect(whenStopped, 'the server was stopped with segments still to send').toBeLessThan(backlog / 500);
    const sync = page.getByTestId('sync');
    await expect(sync).toHaveAttribute('data-sync', 'offline', { timeout: 30_000 });
    console.log(`restart: stopped after ${whenStopped} of 20 segments; offline shown ${Date.now() - t0} ms later`);
    // Back: the outbox's next try (its backoff is seconds after so short an outage) sends the rest.
    dav = await startDav(dir('restart'), PORT, served({ keep: true }));
    await expect(sync).toHaveAttribute('data-sync', 'synced', { timeout: 60_000 });
    const log = await exportedLog(page);
    expect(log.size).toBe(backlog + 2);
    const up = copies(dav.root);
    expect([...up.keys()].sort()).toEqual([...log.keys()].sort());
    const differing = [...up].filter(([id, lines]) => lines.size !== 1 || [...lines][0] !== log.get(id)).map(([id]) => id);
    expect(differing, 'events whose copies on the server differ from the log').toEqual([]);
  } finally {
    await dav.stop();
  }
});

test('two tabs of one annotator: both logs arrive, and every copy of an event on the server is the same', async ({ context }) => {
  const dav = await startDav(dir('tabs'), PORT, served());
  try {
    const one = await context.newPage();
    await start(one, BUNDLE, 'Ann');
    const two = await context.newPage();
    await two.goto(`./?project=${BUNDLE}`); // the name is known in this browser: no prompt
    await expect(two.locator('.task')).toBeVisible();
    // Each tab labels, in turn; each sees the other's work (one IndexedDB) and runs its own outbox.
    await label(one, 3, '1');
    await saved(one);
    await two.getByLabel('Go to task number').fill('10');
    await two.getByLabel('Go to task number').press('Enter');
    await two.getByLabel('Go to task number').blur(); // label keys go to the task, not the field
    await label(two, 3, '2');
    await saved(two);
    for (const p of [one, two]) await expect(p.getByTestId('sync')).toHaveAttribute('data-sync', 'synced', { timeout: 15_000 });
    await label(one, 1, '3');
    await saved(one);
    const log = await exportedLog(two);
    expect(log.size).toBe(14);
    await expect.poll(() => copies(dav.root).size, { timeout: 15_000 }).toBe(14);
    const up = copies(dav.root);
    expect([...up.keys()].sort()).toEqual([...log.keys()].sort());
    for (const [id, lines] of up) expect([...lines], `every copy of ${id}`).toEqual([log.get(id)]);
    // Two tabs, two logs: each event id names its tab's log.
    expect(new Set([...log.keys()].map((id) => id.split(':')[0])).size).toBe(2);
  } finally {
    await dav.stop();
  }
});

test('rclone (what fronts a bucket): the outbox makes the folders it needs, and the lead and the CLI read them', async ({ browser }) => {
  const rclone = await startRclone(dir('rclone'), PORT, `/dav/${PORT}/sync/`);
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await start(page, BUNDLE, 'Ann');
    await label(page, 4, '3');
    await saved(page);
    // rclone answers 404 to a PUT into a missing folder: the outbox makes logs/ and Ann's folder with MKCOL.
    await expect(page.getByTestId('sync')).toHaveAttribute('data-sync', 'synced', { timeout: 15_000 });
    const log = await exportedLog(page);
    const up = segments(rclone.root);
    expect([...up.ids.keys()].sort()).toEqual([...log.keys()].sort());
    await context.close();
    // The lead's review page lists rclone's folders and reads the segment.
    const leadContext = await browser.newContext();
    const lead = await leadContext.newPage();
    await lead.goto(`./?mode=review&project=${BUNDLE}`);
    await expect(lead.getByTestId('sync-read-note')).toContainText('1 annotator folders, 1 segments (1 new or changed)', { timeout: 15_000 });
    await leadContext.close();
    // concord pull mirrors it byte for byte.
    const root = resolve(__dirname, '../..');
    const cli = ['target/debug/concord', 'target/release/concord'].map((p) => join(root, p)).find(existsSync);
    expect(cli, 'the concord CLI is built (cargo build -p concord-cli)').toBeTruthy();
    const pulled = dir('rclone-pulled');
    rmSync(pulled, { recursive: true, force: true });
    execFileSync(cli!, ['pull', rclone.url, pulled]);
    const folder = folderOf('Ann');
    for (const f of readdirSync(join(rclone.root, 'logs', folder))) {
      expect(readFileSync(join(pulled, 'logs', folder, f), 'utf8')).toBe(readFileSync(join(rclone.root, 'logs', folder, f), 'utf8'));
    }
  } finally {
    await rclone.stop();
  }
});

test('no server: the outbox writes to a folder chosen on this computer, and review mode reads it there', async ({ context }) => {
  // The folder picker is a native dialog a test cannot click. Here it answers with a folder of the origin's private
  // file system: the same FileSystemDirectoryHandle the picker gives for a folder on disk, and the same code path.
  await context.addInitScript(() => {
    (window as any).showDirectoryPicker = async () => (await navigator.storage.getDirectory()).getDirectoryHandle('team-sync', { create: true });
  });
  const folderFiles = (page: Page) => page.evaluate(async () => {
    const out: Record<string, string> = {};
    const walk = async (dir: any, prefix: string) => {
      for await (const h of dir.values()) {
        if (h.kind === 'directory') await walk(h, `${prefix}${h.name}/`);
        else out[`${prefix}${h.name}`] = await (await h.getFile()).text();
      }
    };
    await walk(await (await navigator.storage.getDirectory()).getDirectoryHandle('team-sync'), '');
    return out;
  });
  const idsIn = (files: Record<string, string>) => Object.entries(files)
    .filter(([p]) => p.startsWith('logs/'))
    .flatMap(([, text]) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l).id)).sort();

  const page = await context.newPage();
  await start(page, 'demo/retail/', 'Ann');
  await label(page, 3, '1');
  await saved(page);
  const sync = page.getByTestId('sync');
  await expect(sync).toHaveAttribute('data-sync', 'off');
  await sync.locator('summary').click();
  await sync.getByTestId('sync-choose-folder').click();
  await expect(sync).toHaveAttribute('data-sync', 'synced', { timeout: 15_000 });
  await expect(sync).toContainText('team-sync (a folder on this computer)');
  let files = await folderFiles(page);
  expect(Object.keys(files).every((p) => p.startsWith(`logs/${folderOf('Ann')}/`))).toBe(true);
  expect(idsIn(files)).toEqual([...(await exportedLog(page)).keys()].sort());
  // After a reload the outbox still writes there: the folder's handle is kept in this browser.
  await page.reload();
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', /.+/);
  await label(page, 1, '2');
  await saved(page);
  await expect(sync).toHaveAttribute('data-sync', 'synced', { timeout: 15_000 });
  files = await folderFiles(page);
  const log = await exportedLog(page);
  expect(log.size).toBe(8);
  expect(idsIn(files)).toEqual([...log.keys()].sort());

  // The lead, on this computer, reads the folder and sends the final files to it.
  const lead = await context.newPage();
  await lead.goto('./?mode=review&project=demo/retail/');
  await lead.getByTestId('read-disk-folder').click();
  await expect(lead.getByTestId('sync-read-note')).toContainText('1 annotator folders', { timeout: 15_000 });
  await expect(lead.locator('[data-figure="annotations"]').last()).toHaveText('4', { timeout: 15_000 });
  const outcome = lead.getByTestId('review-outcome');
  await expect(lead.getByTestId('work-error')).toHaveCount(0);
  const [final] = await Promise.all([lead.waitForEvent('download'), outcome.getByTestId('download-final').click()]);
  await outcome.getByTestId('publish-final').getByRole('button', { name: 'Send to the sync folder' }).click();
  await expect(outcome.getByTestId('publish-final').locator('[data-sent]')).toBeVisible();
  files = await folderFiles(lead);
  expect(files['lead/final/final-labels.csv']).toBe(readFileSync(await final.path(), 'utf8'));
});
