import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Review of spans (the news demo), boxes (the shelf demo) and polygons (the aerial demo): three annotators' Label Studio exports generated
// from the demos' gold, the consensus and the queue checked against a computation here, a fix, a rejection and an
// arbiter's choice, and the final files (span JSONL, CoNLL, COCO) checked line by line.

const root = path.resolve(__dirname, '../..');
const jsonl = (p: string) => fs.readFileSync(path.join(root, p), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

type Span = { start: number; end: number; label: string };
type Box = { x: number; y: number; w: number; h: number; label: string };

function cliPath(): string | null {
  for (const p of ['target/debug/concord', 'target/release/concord']) {
    if (fs.existsSync(path.join(root, p))) return path.join(root, p);
  }
  return null;
}

async function importFiles(page: Page, files: string[]) {
  await page.goto('/?mode=review');
  await page.getByTestId('import-files').setInputFiles(files);
  await expect(page.getByTestId('review-queue')).toBeVisible({ timeout: 30_000 });
}

async function download(page: Page, testid: string): Promise<string> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return fs.readFileSync(await d.path(), 'utf8');
}

const key = (s: Span) => `${s.start}:${s.end}:${s.label}`;
const sameSpans = (a: Span[], b: Span[]) => JSON.stringify(a.map(key).sort()) === JSON.stringify(b.map(key).sort());

test('spans: the queue, a fix, a rejection, the arbiter, and the final span JSONL and CoNLL', async ({ page }) => {
  const bin = cliPath();
  test.skip(bin === null, 'the concord binary is not built');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-spans-'));
  const texts = new Map(jsonl('www/demo/news/tasks/000.jsonl').map((t) => [t.id, t.data.text as string]));
  const gold = jsonl('www/demo/news/gold.jsonl').filter((g) => texts.has(g.task)).slice(0, 12);
  // Ana follows the gold; Ben misses the last entity of every third sentence; Cai cuts the first one short on
  // every other sentence.
  const versions: Record<string, Map<string, Span[]>> = { ana: new Map(), ben: new Map(), cai: new Map() };
  gold.forEach((g, i) => {
    const truth: Span[] = g.result.entities;
    versions.ana.set(g.task, truth);
    versions.ben.set(g.task, i % 3 === 0 ? truth.slice(0, -1) : truth);
    versions.cai.set(g.task, i % 2 === 0 ? [{ ...truth[0], end: truth[0].end - 1 }, ...truth.slice(1)] : truth);
  });
  const files = Object.entries(versions).map(([who, docs]) => {
    const tasks = [...docs].map(([id, spans]) => ({
      id, data: { text: texts.get(id) },
      annotations: [{ completed_by: { email: who }, result: spans.map((s) => ({
        from_name: 'entities', to_name: 'text', type: 'labels',
        value: { start: s.start, end: s.end, text: [...texts.get(id)!].slice(s.start, s.end).join(''), labels: [s.label] } })) }],
    }));
    const p = path.join(dir, `${who}.json`);
    fs.writeFileSync(p, JSON.stringify(tasks));
    return p;
  });
  // The consensus, computed here: the spans two of the three gave.
  const consensus = new Map(gold.map((g) => {
    const all = Object.values(versions).flatMap((v) => v.get(g.task)!);
    const counts = new Map<string, number>();
    for (const s of all) counts.set(key(s), (counts.get(key(s)) ?? 0) + 1);
    const kept = [...counts].filter(([, n]) => n >= 2).map(([k]) => { const [a, b, l] = k.split(':'); return { start: +a, end: +b, label: l }; });
    return [g.task, kept];
  }));
  const differing = Object.entries(versions).flatMap(([who, docs]) =>
    [...docs].filter(([id, spans]) => !sameSpans(spans, consensus.get(id)!)).map(([id]) => `${id}/${who}`));

  await importFiles(page, files);
  const agreement = JSON.parse(execFileSync(bin!, ['agreement', ...files], { encoding: 'utf8' }));
  await expect(page.locator('[data-figure="f1"]')).toHaveText(agreement.f1.toFixed(3));
  await expect(page.locator('[data-figure="overlap_f1"]')).toHaveText(agreement.overlap_f1.toFixed(3));
  // Each F1's interval over documents, the CLI's (the same seed and replicates).
  await expect(page.locator('[data-interval="f1"]')).toHaveText(`[${agreement.f1_interval.low.toFixed(3)}, ${agreement.f1_interval.high.toFixed(3)}]`);
  const queue = page.getByTestId('review-queue');
  await expect(queue.getByTestId('queue-count')).toHaveAttribute('data-total', String(differing.length));
  const rows = queue.locator('li.queue-row');
  const listed = await rows.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-item')}/${e.getAttribute('data-annotator')}`));
  expect(listed.sort()).toEqual([...differing].sort());

  // Fix the first: take the consensus; the reviewer's version shows beside the annotator's.
  const first = rows.nth(0);
  const [fixItem] = (await first.getAttribute('data-item'))!.split('/');
  await first.getByRole('button', { name: 'Fix…' }).click();
  await first.getByTestId('take-consensus').click();
  await first.getByTestId('review-save').click();
  await expect(first).toHaveAttribute('data-verdict', 'fixed');
  await expect(first.locator('[data-version="review"] mark')).toHaveCount(consensus.get(fixItem)!.length);
  // Reject the second (R key), a missed region.
  const second = rows.nth(1);
  const rejectItem = (await second.getAttribute('data-item'))!;
  await second.focus();
  await page.keyboard.press('r');
  await second.getByTestId('review-category').selectOption('missed_region');
  await second.getByTestId('review-save').click();
  await expect(second).toHaveAttribute('data-verdict', 'rejected');

  if (process.env.CONCORD_SCREENSHOTS) {
    await queue.evaluate((e) => e.scrollIntoView());
    const box = (await queue.boundingBox())!;
    await page.screenshot({ path: path.join(process.env.CONCORD_SCREENSHOTS, 'review-spans.png'), clip: { x: box.x, y: box.y, width: box.width, height: 560 } });
  }
  // The rejected item is in the pool; the arbiter takes Ana's version.
  const pick = page.getByTestId('arbitration').locator(`li.pool-item[data-item="${rejectItem}"]`);
  await pick.getByRole('radio').nth(1).check(); // consensus, ana, ben, cai
  await pick.getByLabel(`Reason for item ${rejectItem}`).fill('ana follows §2');
  await pick.getByRole('button', { name: 'Decide' }).click();
  await expect(pick.getByTestId('decided')).toHaveText(' Decided: ana (lead) — ana follows §2');

  // Final span JSONL: Ana's version for the decided item, the consensus elsewhere (the fix equals it).
  const finals = (await download(page, 'download-final-spans-jsonl')).trim().split('\n').map((l) => JSON.parse(l));
  expect(finals.map((f) => f.id)).toEqual(gold.map((g) => g.task));
  for (const f of finals) {
    const want = f.id === rejectItem ? versions.ana.get(f.id)! : consensus.get(f.id)!;
    expect(sameSpans(f.spans, want)).toBe(true);
    expect(f.text).toBe(texts.get(f.id));
  }
  // CoNLL: whitespace tokens, a token tagged by the span it overlaps, computed here for the decided item.
  const conll = await download(page, 'download-final-conll');
  const block = conll.split('\n\n').find((b) => b.startsWith(`# id = ${rejectItem}\n`))!;
  const chars = [...texts.get(rejectItem)!];
  const tokens: [string, number, number][] = [];
  let at = 0;
  for (const w of texts.get(rejectItem)!.split(/\s+/).filter(Boolean)) {
    while (/\s/.test(chars[at])) at++;
    const len = [...w].length;
    tokens.push([w, at, at + len]);
    at += len;
  }
  const tags = tokens.map(([, s, e]) => {
    const hit = versions.ana.get(rejectItem)!.find((x) => x.start < e && s < x.end);
    if (!hit) return 'O';
    const firstToken = tokens.find(([, s2, e2]) => hit.start < e2 && s2 < hit.end)!;
    return `${firstToken[1] === s ? 'B' : 'I'}-${hit.label}`;
  });
  expect(block).toBe(`# id = ${rejectItem}\n` + tokens.map(([w], k) => `${w}\t${tags[k]}`).join('\n'));
  // The reload keeps the verdicts and the decision.
  await page.reload();
  await page.getByTestId('import-files').setInputFiles(files);
  await expect(page.getByTestId('review-queue').getByTestId('queue-count')).toHaveAttribute('data-reviewed', '2');
  await expect(page.getByTestId('arbitration').locator(`li.pool-item[data-item="${rejectItem}"]`).getByTestId('decided')).toBeVisible();
});

test('boxes: the consensus drawn beside each version, and the final COCO file', async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-boxes-'));
  const tasks = new Map(jsonl('www/demo/shelf/tasks/000.jsonl').map((t) => [t.id, t.data]));
  const gold = jsonl('www/demo/shelf/gold.jsonl').filter((g) => tasks.has(g.task)).slice(0, 6);
  // Ana and Ben draw the gold boxes; Cai adds a stray price tag on every other image.
  const versions: Record<string, Map<string, Box[]>> = { ana: new Map(), ben: new Map(), cai: new Map() };
  gold.forEach((g, i) => {
    const truth: Box[] = g.result.objects.map((o: any) => ({ x: o.x, y: o.y, w: o.w, h: o.h, label: o.label }));
    versions.ana.set(g.task, truth);
    versions.ben.set(g.task, truth);
    versions.cai.set(g.task, i % 2 === 0 ? [...truth, { x: 5, y: 5, w: 20, h: 10, label: 'price_tag' }] : truth);
  });
  const files = Object.entries(versions).map(([who, docs]) => {
    const list = [...docs].map(([id, boxes]) => {
      const { width, height, image } = tasks.get(id);
      return {
        id, data: { image },
        annotations: [{ completed_by: { email: who }, result: boxes.map((b) => ({
          from_name: 'objects', to_name: 'image', type: 'rectanglelabels', original_width: width, original_height: height,
          value: { x: (100 * b.x) / width, y: (100 * b.y) / height, width: (100 * b.w) / width, height: (100 * b.h) / height, rectanglelabels: [b.label] } })) }],
      };
    });
    const p = path.join(dir, `${who}.json`);
    fs.writeFileSync(p, JSON.stringify(list));
    return p;
  });
  await importFiles(page, files);
  const queue = page.getByTestId('review-queue');
  await expect(queue.getByTestId('queue-count')).toHaveAttribute('data-total', String(Math.ceil(gold.length / 2)));
  const row = queue.locator('li.queue-row').first();
  await expect(row).toHaveAttribute('data-annotator', 'cai');
  const item = (await row.getAttribute('data-item'))!;
  // Cai's boxes solid, the consensus dashed: one box more.
  await expect(row.locator('svg g.given-box')).toHaveCount(versions.cai.get(item)!.length);
  await expect(row.locator('svg g.consensus-box')).toHaveCount(versions.ana.get(item)!.length);
  // Fix: remove the stray box (the last one).
  await row.getByRole('button', { name: 'Fix…' }).click();
  const last = versions.cai.get(item)!.length;
  await row.getByRole('button', { name: `Remove region ${last}` }).click();
  await expect(row.getByTestId('draft').locator('li')).toHaveCount(last - 1);
  await row.getByTestId('review-category').selectOption('extra_region');
  if (process.env.CONCORD_SCREENSHOTS) {
    await row.evaluate((e) => e.scrollIntoView());
    await row.screenshot({ path: path.join(process.env.CONCORD_SCREENSHOTS, 'review-boxes.png') });
  }
  await row.getByTestId('review-save').click();
  await expect(row).toHaveAttribute('data-verdict', 'fixed');

  const coco = JSON.parse(await download(page, 'download-final-coco-json'));
  expect(coco.images.map((i: any) => i.concord_id)).toEqual(gold.map((g) => g.task));
  for (const im of coco.images) {
    const { width, height, image } = tasks.get(im.concord_id);
    expect([im.file_name, im.width, im.height]).toEqual([image, width, height]);
    const got = coco.annotations.filter((a: any) => a.image_id === im.id);
    const want = versions.ana.get(im.concord_id)!;
    expect(got).toHaveLength(want.length);
    for (const b of want) {
      const a = got.find((x: any) => Math.abs(x.bbox[0] - b.x) < 1e-6 && Math.abs(x.bbox[1] - b.y) < 1e-6)!;
      expect(coco.categories.find((c: any) => c.id === a.category_id).name).toBe(b.label);
      a.bbox.forEach((v: number, j: number) => expect(v).toBeCloseTo([b.x, b.y, b.w, b.h][j], 6));
    }
  }
});

test('polygons: polygon F1 as the CLI computes it, the medoid consensus, a fix, and COCO segmentation', async ({ page }) => {
  const bin = cliPath();
  test.skip(bin === null, 'the concord binary is not built');
  type Poly = { points: [number, number][]; label: string };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-polygons-'));
  const tasks = new Map(jsonl('www/demo/aerial/tasks/000.jsonl').map((t) => [t.id, t.data]));
  const gold = jsonl('www/demo/aerial/gold.jsonl').filter((g) => tasks.has(g.task) && g.result.outlines.length > 1);
  // Ana and Ben trace the gold; Cai misses the first outline on every other tile.
  const versions: Record<string, Map<string, Poly[]>> = { ana: new Map(), ben: new Map(), cai: new Map() };
  gold.forEach((g, i) => {
    const truth: Poly[] = g.result.outlines;
    versions.ana.set(g.task, truth);
    versions.ben.set(g.task, truth);
    versions.cai.set(g.task, i % 2 === 0 ? truth.slice(1) : truth);
  });
  const files = Object.entries(versions).map(([who, docs]) => {
    const list = [...docs].map(([id, polys]) => {
      const { width, height, image } = tasks.get(id);
      return {
        id, data: { image },
        annotations: [{ completed_by: { email: who }, result: polys.map((p) => ({
          from_name: 'outlines', to_name: 'image', type: 'polygonlabels', original_width: width, original_height: height,
          value: { closed: true, points: p.points.map(([x, y]) => [(100 * x) / width, (100 * y) / height]), polygonlabels: [p.label] } })) }],
      };
    });
    const p = path.join(dir, `${who}.json`);
    fs.writeFileSync(p, JSON.stringify(list));
    return p;
  });
  await importFiles(page, files);
  const agreement = JSON.parse(execFileSync(bin!, ['agreement', ...files], { encoding: 'utf8' }));
  const drawn = Object.values(versions).reduce((n, m) => n + [...m.values()].reduce((k, v) => k + v.length, 0), 0);
  expect(agreement.boxes).toBe(drawn); // the report counts regions under `boxes` for boxes and polygons alike
  await expect(page.locator('[data-figure="f1_50"]')).toHaveText(agreement.f1_50.toFixed(3));
  await expect(page.locator('[data-figure="f1_75"]')).toHaveText(agreement.f1_75.toFixed(3));
  await expect(page.locator('[data-interval="f1_50"]')).toHaveText(`[${agreement.f1_50_interval.low.toFixed(3)}, ${agreement.f1_50_interval.high.toFixed(3)}]`);
  const queue = page.getByTestId('review-queue');
  await expect(queue.getByTestId('queue-count')).toHaveAttribute('data-total', String(Math.ceil(gold.length / 2)));
  const row = queue.locator('li.queue-row').first();
  await expect(row).toHaveAttribute('data-annotator', 'cai');
  const item = (await row.getAttribute('data-item'))!;
  await expect(row.locator('svg g.given-box')).toHaveCount(versions.cai.get(item)!.length);
  await expect(row.locator('svg g.consensus-box')).toHaveCount(versions.ana.get(item)!.length);
  // Fix: add the outline the consensus has and Cai missed.
  await row.getByRole('button', { name: 'Fix…' }).click();
  await row.getByTestId('add-consensus-region').click();
  await expect(row.getByTestId('draft').locator('li[data-region]')).toHaveCount(versions.ana.get(item)!.length);
  await row.getByTestId('review-category').selectOption('missed_region');
  await row.getByTestId('review-save').click();
  await expect(row).toHaveAttribute('data-verdict', 'fixed');

  // The final COCO file: every tile's outlines as the gold has them (the consensus of two identical tracings).
  const shoelace = (p: [number, number][]) =>
    Math.abs(p.reduce((s, q, i) => s + q[0] * p[(i + 1) % p.length][1] - p[(i + 1) % p.length][0] * q[1], 0)) / 2;
  const coco = JSON.parse(await download(page, 'download-final-coco-json'));
  expect(coco.images.map((i: any) => i.concord_id).sort()).toEqual(gold.map((g) => g.task).sort());
  for (const im of coco.images) {
    const got = coco.annotations.filter((a: any) => a.image_id === im.id);
    const want = versions.ana.get(im.concord_id)!;
    expect(got).toHaveLength(want.length);
    for (const p of want) {
      const a = got.find((x: any) => Math.abs(x.segmentation[0][0] - p.points[0][0]) < 1e-6 && Math.abs(x.segmentation[0][1] - p.points[0][1]) < 1e-6)!;
      expect(coco.categories.find((c: any) => c.id === a.category_id).name).toBe(p.label);
      a.segmentation[0].forEach((v: number, j: number) => expect(v).toBeCloseTo(p.points.flat()[j], 6));
      expect(a.area).toBeCloseTo(shoelace(p.points), 6);
    }
  }
});

test('other tools’ files in review mode: doccano spans, CVAT regions and YOLO folders, with the CLI’s figures', async ({ page }) => {
  const bin = cliPath();
  test.skip(bin === null, 'the concord binary is not built');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-tools-'));
  const fixtures = path.join(root, 'crates/engine/tests/tool-formats');
  // doccano, one file per annotator: bo labels "British" ORG where ann says MISC.
  const doccano = fs.readFileSync(path.join(fixtures, 'doccano-sequence-labeling.jsonl'), 'utf8');
  const spans = [path.join(dir, 'ann.jsonl'), path.join(dir, 'bo.jsonl')];
  fs.writeFileSync(spans[0], doccano);
  fs.writeFileSync(spans[1], doccano.replace('[11, 17, "MISC"]', '[11, 17, "ORG"]'));
  await importFiles(page, spans);
  const a = JSON.parse(execFileSync(bin!, ['agreement', ...spans], { encoding: 'utf8' }));
  await expect(page.locator('[data-figure="f1"]')).toHaveText(a.f1.toFixed(3));
  await expect(page.getByTestId('review-queue').getByTestId('queue-count')).toHaveAttribute('data-total', /[1-9]/);

  // CVAT for images, one file per annotator: the boxes (and polygons) compared as regions.
  const cvat = fs.readFileSync(path.join(fixtures, 'cvat-for-images-1.1.xml'), 'utf8');
  const boxes = [path.join(dir, 'cy.xml'), path.join(dir, 'dee.xml')];
  fs.writeFileSync(boxes[0], cvat);
  fs.writeFileSync(boxes[1], cvat.replace('xtl="10"', 'xtl="25"'));
  await importFiles(page, boxes);
  const b = JSON.parse(execFileSync(bin!, ['agreement', ...boxes, '--replicates', '0'], { encoding: 'utf8' }));
  await expect(page.locator('[data-figure="f1_50"]')).toHaveText(b.f1_50.toFixed(3));

  // YOLO: a folder of annotators' folders, each with classes.txt and labels/ (one label file per image).
  const yoloRoot = path.join(dir, 'yolo');
  const boxesOf: Record<string, Record<string, string>> = {
    ann: { a: '1 0.35 0.35 0.5 0.5\n0 0.8 0.8 0.2 0.2\n', b: '1 0.5 0.5 0.4 0.4\n' },
    bo: { a: '1 0.45 0.35 0.3 0.5\n', b: '1 0.5 0.5 0.4 0.4\n0 0.1 0.1 0.1 0.1\n' },
  };
  const labelFiles: string[] = [];
  for (const [who, files] of Object.entries(boxesOf)) {
    fs.mkdirSync(path.join(yoloRoot, who, 'labels'), { recursive: true });
    fs.writeFileSync(path.join(yoloRoot, who, 'classes.txt'), 'truck\ncar\n');
    for (const [image, text] of Object.entries(files)) {
      const p = path.join(yoloRoot, who, 'labels', `${image}.txt`);
      fs.writeFileSync(p, text);
      labelFiles.push(p);
    }
  }
  await page.goto('/?mode=review');
  await page.getByTestId('import-folders').setInputFiles(yoloRoot);
  await expect(page.getByTestId('review-queue')).toBeVisible({ timeout: 30_000 });
  const y = JSON.parse(execFileSync(bin!, ['agreement', ...labelFiles, '--replicates', '0'], { encoding: 'utf8' }));
  expect(y.pairwise[0].a).toBe('ann');
  await expect(page.locator('[data-figure="f1_50"]')).toHaveText(y.f1_50.toFixed(3));
  await expect(page.locator('[data-figure="f1_75"]')).toHaveText(y.f1_75.toFixed(3));
});
