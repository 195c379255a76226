import { test, expect, chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start } from './helpers';

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
