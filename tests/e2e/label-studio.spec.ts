import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { concordCli } from './helpers';

// The real Label Studio frontend (its npm build, served from /label-studio/vendor/) with Concord's QA inside. The
// tests use Label Studio the way a person does: click a choice, pick a label and select text with the mouse, pick a
// label and drag a box on the image. What the page shows must be what the CLI computes on the same annotations.

const REVIEWS = '/label-studio/?config=samples/reviews.xml&tasks=samples/reviews-tasks.json&rules=samples/reviews-rules.json';

async function open(page: Page, url: string, source: RegExp) {
  const problems: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['data:', 'blob:'].includes(u.protocol) && u.origin !== 'http://127.0.0.1:8181') problems.push(`request: ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  await expect(page.locator('#source')).toHaveText(source);
  return problems;
}

/** Label Studio's own serialisation of the annotation being made. */
async function serialized(page: Page): Promise<any[]> {
  return page.evaluate(() => (window as any).Htx.annotationStore.selected.serializeAnnotation());
}

/** Drags the mouse over `needle` in the task's text, as a person selects it. */
async function selectText(page: Page, needle: string) {
  const box = await page.evaluate((needle) => {
    const root = document.querySelector('#label-studio')!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = n.textContent!.indexOf(needle);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(n, at);
      range.setEnd(n, at + needle.length);
      const r = range.getBoundingClientRect();
      return { x: r.left, y: r.top + r.height / 2, right: r.right };
    }
    return null;
  }, needle);
  if (!box) throw new Error(`no text node holds ${needle}`);
  await page.mouse.move(box.x + 1, box.y);
  await page.mouse.down();
  await page.mouse.move(box.right - 1, box.y, { steps: 5 });
  await page.mouse.up();
}

/** A fresh folder, and a function that clicks a download button and keeps the file there. */
function downloads(page: Page) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-ls-'));
  const save = async (id: string) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.locator(id).click()]);
    const file = path.join(dir, d.suggestedFilename());
    await d.saveAs(file);
    return file;
  };
  return { dir, save };
}

/** Code-point offsets of `needle` in `text`, counted here. */
function codePoints(text: string, needle: string): [number, number] {
  const start = [...text.slice(0, text.indexOf(needle))].length;
  return [start, start + [...needle].length];
}

/** Clicks a choice as Label Studio shows it (a checkbox named by the value and its hotkey). */
async function choose(page: Page, value: string) {
  await page.locator('#label-studio').getByRole('checkbox', { name: new RegExp(`^${value}`) }).click();
}

/** Picks a span or box label in Label Studio's label bar. */
async function label(page: Page, value: string) {
  await page.locator('#label-studio').getByText(value, { exact: true }).first().click();
}

test('reviews from a Label Studio config: checks on every change, submit blocked with the reason, gold feedback, figures equal to the CLI', async ({ page }) => {
  test.setTimeout(90_000);
  const problems = await open(page, REVIEWS, /^reviews-tasks\.json: 6 tasks, 3 gold/);
  const panel = page.locator('concord-qa-panel');
  const text = '😀 Ann at Acme fixed my order in 東京 within a day.';

  // Nothing chosen: the count rule is broken, and Submit (Label Studio's own button) is held back with the reason.
  await expect(panel).toContainText('Choose one sentiment');
  await page.locator('#label-studio [aria-label="submit"]').click();
  await expect(page.locator('#blocked')).toHaveText(/Submit is blocked: Choose one sentiment/);
  await expect(page.locator('#submitted')).toHaveAttribute('data-count', '0');

  // A choice clicked in Label Studio clears it.
  await choose(page, 'Positive');
  await expect(panel).not.toContainText('Choose one sentiment');

  // A span that cuts a word is an error the moment it is made; one on word boundaries is not.
  await label(page, 'PER');
  await selectText(page, 'nn a');
  await expect(panel).toContainText('A name starts and ends on word boundaries');
  await page.keyboard.press('Control+z');
  await expect(panel).not.toContainText('A name starts and ends on word boundaries');
  for (const [needle, tag] of [['Ann', 'PER'], ['Acme', 'ORG'], ['東京', 'LOC']]) {
    await label(page, tag);
    await selectText(page, needle);
  }
  await expect.poll(async () => (await serialized(page)).filter((r) => r.type === 'labels').length).toBe(3);
  // Offsets are code points, also after the emoji and after other highlights.
  const spans = (await serialized(page)).filter((r) => r.type === 'labels').map((r) => [r.value.start, r.value.end, r.value.labels[0]]);
  expect(spans.sort()).toEqual([[...codePoints(text, 'Ann'), 'PER'], [...codePoints(text, 'Acme'), 'ORG'], [...codePoints(text, '東京'), 'LOC']].sort());
  await expect(panel).not.toContainText('word boundaries');

  // The name is given after the Ctrl+Z above: Chromium's undo would take back the typing in the field too.
  await page.locator('#annotator').fill('ann');
  await page.locator('#annotator').blur();
  // Submitted: kept, compared with the gold answer, and the next task opens.
  await page.locator('#label-studio [aria-label="submit"]').click();
  await expect(page.locator('#submitted')).toHaveAttribute('data-count', '1');
  await expect(page.locator('#feedback')).toHaveAttribute('data-matches', 'true');
  await expect(page.locator('#position')).toHaveText(/Task r2/);

  // A second annotator answers the first task otherwise.
  await page.locator('#annotator').fill('bo');
  await page.locator('#annotator').blur();
  await page.locator('#previous').click();
  await expect(page.locator('#position')).toHaveText(/Task r1/);
  await choose(page, 'Negative');
  await label(page, 'PER');
  await selectText(page, 'Ann');
  await page.keyboard.press('Control+Enter');
  await expect(page.locator('#submitted')).toHaveAttribute('data-count', '2');
  await expect(page.locator('#feedback')).toHaveAttribute('data-matches', 'false');
  await expect(page.locator('#feedback li[data-control="sentiment"]')).toContainText('expected Positive');
  // …and task r2 (gold: Negative).
  await choose(page, 'Negative');
  await page.locator('#label-studio [aria-label="submit"]').click();
  await expect(page.locator('#submitted')).toHaveAttribute('data-count', '3');
  await expect(page.locator('#feedback')).toHaveAttribute('data-matches', 'false');

  // The task set's figures against the CLI on the same annotations.
  const { dir, save } = downloads(page);
  const annotations = await save('#download-annotations');
  const exported = await save('#download-export');
  const report = JSON.parse(fs.readFileSync(await save('#download-report'), 'utf8'));
  const samples = path.resolve(__dirname, '../../www/label-studio/samples');
  const cli = concordCli();
  const bundle = path.join(dir, 'bundle');
  execFileSync(cli, ['bundle', 'from-label-studio', '--config', path.join(samples, 'reviews.xml'), path.join(samples, 'reviews-tasks.json'), bundle]);
  const validated = JSON.parse(execFileSync(cli, ['validate', '--bundle', bundle, '--rules', path.join(samples, 'reviews-rules.json'), annotations], { encoding: 'utf8' }));
  expect(report).toEqual(validated);
  expect(report.annotations).toBe(3);
  for (const [rule, r] of Object.entries<any>(validated.by_rule)) {
    await expect(page.locator(`#report tr[data-rule="${rule}"] td`).nth(2)).toHaveText(String(r.annotations));
  }

  // Agreement on the sentiment: the pair's percent agreement in the matrix is the CLI's.
  const agreement = JSON.parse(execFileSync(cli, ['agreement', exported, '--control', 'sentiment', '--replicates', '0'], { encoding: 'utf8' }));
  const pair = agreement.pairwise[0];
  await page.locator('concord-agreement-matrix').evaluate((el: any) => { el.measure = 'percent_agreement'; });
  const cell = page.locator('concord-agreement-matrix td[role="gridcell"][data-r="0"][data-c="1"]');
  await expect(cell).toHaveAttribute('aria-label', new RegExp(`percent agreement ${(100 * pair.percent_agreement).toFixed(1)} % over ${pair.items} items`));

  // Spans: the pair's exact F1 is the CLI's on the same export.
  const spanned = JSON.parse(execFileSync(cli, ['agreement', exported, '--control', 'ner', '--replicates', '0'], { encoding: 'utf8' }));
  await expect(page.locator('#region-agreement tr[data-pair="ann|bo"] td').nth(2)).toHaveText(spanned.pairwise[0].f1.toFixed(3));
  await expect(page.locator('#region-agreement')).toHaveAttribute('data-value', String(spanned.f1));

  // Gold: each annotator's accuracy on the gold tasks, as `concord gold` gives it.
  const gold = JSON.parse(execFileSync(cli, ['gold', exported, '--gold', path.join(samples, 'reviews-tasks.json')], { encoding: 'utf8' }));
  for (const [who, a] of Object.entries<any>(gold.per_annotator ?? {})) {
    await expect(page.locator(`concord-gold-report tr[data-annotator="${who}"]`)).toContainText(`${a.correct}/${a.n}`);
  }
  expect(problems).toEqual([]);
});

/** Drags a box on the task's image, in screen pixels from the image's top left corner. */
async function drawBox(page: Page, from: [number, number], to: [number, number]) {
  const image = await page.locator('#label-studio img').first().boundingBox();
  if (!image) throw new Error('no image shown');
  await page.mouse.move(image.x + from[0], image.y + from[1]);
  await page.mouse.down();
  await page.mouse.move(image.x + to[0], image.y + to[1], { steps: 8 });
  await page.mouse.up();
}

test('a bundle in Label Studio: a box drawn in its UI is checked by the bundle rules, and the report is the CLI’s', async ({ page }) => {
  test.setTimeout(90_000);
  const problems = await open(page, '/label-studio/?bundle=../demo/shelf/', /^Shelves and streets: 120 tasks, 12 gold/);
  await page.locator('#annotator').fill('ann');
  await expect(page.locator('#annotator')).toHaveValue('ann');
  // Out of the field: Label Studio's Ctrl+Z below must undo a span, not the name typed here.
  await page.locator('#annotator').blur();
  const panel = page.locator('concord-qa-panel');
  await expect(page.locator('#label-studio img').first()).toBeVisible();
  await expect(page.locator('#dropped')).toBeHidden();

  // A car without its `parked` attribute breaks an error rule of the bundle: submit is held back.
  await label(page, 'car');
  await drawBox(page, [120, 90], [260, 170]);
  await expect.poll(async () => (await serialized(page)).filter((r) => r.type === 'rectanglelabels').length).toBe(1);
  await expect(panel).toContainText('Say whether the car is parked');
  await page.locator('#label-studio [aria-label="submit"]').click();
  await expect(page.locator('#blocked')).toHaveText(/Submit is blocked: Say whether the car is parked/);

  // The region's per-region choice, given in Label Studio's own panel once the region is selected, clears it. The
  // config lists the attributes in name order: occluded, then parked.
  await page.locator('#label-studio').getByRole('listitem', { name: 'region' }).first().click();
  await page.locator('#label-studio').getByRole('checkbox', { name: /^true/ }).nth(1).click();
  await expect(panel).not.toContainText('Say whether the car is parked');

  // Label Studio's percentages, as Concord reads them, are the box in the image's natural pixels.
  const rect = (await serialized(page)).find((r) => r.type === 'rectanglelabels');
  await page.locator('#label-studio [aria-label="submit"]').click();
  await expect(page.locator('#submitted')).toHaveAttribute('data-count', '1');
  await expect(page.locator('#feedback')).toHaveAttribute('data-matches', 'false');

  const { save } = downloads(page);
  const annotations = await save('#download-annotations');
  const [record] = fs.readFileSync(annotations, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(record.task).toBe('sc001');
  const [b] = record.result.objects;
  expect(b.label).toBe('car');
  expect(b.attributes).toEqual({ parked: true });
  for (const [got, pct, size] of [[b.x, rect.value.x, 640], [b.y, rect.value.y, 400], [b.w, rect.value.width, 640], [b.h, rect.value.height, 400]]) {
    expect(Math.abs(got - (pct * size) / 100)).toBeLessThan(1e-6);
  }
  const report = JSON.parse(fs.readFileSync(await save('#download-report'), 'utf8'));
  const demo = path.resolve(__dirname, '../../www/demo/shelf');
  expect(report).toEqual(JSON.parse(execFileSync(concordCli(), ['validate', '--bundle', demo, annotations], { encoding: 'utf8' })));

  // A second annotator boxes the same car a little differently: the pair's box F1 is the CLI's on the same export.
  await page.locator('#annotator').fill('bo');
  await page.locator('#annotator').blur();
  await page.locator('#previous').click();
  await expect(page.locator('#position')).toHaveText(/Task sc001/);
  await label(page, 'car');
  await drawBox(page, [126, 96], [262, 172]);
  await page.locator('#label-studio').getByRole('listitem', { name: 'region' }).first().click();
  await page.locator('#label-studio').getByRole('checkbox', { name: /^true/ }).nth(1).click();
  await expect(panel).not.toContainText('Say whether the car is parked');
  await page.locator('#label-studio [aria-label="submit"]').click();
  await expect(page.locator('#submitted')).toHaveAttribute('data-count', '2');
  const exported = await save('#download-export');
  const boxes = JSON.parse(execFileSync(concordCli(), ['agreement', exported, '--control', 'objects', '--replicates', '0'], { encoding: 'utf8' }));
  await expect(page.locator('#region-agreement tr[data-pair="ann|bo"] td').nth(2)).toHaveText(boxes.pairwise[0].f1_50.toFixed(3));
  await expect(page.locator('#region-agreement')).toHaveAttribute('data-value', String(boxes.f1_50));
  expect(problems).toEqual([]);
});
