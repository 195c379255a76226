import { test, expect, Page } from '@playwright/test';
import { start, saved, zipFolder } from './helpers';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

// Annotator mode, as a new user would use it: name once, label by keyboard and mouse, see rules and gold
// feedback, reload and find everything, export the log.

function demoTask(demo: string, chunk: number, index: number) {
  const file = resolve(__dirname, `../../www/demo/${demo}/tasks/${String(chunk).padStart(3, '0')}.jsonl`);
  return JSON.parse(readFileSync(file, 'utf8').trim().split('\n')[index]);
}

test('classification by keyboard: hotkey, submit, next; a rule blocks an empty submit; gold feedback', async ({ page }) => {
  await start(page, 'demo/retail/');
  const task = page.locator('.task');
  await expect(task).toHaveAttribute('data-task-id', 'p0001');
  // Untouched, what the task requires is a to-do, not an error.
  await expect(page.locator('.violation.todo[data-rule="one-category"]')).toContainText('To do');
  await expect(page.getByTestId('checks-summary')).toHaveText('To do: 1 (required before submitting)');
  await expect(page.locator('.violation.error')).toHaveCount(0);
  // Nothing chosen: Enter is refused with the reason, and the "one category" rule is an error now.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('submit-blocked')).toContainText('one-category');
  await expect(task).toHaveAttribute('data-task-id', 'p0001');
  await expect(page.locator('.violation.error[data-rule="one-category"]')).toBeVisible();
  await expect(page.getByTestId('checks-summary')).toHaveText('1 error (blocks submit)');
  // Key 2 is the second label (banana): wrong for p0001, whose gold is apple.
  await page.keyboard.press('2');
  await expect(page.locator('.label-button[data-label="banana"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('no-violations').or(page.locator('.violation.warning'))).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(task).toHaveAttribute('data-task-id', 'p0002');
  const fb = page.getByTestId('gold-feedback');
  await expect(fb).toContainText('Task p0001: differs from the gold answer');
  await expect(fb).toContainText('gold says apple, you gave banana');
  await expect(fb.locator('a.section-link')).toHaveAttribute('href', '#fresh-produce');
  // p0002 is banana: key 2 again, and the feedback says it matches.
  await page.keyboard.press('2');
  await page.keyboard.press('Enter');
  await expect(fb).toContainText('Task p0002: matches the gold answer');
  await expect(page.getByTestId('gold-accuracy')).toHaveText('50 % (1/2)');
  await expect(page.getByTestId('items-today')).toHaveText('2');
  await saved(page, 4);
  // Type-to-filter: 20 labels, so the picker filters; Enter picks the first match.
  await page.locator('.label-filter').fill('ora');
  await page.locator('.label-filter').press('Enter');
  await expect(page.locator('.label-button[data-label="orange"]')).toHaveAttribute('aria-pressed', 'true');
  // Undo and redo by keyboard.
  await page.locator('.task h2').click();
  await page.keyboard.press('Control+z');
  await expect(page.locator('.label-button[aria-pressed="true"]')).toHaveCount(0);
  await page.keyboard.press('Control+Shift+Z');
  await expect(page.locator('.label-button[data-label="orange"]')).toHaveAttribute('aria-pressed', 'true');
  await saved(page, 7);
  // Reload: the log is replayed from IndexedDB; position, choices and status come back.
  await page.reload();
  await expect(task).toHaveAttribute('data-task-id', 'p0003');
  await expect(page.getByTestId('annotator-prompt')).toHaveCount(0);
  await expect(page.locator('.label-button[data-label="orange"]')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('PageUp');
  await expect(task).toHaveAttribute('data-task-id', 'p0002');
  await expect(page.getByTestId('task-status')).toHaveText('Submitted');
  await expect(page.locator('.label-button[data-label="banana"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('gold-accuracy')).toHaveText('50 % (1/2)');
});

/** The screen position of code point `cp` of the text (its left edge, or the right edge of the last one). */
async function pointAt(page: Page, cp: number, edge: 'left' | 'right') {
  return page.evaluate(([cp, edge]) => {
    const segs = Array.from(document.querySelectorAll('[data-testid="text-doc"] .seg')) as HTMLElement[];
    for (const seg of segs) {
      const start = Number(seg.dataset.cp);
      const chars = Array.from(seg.textContent || '');
      if (cp >= start && cp < start + chars.length) {
        const node = seg.firstChild as Text;
        const before = chars.slice(0, cp - start).join('').length; // UTF-16 units
        const range = document.createRange();
        range.setStart(node, before);
        range.setEnd(node, before + chars[cp - start].length);
        const r = range.getBoundingClientRect();
        return { x: edge === 'left' ? r.left + 1 : r.right - 1, y: r.top + r.height / 2 };
      }
    }
    throw new Error(`no code point ${cp}`);
  }, [cp, edge] as const);
}

// The news demo's second task (a sentence that starts with an emoji), once the live tagger has started: its
// suggestions name their label after the span, which moves the text after it, so points measured before would move.
async function openNewsSentence(page: Page): Promise<string> {
  await start(page, 'demo/news/');
  await expect(page.getByTestId('model-labels')).toBeVisible({ timeout: 20_000 });
  await page.getByLabel('Go to task number').fill('2');
  await page.getByLabel('Go to task number').press('Enter');
  const text: string = demoTask('news', 0, 1).data.text;
  await expect(page.getByTestId('text-doc')).toHaveText(text);
  return text;
}

test('a text selection whose mouse is released off the text (the layout moved under the held pointer) is still labelled', async ({ page }) => {
  const text = await openNewsSentence(page);
  const per = Array.from(text.slice(0, text.indexOf('Élodie'))).length;
  const a = await pointAt(page, per + 2, 'left');
  const b = await pointAt(page, per + 9, 'right');
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 5 });
  // Something above the text grows while the button is held: the text moves down, away from the pointer.
  await page.getByTestId('text-doc').evaluate((el) => { (el as HTMLElement).style.marginTop = '400px'; });
  await page.mouse.up();
  await page.getByTestId('text-doc').evaluate((el) => { (el as HTMLElement).style.marginTop = ''; });
  await page.keyboard.press('1'); // PER
  const list = page.getByTestId('region-list').locator('li');
  await expect(list).toHaveCount(1);
  await expect(list.first()).toHaveAttribute('data-start', String(per));
  await expect(list.first()).toHaveAttribute('data-end', String(per + Array.from('Élodie Durand').length));
});

test('NER by mouse and by keyboard on a sentence with an emoji: offsets are code points', async ({ page }) => {
  const text = await openNewsSentence(page);
  expect(text.startsWith('🚀 Élodie Durand')).toBe(true);
  const cps = Array.from(text);
  const find = (s: string) => { const i = text.indexOf(s); return Array.from(text.slice(0, i)).length; };
  // Mouse: drag from inside "Élodie" to inside "Durand"; the selection snaps to both words.
  const per = find('Élodie');
  const a = await pointAt(page, per + 2, 'left');
  const b = await pointAt(page, per + 9, 'right');
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.press('1'); // PER
  const list = page.getByTestId('region-list').locator('li');
  await expect(list).toHaveCount(1);
  await expect(list.first()).toHaveAttribute('data-start', String(per));
  await expect(list.first()).toHaveAttribute('data-end', String(per + Array.from('Élodie Durand').length));
  await expect(list.first()).toContainText('PER');
  // Keyboard: click before "Acme", then Shift+→ twice selects "Acme Corp"; key 2 is ORG.
  const org = find('Acme');
  const p = await pointAt(page, org, 'left');
  await page.mouse.click(p.x, p.y);
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('2');
  await expect(list).toHaveCount(2);
  await expect(list.nth(1)).toHaveAttribute('data-start', String(org));
  await expect(list.nth(1)).toHaveAttribute('data-end', String(org + 'Acme Corp'.length));
  // The emoji: one code point, although the DOM counts two UTF-16 units.
  expect(cps[0]).toBe('🚀');
  expect(per).toBe(2);
  // Relabel with Tab + key, delete with Delete, undo brings it back.
  await page.keyboard.press('Tab');
  await page.keyboard.press('3');
  await expect(list.first()).toContainText('LOC');
  await page.keyboard.press('Delete');
  await expect(list).toHaveCount(1);
  await page.keyboard.press('Control+z');
  await expect(list).toHaveCount(2);
  await saved(page);
});

test('boxes by mouse: draw, move, resize; a too-small box is an error that blocks submit', async ({ page }) => {
  await start(page, 'demo/shelf/');
  const canvas = page.getByTestId('box-canvas');
  await expect(canvas).toBeVisible();
  const box = (await canvas.boundingBox())!;
  const drag = async (x0: number, y0: number, x1: number, y1: number) => {
    await page.mouse.move(box.x + x0, box.y + y0);
    await page.mouse.down();
    await page.mouse.move(box.x + x1, box.y + y1, { steps: 4 });
    await page.mouse.up();
  };
  await page.keyboard.press('2'); // can
  await drag(100, 100, 200, 180);
  const list = page.getByTestId('region-list').locator('li');
  await expect(list).toHaveCount(1);
  await expect(list.first()).toHaveAttribute('data-label', 'can');
  await expect(list.first()).toContainText('x 100, y 100, 100×80');
  // Move it by dragging its inside, then nudge with the keyboard.
  await drag(150, 140, 170, 150);
  await expect(list.first()).toContainText('x 120, y 110, 100×80');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(list.first()).toContainText('x 130, y 110, 100×80');
  // Resize from the bottom-right corner.
  await drag(230, 190, 250, 200);
  await expect(list.first()).toContainText('x 130, y 110, 120×90');
  // A per-box attribute, through the log like every edit (and undoable).
  const occluded = page.getByTestId('attributes').getByRole('checkbox');
  await occluded.check();
  await expect(occluded).toBeChecked();
  await page.locator('.task h2').click();
  await page.keyboard.press('Control+z');
  await expect(occluded).not.toBeChecked();
  // A 3×3 box breaks `min-size` (an error): submit is refused.
  await drag(400, 300, 403, 303);
  await expect(list).toHaveCount(2);
  await expect(page.locator('.violation.error[data-rule="min-size"]')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('submit-blocked')).toContainText('min-size');
  await expect(page.getByTestId('task-status')).toHaveText('Draft');
  await page.keyboard.press('Delete');
  await expect(list).toHaveCount(1);
  await expect(page.getByTestId('no-violations')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', 'sc002');
  await saved(page);
});

test('export: the JSONL log holds every action with name, guideline version and time', async ({ page }) => {
  await start(page, 'demo/retail/', 'Grace');
  await page.keyboard.press('1');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Shift+S');
  await saved(page, 3);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-log').click()]);
  expect(download.suggestedFilename()).toBe('retail-products-log.jsonl');
  const lines = readFileSync(await download.path(), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(lines.map((e) => e.op.type)).toEqual(['choose', 'submit', 'skip']);
  expect(lines.map((e) => e.task)).toEqual(['p0001', 'p0001', 'p0002']);
  for (const e of lines) {
    expect(e.annotator).toBe('Grace');
    expect(e.guidelines).toBe('1.0');
    expect(Math.abs(e.at - Date.now())).toBeLessThan(120_000);
  }
  expect(lines[0].op).toEqual({ type: 'choose', control: 'category', labels: ['apple'] });
  const [ls] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-ls').click()]);
  const exported = JSON.parse(readFileSync(await ls.path(), 'utf8'));
  expect(exported).toHaveLength(1);
  expect(exported[0].id).toBe('p0001');
  expect(exported[0].annotations[0].completed_by.email).toBe('Grace');
  expect(exported[0].annotations[0].result[0].value.choices).toEqual(['apple']);
});

test('a bundle folder opened from disk works without its server, images included', async ({ page }) => {
  await page.goto('./?project=/fixtures/bundles/no-such-bundle/');
  await expect(page.getByTestId('bundle-error')).toBeVisible();
  await page.getByText('Projects', { exact: true }).click();
  await page.getByTestId('open-folder').setInputFiles(resolve(__dirname, '../../www/demo/shelf'));
  await expect(page.getByTestId('project-name')).toHaveText('Shelves and streets');
  await expect(page).toHaveURL(/\?project=local:shelf$/);
  // The image comes from the chosen file (a blob: URL), not from the server.
  await expect(page.locator('.stage-image')).toHaveAttribute('src', /^blob:/);
  const natural = await page.locator('.stage-image').evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth));
  expect(natural).toBeGreaterThan(0);
  await page.locator('#annotator-name').fill('Lin');
  await page.locator('#annotator-name').press('Enter');
  const canvas = (await page.getByTestId('box-canvas').boundingBox())!;
  await page.mouse.move(canvas.x + 50, canvas.y + 50);
  await page.mouse.down();
  await page.mouse.move(canvas.x + 120, canvas.y + 110, { steps: 3 });
  await page.mouse.up();
  await expect(page.getByTestId('region-list').locator('li')).toHaveCount(1);
  await saved(page, 1);
  // A folder without project.json is refused with the reason.
  await page.getByText('Projects', { exact: true }).click();
  await page.getByTestId('open-folder').setInputFiles(resolve(__dirname, '../../www/demo/shelf/images'));
  await expect(page.getByTestId('bundle-error')).toContainText('no project.json');
});

test('the guideline is searchable and keeps its version', async ({ page }) => {
  await page.goto('./?project=demo/news/');
  await expect(page.locator('.guideline .version')).toHaveText('v2.1');
  const sections = page.locator('.guideline article h2, .guideline article h3');
  // The worker renders the sections' markdown just after the first task is shown.
  await expect.poll(() => sections.count()).toBeGreaterThan(2);
  const all = await sections.count();
  await page.getByLabel('Search the guideline').fill('boundar');
  await expect(page.getByTestId('guideline-matches')).toContainText('match');
  const shown = await sections.count();
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThan(all);
  await expect(page.locator('.guideline article')).toContainText(/boundar/i);
  await page.getByLabel('Search the guideline').fill('');
  await expect(sections).toHaveCount(all);
});

test('a log exported on one machine continues on another (round trip)', async ({ browser }) => {
  const one = await browser.newContext();
  const a = await one.newPage();
  await start(a, 'demo/news/', 'Noor');
  // A span on the first word, by keyboard, then submit; each step seen before the next key.
  await expect(a.getByTestId('text-doc')).toBeVisible();
  await a.keyboard.press('Shift+ArrowRight');
  await expect(a.locator('.text-doc .seg.pending').first()).toBeVisible();
  await a.keyboard.press('3');
  await expect(a.getByTestId('region-list').locator('li')).toHaveCount(1);
  await a.keyboard.press('Tab');
  await a.keyboard.press('Enter');
  await saved(a);
  await expect(a.getByTestId('items-total')).toHaveText('1');
  const [download] = await Promise.all([a.waitForEvent('download'), a.getByTestId('export-log').click()]);
  // Kept beside the test's output: the first context's downloads go when it closes.
  const path = resolve(test.info().outputDir, 'noor-log.jsonl');
  await download.saveAs(path);
  const exported = readFileSync(path, 'utf8');
  await one.close();

  const two = await browser.newContext();
  const b = await two.newPage();
  await start(b, 'demo/news/', 'Noor');
  await b.getByTestId('import-log').setInputFiles(path);
  await expect(b.locator('.notice.info')).toContainText(`Imported ${exported.trim().split('\n').length} new events`);
  await saved(b);
  await expect(b.getByTestId('items-total')).toHaveText('1');
  await expect(b.getByTestId('task-status')).toHaveText('Submitted');
  await expect(b.getByTestId('region-list').locator('li')).toHaveCount(1);
  // Importing the same file again adds nothing.
  await b.getByTestId('import-log').setInputFiles(path);
  await expect(b.locator('.notice.info')).toContainText('Imported 0 new events');
  const [again] = await Promise.all([b.waitForEvent('download'), b.getByTestId('export-log').click()]);
  expect(readFileSync(await again.path(), 'utf8')).toBe(exported);
  // A broken file is refused with its line; nothing is imported.
  const bad = resolve(test.info().outputDir, 'bad.jsonl');
  writeFileSync(bad, exported + '{"id":"x","at":1}\n');
  await b.getByTestId('import-log').setInputFiles(bad);
  await expect(b.getByTestId('problem')).toContainText(/bad\.jsonl.*line \d+/);
  await two.close();
});

test('the queue can follow the model: least confident predictions first', async ({ page }) => {
  await page.goto('./?project=demo/retail/');
  // Independently: each task's top probability, ascending; ties keep project order.
  const lines = readFileSync(resolve(__dirname, '../../www/demo/retail/predictions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const tasks: string[] = [];
  for (const c of [0, 1]) {
    const f = resolve(__dirname, `../../www/demo/retail/tasks/${String(c).padStart(3, '0')}.jsonl`);
    for (const l of readFileSync(f, 'utf8').trim().split('\n')) tasks.push(JSON.parse(l).id);
  }
  const top = lines.map((p) => ({ task: p.task, top: Math.max(...Object.values(p.scores.category as Record<string, number>)) }));
  top.sort((a, b) => a.top - b.top || tasks.indexOf(a.task) - tasks.indexOf(b.task));
  // The shipped predictions, not the live model (which would take over the order once it is ready): turn it off.
  await page.getByTestId('model-toggle').click();
  await expect(page.locator('.model-bar')).toContainText('Model suggestions are off.');
  await page.getByTestId('order-toggle').click();
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', top[0].task);
  await page.keyboard.press('PageDown');
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', top[1].task);
  await page.getByTestId('order-toggle').click();
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', 'p0001');
});

test('a zipped bundle opens from disk (deflate entries inflated by the browser)', async ({ page }) => {
  const zip = resolve(test.info().outputDir, 'news-bundle.zip');
  zipFolder(resolve(__dirname, '../../www/demo/news'), zip, 'news');
  await page.goto('./?project=demo/retail/');
  await page.getByText('Projects', { exact: true }).click();
  await page.getByTestId('open-zip').setInputFiles(zip);
  await expect(page.getByTestId('project-name')).toHaveText('News entities');
  await expect(page).toHaveURL(/\?project=local:news$/);
  await expect(page.getByTestId('text-doc')).toHaveText(demoTask('news', 0, 0).data.text);
  await expect(page.locator('.guideline .version')).toHaveText('v2.1');
  // Something that is not a ZIP is refused with the reason.
  const notZip = resolve(test.info().outputDir, 'notes.zip');
  writeFileSync(notZip, 'plain text');
  await page.getByText('Projects', { exact: true }).click();
  await page.getByTestId('open-zip').setInputFiles(notZip);
  await expect(page.getByTestId('bundle-error')).toContainText('not a ZIP archive');
});

test('pre-annotations are shown apart, accepted in one undoable step, then corrected', async ({ page }) => {
  await start(page, '/fixtures/bundles/preannotated/');
  await expect(page.getByTestId('pre-annotation')).toContainText('The model proposed 2 boxes');
  const list = page.getByTestId('region-list').locator('li');
  await expect(list).toHaveCount(0);
  await page.getByRole('button', { name: 'Accept pre-annotation' }).click();
  await expect(list).toHaveCount(2);
  await expect(list.nth(0)).toContainText('x 10, y 20, 50×40');
  await expect(page.getByTestId('pre-annotation')).toHaveCount(0);
  // Correct one: select the person, relabel it as a car.
  await list.nth(1).click();
  await page.keyboard.press('1');
  await expect(list.nth(1)).toHaveAttribute('data-label', 'car');
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expect(list).toHaveCount(0);
  await saved(page, 4);
  // The log holds the accepted boxes without the model's scores.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-log').click()]);
  const first = JSON.parse(readFileSync(await download.path(), 'utf8').split('\n')[0]);
  expect(first.op.type).toBe('set_result');
  expect(first.op.result.objects).toEqual([
    { x: 10, y: 20, w: 50, h: 40, label: 'car' },
    { x: 100, y: 60, w: 30, h: 80, label: 'person' },
  ]);
});

test('export: a text project also leaves as doccano and Prodigy JSONL', async ({ page }) => {
  await start(page, 'demo/tickets/', 'Hana');
  await page.keyboard.press('3');
  await page.keyboard.press('Enter');
  await saved(page, 2);
  const [log] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-log').click()]);
  const events = readFileSync(await log.path(), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const chosen = events.find((e) => e.op.type === 'choose');
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-doccano').click()]);
  expect(d.suggestedFilename()).toBe('ticket-urgency-doccano.jsonl');
  const doccano = readFileSync(await d.path(), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(doccano).toEqual([{ id: chosen.task, text: expect.any(String), label: chosen.op.labels }]);
  const [p] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-prodigy').click()]);
  const prodigy = readFileSync(await p.path(), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(prodigy).toHaveLength(1);
  expect(prodigy[0]).toMatchObject({ meta: { id: chosen.task }, answer: 'accept', _annotator_id: 'Hana', accept: chosen.op.labels });
  // Image projects offer CVAT instead; text projects do not.
  await expect(page.getByTestId('export-cvat')).toHaveCount(0);
});
