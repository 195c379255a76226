import { test, expect, Page } from '@playwright/test';
import { start, saved, concordCli } from './helpers';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// The 3D mode on the street demo: a point-cloud project opened in annotator mode moves to the 3D mode (its own
// wasm), draws the frame, and a cuboid drawn around a pedestrian takes its height from the points; the physics
// rules flag it live when it grows too tall and clear on undo; its KITTI export reads back in the CLI to the
// figures worked out here from the gold and the frame's points.

const street = resolve(__dirname, '../../www/demo/street');
type Cuboid = { label: string; center: number[]; size: number[]; yaw: number; track_id?: string };
const goldFrame0: Cuboid[] = JSON.parse(readFileSync(join(street, 'gold.jsonl'), 'utf8').split('\n')[0]).result.objects;

/** Frame 0's points, read here from the KITTI file: x, y, z, intensity. */
function points(): Float32Array {
  const b = readFileSync(join(street, 'frames/000000.bin'));
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
}

/** How many points are inside the cuboid (faces included), in its own axes; or within `margin` of it. */
function inside(c: Cuboid, p: Float32Array, margin = 0): number {
  const [s, co] = [Math.sin(c.yaw), Math.cos(c.yaw)];
  let n = 0;
  for (let i = 0; i < p.length; i += 4) {
    const [dx, dy] = [p[i] - c.center[0], p[i + 1] - c.center[1]];
    const u = dx * co + dy * s, v = -dx * s + dy * co, z = p[i + 2] - c.center[2];
    const m = margin;
    if (Math.abs(u) <= c.size[0] / 2 + m && Math.abs(v) <= c.size[1] / 2 + m && Math.abs(z) <= c.size[2] / 2 + m) n++;
  }
  return n;
}

/** The CSS pixel of the bird's-eye view over ground point (x, y). */
async function pixelOf(page: Page, x: number, y: number) {
  const canvas = page.getByTestId('scene-canvas');
  const box = (await canvas.boundingBox())!;
  const scale = Number(await canvas.getAttribute('data-scale'));
  const [tx, ty] = (await canvas.getAttribute('data-target'))!.split(' ').map(Number);
  return { x: box.x + box.width / 2 - (y - ty) / scale, y: box.y + box.height / 2 - (x - tx) / scale };
}

test('a cuboid drawn around a pedestrian is fitted to the points, checked live, and exported as KITTI the CLI reads back', async ({ page }) => {
  await start(page, 'demo/street/');
  // Annotator mode hands the point-cloud project to the 3D mode.
  await expect(page).toHaveURL(/mode=scene/);
  const cloud = points();
  await expect(page.getByTestId('scene-points')).toHaveText(`${cloud.length / 4} points`);
  await expect(page.getByTestId('scene-frame')).toHaveText('Frame 0');
  await expect(page.getByTestId('camera-view').locator('img')).toBeVisible();

  // The nearest pedestrian of frame 0, drawn corner to corner in the bird's-eye view as the Pedestrian label.
  const person = goldFrame0.filter((c) => c.label === 'Pedestrian')
    .sort((a, b) => Math.hypot(a.center[0], a.center[1]) - Math.hypot(b.center[0], b.center[1]))[0];
  expect(person.yaw).toBe(0);
  await page.keyboard.press('2');
  await drawAround(page, person);
  const list = page.getByTestId('region-list').locator('li');
  await expect(list).toHaveCount(1);
  await expect(list.first()).toContainText('Pedestrian');
  const drawn: Cuboid = JSON.parse((await list.first().getAttribute('data-exact'))!);
  const scale = Number(await page.getByTestId('scene-canvas').getAttribute('data-scale'));
  // The footprint is the gold's to a pixel or two; the height comes from the points: it stands on the ground
  // and reaches the highest return over it, within the gold box.
  for (const k of [0, 1]) expect(Math.abs(drawn.center[k] - person.center[k])).toBeLessThan(2 * scale);
  for (const k of [0, 1]) expect(Math.abs(drawn.size[k] - person.size[k])).toBeLessThan(2 * scale);
  const top = drawn.center[2] + drawn.size[2] / 2, goldTop = person.center[2] + person.size[2] / 2;
  expect(top).toBeLessThanOrEqual(goldTop + 1e-6);
  expect(drawn.size[2]).toBeGreaterThan(1.0);
  // The points inside, as counted here, are what the view says.
  await expect(page.getByTestId('points-inside')).toHaveText(` · ${inside(drawn, cloud)} points inside`);
  expect(inside(drawn, cloud)).toBeGreaterThan(3);
  // Its side and front views: the returns within 0.5 m of it, the ones inside marked (counted exactly; drawn all
  // up to 600, as here).
  await expect(page.locator('.close-ups')).toHaveAttribute('data-near', String(inside(drawn, cloud, 0.5)));
  await expect(page.locator('.close-ups')).toHaveAttribute('data-inside', String(inside(drawn, cloud)));
  expect(inside(drawn, cloud, 0.5)).toBeLessThanOrEqual(600);
  for (const view of ['side-view', 'front-view']) {
    await expect(page.getByTestId(view).locator('circle')).toHaveCount(inside(drawn, cloud, 0.5));
    await expect(page.getByTestId(view).locator('circle.inside')).toHaveCount(inside(drawn, cloud));
  }
  await expect(page.getByTestId('no-violations')).toBeVisible();

  // Made 0.6 m taller by key, it is no pedestrian's size: the rule fires on this cuboid, in the list and the panel.
  for (let i = 0; i < 6; i++) await page.keyboard.press('r');
  const sizeRule = page.getByTestId('violations').locator('li[data-rule="pedestrian-size"]');
  await expect(sizeRule).toHaveCount(1);
  await expect(sizeRule).toHaveAttribute('data-region', '0');
  await expect(sizeRule.locator('a.section-link')).toHaveAttribute('href', '#sizes');
  await expect(list.first()).toHaveClass(/violating/);
  // The worker's check of the whole sequence finds it too, in frame 0.
  await expect(page.getByTestId('sequence-checks').locator('li[data-frame="0"][data-rule="pedestrian-size"]')).toHaveCount(1);
  // Undone, it clears.
  for (let i = 0; i < 6; i++) await page.keyboard.press('Control+z');
  await expect(sizeRule).toHaveCount(0);
  await expect(page.getByTestId('no-violations')).toBeVisible();
  expect(JSON.parse((await list.first().getAttribute('data-exact'))!)).toEqual(drawn);
  // Moved 30 cm forward and turned 10°: the log has it.
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Shift+Q');
  const moved: Cuboid = JSON.parse((await list.first().getAttribute('data-exact'))!);
  expect(moved.center[0]).toBeCloseTo(drawn.center[0] + 0.3, 9);
  expect(moved.yaw).toBeCloseTo(10 * Math.PI / 180, 9);
  await expect(page.getByTestId('points-inside')).toHaveText(` · ${inside(moved, cloud)} points inside`);
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expect.poll(async () => JSON.parse((await list.first().getAttribute('data-exact'))!)).toEqual(drawn);
  await saved(page);

  // KITTI out, and the CLI reads it back: one cuboid, no physics error, and against the frame's gold pedestrian
  // one match whose bird's-eye IoU is the overlap of the two footprints worked out here (both are unturned).
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-kitti').click()]);
  const kitti = test.info().outputPath('street-kitti.txt');
  await download.saveAs(kitti);
  expect(readFileSync(kitti, 'utf8').trim().split('\n')).toHaveLength(1);
  const checked = JSON.parse(execFileSync(concordCli(), ['validate', '--rules', join(street, 'rules.json'), '--cuboids', kitti], { encoding: 'utf8' }));
  expect(checked.cuboids).toBe(1);
  expect(checked.violations.filter((v: any) => v.severity === 'error')).toEqual([]);
  const gold = test.info().outputPath('gold.json');
  writeFileSync(gold, JSON.stringify([{ ...person, frame: 0 }]));
  const tracked = JSON.parse(execFileSync(concordCli(), ['tracking', gold, kitti, '--iou', '0.3'], { encoding: 'utf8' }));
  const overlap = (k: number) => Math.max(0, Math.min(drawn.center[k] + drawn.size[k] / 2, person.center[k] + person.size[k] / 2)
    - Math.max(drawn.center[k] - drawn.size[k] / 2, person.center[k] - person.size[k] / 2));
  const inter = overlap(0) * overlap(1);
  const iou = inter / (drawn.size[0] * drawn.size[1] + person.size[0] * person.size[1] - inter);
  expect(tracked.matches).toBe(1);
  expect(Math.abs(tracked.motp - iou)).toBeLessThan(1e-6);

  // And back into the browser: the cuboid deleted, the KITTI file imported puts it back in frame 0 (to the file's
  // precision); a file that names a frame outside the sequence is refused whole, and nothing changes.
  await list.first().click();
  await page.keyboard.press('Delete');
  await expect(list).toHaveCount(0);
  await page.getByTestId('import-cuboids').setInputFiles(kitti);
  await expect(page.getByTestId('import-cuboids-done')).toContainText('Imported 1 cuboid from street-kitti.txt into 1 frame');
  await expect(list).toHaveCount(1);
  const back: Cuboid = JSON.parse((await list.first().getAttribute('data-exact'))!);
  expect(back.label).toBe('Pedestrian');
  for (const k of [0, 1, 2]) {
    expect(back.center[k]).toBeCloseTo(drawn.center[k], 2);
    expect(back.size[k]).toBeCloseTo(drawn.size[k], 2);
  }
  expect(back.yaw).toBeCloseTo(drawn.yaw, 2);
  const bad = test.info().outputPath('bad-kitti.txt');
  writeFileSync(bad, readFileSync(kitti, 'utf8').replace(/^\d+/, '99'));
  await page.getByTestId('import-cuboids').setInputFiles(bad);
  await expect(page.getByTestId('import-cuboids-problem')).toContainText('bad-kitti.txt');
  await expect(page.getByTestId('import-cuboids-problem')).toContainText('frame 99 is not in this sequence');
  await expect(list).toHaveCount(1);
  // The import is one edit of the frame: Ctrl+Z takes it back.
  await page.locator('.task h2').click();
  await page.keyboard.press('Control+z');
  await expect(list).toHaveCount(0);
});

/** Draws the cuboid's footprint corner to corner in the bird's-eye view. */
async function drawAround(page: Page, c: Cuboid) {
  const [x, y, l, w] = [c.center[0], c.center[1], c.size[0], c.size[1]];
  const a = await pixelOf(page, x + l / 2, y + w / 2);
  const b = await pixelOf(page, x - l / 2, y - w / 2);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
}

async function goToFrame(page: Page, frame: number) {
  await page.getByLabel('Go to task number').fill(String(frame + 1));
  await page.getByLabel('Go to task number').press('Enter');
  await expect(page.getByTestId('scene-frame')).toHaveText(`Frame ${frame}`);
  await page.getByTestId('scene-canvas').focus();
}

test('the sequence check in the worker counts the points inside cuboids of any frame, the open one or not', async ({ page }) => {
  await start(page, 'demo/street/');
  await expect(page).toHaveURL(/mode=scene/);
  const cloud = points();
  await expect(page.getByTestId('scene-points')).toHaveText(`${cloud.length / 4} points`);
  const person = goldFrame0.filter((c) => c.label === 'Pedestrian')
    .sort((a, b) => Math.hypot(a.center[0], a.center[1]) - Math.hypot(b.center[0], b.center[1]))[0];
  await page.keyboard.press('2');
  await drawAround(page, person);
  const list = page.getByTestId('region-list').locator('li');
  await expect(list).toHaveCount(1);
  // Narrowed to a 10 cm column by key: too few returns inside for its distance (12 at 10 m, fewer farther).
  for (let i = 0; i < 6; i++) await page.keyboard.press('s');
  for (let i = 0; i < 6; i++) await page.keyboard.press('a');
  const thin: Cuboid = JSON.parse((await list.first().getAttribute('data-exact'))!);
  const d = Math.hypot(thin.center[0], thin.center[1]);
  const need = Math.max(1, Math.floor(12 * (10 / Math.max(d, 10)) ** 2));
  const n = inside(thin, cloud);
  expect(n).toBeLessThan(need);
  // The open frame's own check says so, and so does the worker's check of the sequence, from the cloud it fetched.
  const own = page.getByTestId('violations').locator('li[data-rule="points"]');
  await expect(own).toContainText(`${n} points inside at ${d.toFixed(1)} m, at least ${need} expected`);
  const listed = page.getByTestId('sequence-checks').locator('li[data-frame="0"][data-rule="points"]');
  await expect(listed).toHaveCount(1);
  await expect(listed).toContainText(`${n} points inside`);
  // Seen from frame 1, frame 0's count is still the worker's; widened back by undo, it clears there too.
  await page.keyboard.press('Escape');
  await goToFrame(page, 1);
  await expect(listed).toHaveCount(1);
  await goToFrame(page, 0);
  for (let i = 0; i < 12; i++) await page.keyboard.press('Control+z');
  await expect(own).toHaveCount(0);
  await expect(listed).toHaveCount(0);
});

test('a track carried ten frames on is interpolated between its keyframes, and its KITTI file tracks the walker with no switch', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname.split('/').pop()!));
  await start(page, 'demo/street/');
  await expect(page).toHaveURL(/mode=scene/);
  await expect(page.getByTestId('scene-points')).not.toHaveText('0 points');
  // The walker on the right-hand sidewalk (track ped-1): the generator moves it 1.4 m/s along x, the car 6 m/s, so
  // in the sensor's frame it comes back 0.46 m a frame.
  const person = goldFrame0.find((c) => c.track_id === 'ped-1')!;
  await page.keyboard.press('2');
  await drawAround(page, person);
  const list = page.getByTestId('region-list').locator('li');
  await expect(list).toHaveCount(1);
  const drawn: Cuboid = JSON.parse((await list.first().getAttribute('data-exact'))!);
  await page.keyboard.press('Control+c');
  // Ten frames on, pasted on its track and moved to where the walker is: 4.6 m back.
  await goToFrame(page, 10);
  await expect(list).toHaveCount(0);
  await page.keyboard.press('Control+v');
  await expect(list).toHaveCount(1);
  for (let i = 0; i < 9; i++) await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('ArrowDown');
  const key: Cuboid = JSON.parse((await list.first().getAttribute('data-exact'))!);
  expect(key.track_id).toBe(drawn.track_id);
  expect(key.center[0]).toBeCloseTo(drawn.center[0] - 4.6, 9);
  // I fills frames 1–9; the timeline shows the two keyframes and the nine between.
  await page.keyboard.press('i');
  const timeline = page.getByTestId('track-timeline');
  await expect(timeline.locator('li.key')).toHaveCount(2);
  await expect(timeline.locator('li.interpolated')).toHaveCount(9);
  await expect(timeline.locator('li.key').first()).toHaveAttribute('data-frame', '0');
  await expect(timeline.locator('li.key').last()).toHaveAttribute('data-frame', '10');
  // Halfway, the box is halfway, marked interpolated: where the walker is (its motion is linear).
  await goToFrame(page, 5);
  await expect(list).toHaveCount(1);
  const mid: Cuboid & { interpolated?: boolean; frame?: number } = JSON.parse((await list.first().getAttribute('data-exact'))!);
  expect(mid.interpolated).toBe(true);
  expect(mid.frame).toBe(5);
  expect(mid.center[0]).toBeCloseTo(drawn.center[0] - 2.3, 9);
  expect(mid.center[1]).toBeCloseTo(drawn.center[1], 9);
  // C starts the next frame from this one: frame 6 gets nothing new (the track is there, interpolated); from frame
  // 10, frame 11 gets the walker as a keyframe, and the track's timeline grows by it.
  await page.keyboard.press('c');
  await goToFrame(page, 10);
  await page.keyboard.press('c');
  await goToFrame(page, 11);
  await expect(list).toHaveCount(1);
  const next: Cuboid & { interpolated?: boolean; frame?: number } = JSON.parse((await list.first().getAttribute('data-exact'))!);
  expect({ ...next, frame: 10 }).toEqual(key);
  await list.first().click();
  await expect(timeline.locator('li.key')).toHaveCount(3);
  await expect(timeline.locator('li.interpolated')).toHaveCount(9);
  // Carried unchanged, the walker moved with the car from frame 10 to 11: 6 m/s in the world, over a pedestrian's
  // 3 m/s. The sequence check (in the worker, over all frames) lists it from any frame, and its button opens it.
  const sequence = page.getByTestId('sequence-checks');
  const tooFast = sequence.locator('li[data-frame="11"][data-rule="pedestrian-speed"]');
  await goToFrame(page, 3);
  await expect(tooFast).toHaveCount(1);
  await expect(sequence.locator('li[data-rule="pedestrian-speed"]')).toHaveCount(1);
  await expect(tooFast.locator('a.section-link')).toHaveAttribute('href', '#motion');
  await tooFast.locator('button').click();
  await expect(page.getByTestId('scene-frame')).toHaveText('Frame 11');
  await page.getByTestId('scene-canvas').focus();
  await page.keyboard.press('Control+z');
  await expect(list).toHaveCount(0);
  // Undone, the sequence is clean again.
  await expect(sequence.locator('h3')).toHaveText(/^Sequence: no problems in the \d+ frames loaded$/);
  await expect(sequence.locator('li')).toHaveCount(0);
  // The 3D mode's worker did that (built with the scene code); annotator mode's was never fetched.
  expect(requests).toContain('concord-scene-worker_bg.wasm');
  expect(requests).not.toContain('concord-worker_bg.wasm');
  await saved(page);

  // KITTI out: eleven boxes of one track. The CLI tracks them against where the walker was in each frame.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-kitti').click()]);
  const kitti = test.info().outputPath('track-kitti.txt');
  await download.saveAs(kitti);
  expect(readFileSync(kitti, 'utf8').trim().split('\n')).toHaveLength(11);
  const truth = Array.from({ length: 11 }, (_, f) => ({
    ...person, frame: f, center: [person.center[0] - 0.46 * f, person.center[1], person.center[2]],
  }));
  const gold = test.info().outputPath('walker.json');
  writeFileSync(gold, JSON.stringify(truth));
  const tracked = JSON.parse(execFileSync(concordCli(), ['tracking', gold, kitti, '--iou', '0.3'], { encoding: 'utf8' }));
  expect(tracked.matches).toBe(11);
  expect(tracked.id_switches).toBe(0);
  expect(tracked.mota).toBe(1);
});

test('review mode reads a point-cloud batch: the 3D agreement per class and the tracks queue, as concord agreement and concord tracks say', async ({ page }) => {
  // Two annotators' logs over the five gold frames: one as the gold; the other splits the walker ped-1 into two
  // tracks from frame 2, boxes car-1 0.6 m forward (a lower IoU) and misses the cyclist in frame 4.
  const gold = readFileSync(join(street, 'gold.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const log = (who: string, change: (c: Cuboid & { frame: number }, frame: number) => (Cuboid | null)) => {
    const lines: string[] = [];
    let n = 0;
    for (const g of gold) {
      const frame = g.result.objects[0].frame;
      const objects = g.result.objects.map((c: any) => change({ ...c }, frame)).filter((c: any) => c);
      const event = (op: object) => JSON.stringify({ id: `${who}:${n++}`, at: 1_765_000_000_000 + n, annotator: who, task: g.task, guidelines: '1.0', op });
      lines.push(event({ type: 'set_result', result: { objects } }), event({ type: 'submit' }));
    }
    const file = test.info().outputPath(`${who}.jsonl`);
    writeFileSync(file, lines.join('\n') + '\n');
    return file;
  };
  const first = log('ann-1', (c) => c);
  const second = log('ann-2', (c, frame) => {
    if (c.track_id === 'ped-1' && frame >= 2) c.track_id = 'ped-1b';
    if (c.track_id === 'car-1') c.center = [c.center[0] + 0.6, c.center[1], c.center[2]];
    if (c.track_id === 'cyc-1' && frame === 4) return null;
    return c;
  });
  const cli = (args: string[]) => JSON.parse(execFileSync(concordCli(), [...args, '--bundle', street, first, second], { encoding: 'utf8' }));
  const agreement = cli(['agreement', '--replicates', '0']);
  const tracks = cli(['tracks']).tracks;
  // By hand: ann-1's ped-1 passes from ann-2's ped-1 to ped-1b at frame 2; the queue starts with it.
  expect(tracks[0]).toMatchObject({ annotator: 'ann-1', track: 'ped-1', id_switches: 1, switch_frames: [2], matched: 5, compared: 5 });

  await page.goto('./?mode=review&project=demo/street/');
  await page.getByTestId('import-files').setInputFiles([first, second]);
  const review = page.getByTestId('scene-review');
  await expect(review).toBeVisible({ timeout: 30_000 });
  // The headline and per-class F1s are the CLI's, to the three decimals shown.
  await expect(review.locator('[data-figure="f1_50"]').first()).toHaveText(agreement.f1_50.toFixed(3));
  for (const [label, l] of Object.entries<any>(agreement.per_label)) {
    const row = review.getByTestId('per-class').locator(`tr[data-label="${label}"]`);
    await expect(row.locator('[data-figure="f1_50"]')).toHaveText(l.f1_50.toFixed(3));
    await expect(row.locator('[data-figure="f1_75"]')).toHaveText(l.f1_75 === null ? '–' : l.f1_75.toFixed(3));
  }
  // The queue: the CLI's rows, in its order.
  const rows = review.getByTestId('tracks-queue').locator('tbody tr');
  await expect(rows).toHaveCount(tracks.length);
  const shown = await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-annotator'), tr.getAttribute('data-track'),
    Number(tr.getAttribute('data-switches')), Number(tr.getAttribute('data-matched')), Number(tr.getAttribute('data-compared'))]));
  expect(shown).toEqual(tracks.map((t: any) => [t.annotator, t.track, t.id_switches, t.matched, t.compared]));
  await expect(rows.first()).toContainText('1 (frames 2)');
  // The file saved is the CLI's JSON.
  const [download] = await Promise.all([page.waitForEvent('download'), review.getByTestId('save-tracks').click()]);
  const saved = test.info().outputPath('tracks.json');
  await download.saveAs(saved);
  // (Mean IoUs to 1e-9: the browser's sine and cosine are not the C library's.)
  const rounded = (ts: any[]) => ts.map((t) => ({ ...t, mean_iou: t.mean_iou === null ? null : Math.round(t.mean_iou * 1e9) }));
  expect(rounded(JSON.parse(readFileSync(saved, 'utf8')).tracks)).toEqual(rounded(tracks));
});

test('boxes drawn on the front camera\'s image are checked against its size, and leave as COCO and Label Studio files that the CLI writes alike and reads back', async ({ page }) => {
  type Box = { x: number; y: number; w: number; h: number; label: string };
  const gold0 = JSON.parse(readFileSync(join(street, 'gold.jsonl'), 'utf8').split('\n')[0]);
  const goldBoxes: Box[] = gold0.result.camera_objects;
  // The gold's largest pedestrian box in frame 0's image, drawn corner to corner.
  const person = goldBoxes.filter((b) => b.label === 'Pedestrian').sort((a, b) => b.w * b.h - a.w * a.h)[0];
  expect(person.x).toBeGreaterThan(20);
  await start(page, 'demo/street/');
  await expect(page).toHaveURL(/mode=scene/);
  await expect(page.getByTestId('scene-canvas')).toBeVisible();
  // P shows the front camera's image to draw on; the tabs say which is shown.
  await page.keyboard.press('p');
  await expect(page.getByTestId('scene-tab-0')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('scene-canvas')).toHaveCount(0);
  await expect(page.getByTestId('stage').locator('img')).toHaveAttribute('src', /frames\/000000\.svg$/);
  const canvas = page.getByTestId('box-canvas');
  const at = (await canvas.boundingBox())!;
  expect(Math.round(at.width)).toBe(640); // the camera's image size, at 100 %
  await page.keyboard.press('2'); // Pedestrian
  const [x0, y0] = [Math.round(person.x), Math.round(person.y)];
  const [x1, y1] = [Math.round(person.x + person.w), Math.round(person.y + person.h)];
  await page.mouse.move(at.x + x0, at.y + y0);
  await page.mouse.down();
  await page.mouse.move(at.x + x1, at.y + y1, { steps: 4 });
  await page.mouse.up();
  const list = page.getByTestId('region-list').locator('li');
  await expect(list).toHaveCount(1);
  await expect(list.first()).toHaveAttribute('data-label', 'Pedestrian');
  await expect(list.first()).toContainText(`x ${x0}, y ${y0}, ${x1 - x0}×${y1 - y0}`);
  await expect(page.getByTestId('box-count')).toHaveText('1 box');
  // The street's labels define no attributes: no empty attribute form under the image.
  await expect(page.getByTestId('attributes')).toHaveCount(0);
  await expect(page.getByTestId('no-violations')).toBeVisible();

  // Pushed off the image's left edge by key (10 px a press), it breaks the camera rule, checked against the
  // camera's 640 px, and links to its section; undone, the rule clears.
  const presses = Math.ceil(x0 / 10) + 1;
  for (let i = 0; i < presses; i++) await page.keyboard.press('Shift+ArrowLeft');
  const rule = page.getByTestId('violations').locator('li[data-rule="camera-box-inside"]');
  await expect(rule).toHaveCount(1);
  await expect(rule.locator('a.section-link')).toHaveAttribute('href', '#camera');
  await expect(rule).toContainText('640×360');
  for (let i = 0; i < presses; i++) await page.keyboard.press('Control+z');
  await expect(rule).toHaveCount(0);
  await expect(list.first()).toContainText(`x ${x0}, y ${y0}`);

  // P again: back to the point cloud, where the frame has no cuboid yet.
  await page.keyboard.press('p');
  await expect(page.getByTestId('scene-canvas')).toBeVisible();
  await expect(page.getByTestId('region-list').locator('li')).toHaveCount(0);
  await page.locator('button.submit').click();
  await expect(page.getByTestId('scene-frame')).toHaveText('Frame 1');
  await saved(page);

  // The files: COCO and Label Studio of the camera's side, and the log.
  const save = async (testid: string, name: string) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
    const path = test.info().outputPath(name);
    await d.saveAs(path);
    return { path, suggested: d.suggestedFilename() };
  };
  const coco = await save('export-coco', 'app-coco.json');
  const ls = await save('export-ls', 'app-ls.json');
  const log = await save('export-log', 'log.jsonl');
  expect(coco.suggested).toBe('street-lidar-front-coco.json');
  expect(ls.suggested).toBe('street-lidar-front-label-studio.json');
  const appCoco = JSON.parse(readFileSync(coco.path, 'utf8'));
  expect(appCoco.images).toEqual([{ id: 1, file_name: 'frames/000000.svg', width: 640, height: 360, concord_id: 'f000000' }]);
  expect(appCoco.annotations.map((a: any) => a.bbox)).toEqual([[x0, y0, x1 - x0, y1 - y0]]);
  const appLs = JSON.parse(readFileSync(ls.path, 'utf8'));
  const r = appLs[0].annotations[0].result[0];
  expect([appLs[0].data.concord_id, r.from_name, r.original_width, r.original_height]).toEqual(['f000000', 'camera_objects', 640, 360]);
  expect(r.value.x).toBeCloseTo((x0 * 100) / 640, 9);
  expect(r.value.height).toBeCloseTo(((y1 - y0) * 100) / 360, 9);

  // The CLI writes the same files from the log.
  const out = test.info().outputPath('cli');
  const cli = (args: string[]) => JSON.parse(execFileSync(concordCli(), args, { encoding: 'utf8' }));
  cli(['export', '--bundle', street, log.path, '--to', 'coco', join(out, 'coco')]);
  cli(['export', '--bundle', street, log.path, '--to', 'label-studio', join(out, 'ls')]);
  expect(JSON.parse(readFileSync(join(out, 'coco/front/Ada.json'), 'utf8'))).toEqual(appCoco);
  expect(JSON.parse(readFileSync(join(out, 'ls/front/label-studio.json'), 'utf8'))).toEqual(appLs);

  // Read back against frame 0's gold boxes: one of them matched, so F1 at IoU 0.5 is 2 / (1 + the gold's count).
  const goldFile = test.info().outputPath('gold0.jsonl');
  writeFileSync(goldFile, JSON.stringify({ task: gold0.task, annotator: 'gold', result: gold0.result }) + '\n');
  cli(['export', '--bundle', street, goldFile, '--to', 'coco', join(out, 'gold')]);
  const agreed = cli(['agreement', coco.path, join(out, 'gold/front/gold.json'), '--replicates', '0']);
  expect(agreed.images).toBe(1);
  expect(agreed.pairwise[0].f1_50).toBeCloseTo(2 / (1 + goldBoxes.length), 12);
});
