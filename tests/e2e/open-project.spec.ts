import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// The demo bundles are generated; read what the app should show from the files themselves.
function demoTask(demo: string, chunk: number, index: number) {
  const file = resolve(__dirname, `../../www/demo/${demo}/tasks/${String(chunk).padStart(3, '0')}.jsonl`);
  return JSON.parse(readFileSync(file, 'utf8').trim().split('\n')[index]);
}

test('opens a demo and shows its name, task count, schema and guideline', async ({ page }) => {
  await page.goto('./?project=demo/retail/');
  await expect(page.getByTestId('project-name')).toHaveText('Retail products');
  await expect(page.getByTestId('task-count')).toHaveText('200 tasks');
  await page.locator(".schema-details summary").click();
  await expect(page.locator('.schema .labels li')).toHaveCount(20);
  await expect(page.locator('.guideline h2#edge-cases, .guideline h2#dairy')).toHaveCount(1);
  await expect(page.locator('.guideline .version')).toHaveText('v1.0');
  await expect(page.locator('.task img.task-image')).toBeVisible();
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', 'p0001');
});

test('opens another demo by ?project= and moves through tasks across chunks', async ({ page }) => {
  await page.goto('./?project=demo/news/');
  await expect(page.getByTestId('project-name')).toHaveText('News entities');
  await expect(page.getByTestId('task-count')).toHaveText('300 tasks');
  await expect(page.getByTestId('text-doc')).toHaveText(demoTask('news', 0, 0).data.text);
  // Jump to the end of the first chunk by keyboard, then step into the second chunk (fetched on demand).
  await page.locator('.app').focus();
  for (let i = 0; i < 100; i++) await page.keyboard.press('PageDown');
  await expect(page.getByTestId('position')).toHaveText('101 / 300');
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', 's0101');
  await expect(page.getByTestId('text-doc')).toHaveText(demoTask('news', 1, 0).data.text);
  await page.keyboard.press('PageUp');
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', 's0100');
});

test('a broken bundle shows the parser error with file, place and reason', async ({ page }) => {
  await page.goto('./?project=/fixtures/bundles/bad-version/');
  const panel = page.getByTestId('bundle-error');
  await expect(panel).toBeVisible();
  await expect(panel.locator('.error-file')).toHaveText('project.json');
  await expect(panel.locator('.error-place')).toHaveText('$.version');
  await expect(panel.locator('.error-reason')).toContainText('unsupported format version 9');
});

test('a duplicate task id is reported with its line', async ({ page }) => {
  await page.goto('./?project=/fixtures/bundles/duplicate-ids/');
  const panel = page.getByTestId('bundle-error');
  await expect(panel.locator('.error-file')).toHaveText('tasks.jsonl');
  await expect(panel.locator('.error-place')).toHaveText('line 3, $.id');
  await expect(panel.locator('.error-reason')).toContainText('duplicate task id `a`');
});

test('a missing bundle names the file and the HTTP status', async ({ page }) => {
  await page.goto('./?project=/fixtures/bundles/no-such-bundle/');
  const panel = page.getByTestId('bundle-error');
  await expect(panel.locator('.error-file')).toHaveText('project.json');
  await expect(panel.locator('.error-reason')).toContainText('HTTP 404');
});

test('the first chunk is parsed on the page, in slices; the chunks after it in a Web Worker', async ({ page }) => {
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  const violations: string[] = [];
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.log(`CSP ${e.violatedDirective}`));
    (window as any).concordBench = []; // the app records how chunks were parsed here
  });
  page.on('console', (m) => { if (m.text().startsWith('CSP')) violations.push(m.text()); });
  await page.goto('./?project=demo/news/');
  await expect(page.getByTestId('task-count')).toHaveText('300 tasks');
  await page.getByLabel('Go to task number').fill('250');
  await page.getByLabel('Go to task number').press('Enter');
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', 's0250');
  expect(workers.length).toBe(1);
  expect(requests.some((u) => u.endsWith('/concord-worker_bg.wasm'))).toBe(true);
  // Chunk 0 at opening on the page (starting the worker would delay the first task: it records `parse_slice`),
  // chunk 2 for task 250 from the worker (chunk 1 is never needed).
  const kinds: string[] = await page.evaluate(() => (window as any).concordBench.map((e: any) => e.kind));
  expect(kinds.filter((k) => k === 'worker_decode').length).toBe(1);
  expect(kinds).toContain('parse_slice');
  expect(violations).toEqual([]);
});
