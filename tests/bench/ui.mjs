// The app's benchmark: drives the release build in headless Chromium over the generated bundles
// (target/bench-bundles, written by `cargo xtask bench --ui`) and reads the input-to-paint times the app itself
// records in `window.concordBench` (crates/app/src/perf.rs). Prints the figures and writes target/bench/ui.json.
// Nothing here asserts a time.
import { launch, serve } from './chromium.mjs';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const { server, base } = await serve(8383);
const browser = await launch();

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const r = { n: s.length, median: +q(0.5).toFixed(2), p95: +q(0.95).toFixed(2), max: +s[s.length - 1].toFixed(2) };
  // Of which script (the rest is the browser's style and layout).
  if (xs.script) r.script_median = stats(xs.script).median;
  return r;
};

async function fresh(project) {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.concordBench = [];
    window.concordParse = [];
    // Keep chunk-parse times apart from the per-action entries the measurements clear.
    const push = Array.prototype.push;
    window.concordBench.push = function (e) { if (e.kind === 'parse_slice' || e.kind === 'worker_decode') window.concordParse.push(e.ms); return push.call(this, e); };
    // The moment the first task is on screen, for the open-time figure.
    new MutationObserver((_, obs) => {
      if (document.querySelector('.task[data-task-id]')) { window.firstTaskAt = performance.now(); obs.disconnect(); }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`./?project=${project}`);
  await page.locator('.task[data-task-id]').waitFor({ timeout: 60_000 });
  return { context, page };
}

async function name(page) {
  await page.locator('#annotator-name').fill('Bench');
  await page.locator('#annotator-name').press('Enter');
  await page.locator('[data-testid="annotator-prompt"]').waitFor({ state: 'detached' });
}

/** Runs `act` n times; each must produce one timing entry of `kind`. Returns the times in ms. */
async function measure(page, n, kind, act) {
  const out = [];
  for (let i = 0; i < n; i++) {
    await page.evaluate(() => (window.concordBench.length = 0));
    await act(i);
    await page.waitForFunction((k) => window.concordBench.some((e) => e.kind === k), kind, { timeout: 20_000 }).catch(async (e) => {
      const seen = await page.evaluate(() => JSON.stringify(window.concordBench));
      throw new Error(`no ${kind} timing after action ${i} (recorded: ${seen}; scrollY ${await page.evaluate(() => scrollY)}): ${e.message}`);
    });
    const e = await page.evaluate((k) => window.concordBench.find((e) => e.kind === k), kind);
    out.push(e.ms);
    (out.script ??= []).push(e.script_ms);
  }
  return out;
}

const results = {};
const imports = {};
// `BENCH_ONLY=import node tests/bench/ui.mjs` runs one part (million, boxes, polygons, spans, import, scene, sequence).
const only = process.env.BENCH_ONLY;
const runs = (part) => !only || only === part;
try {

// 1,000,000 tasks in 100 chunks of 10,000.
if (runs('million')) {
  const opens = [];
  for (let i = 0; i < 3; i++) {
    const { context, page } = await fresh('/bench/million/');
    opens.push(await page.evaluate(() => window.firstTaskAt));
    if (i === 2) {
      await name(page);
      const next = await measure(page, 100, 'task', () => page.keyboard.press('PageDown'));
      // Across a chunk boundary: the next chunk (10,000 tasks) is fetched and parsed first.
      const jump = page.getByLabel('Go to task number');
      const boundary = [];
      for (const start of [10_000, 20_000, 30_000]) {
        await jump.fill(String(start));
        await jump.press('Enter');
        await page.locator(`.task[data-task-id="t${String(start - 1).padStart(7, '0')}"]`).waitFor({ timeout: 60_000 });
        await page.locator('.app').click({ position: { x: 5, y: 5 } });
        const t0 = await page.evaluate(() => performance.now());
        await page.keyboard.press('PageDown');
        await page.locator(`.task[data-task-id="t${String(start).padStart(7, '0')}"]`).waitFor({ timeout: 60_000 });
        boundary.push((await page.evaluate(() => performance.now())) - t0);
      }
      // How long each chunk of 10,000 tasks held the UI thread: decoding the worker's answer (or, without a
      // worker, each parsing slice).
      const parses = await page.evaluate(() => window.concordParse);
      results.million = { open_ms: stats(opens), next_task_ms: stats(next), next_across_chunk_ms: stats(boundary),
                          chunk_on_ui_thread_ms: stats(parses) };
    }
    await context.close();
  }
}

// 5,000 boxes on one image.
if (runs('boxes')) {
  const { context, page } = await fresh('/bench/boxes/');
  await name(page);
  await page.getByRole('button', { name: 'Accept pre-annotation' }).click();
  await page.locator('[data-testid="box-count"]', { hasText: '5000 boxes' }).waitFor();
  const select = await measure(page, 50, 'boxes', () => page.keyboard.press('Tab'));
  const move = await measure(page, 50, 'boxes', (i) => page.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight'));
  const add = await measure(page, 30, 'boxes', async (i) => {
    // Draw at the top-left of the image, in view: scroll the page and the stage home first.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.getByTestId('stage').evaluate((el) => { el.scrollTop = 0; el.scrollLeft = 0; });
    const canvas = await page.getByTestId('box-canvas').boundingBox();
    const x = canvas.x + 22 + (i % 10) * 40, y = canvas.y + 50 + Math.floor(i / 10) * 60;
    await page.keyboard.press('Escape');
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 12, y + 12, { steps: 2 });
    await page.evaluate(() => (window.concordBench.length = 0));
    await page.mouse.up();
  });
  results.boxes_5000 = { select_ms: stats(select), move_ms: stats(move), add_ms: stats(add) };
  await context.close();
}

// 1,000 polygons of 16 vertices on one image.
if (runs('polygons')) {
  const { context, page } = await fresh('/bench/polygons/');
  await name(page);
  await page.getByRole('button', { name: 'Accept pre-annotation' }).click();
  await page.locator('[data-testid="polygon-count"]', { hasText: '1000 polygons' }).waitFor();
  const select = await measure(page, 50, 'polygons', () => page.keyboard.press('Tab'));
  const move = await measure(page, 50, 'polygons', (i) => page.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight'));
  // Close a new 4-vertex polygon with Enter, in empty space between the grid's outlines (top-left, in view).
  const add = await measure(page, 20, 'polygons', async (i) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.getByTestId('stage').evaluate((el) => { el.scrollTop = 0; el.scrollLeft = 0; });
    const canvas = await page.getByTestId('polygon-canvas').boundingBox();
    const x = canvas.x + 95 + (i % 5) * 100, y = canvas.y + 115 + Math.floor(i / 5) * 120;
    await page.keyboard.press('Escape');
    for (const [dx, dy] of [[0, 0], [8, 0], [8, 8], [0, 8]]) await page.mouse.click(x + dx, y + dy);
    await page.evaluate(() => (window.concordBench.length = 0));
    await page.keyboard.press('Enter');
  });
  results.polygons_1000 = { select_ms: stats(select), move_ms: stats(move), add_ms: stats(add) };
  await context.close();
}

// 2,000 spans in one text.
// The model that learns in the browser, as shipped: the worker's own timings (it measures each job; the model bar
// carries them in data attributes). A text classifier over 100,000 texts in 20 classes (2^18 hashed features), and
// a span tagger on 1,000 sentences of 30 tokens, the region labeller on the shelf demo. Each submission is
// learned, then the next tasks are scored.
if (runs('learner')) {
  const timings = (page) => page.locator('.model-bar').evaluate((b) => ({
    open: +b.dataset.openMs, warm_up: +b.dataset.warmUpMs, learn: +b.dataset.learnMs,
    suggest: +b.dataset.suggestMs, rank: +b.dataset.rankMs }));
  const count = (page) => page.getByTestId('model-labels').innerText();
  async function submitAndLearn(page, keys) {
    const before = await count(page);
    for (const k of keys) await page.keyboard.press(k);
    await page.keyboard.press('Enter');
    await page.waitForFunction((b) => {
      const t = document.querySelector('[data-testid=model-labels]')?.textContent;
      return t && t !== b;
    }, before, { timeout: 20_000 });
    return timings(page);
  }
  const text = {};
  {
    const { context, page } = await fresh('/bench/learner/');
    await name(page);
    await page.getByTestId('model-labels').waitFor({ timeout: 120_000 });
    const first = await timings(page);
    const learn = [], suggest = [], rank = [];
    for (let k = 0; k < 30; k++) {
      const t = await submitAndLearn(page, [String(1 + (k % 9))]);
      learn.push(t.learn);
      if (k > 0) suggest.push(t.suggest);
    }
    // Most uncertain first over the 100,000 tasks, then re-ranked after each submission.
    await page.getByTestId('order-toggle').click();
    await page.locator('.task h2').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=order-toggle]')?.getAttribute('aria-pressed') === 'true');
    rank.push((await timings(page)).rank);
    for (let k = 0; k < 10; k++) rank.push((await submitAndLearn(page, ['2'])).rank);
    text.open_ms = +first.open.toFixed(1);
    text.warm_up_per_label_ms = +(first.warm_up / 200).toFixed(3);
    text.update_ms = stats(learn);
    text.score_per_task_ms = stats(suggest);
    text.rerank_100k_ms = stats(rank);
    await context.close();
  }
  const tagger = {};
  {
    const { context, page } = await fresh('/bench/tagger/');
    await name(page);
    await page.getByTestId('model-labels').waitFor({ timeout: 60_000 });
    const first = await timings(page);
    const learn = [];
    // The model's spans accepted (Shift+A), then submitted: one tagger update on a 30-token sentence.
    for (let k = 0; k < 30; k++) learn.push((await submitAndLearn(page, ['Shift+A'])).learn);
    // Most uncertain first over the 1,000 sentences (the least margin of any token), re-ranked after each submission.
    const rank = [];
    await page.getByTestId('order-toggle').click();
    await page.locator('.task h2').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=order-toggle]')?.getAttribute('aria-pressed') === 'true');
    rank.push((await timings(page)).rank);
    for (let k = 0; k < 10; k++) rank.push((await submitAndLearn(page, ['Shift+A'])).rank);
    tagger.warm_up_per_label_ms = +(first.warm_up / 200).toFixed(3);
    tagger.update_ms = stats(learn);
    tagger.rerank_1000_ms = stats(rank);
    await context.close();
  }
  // The region labeller on the shelf demo: 30 boxes drawn on each of 10 images, each image submitted. The worker's
  // suggestion for the open image after the 30th box, and its update on the submitted 30 boxes.
  const regions = {};
  {
    const { context, page } = await fresh('demo/shelf/');
    await name(page);
    await page.getByTestId('model-labels').waitFor({ timeout: 60_000 });
    const at = await page.getByTestId('box-canvas').boundingBox();
    const learn = [], suggest = [];
    for (let t = 0; t < 10; t++) {
      for (let k = 0; k < 30; k++) {
        const x = 10 + (k % 10) * 60, y = 10 + Math.floor(k / 10) * 120;
        await page.mouse.move(at.x + x, at.y + y);
        await page.mouse.down();
        await page.mouse.move(at.x + x + 20 + (k % 3) * 15, at.y + y + 30 + (k % 4) * 20, { steps: 2 });
        await page.mouse.up();
      }
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=region-list] li').length === 30);
      await page.waitForTimeout(300);
      suggest.push((await timings(page)).suggest);
      learn.push((await submitAndLearn(page, [])).learn);
    }
    regions.update_30_boxes_ms = stats(learn);
    regions.suggest_30_boxes_ms = stats(suggest);
    await context.close();
  }
  results.learner = { text, tagger, regions };
}

if (runs('spans')) {
  const { context, page } = await fresh('/bench/spans/');
  await name(page);
  await page.getByRole('button', { name: 'Accept pre-annotation' }).click();
  await page.locator('.seg.entity').nth(1999).waitFor();
  const select = await measure(page, 50, 'spans', () => page.keyboard.press('Tab'));
  const relabel = await measure(page, 30, 'spans', (i) => page.keyboard.press(String(1 + (i % 3))));
  // Add: click a plain word ("met"/"staff"/"then"), extend by one word, press a label key.
  const add = await measure(page, 20, 'spans', async (i) => {
    const p = await page.evaluate((i) => {
      const plain = Array.from(document.querySelectorAll('[data-testid="text-doc"] .seg:not(.entity)'));
      const seg = plain[2 + i * 7];
      seg.scrollIntoView({ block: 'center' });
      const r = document.createRange();
      r.setStart(seg.firstChild, 1);
      r.setEnd(seg.firstChild, 2);
      const b = r.getBoundingClientRect();
      return { x: b.left + 1, y: b.top + b.height / 2 };
    }, i);
    await page.keyboard.press('Escape');
    await page.mouse.click(p.x, p.y);
    await page.keyboard.press('Shift+ArrowRight');
    await page.evaluate(() => (window.concordBench.length = 0));
    await page.keyboard.press('1');
  });
  results.spans_2000 = { select_ms: stats(select), relabel_ms: stats(relabel), add_ms: stats(add) };
  await context.close();
}

// Review mode's import of big annotators' files through the import worker: a 100 MB Label Studio export and a
// 1,000,000-row CSV (generated here once, deterministically). The app reports the time and the worker's
// WebAssembly memory at the end (linear memory only grows: its peak).
if (runs('import')) {
  const dir = resolve(here, '../../target/bench-bundles/import');
  mkdirSync(dir, { recursive: true });
  const lsFile = resolve(dir, 'ls-100mb.json');
  const csvFile = resolve(dir, 'crowd-1e6.csv');
  // A tenth of it: under review mode's bound for intervals (100,000 labels), so its import includes them.
  const csvSmall = resolve(dir, 'crowd-1e5.csv');
  const labels = ['beverages', 'snacks', 'dairy', 'frozen', 'bakery'];
  if (!existsSync(lsFile)) {
    const out = createWriteStream(lsFile);
    let size = 0;
    out.write('[');
    for (let t = 0; size < 100e6; t++) {
      const annotations = [0, 1, 2, 3, 4].map((a) => ({
        id: t * 10 + a, completed_by: { id: a, email: `annotator${a}@example.com` },
        result: [{ id: `r${t}${a}`, from_name: 'category', to_name: 'image', type: 'choices', value: { choices: [labels[(t * 7 + a * (t % 3)) % 5]] } }],
        was_cancelled: false, ground_truth: false, created_at: '2026-11-01T10:00:00Z', lead_time: 12.5,
      }));
      const text = (t ? ',' : '') + JSON.stringify({ id: t, data: { image: `/data/img/${String(t).padStart(7, '0')}.jpg` }, annotations });
      size += text.length;
      if (!out.write(text)) await new Promise((ok) => out.once('drain', ok));
    }
    out.end(']');
    await new Promise((ok) => out.on('finish', ok));
  }
  if (!existsSync(csvFile)) {
    const lines = ['item,annotator,label'];
    for (let i = 0; i < 1_000_000; i++) lines.push(`i${Math.floor(i / 5)},a${(i * 7) % 50},l${(i * 13 + (i % 5)) % 20}`);
    writeFileSync(csvFile, lines.join('\n') + '\n');
  }
  if (!existsSync(csvSmall)) {
    const lines = ['item,annotator,label'];
    for (let i = 0; i < 100_000; i++) lines.push(`i${Math.floor(i / 5)},a${(i * 7) % 50},l${(i * 13 + (i % 5)) % 20}`);
    writeFileSync(csvSmall, lines.join('\n') + '\n');
  }
  // Three imports of each file in fresh pages (the figures vary by a third from run to run here): the median run
  // by time on the page is kept, with the range.
  for (const [name, file] of [['label_studio_100mb', lsFile], ['csv_1e6_rows', csvFile], ['csv_1e5_rows_with_intervals', csvSmall]]) {
   const runs = [];
   for (let run = 0; run < 3; run++) {
    const context = await browser.newContext({ baseURL: base });
    const page = await context.newPage();
    await page.goto('./?mode=review');
    await page.evaluate(() => {
      window.concordBench = [];
      // Every task that held the page's main thread for 50 ms or more during the import (the Long Tasks API).
      window.longTasks = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.longTasks.push(e.duration); })
        .observe({ type: 'longtask' });
    });
    let progress = 0;
    await page.exposeFunction('__progressSeen', () => { progress += 1; });
    await page.evaluate(() => new MutationObserver(() => window.__progressSeen()).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['value'] }));
    // The file is dropped on the import panel as a person drops it: a File the page already holds (fetched from the
    // benchmark bundles first, untimed, as a disk would hold it). Handing 100 MB to the page through the test driver
    // (`setInputFiles`) would time the driver. The clock runs in the page, from the drop until the review queue is
    // in the document: the worker's answer parsed, its table rebuilt and the dashboard shown.
    const url = `/bench/import/${file.split('/').pop()}`;
    await page.evaluate(async (url) => {
      const blob = await (await fetch(url)).blob();
      window.dropped = new File([blob], url.split('/').pop());
      window.longTasks = [];
      new MutationObserver((_, obs) => {
        if (document.querySelector('[data-testid="review-queue"]')) { window.queueShownAt = performance.now(); obs.disconnect(); }
      }).observe(document.body, { childList: true, subtree: true });
    }, url);
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(window.dropped);
      window.droppedAt = performance.now();
      document.querySelector('[data-testid="import-drop"]')
        .dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    const done = page.getByTestId('import-summary');
    await done.waitFor({ timeout: 600_000 });
    await page.getByTestId('review-queue').waitFor({ timeout: 600_000 });
    await page.waitForFunction(() => window.queueShownAt !== undefined);
    const wall = await page.evaluate(() => window.queueShownAt - window.droppedAt);
    const peak = done.locator('[data-figure="peak"]');
    runs.push({
      bytes: statSync(file).size,
      annotations: Number(await done.locator('.import-totals [data-figure="annotations"]').textContent()),
      millis: Number(await peak.getAttribute('data-millis')),
      // The agreement report with 1,000 bootstrap replicates for every interval, in the worker (0: none).
      intervals_ms: Number(await peak.getAttribute('data-intervals-millis')),
      page_millis: wall,
      // What the answer cost the page's thread: parsing it, and rebuilding the table from it.
      // From the drop: the worker's wasm running, the answer arrived (the rest of `millis` is reading and analysing).
      worker_started_ms: await page.evaluate(() => window.concordBench.find((e) => e.kind === 'import_worker_started')?.ms),
      answer_arrived_ms: await page.evaluate(() => window.concordBench.find((e) => e.kind === 'import_answer_arrived')?.ms),
      answer_parse_ms: await page.evaluate(() => window.concordBench.find((e) => e.kind === 'import_answer_parse')?.ms),
      table_rebuild_ms: await page.evaluate(() => window.concordBench.find((e) => e.kind === 'import_table_rebuild')?.ms),
      // The names, the table and the consensus rebuilt from the answer's columns, each step a task of its own.
      consensus_rebuild_ms: await page.evaluate(() => window.concordBench.find((e) => e.kind === 'import_consensus_rebuild')?.ms ?? 0),
      peak_wasm_bytes: Number(await peak.getAttribute('data-bytes')),
      longest_task_ms: await page.evaluate(() => Math.max(0, ...window.longTasks)),
      long_tasks: await page.evaluate(() => window.longTasks.length),
      progress_updates: progress,
    });
    await context.close();
   }
    runs.sort((a, b) => a.page_millis - b.page_millis);
    imports[name] = { ...runs[1], page_millis_range: [runs[0].page_millis, runs[2].page_millis] };
  }
}

// The 3D view on the street scanned at ~120,000 points a frame (target/bench-bundles/street): a full frame drawn
// still, a frame while orbiting (30,000 points), an edit from its key to its checks and cuboids drawn (and the draw
// within it), the next frame shown (its cloud prefetched). Draws are timed with gl.finish(): WebGL's calls return
// before the drawing is done. Chromium draws with SwiftShader here (no GPU): the cost per point is reported.
if (runs('scene')) {
  const { context, page } = await fresh('bench/street/&mode=scene');
  await name(page);
  const pointsText = page.locator('[data-testid="scene-points"]');
  await page.waitForFunction(() => !/^0 /.test(document.querySelector('[data-testid="scene-points"]')?.textContent ?? '0 '));
  const points = Number((await pointsText.innerText()).split(' ')[0]);
  const canvas = page.locator('[data-testid="scene-canvas"]');
  const box = await canvas.boundingBox();
  // Still: each switch of the view redraws the whole frame.
  const full = await measure(page, 20, 'full_frame', async () => page.keyboard.press('v'));
  // Orbiting: a drag in the orbit view draws the subsample at each move.
  if ((await page.locator('[data-testid="scene-mode"]').innerText()).startsWith('Bird')) await page.keyboard.press('v');
  const orbit = [];
  await page.evaluate(() => (window.concordBench.length = 0));
  await page.mouse.move(box.x + 200, box.y + 200);
  await page.mouse.down();
  for (let i = 0; i < 40; i++) await page.mouse.move(box.x + 200 + 6 * i, box.y + 200 + (i % 7));
  await page.mouse.up();
  orbit.push(...(await page.evaluate(() => window.concordBench.filter((e) => e.kind === 'orbit_frame').map((e) => e.ms))));
  // An edit: a cuboid drawn in the bird's-eye view, then moved by key.
  await page.keyboard.press('v');
  await page.mouse.move(box.x + box.width / 2 - 30, box.y + box.height / 2 - 40);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 30, box.y + box.height / 2 + 40, { steps: 3 });
  await page.mouse.up();
  const edit = await measure(page, 30, 'cuboid_edit', async (i) => page.keyboard.press(i % 2 ? 'ArrowUp' : 'ArrowDown'));
  const editDraw = await page.evaluate(() => window.concordBench.filter((e) => e.kind === 'cuboid_edit_draw').map((e) => e.ms));
  // min_points over the sequence: after each pause, the 3D mode's worker counts the points inside the moved cuboid
  // (its frame's cloud kept from the count before; the first count fetches and reads it).
  const counted = await measure(page, 6, 'sequence_check_count', async (i) => page.keyboard.press(i % 2 ? 'ArrowUp' : 'ArrowDown'));
  // The next frame (its cloud fetched ahead while this one is open).
  await page.keyboard.press('Escape');
  const next = await measure(page, 4, 'next_frame', async () => {
    await page.waitForTimeout(1500);
    await page.keyboard.press('ArrowRight');
  });
  const fullStats = stats(full);
  results.scene = {
    points, full_frame: fullStats, orbit_frame: stats(orbit), orbit_points: Math.min(points, 30000),
    edit: stats(edit), edit_draw_last: editDraw.at(-1), next_frame: stats(next), sequence_count: stats(counted),
    us_per_point_full: +((fullStats.median * 1000) / points).toFixed(3),
  };
  await context.close();
}

// The physics rules over a 1,000-frame sequence of 50 tracked cars (target/bench-bundles/sequence, the criterion
// benchmark's scene), in the 3D mode's worker as shipped: the log putting them in every frame imported, then a car
// moved by key, again and again; each pause in the edits checks the sequence. Reported: the engine's time in the
// worker, the page's share (gathering and writing the 50,000 cuboids), and the whole round trip.
if (runs('sequence')) {
  const { context, page } = await fresh('bench/sequence/&mode=scene');
  await name(page);
  await page.getByTestId('import-log').setInputFiles(resolve(here, '../../target/bench-bundles/sequence/log.jsonl'));
  await page.getByTestId('region-list').locator('li').first().waitFor({ timeout: 60_000 });
  const kinds = ['sequence_check_engine', 'sequence_check_send', 'sequence_check'];
  const seen = () => page.evaluate(() => window.concordBench.filter((e) => e.kind === 'sequence_check').length);
  await page.waitForFunction(() => window.concordBench.some((e) => e.kind === 'sequence_check'), null, { timeout: 60_000 });
  await page.evaluate(() => (window.concordBench.length = 0));
  await page.getByTestId('scene-canvas').focus();
  await page.keyboard.press('Tab');
  for (let i = 0; i < 15; i++) {
    const before = await seen();
    await page.keyboard.press(i % 2 ? 'ArrowUp' : 'ArrowDown');
    await page.waitForFunction((n) => window.concordBench.filter((e) => e.kind === 'sequence_check').length > n, before, { timeout: 30_000 });
  }
  const of = async (kind) => stats(await page.evaluate((k) => window.concordBench.filter((e) => e.kind === k).map((e) => e.ms), kind));
  const [engine, send, round] = await Promise.all(kinds.map(of));
  const found = Number(await page.getByTestId('sequence-checks').getAttribute('data-count'));
  results.sequence = { frames: 1000, cuboids: 50000, engine, send, round_trip: round, violations: found };
  await context.close();
}

} finally {
  await browser.close();
  server.kill();
}
mkdirSync(resolve(here, '../../target/bench'), { recursive: true });
// A partial run (BENCH_ONLY) replaces its own figures and keeps the others'.
const keep = (file, fresh) => {
  const path = resolve(here, '../../target/bench', file);
  const old = only && existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
  writeFileSync(path, JSON.stringify({ ...old, ...fresh }, null, 2) + '\n');
};
keep('ui.json', results);
keep('import.json', imports);
console.log(JSON.stringify({ ...results, import: imports }, null, 2));
