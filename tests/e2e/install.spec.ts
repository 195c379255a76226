import { test, expect, chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saved, start } from './helpers';

// The app is an installable web app: Chromium's own installability check finds nothing missing (a manifest with a
// name, an icon, a start URL and standalone display; a service worker that controls the page), and the manifest
// says what it should. A persistent profile, as a person's browser has: an incognito one is never installable.

const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

test('Chromium finds the app installable: manifest, icon, standalone display, a controlling service worker', async ({}, testInfo) => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-install-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium', args: launchArgs, baseURL: testInfo.project.use.baseURL,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await start(page, 'demo/retail/');
    await page.evaluate(() => navigator.serviceWorker.ready);
    // The worker takes control with clients.claim(); a reload is then served through it.
    await page.reload();
    await expect(page.locator('.task[data-task-id]')).toBeVisible();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    const manifest = await (await page.request.get('manifest.webmanifest')).json();
    expect(manifest).toMatchObject({ short_name: 'Concord', display: 'standalone', start_url: './', scope: './' });
    expect(manifest.icons.some((i: { src: string; sizes: string }) => i.src === 'icon.svg' && i.sizes === 'any')).toBe(true);
    expect((await page.request.get('icon.svg')).ok()).toBe(true);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a new deployment is offered as "new version — reload", never forced; the reload keeps the work', async ({ browser }) => {
  const { cpSync, mkdtempSync: temp, readFileSync, writeFileSync } = await import('node:fs');
  const { spawn } = await import('node:child_process');
  // This build, served from a copy that the test then "redeploys".
  const site = temp(join(tmpdir(), 'concord-deploy-'));
  cpSync(join(__dirname, '../../dist'), site, { recursive: true });
  const port = 8192;
  const server = spawn(process.execPath, [join(__dirname, '../serve.mjs'), String(port)], { env: { ...process.env, CONCORD_DIST: site }, stdio: 'ignore' });
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}/` });
  try {
    await expect.poll(() => fetch(`http://127.0.0.1:${port}/index.html`).then((r) => r.status, () => 0)).toBe(200);
    const page = await context.newPage();
    await start(page, 'demo/tickets/');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    // Work in progress: a rating chosen, not submitted.
    await page.keyboard.press('3');
    await saved(page, 1);
    await page.evaluate(() => { (window as any).sameDocument = true; });

    // Redeploy: a new build's service worker (its cache named anew).
    const sw = join(site, 'sw.js');
    writeFileSync(sw, readFileSync(sw, 'utf8').replace(/^const CACHE = .*;$/m, "const CACHE = 'concord-next-build';"));
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r!.update()));
    const banner = page.getByTestId('update-banner');
    await expect(banner).toContainText('A new version of Concord is ready');
    // Offered, not forced: the same document, the work where it was, the old cache still serving.
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as any).sameDocument)).toBe(true);
    await expect(page.locator('.label-button[aria-pressed="true"]')).toHaveText(/3/);

    await Promise.all([page.waitForEvent('framenavigated'), banner.getByRole('button', { name: 'Reload' }).click()]);
    await page.waitForLoadState('load');
    expect(await page.evaluate(() => (window as any).sameDocument ?? false)).toBe(false);
    await expect(page.locator('.label-button[aria-pressed="true"]')).toHaveText(/3/);
    await saved(page, 1);
    expect(await page.evaluate(() => caches.keys())).toEqual(['concord-next-build']);
    await expect(page.getByTestId('update-banner')).toHaveCount(0);
  } finally {
    await context.close();
    server.kill();
  }
});
