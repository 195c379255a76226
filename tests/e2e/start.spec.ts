import { test, expect } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { saved, zipFolder } from './helpers';

// The way in: the page without ?project= lists every bundled demo (from demo/index.json), the projects opened
// before in this browser with where the annotator was, and opens a folder, a zip or an address — by buttons, by
// drag and drop. With CONCORD_SCREENSHOTS=<dir> it also writes the start screen's and the checks panel's screenshots.

const root = path.resolve(__dirname, '../..');
const demos: { name: string; path: string; description: string }[] =
  JSON.parse(fs.readFileSync(path.join(root, 'www/demo/index.json'), 'utf8')).projects;

test('the start screen lists every demo and, once one is opened, remembers it with the position', async ({ page }) => {
  await page.goto('./');
  const screen = page.getByTestId('start-screen');
  await expect(screen).toBeVisible();
  const listed = screen.getByTestId('demo-projects').getByRole('link');
  await expect(listed).toHaveText(demos.map((d) => d.name));
  for (const d of demos) await expect(screen.getByTestId('demo-projects')).toContainText(d.description);
  await expect(screen.getByRole('button', { name: 'Open folder…' })).toBeVisible();
  await expect(screen.getByRole('button', { name: 'Open zip…' })).toBeVisible();
  await expect(screen.getByTestId('recent-projects')).toHaveCount(0);
  await expect(screen).toContainText('None yet');

  // Open the tickets demo from the list, label two tasks, move to the third.
  await screen.getByRole('link', { name: 'Ticket urgency' }).click();
  await expect(page.getByTestId('project-name')).toHaveText('Ticket urgency');
  await page.locator('#annotator-name').fill('Ada');
  await page.locator('#annotator-name').press('Enter');
  if (process.env.CONCORD_SCREENSHOTS) {
    // An untouched task: what is still required shows as a to-do, not an error.
    await page.getByTestId('qa-panel').screenshot({ path: path.join(process.env.CONCORD_SCREENSHOTS, 'checks.png') });
  }
  for (const key of ['3', '5']) {
    await page.keyboard.press(key);
    await page.keyboard.press('Enter');
  }
  await expect(page.getByTestId('position')).toHaveText(/^3 \//);
  await saved(page);

  // Back at the start: the project is first among the recent ones, at task 3, kept in this browser.
  await page.goto('./');
  const recent = page.getByTestId('recent-projects').locator('li');
  await expect(recent).toHaveCount(1);
  await expect(recent.first().getByRole('link')).toHaveText('Ticket urgency');
  await expect(recent.first().getByTestId('recent-position')).toHaveText(/task 3 of \d+/);
  await expect(recent.first().getByTestId('recent-sync')).toContainText('kept in this browser');
  if (process.env.CONCORD_SCREENSHOTS) {
    await page.getByTestId('start-screen').screenshot({ path: path.join(process.env.CONCORD_SCREENSHOTS, 'start.png') });
  }
  // Reopened from the list, it resumes there.
  await recent.first().getByRole('link').click();
  await expect(page.getByTestId('position')).toHaveText(/^3 \//);
  // The top bar's Projects menu is the same panel.
  await page.getByText('Projects', { exact: true }).click();
  await expect(page.getByTestId('start-screen').getByRole('link', { name: 'Ticket urgency' }).first()).toHaveAttribute('aria-current', 'page');
});

test('an address opens a bundle; a bad one says why and stays', async ({ page }) => {
  await page.goto('./');
  await page.getByLabel('Bundle address').fill('http://[::1');
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.locator('#project-url-error')).toContainText('not a valid URL');
  await expect(page.getByTestId('start-screen')).toBeVisible();
  await page.getByLabel('Bundle address').fill('demo/news/');
  await page.getByLabel('Bundle address').press('Enter');
  await expect(page.getByTestId('project-name')).toHaveText('News entities');
  await expect(page).toHaveURL(/\?project=demo%2Fnews%2F$/);
});

test('a zipped bundle dropped on the start screen opens; something else dropped is refused with the reason', async ({ page }) => {
  const zip = path.join(test.info().outputDir, 'tickets.zip');
  zipFolder(path.join(root, 'www/demo/tickets'), zip, 'tickets');
  await page.goto('./');
  const drop = async (name: string, bytes: Buffer) => {
    const transfer = await page.evaluateHandle(({ name, data }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], name));
      return dt;
    }, { name, data: bytes.toString('base64') });
    await page.getByTestId('start-screen').dispatchEvent('drop', { dataTransfer: transfer });
  };
  await drop('notes.txt', Buffer.from('plain text'));
  await expect(page.getByTestId('bundle-error')).toContainText(/drop a bundle folder|no project\.json/);
  await page.goto('./');
  await drop('tickets.zip', fs.readFileSync(zip));
  await expect(page.getByTestId('project-name')).toHaveText('Ticket urgency');
  await expect(page).toHaveURL(/\?project=local:tickets$/);
});

test('a folder chosen with the button opens in place', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('open-folder').setInputFiles(path.join(root, 'www/demo/news'));
  await expect(page.getByTestId('project-name')).toHaveText('News entities');
  await expect(page).toHaveURL(/\?project=local:news$/);
  await expect(page.getByTestId('annotator-prompt')).toBeVisible();
});
