import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { saved, start } from './helpers';

// Polygons (the aerial demo): trace a gold tile vertex by vertex and get "matches" back; draw, close, edit
// vertices (drag, insert, remove), move, relabel; the rules (self-intersection, minimum area) block submit; reload;
// the Label Studio and COCO exports hold the exact polygon. Areas are worked out here with the shoelace formula.

const root = path.resolve(__dirname, '../..');
const jsonl = (p: string) => fs.readFileSync(path.join(root, p), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
type Pt = [number, number];
const shoelace = (p: Pt[]) =>
  Math.abs(p.reduce((s, q, i) => s + q[0] * p[(i + 1) % p.length][1] - p[(i + 1) % p.length][0] * q[1], 0)) / 2;

test('polygons: trace, draw, edit, move, rules, reload and exports', async ({ page }) => {
  const project = JSON.parse(fs.readFileSync(path.join(root, 'www/demo/aerial/project.json'), 'utf8'));
  const labels: string[] = project.schema.controls[0].labels.map((l: any) => l.value);
  const hotkey = (label: string) => String(labels.indexOf(label) + 1);
  const gold = jsonl('www/demo/aerial/gold.jsonl').find((g) => g.task === 'ae001');
  await start(page, 'demo/aerial/');
  const task = page.locator('.task');
  await expect(task).toHaveAttribute('data-task-id', 'ae001');
  const canvas = page.getByTestId('polygon-canvas');
  await expect(canvas).toBeVisible();
  const box = (await canvas.boundingBox())!;
  const at = (p: Pt) => [box.x + p[0], box.y + p[1]] as const;
  const click = (p: Pt) => page.mouse.click(...at(p));
  const list = page.getByTestId('region-list').locator('li');

  // ae001 is training gold: trace each outline (one click per vertex, the label key while drawing — outside a
  // drawing it would relabel the selected polygon —, Enter closes).
  for (const g of gold.result.outlines) {
    const [head, ...rest] = g.points as Pt[];
    await click([Math.round(head[0]), Math.round(head[1])]);
    await page.keyboard.press(hotkey(g.label));
    for (const p of rest) await click([Math.round(p[0]), Math.round(p[1])]);
    await expect(page.getByTestId('drawing')).toContainText(`${g.points.length} vertices`);
    await page.keyboard.press('Enter');
  }
  await expect(list).toHaveCount(gold.result.outlines.length);
  await expect(list.first()).toHaveAttribute('data-label', gold.result.outlines[0].label);
  await page.keyboard.press('Enter');
  await expect(task).toHaveAttribute('data-task-id', 'ae002');
  await expect(page.getByTestId('gold-feedback')).toContainText('Task ae001: matches the gold answer');

  // Draw a pool: a wrong vertex dropped with Backspace, closed by clicking the first vertex.
  await click([40, 40]);
  await page.keyboard.press(hotkey('pool'));
  await click([140, 40]);
  await click([200, 200]);
  await page.keyboard.press('Backspace');
  await click([140, 110]);
  await click([40, 110]);
  await click([40, 40]);
  await expect(list).toHaveCount(1);
  const first = list.first();
  await expect(first).toHaveAttribute('data-label', 'pool');
  let pts: Pt[] = [[40, 40], [140, 40], [140, 110], [40, 110]];
  await expect(first).toContainText(`4 vertices, ${shoelace(pts).toFixed(0)} px²`);
  // Drag a vertex of the (selected) new polygon.
  await page.mouse.move(...at([140, 110]));
  await page.mouse.down();
  await page.mouse.move(...at([160, 130]), { steps: 4 });
  await page.mouse.up();
  pts = [[40, 40], [140, 40], [160, 130], [40, 110]];
  await expect(first).toContainText(`4 vertices, ${shoelace(pts).toFixed(0)} px²`);
  // Move the whole polygon by dragging inside it.
  await page.mouse.move(...at([60, 60]));
  await page.mouse.down();
  await page.mouse.move(...at([70, 75]), { steps: 4 });
  await page.mouse.up();
  pts = pts.map(([x, y]) => [x + 10, y + 15]);
  // Double-click the middle of the top edge: a fifth vertex; Alt+click it: four again (same area either way).
  await page.mouse.dblclick(...at([100, 55]));
  await expect(first).toHaveAttribute('data-vertices', '5');
  await page.keyboard.down('Alt');
  await click([100, 55]);
  await page.keyboard.up('Alt');
  await expect(first).toHaveAttribute('data-vertices', '4');
  await expect(first).toContainText(`4 vertices, ${shoelace(pts).toFixed(0)} px²`);
  // Relabel by key.
  await page.keyboard.press(hotkey('building'));
  await expect(first).toHaveAttribute('data-label', 'building');

  // A bow tie crosses itself: an error that blocks submit; Delete removes it (a closed polygon is selected).
  await click([300, 200]);
  await click([380, 280]);
  await click([380, 200]);
  await click([300, 280]);
  await page.keyboard.press('Enter');
  await expect(list).toHaveCount(2);
  await expect(page.locator('.violation.error[data-rule="simple"]')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('submit-blocked')).toContainText('simple');
  await expect(task).toHaveAttribute('data-task-id', 'ae002');
  await page.keyboard.press('Delete');
  await expect(list).toHaveCount(1);
  // A 50 px² triangle is below the 150 px² minimum; undo takes it away.
  await click([400, 300]);
  await click([410, 300]);
  await click([400, 310]);
  await page.keyboard.press('Enter');
  await expect(page.locator('.violation.error[data-rule="min-area"]')).toContainText('area 50.0 px²');
  await page.locator('.task h2').click();
  await page.keyboard.press('Control+z');
  await expect(list).toHaveCount(1);
  // Escape abandons a drawing.
  await click([200, 250]);
  await click([230, 260]);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('drawing')).toHaveCount(0);
  await expect(list).toHaveCount(1);
  await expect(page.getByTestId('no-violations')).toBeVisible();
  if (process.env.CONCORD_SCREENSHOTS) {
    await page.locator('.task').screenshot({ path: path.join(process.env.CONCORD_SCREENSHOTS, 'polygons.png') });
  }
  await page.keyboard.press('Enter');
  await expect(task).toHaveAttribute('data-task-id', 'ae003');
  await saved(page);

  // Reload: the log replays the polygon exactly.
  await page.reload();
  await expect(task).toHaveAttribute('data-task-id', 'ae003');
  await page.keyboard.press('PageUp');
  await expect(task).toHaveAttribute('data-task-id', 'ae002');
  await expect(first).toHaveAttribute('data-label', 'building');
  await expect(first).toContainText(`4 vertices, ${shoelace(pts).toFixed(0)} px²`);

  // Label Studio: percent of the natural size; COCO: pixels, area by the shoelace formula.
  const [ls] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-ls').click()]);
  const exported = JSON.parse(fs.readFileSync(await ls.path(), 'utf8'));
  const t2 = exported.find((t: any) => t.id === 'ae002');
  const r = t2.annotations[0].result.find((x: any) => x.type === 'polygonlabels');
  expect([r.original_width, r.original_height, r.value.closed, r.value.polygonlabels]).toEqual([480, 360, true, ['building']]);
  r.value.points.forEach((p: Pt, i: number) => {
    expect(p[0]).toBeCloseTo((pts[i][0] * 100) / 480, 9);
    expect(p[1]).toBeCloseTo((pts[i][1] * 100) / 360, 9);
  });
  const [c] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-coco').click()]);
  const coco = JSON.parse(fs.readFileSync(await c.path(), 'utf8'));
  expect(coco.images.map((i: any) => i.concord_id)).toEqual(['ae001', 'ae002']);
  const im2 = coco.images.find((i: any) => i.concord_id === 'ae002');
  const a2 = coco.annotations.filter((a: any) => a.image_id === im2.id);
  expect(a2).toHaveLength(1);
  expect(a2[0].segmentation).toEqual([pts.flat()]);
  expect(a2[0].area).toBeCloseTo(shoelace(pts), 9);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  expect(a2[0].bbox).toEqual([Math.min(...xs), Math.min(...ys), Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)]);
  expect(coco.categories.map((k: any) => k.name)).toEqual(labels);
  const im1 = coco.images.find((i: any) => i.concord_id === 'ae001');
  expect(coco.annotations.filter((a: any) => a.image_id === im1.id)).toHaveLength(gold.result.outlines.length);

  // CVAT: the polygon's points as drawn; YOLO (a zip, unpacked by Python's zipfile): a segmentation line in fractions.
  const [cv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-cvat').click()]);
  const xml = fs.readFileSync(await cv.path(), 'utf8');
  expect(xml).toContain(`points="${pts.map((p) => `${p[0]},${p[1]}`).join(';')}"`);
  const [y] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-yolo').click()]);
  expect(y.suggestedFilename()).toBe('aerial-outlines-yolo.zip');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-yolo-'));
  execFileSync('python3', ['-m', 'zipfile', '-e', await y.path(), dir]);
  const classes = fs.readFileSync(path.join(dir, 'classes.txt'), 'utf8').trim().split('\n');
  expect(classes).toEqual(labels);
  const line = fs.readFileSync(path.join(dir, 'labels', 'ae002.txt'), 'utf8').trim().split(' ').map(Number);
  expect(line[0]).toBe(classes.indexOf('building'));
  line.slice(1).forEach((v, k) => expect(v).toBeCloseTo(k % 2 === 0 ? pts[k >> 1][0] / 480 : pts[k >> 1][1] / 360, 9));
  // Pascal VOC holds boxes only: an outlines project does not offer it.
  await expect(page.getByTestId('export-voc')).toHaveCount(0);
});
