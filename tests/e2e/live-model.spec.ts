import { test, expect, Page } from '@playwright/test';
import { start, saved, concordCli } from './helpers';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The model that learns from the annotator, in the browser's worker: on the digits demo (scikit-learn's
// load_digits, pixels shipped as embeddings), it warms up from the 299 gold scans, suggests a digit with its
// probability, learns each submission, orders the queue by its uncertainty, and flags a confident disagreement as
// a warning that never blocks. The true digits are read here from the data the demo was made from.

const truth: string[] = readFileSync(resolve(__dirname, '../../crates/xtask/data/load_digits.txt'), 'utf8')
  .split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(' ')[1]);
const digitOf = (id: string) => truth[Number(id.slice(1)) - 1];

async function taskId(page: Page) {
  return (await page.locator('.task').getAttribute('data-task-id'))!;
}

/** The model's suggestion for the open task: [digit, percent]. */
async function suggestion(page: Page): Promise<[string, number]> {
  const text = await page.getByTestId('model-suggestion').innerText();
  const m = /Model: (\d) · (\d+) %/.exec(text);
  expect(m, text).not.toBeNull();
  return [m![1], Number(m![2])];
}

async function ready(page: Page, labels: number) {
  await expect(page.getByTestId('model-labels')).toHaveText(`learned from ${labels} labels`, { timeout: 20_000 });
}

test('suggestions appear, are accepted with one key, and improve as the annotator labels', async ({ page }) => {
  await start(page, 'demo/digits/');
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', 'd0001');
  // Warmed up from the training gold: 299 scans.
  await ready(page, 299);
  // Twenty scans labeled with their true digit: the model's suggestion before each is mostly right.
  let right = 0;
  const before = new Map<string, [string, number]>();
  for (let k = 0; k < 20; k++) {
    const id = await taskId(page);
    await expect(page.getByTestId('model-suggestion')).toBeVisible();
    const s = await suggestion(page);
    before.set(id, s);
    if (s[0] === digitOf(id)) right++;
    if (k === 0) {
      // One key fills in the suggestion.
      await page.keyboard.press('Shift+A');
      await expect(page.locator(`.label-button[data-label="${s[0]}"]`)).toHaveAttribute('aria-pressed', 'true');
    }
    await page.keyboard.press(digitOf(id));
    await expect(page.locator(`.label-button[data-label="${digitOf(id)}"]`)).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('Enter');
    await expect(page.locator('.task')).not.toHaveAttribute('data-task-id', id);
  }
  expect(right, `${right} of 20 suggestions right`).toBeGreaterThanOrEqual(15);
  // Each submission was learned from.
  await ready(page, 319);
  // Back over the twenty scans it learned: its suggestions are at least as often right as before, and nearly all.
  let rightAfter = 0;
  for (let k = 0; k < 20; k++) {
    await page.keyboard.press('PageUp');
    const id = await taskId(page);
    expect(before.has(id), id).toBe(true);
    await expect(page.getByTestId('model-suggestion')).toBeVisible();
    if ((await suggestion(page))[0] === digitOf(id)) rightAfter++;
  }
  expect(rightAfter, `${rightAfter} of 20 right after learning them, ${right} before`).toBeGreaterThanOrEqual(Math.max(right, 18));
  await saved(page);
  // The same model in a pipeline: `concord learn --gold-first` on the exported log says what the page says, for
  // every one of the twenty scans.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-log').click()]);
  const dir = mkdtempSync(join(tmpdir(), 'concord-live-'));
  const log = join(dir, 'log.jsonl');
  await download.saveAs(log);
  const report = JSON.parse(execFileSync(concordCli(), ['learn', '--bundle', resolve(__dirname, '../../www/demo/digits'),
    '--gold-first', log, '--out', join(dir, 'model')], { encoding: 'utf8' }));
  expect(report.learned).toBe(319);
  const cli = new Map(readFileSync(join(dir, 'model', 'predictions.jsonl'), 'utf8').trim().split('\n')
    .map((l) => JSON.parse(l)).map((p) => [p.task, p]));
  for (let k = 0; k < 20; k++) {
    const id = await taskId(page);
    const [digit, percent] = await suggestion(page);
    const p = cli.get(id);
    expect(p.result.digit, id).toEqual([digit]);
    expect(Math.round(100 * p.scores.digit[digit]), id).toBe(percent);
    await page.keyboard.press('PageDown');
  }
});

test('a confident disagreement is a warning that does not block; the annotator can turn the model off', async ({ page }) => {
  await start(page, 'demo/digits/');
  await ready(page, 299);
  // The first scan the model is at least 90 % sure of.
  for (let k = 0; k < 30; k++) {
    const [, p] = await suggestion(page);
    if (p >= 90) break;
    await page.keyboard.press('PageDown');
  }
  const id = await taskId(page);
  const [digit, p] = await suggestion(page);
  expect(p).toBeGreaterThanOrEqual(90);
  // Another digit: the live model's soft check, with the project's guideline section.
  const other = digit === '1' ? '7' : '1';
  await page.keyboard.press(other);
  const warning = page.locator('.violation.warning[data-rule="live-model:model-disagrees"]');
  await expect(warning).toContainText(`the model says \`${digit}\``);
  await expect(warning.locator('a.section-link')).toHaveAttribute('href', '#the-model');
  // Agreeing clears it.
  await page.keyboard.press(digit);
  await expect(warning).toHaveCount(0);
  await page.keyboard.press(other);
  await expect(warning).toBeVisible();
  // Turned off: no suggestion, no soft check; and it stays off after a reload.
  await page.getByTestId('model-toggle').click();
  // (The button keeps the focus, where Enter would press it again.)
  await page.locator('.task h2').click();
  await expect(page.locator('.model-bar')).toContainText('Model suggestions are off.');
  await expect(warning).toHaveCount(0);
  await expect(page.getByTestId('model-suggestion')).toHaveCount(0);
  // Never a block: the disagreeing label submits.
  await page.keyboard.press('Enter');
  await expect(page.locator('.task')).not.toHaveAttribute('data-task-id', id);
  await saved(page);
  await page.reload();
  await expect(page.locator('.model-bar')).toContainText('Model suggestions are off.');
  await page.getByTestId('model-toggle').click();
  // On again: warmed up from the gold and the one submission.
  await ready(page, 300);
});

test('most uncertain first follows the live model and is re-ranked as it learns', async ({ browser }) => {
  // The tasks the queue visits in uncertainty order: moving on with PageDown (the model learns nothing), or by
  // labeling each scan (it learns each).
  async function visit(label: boolean): Promise<string[]> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await start(page, 'demo/digits/');
    await ready(page, 299);
    await page.getByTestId('order-toggle').click();
    await expect(page.getByTestId('order-toggle')).toHaveAttribute('aria-pressed', 'true');
    await page.locator('.task h2').click();
    const seen: string[] = [];
    for (let k = 0; k < 6; k++) {
      const id = await taskId(page);
      seen.push(id);
      if (label) {
        await page.keyboard.press(digitOf(id));
        await page.keyboard.press('Enter');
        await ready(page, 300 + k);
      } else {
        await page.keyboard.press('PageDown');
      }
      await expect(page.locator('.task')).not.toHaveAttribute('data-task-id', id);
    }
    await context.close();
    return seen;
  }
  const still = await visit(false);
  const learning = await visit(true);
  // The model's order is not the project's, and gold scans (already learned) are not in front.
  expect(still[0]).not.toBe('d0001');
  for (const id of still) expect(Number(id.slice(1)) % 6, id).not.toBe(0);
  // Both start at the most uncertain scan; labeling re-ranks what follows.
  expect(learning[0]).toBe(still[0]);
  expect(learning).not.toEqual(still);
});

test('review mode trains a model on the batch: its learning curve, its conflicts beside the shipped model, its files — as concord learn says', async ({ page }) => {
  // Two annotators on the first 300 non-gold scans; the second is wrong on every tenth (a 1 for anything else).
  const rows = ['item,annotator,label'];
  const ids: string[] = [];
  for (let n = 1; ids.length < 300; n++) if (n % 6 !== 0) ids.push(`d${String(n).padStart(4, '0')}`);
  ids.forEach((id, k) => {
    rows.push(`${id},ana,${digitOf(id)}`);
    rows.push(`${id},ben,${k % 10 === 9 ? (digitOf(id) === '1' ? '7' : '1') : digitOf(id)}`);
  });
  const dir = mkdtempSync(join(tmpdir(), 'concord-review-model-'));
  const csv = join(dir, 'batch.csv');
  writeFileSync(csv, rows.join('\n') + '\n');
  await page.goto('./?mode=review&project=demo/digits/');
  await page.getByTestId('import-files').setInputFiles(csv);
  await expect(page.getByTestId('model-panel')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('train-model').click();
  await expect(page.getByTestId('model-summary')).toContainText('Learned from 600 of 600 labels', { timeout: 30_000 });
  await expect(page.getByTestId('learning-curve')).toBeVisible();
  // The curve, point by point, is concord learn's on the same file.
  const counts = await page.getByTestId('curve-points').locator('tr').first().locator('td').allInnerTexts();
  const accuracies = await page.getByTestId('curve-points').locator('tr').nth(1).locator('td').allInnerTexts();
  expect(counts.length).toBeGreaterThanOrEqual(10);
  const report = JSON.parse(execFileSync(concordCli(), ['learn', '--bundle', resolve(__dirname, '../../www/demo/digits'),
    csv, '--out', join(dir, 'model'), '--curve', counts.join(',')], { encoding: 'utf8' }));
  expect(report.curve.map((p: any) => String(p.labels))).toEqual(counts);
  expect(report.curve.map((p: any) => p.gold.accuracy.toFixed(3))).toEqual(accuracies);
  // It learns: the last point is well above the first.
  expect(Number(accuracies[accuracies.length - 1])).toBeGreaterThan(Number(accuracies[0]) + 0.1);
  await expect(page.getByTestId('live-conflicts')).toContainText('gold items');
  // The model and its predictions download as concord learn writes them.
  const [model] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-model').click()]);
  const same = (a: string, b: string) => a.trimEnd() === b.trimEnd();
  expect(same(readFileSync(await model.path(), 'utf8'), readFileSync(join(dir, 'model', 'model.json'), 'utf8'))).toBe(true);
  const [predictions] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-predictions').click()]);
  const predicted = readFileSync(await predictions.path(), 'utf8');
  expect(predicted.trim().split('\n')).toHaveLength(1797);
  expect(same(predicted, readFileSync(join(dir, 'model', 'predictions.jsonl'), 'utf8'))).toBe(true);
});

/** The suggested spans as drawn in the text: "text LABEL" for each, in order. */
async function drawnSuggestions(page: Page): Promise<string[]> {
  return page.locator('[data-testid=text-doc]').evaluate((doc) => {
    const out: string[] = [];
    let text = '';
    for (const seg of Array.from(doc.querySelectorAll('.seg.suggested'))) {
      text += seg.textContent;
      if (seg.classList.contains('span-end')) {
        out.push(`${text} ${(seg as HTMLElement).dataset.label}`);
        text = '';
      }
    }
    return out;
  });
}

test('the tagger\'s spans are drawn in the text as suggestions, give way to the annotator\'s, and one key accepts them', async ({ page }) => {
  await start(page, 'demo/news/');
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', 's0001');
  await expect(page.getByTestId('model-labels')).toBeVisible({ timeout: 20_000 });
  // What the model bar names is what the text shows, dashed, and nothing is in the result yet.
  const bar = (await page.getByTestId('model-suggestion').innerText()).replace(/^Model: /, '');
  const drawn = await drawnSuggestions(page);
  expect(drawn.length, bar).toBeGreaterThan(0);
  expect(drawn.join(', ')).toBe(bar);
  await expect(page.getByTestId('region-list').locator('li')).toHaveCount(0);
  // The annotator marks the first word as a product: a suggestion over it gives way, the others stay.
  const first = await page.locator('.seg').first().evaluate((s) => (s.textContent ?? '').split(/[\s;,]/)[0]);
  // The caret starts at the text's start: Shift+→ selects the first word.
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('4');
  await expect(page.getByTestId('region-list').locator('li')).toHaveCount(1);
  await expect(page.getByTestId('region-list').locator('li').first()).toContainText(first);
  const left = await drawnSuggestions(page);
  const overFirst = drawn.filter((d) => d.startsWith(first));
  // (The warmed-up tagger marks it, 東京, as a place: the case where the annotator's span wins.)
  expect(overFirst, JSON.stringify(drawn)).toHaveLength(1);
  expect(left).toEqual(drawn.filter((d) => !d.startsWith(first)));
  // Shift+A adds the rest beside the annotator's span; nothing is drawn as a suggestion any more.
  await page.keyboard.press('Shift+A');
  await expect(page.getByTestId('region-list').locator('li')).toHaveCount(1 + drawn.length - overFirst.length);
  expect(await drawnSuggestions(page)).toEqual([]);
  await expect(page.locator('.seg.entity.span-end')).toHaveCount(1 + left.length);
});

test('a drag held while the model\'s spans arrive keeps its selection: the text is not redrawn under the mouse', async ({ page }) => {
  // The worker (and so the model) is held back until the drag has begun.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/concord-worker_bg.wasm', async (route) => { await held; await route.continue(); });
  await start(page, 'demo/news/');
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', 's0001');
  await expect(page.getByTestId('model-labels')).toHaveCount(0);
  const doc = (await page.getByTestId('text-doc').boundingBox())!;
  const y = doc.y + 12;
  await page.mouse.move(doc.x + 2, y);
  await page.mouse.down();
  await page.mouse.move(doc.x + 60, y, { steps: 4 });
  release();
  await expect(page.getByTestId('model-labels')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('model-suggestion')).toContainText('LOC');
  // The model has spans for this text, but none is drawn while the mouse is down.
  expect(await drawnSuggestions(page)).toEqual([]);
  await page.mouse.up();
  await page.keyboard.press('1');
  const list = page.getByTestId('region-list').locator('li');
  await expect(list).toHaveCount(1);
  await expect(list.first()).toHaveAttribute('data-start', '0');
  // Once the mouse is up, the suggestions beside the new span are drawn.
  await expect.poll(async () => (await drawnSuggestions(page)).length).toBeGreaterThan(0);
});

test('most uncertain first on a span project follows the tagger\'s least token margin, as concord learn orders the queue', async ({ page }) => {
  const out = mkdtempSync(join(tmpdir(), 'concord-queue-'));
  execFileSync(concordCli(), ['learn', '--bundle', resolve(__dirname, '../../www/demo/news'), '--gold-first', '--out', join(out, 'model')]);
  const queue: string[] = JSON.parse(readFileSync(join(out, 'model', 'queue.json'), 'utf8')).order;
  await start(page, 'demo/news/');
  await ready(page, 30);
  await page.getByTestId('order-toggle').click();
  await expect(page.getByTestId('order-toggle')).toHaveAttribute('aria-pressed', 'true');
  await page.locator('.task h2').click();
  // Moving on with PageDown (the model learns nothing): the tasks come in the CLI's order.
  for (const id of queue.slice(0, 4)) {
    await expect(page.locator('.task')).toHaveAttribute('data-task-id', id);
    await page.keyboard.press('PageDown');
  }
  expect(queue[0]).not.toBe('s0001');
});

test('box labels: the model labels each box drawn, learns the annotator\'s own convention, and says what concord learn says', async ({ page }) => {
  // The shelf demo: the model warms up on the 12 gold shelves and streets, each box an example read by its size,
  // aspect and place and the image's other labels.
  await start(page, 'demo/shelf/');
  await ready(page, 12);
  const canvas = page.getByTestId('box-canvas');
  await expect(canvas).toBeVisible();
  const at = (await canvas.boundingBox())!;
  const draw = async (x: number, y: number, w: number, h: number) => {
    await page.mouse.move(at.x + x, at.y + y);
    await page.mouse.down();
    await page.mouse.move(at.x + x + w, at.y + y + h, { steps: 4 });
    await page.mouse.up();
  };
  const list = page.getByTestId('region-list').locator('li');
  const bar = page.getByTestId('model-suggestion');
  // A tall, thin box labelled `can`: the model says bottle, on the box and in the bar.
  await page.keyboard.press('2');
  await draw(300, 40, 28, 92);
  await expect(list.first()).toHaveAttribute('data-label', 'can');
  const suggested = list.first().getByTestId('region-suggestion');
  await expect(suggested).toHaveAttribute('data-label', 'bottle');
  await expect(bar).toContainText('box 1: bottle');
  await expect(bar).toContainText('(yours: can)');
  // One key accepts it (one edit: undo brings the annotator's label back).
  await page.keyboard.press('Shift+A');
  await expect(list.first()).toHaveAttribute('data-label', 'bottle');
  await expect(suggested).toHaveCount(0);
  await expect(bar).toHaveText('Model: agrees with the labels of your 1 box');
  await page.keyboard.press('Control+z');
  await expect(list.first()).toHaveAttribute('data-label', 'can');
  await page.keyboard.press('Control+y');
  await expect(list.first()).toHaveAttribute('data-label', 'bottle');
  // The annotator's own convention, which no gold box shows: a flat, wide box low in the image is a traffic sign.
  // Before, the model labels it otherwise; after a few submissions it has learned it.
  await page.keyboard.press('Enter');
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', 'sc002');
  await ready(page, 13);
  const flat = [100, 330, 300, 24] as const;
  const said: string[] = [];
  for (let k = 0; k < 6; k++) {
    const id = await taskId(page);
    await page.keyboard.press('7');
    await draw(...flat);
    await expect(list).toHaveCount(1);
    await expect(list.first()).toHaveAttribute('data-label', 'traffic_sign');
    await expect(bar).toContainText(/box 1: |agrees with the labels of your 1 box/);
    const text = await bar.innerText();
    said.push(text.includes('agrees') ? 'traffic_sign' : /box 1: (\w+)/.exec(text)![1]);
    await page.keyboard.press('Enter');
    await expect(page.locator('.task')).not.toHaveAttribute('data-task-id', id);
    await ready(page, 14 + k);
  }
  expect(said[0], `before: ${said}`).not.toBe('traffic_sign');
  expect(said[said.length - 1], `after: ${said}`).toBe('traffic_sign');
  // The same model in a pipeline: `concord learn --gold-first` on the exported log labels the open task's box as the
  // page does, with the same probability.
  await page.keyboard.press('2');
  await draw(...flat);
  await expect(list.first()).toHaveAttribute('data-label', 'can');
  await expect(list.first().getByTestId('region-suggestion')).toHaveAttribute('data-label', 'traffic_sign');
  const probability = Number(await list.first().getByTestId('region-suggestion').getAttribute('data-probability'));
  await saved(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-log').click()]);
  const dir = mkdtempSync(join(tmpdir(), 'concord-live-boxes-'));
  const log = join(dir, 'log.jsonl');
  await download.saveAs(log);
  const id = await taskId(page);
  const events = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const drawn = events.filter((e) => e.task === id && e.op.type === 'insert').map((e) => e.op.region);
  expect(drawn).toHaveLength(1);
  const regions = join(dir, 'regions.jsonl');
  writeFileSync(regions, JSON.stringify({ task: id, result: { objects: drawn } }) + '\n');
  const report = JSON.parse(execFileSync(concordCli(), ['learn', '--bundle', resolve(__dirname, '../../www/demo/shelf'),
    '--gold-first', log, '--regions', regions, '--out', join(dir, 'model')], { encoding: 'utf8' }));
  expect(report.learned).toBe(12 + 7);
  const [p] = readFileSync(join(dir, 'model', 'predictions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(p.task).toBe(id);
  expect(p.result.objects.map((b: any) => b.label)).toEqual(['traffic_sign']);
  expect(Math.abs(p.result.objects[0].score - probability)).toBeLessThan(1e-12);
});
