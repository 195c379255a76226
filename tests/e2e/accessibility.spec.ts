import { test, expect, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { start } from './helpers';

// Accessibility as a test: axe-core (npm, injected here, never shipped) finds no WCAG 2 A/AA violation in any view
// of either mode, or on the embed demo; every control is reached by Tab and shows a visible focus; the canvas views
// list their regions for assistive technology.

const root = path.resolve(__dirname, '../..');
const axeSource = fs.readFileSync(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** axe's WCAG 2 A/AA violations on the page as it is, one line each (rule, impact, the first nodes). */
async function violations(page: Page): Promise<string[]> {
  // Through the debugging protocol, as a test's own code: the page's CSP (no inline script) does not apply.
  await page.evaluate(axeSource);
  const found: any[] = await page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n: any) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
  });
  return found.map((v) => `${v.id} (${v.impact}): ${v.nodes.join(' | ')}`);
}

const jsonl = (p: string) => fs.readFileSync(path.join(root, p), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

const demos: [string, string][] = [
  ['retail (classification)', 'demo/retail/'],
  ['news (spans)', 'demo/news/'],
  ['shelf (boxes)', 'demo/shelf/'],
  ['tickets (rating)', 'demo/tickets/'],
  ['aerial (polygons)', 'demo/aerial/'],
];

for (const [name, project] of demos) {
  test(`annotator mode, ${name}: no WCAG 2 A/AA violation, before and after the name prompt`, async ({ page }) => {
    await page.goto(`./?project=${project}`);
    await expect(page.getByTestId('annotator-prompt')).toBeVisible();
    expect(await violations(page)).toEqual([]);
    await start(page, project);
    await expect(page.locator('.task')).toBeVisible();
    await expect(page.locator('.guideline article h2').first()).toBeVisible();
    expect(await violations(page)).toEqual([]);
  });
}

test('the start screen: no WCAG 2 A/AA violation', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('start-screen')).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('review mode with categorical files (pilot gate, dashboard, queue, QC, arbitration): no violation', async ({ page }) => {
  const project = JSON.parse(fs.readFileSync(path.join(root, 'www/demo/retail/project.json'), 'utf8'));
  const labels: string[] = project.schema.controls[0].labels.map((l: any) => l.value);
  const ids: string[] = jsonl('www/demo/retail/tasks/000.jsonl').map((t) => t.id).slice(0, 40);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-a11y-'));
  const rows = ['item,annotator,label'];
  ids.forEach((id, i) => ['ana', 'ben', 'cai'].forEach((who, k) =>
    rows.push(`${id},${who},${labels[(i + (k === 2 && i % 4 === 0 ? 1 : 0)) % labels.length]}`)));
  const file = path.join(dir, 'labels.csv');
  fs.writeFileSync(file, rows.join('\n') + '\n');
  await page.goto('./?mode=review&project=demo/retail/');
  await expect(page.getByRole('heading', { name: "Review annotators' files" })).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await page.getByTestId('import-files').setInputFiles(file);
  await expect(page.getByTestId('review-queue')).toBeVisible({ timeout: 30_000 });
  expect(await violations(page)).toEqual([]);
});

test('review mode with span and box files (region review): no violation', async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-a11y-'));
  const texts = new Map(jsonl('www/demo/news/tasks/000.jsonl').map((t) => [t.id, t.data.text as string]));
  const gold = jsonl('www/demo/news/gold.jsonl').filter((g) => texts.has(g.task)).slice(0, 6);
  const files = ['ana', 'ben'].map((who, k) => {
    const tasks = gold.map((g, i) => ({
      id: g.task, data: { text: texts.get(g.task) },
      annotations: [{ completed_by: { email: who }, result: (k === 1 && i % 2 === 0 ? g.result.entities.slice(1) : g.result.entities).map((s: any) => ({
        from_name: 'entities', to_name: 'text', type: 'labels', value: { start: s.start, end: s.end, labels: [s.label] } })) }],
    }));
    const p = path.join(dir, `${who}.json`);
    fs.writeFileSync(p, JSON.stringify(tasks));
    return p;
  });
  await page.goto('./?mode=review');
  await page.getByTestId('import-files').setInputFiles(files);
  await expect(page.getByTestId('review-queue')).toBeVisible({ timeout: 30_000 });
  expect(await violations(page)).toEqual([]);
});

test('the embed demo: no violation', async ({ page }) => {
  await page.goto('/embed/index.html');
  await expect(page.locator('concord-agreement-matrix td[role="gridcell"]').first()).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

/** Tabs through the page; each focused element must show a focus indicator (an outline or a box shadow). */
async function tabThrough(page: Page, presses: number): Promise<{ reached: string[]; invisible: string[] }> {
  const reached: string[] = [];
  const invisible: string[] = [];
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const e = document.activeElement as HTMLElement | null;
      if (!e || e === document.body) return null;
      const s = getComputedStyle(e);
      const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
      const name = e.getAttribute('data-testid') ?? e.getAttribute('aria-label') ?? e.textContent?.trim().slice(0, 30) ?? '';
      return { id: `${e.tagName.toLowerCase()}:${name}`, visible };
    });
    if (!f) continue;
    reached.push(f.id);
    if (!f.visible) invisible.push(f.id);
  }
  return { reached, invisible };
}

test('the start screen and review mode: Tab reaches the controls, each with a visible focus', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('demo-projects')).toBeVisible();
  let walk = await tabThrough(page, 12);
  expect(walk.invisible).toEqual([]);
  for (const want of ['button:Open folder…', 'button:Open zip…', 'input:', 'a:Retail products']) {
    expect(walk.reached.some((r) => r.startsWith(want)), `${want} in ${walk.reached}`).toBe(true);
  }
  await page.goto('./?mode=review&project=demo/retail/');
  await expect(page.getByRole('heading', { name: "Review annotators' files" })).toBeVisible();
  walk = await tabThrough(page, 10);
  expect(walk.invisible).toEqual([]);
  expect(walk.reached.length).toBeGreaterThan(2);
});

test('annotator mode: Tab reaches the controls, each with a visible focus', async ({ page }) => {
  await start(page, 'demo/retail/');
  await expect(page.locator('.task')).toBeVisible();
  const { reached, invisible } = await tabThrough(page, 40);
  expect(invisible).toEqual([]);
  for (const want of ['button:Submit', 'button:Skip']) expect(reached.some((r) => r.startsWith(want)), `${want} in ${reached}`).toBe(true);
  expect(reached.some((r) => r.startsWith('button:') && /\d/.test(r)), 'a label button').toBe(true);
});

test('the boxes view lists its regions for assistive technology; Tab walks them, then leaves the view', async ({ page }) => {
  await start(page, 'demo/shelf/');
  const canvas = page.getByTestId('box-canvas');
  await expect(canvas).toBeVisible();
  const b = (await canvas.boundingBox())!;
  for (const [x, y] of [[20, 20], [120, 40]]) {
    await page.mouse.move(b.x + x, b.y + y);
    await page.mouse.down();
    await page.mouse.move(b.x + x + 60, b.y + y + 50, { steps: 4 });
    await page.mouse.up();
  }
  const list = page.getByRole('list', { name: 'Boxes' });
  await expect(list.getByRole('listitem')).toHaveCount(2);
  const first = list.getByRole('button', { name: /^box 1: / });
  await expect(first).toBeVisible();
  // A region is selected from the list by keyboard.
  await first.focus();
  await page.keyboard.press('Enter');
  await expect(first).toHaveAttribute('aria-current', 'true');
  // From the image, Tab selects the regions in turn; past the last, the focus moves on.
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(first).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('Tab');
  await expect(list.getByRole('button', { name: /^box 2: / })).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('Tab');
  await expect(list.locator('[aria-current]')).toHaveCount(0);
  expect(await page.evaluate(() => document.activeElement !== document.body)).toBe(true);
});
