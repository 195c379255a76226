import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { changedSections, saved, start } from './helpers';

// The three-role workflow on the retail demo project, end to end in one browser session:
//   lead      — pilot (round 1 fails the project's gate, calibration by guideline section, a guideline version is
//               recorded; round 2 passes), production import with hidden honeypots, the dashboard;
//   reviewer  — the review queue (accept, fix & accept, reject), the QC sample;
//   arbiter   — the arbitration pool (including what review and QC sent), the final files.
// Three annotators' files are generated here from the demo's tasks; every number the page shows is checked
// against the `concord` CLI on the same files, or against a computation made here.
// With CONCORD_SCREENSHOTS=<dir> the test also writes the review screenshots used in the docs.

const root = path.resolve(__dirname, '../..');
const project = JSON.parse(fs.readFileSync(path.join(root, 'www/demo/retail/project.json'), 'utf8'));
const labels: string[] = project.schema.controls[0].labels.map((l: any) => l.value);
const sectionOf: Record<string, string> = Object.fromEntries(project.schema.controls[0].labels.map((l: any) => [l.value, l.section]));
const taskIds: string[] = project.tasks.flatMap((c: any) =>
  fs.readFileSync(path.join(root, 'www/demo/retail', c.path), 'utf8').trim().split('\n').map((l) => JSON.parse(l).id));
const trainingGold: Record<string, string> = Object.fromEntries(
  fs.readFileSync(path.join(root, 'www/demo/retail/gold.jsonl'), 'utf8').trim().split('\n')
    .map((l) => JSON.parse(l)).map((g) => [g.task, g.result.category[0]]));
const PILOT = project.workflow.pilot.size as number;
const MIN_ALPHA = project.workflow.pilot.min_agreement as number;

/** The simulated truth: the demo's gold where it has one, else a fixed label per task. */
function truth(i: number): string {
  return trainingGold[taskIds[i]] ?? labels[(i * 7 + 3) % labels.length];
}

/** A plausible mistake: the pair the guideline's edge cases are about (milk ↔ juice), else the next label. */
function mistake(label: string): string {
  if (label === 'milk') return 'juice';
  if (label === 'juice') return 'milk';
  return labels[(labels.indexOf(label) + 1) % labels.length];
}

type Row = { item: string; annotator: string; label: string; time: number; version: string };
const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

function labelStudio(rows: Row[]): string {
  const byItem = new Map<string, Row[]>();
  for (const r of rows) byItem.set(r.item, [...(byItem.get(r.item) ?? []), r]);
  return JSON.stringify([...byItem].map(([item, list]) => ({
    id: item, data: { image: `images/${item}.svg` },
    annotations: list.map((r) => ({
      completed_by: { email: r.annotator }, created_at: iso(r.time), guideline_version: r.version,
      result: [{ from_name: 'category', to_name: 'image', type: 'choices', value: { choices: [r.label] } }],
    })),
  })));
}

const csv = (rows: Row[]) => 'item,annotator,label,time,guideline_version\n' +
  rows.map((r) => `${r.item},${r.annotator},${r.label},${iso(r.time)},${r.version}`).join('\n') + '\n';

const ANNOTATORS = ['ana', 'ben', 'cai'];

/** Pilot round 1 (guideline 1.0): Ben swaps milk and juice and slips on every third task, Cai on every fourth. */
function pilot(round: 1 | 2): Row[] {
  const start = Date.UTC(2026, 10, round === 1 ? 9 : 11, 9) / 1000;
  const rows: Row[] = [];
  for (let i = 0; i < PILOT; i++) {
    for (const [k, a] of ANNOTATORS.entries()) {
      const t = truth(i);
      const wrong = round === 1
        ? (a === 'ben' && (i % 3 === 0 || t === 'milk' || t === 'juice')) || (a === 'cai' && i % 4 === 1)
        : a === 'ben' && i === 5;
      rows.push({ item: taskIds[i], annotator: a, label: wrong ? mistake(t) : t, time: start + 60 * i + 7 * k, version: round === 1 ? '1.0' : '1.1' });
    }
  }
  return rows;
}

/** Production: the other 180 tasks over two days, everyone on every task (the project's overlap is 3). Cai drifts
 * on day two; Ana works every 40 s, Ben every 60 s, Cai every 50 s, each with an hour's lunch break. */
function production(): Row[] {
  const rows: Row[] = [];
  const pace: Record<string, number> = { ana: 40, ben: 60, cai: 50 };
  const n = taskIds.length - PILOT;
  for (const a of ANNOTATORS) {
    for (let j = 0; j < n; j++) {
      const i = PILOT + j;
      const day = j < n / 2 ? 0 : 1;
      const k = j - day * (n / 2);
      const time = Date.UTC(2026, 10, 16 + day, 9) / 1000 + pace[a] * k + (k >= 45 ? 3600 : 0);
      const wrong = a === 'ana' ? j % 20 === 4 : a === 'ben' ? j % 10 === 6 : day === 0 ? j % 20 === 11 : j % 5 === 1 || j % 5 === 2;
      rows.push({ item: taskIds[i], annotator: a, label: wrong ? mistake(truth(i)) : truth(i), time, version: '1.1' });
    }
  }
  return rows;
}

function write(dir: string, name: string, text: string) {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

function cliPath(): string | null {
  for (const p of ['target/debug/concord', 'target/release/concord']) {
    if (fs.existsSync(path.join(root, p))) return path.join(root, p);
  }
  return null;
}

/** Items per hour of work as the dashboard defines it, computed here: gaps up to 30 min are work. */
function perHour(times: number[]): number {
  const t = [...times].sort((a, b) => a - b);
  let active = 0, timed = 0;
  for (let k = 1; k < t.length; k++) {
    const gap = t[k] - t[k - 1];
    if (gap <= 1800) { active += gap; timed++; }
  }
  return (timed * 3600) / active;
}

/** Imports `files` and waits for their summary and the saved review work (the last file named in the table). */
async function importInto(page: Page, files: string[]) {
  await page.getByTestId('import-files').setInputFiles(files);
  const last = path.basename(files[files.length - 1]);
  await expect(page.getByTestId('import-summary').locator(`tr[data-file="${last}"]`)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('review-queue')).toBeVisible();
}

async function download(page: Page, testid: string): Promise<string> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return fs.readFileSync(await d.path(), 'utf8');
}

test('pilot → gate → review → QC → arbitration → export on the retail demo, every figure as the CLI has it', async ({ page }) => {
  test.setTimeout(180_000);
  const bin = cliPath();
  test.skip(bin === null, 'the concord binary is not built');
  const cli = (args: string[]) => JSON.parse(execFileSync(bin!, args, { encoding: 'utf8' }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-workflow-'));
  const shots = process.env.CONCORD_SCREENSHOTS;

  await page.goto('/?mode=review&project=demo/retail/');
  await expect(page.getByTestId('review-project')).toContainText(`Project: ${project.name} — guideline version 1.0; pilot minimum α ${MIN_ALPHA}`);

  // ---- Lead: pilot round 1, from Label Studio exports. The gate stays shut at the project's minimum.
  const round1 = pilot(1);
  const pilotFiles = ANNOTATORS.map((a) => write(dir, `pilot1-${a}.json`, labelStudio(round1.filter((r) => r.annotator === a))));
  await importInto(page, pilotFiles);
  const alpha1 = cli(['agreement', ...pilotFiles]).krippendorff_alpha.nominal;
  expect(alpha1).toBeLessThan(MIN_ALPHA);
  await expect(page.locator('[data-figure="alpha"]')).toHaveText(alpha1.toFixed(3));
  const gate = page.getByTestId('pilot-gate');
  await expect(gate.getByLabel('Minimum agreement')).toHaveValue(String(MIN_ALPHA));
  await expect(gate.getByRole('status')).toHaveAttribute('data-open', 'false');
  // Calibration: the disagreements by the guideline sections of the labels given, counted here.
  const bySection = new Map<string, number>();
  for (let i = 0; i < PILOT; i++) {
    const given = round1.filter((r) => r.item === taskIds[i]).map((r) => r.label);
    if (new Set(given).size < 2) continue;
    for (const s of new Set(given.map((l) => sectionOf[l]))) bySection.set(s, (bySection.get(s) ?? 0) + 1);
  }
  await expect(gate.getByTestId('calibration')).toBeVisible();
  const shown = await gate.getByTestId('calibration').locator('li').evaluateAll((els) =>
    els.map((e) => [e.getAttribute('data-section'), Number(e.getAttribute('data-items'))]));
  expect(new Map(shown as [string, number][])).toEqual(bySection);
  await expect(gate.getByTestId('calibration').locator('li[data-section="#dairy"]')).toContainText('milk vs juice');
  // The calibration meeting's outcome: guideline 1.1.
  await gate.getByLabel('New guideline version').fill('1.1');
  await gate.getByLabel('What changed in the guideline').fill('a carton reading JUICE is juice, not milk');
  await gate.getByRole('button', { name: 'Record version' }).click();
  await expect(gate.getByTestId('version-bumps').locator('li[data-version="1.1"]')).toContainText('a carton reading JUICE is juice');
  if (shots) await page.screenshot({ path: path.join(shots, 'review-pilot.png'), fullPage: true, clip: { x: 0, y: 0, width: 1360, height: 1100 } });
  // The change to 1.1 sends back the pilot labels it touches: those whose label's section changed in the
  // project's guideline history (worked out here from the two files), made under 1.0 — every one at 100 %.
  const history = project.guidelines.history.at(-1);
  const touched = changedSections(
    fs.readFileSync(path.join(root, 'www/demo/retail', history.path), 'utf8'),
    fs.readFileSync(path.join(root, 'www/demo/retail', project.guidelines.path), 'utf8'));
  const touchedLabels = labels.filter((l) => touched.has(sectionOf[l]));
  const requeue = page.getByTestId('requeue');
  const checked = await requeue.locator('input[type="checkbox"]:checked').evaluateAll((els) => els.map((e) => e.getAttribute('data-label')));
  const given = new Set(round1.map((r) => r.label));
  expect(checked.sort()).toEqual(touchedLabels.filter((l) => given.has(l)).sort());
  const backItems = new Set(round1.filter((r) => touchedLabels.includes(r.label)).map((r) => r.item));
  await expect(requeue.getByTestId('requeue-count')).toHaveAttribute('data-guideline', String(backItems.size));
  const listed = await requeue.locator('li[data-trigger="guideline_change"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-item')));
  expect(listed.sort()).toEqual([...backItems].sort());
  // Why is one of them back? To whom, why, and which sections of the guideline changed for its labels.
  const one = [...backItems].sort()[0];
  await requeue.getByTestId('explain-item').fill(one);
  const why = requeue.getByTestId('explanation');
  const itsLabels = [...new Set(round1.filter((r) => r.item === one).map((r) => r.label))];
  const itsChanged = [...new Set(itsLabels.filter((l) => touched.has(sectionOf[l])).map((l) => `${sectionOf[l]} (defines \`${l}\`)`))].sort();
  await expect(why.getByTestId('explanation-changed')).toHaveText(`Guideline ${history.version} → ${project.guidelines.version}: changed ${itsChanged.join(', ')}`);
  // One line per item, sent to anyone, naming a touched label it was given under 1.0.
  const line = why.locator('li[data-trigger="guideline_change"]');
  await expect(line).toHaveCount(1);
  await expect(line).toContainText('to anyone: labelled `');
  const named = (await line.textContent())!.match(/labelled `([^`]+)` under guideline 1\.0/)![1];
  expect(itsLabels.filter((l) => touchedLabels.includes(l))).toContain(named);

  // ---- Pilot round 2 under 1.1: the gate opens.
  const round2 = pilot(2);
  const pilot2 = ANNOTATORS.map((a) => write(dir, `pilot2-${a}.json`, labelStudio(round2.filter((r) => r.annotator === a))));
  await importInto(page, pilot2);
  const alpha2 = cli(['agreement', ...pilot2]).krippendorff_alpha.nominal;
  expect(alpha2).toBeGreaterThanOrEqual(MIN_ALPHA);
  await expect(page.locator('[data-figure="alpha"]')).toHaveText(alpha2.toFixed(3));
  await expect(gate.getByRole('status')).toHaveAttribute('data-open', 'true');
  await expect(gate.getByText('Guideline version now: 1.1.')).toBeVisible();

  // ---- Production: three annotators' CSVs with times and versions, and the hidden honeypots (every other task).
  const prod = production();
  const files = ANNOTATORS.map((a) => write(dir, `${a}.csv`, csv(prod.filter((r) => r.annotator === a))));
  const honeypots = taskIds.slice(PILOT).filter((_, j) => j % 2 === 0).map((id) => `${id},${truth(taskIds.indexOf(id))}`);
  const gold = write(dir, 'honeypots.csv', 'item,label\n' + honeypots.join('\n') + '\n');
  // One file of the same labels for the CLI commands that take one (drift, sample), in item order.
  const sorted = [...prod].sort((a, b) => a.item.localeCompare(b.item) || a.annotator.localeCompare(b.annotator));
  const combined = write(dir, 'all.csv', csv(sorted));
  await importInto(page, [...files, gold]);

  // Dashboard figures against the CLI.
  const agreement = cli(['agreement', ...files]);
  await expect(page.locator('[data-figure="alpha"]')).toHaveText(agreement.krippendorff_alpha.nominal.toFixed(3));
  for (const p of agreement.pairwise) {
    await expect(page.getByTestId('chart-pairwise').locator(`g.cell[data-row="${p.a}"][data-col="${p.b}"]`))
      .toHaveAttribute('data-value', p.cohen_kappa.toFixed(2));
  }
  const scored = cli(['gold', ...files, '--gold', gold]);
  for (const [name, acc] of Object.entries<any>(scored.annotators)) {
    await expect(page.getByTestId('chart-gold').locator(`g.bar[data-label="${name}"]`)).toHaveAttribute('data-value', acc.accuracy.toFixed(2));
  }
  // What review mode opens with is `concord review`: the consensus's estimated accuracies, the gold, the pool.
  const review = cli(['review', ...files, '--gold', gold]);
  expect(review.agreement.krippendorff_alpha.nominal).toBe(agreement.krippendorff_alpha.nominal);
  for (const [name, est] of Object.entries<any>(review.consensus.annotators)) {
    await expect(page.getByTestId('chart-ds').locator(`g.bar[data-label="${name}"]`)).toHaveAttribute('data-value', est.accuracy.toFixed(2));
  }
  for (const [name, acc] of Object.entries<any>(review.gold.annotators)) {
    await expect(page.getByTestId('chart-gold').locator(`g.bar[data-label="${name}"]`)).toHaveAttribute('data-value', acc.accuracy.toFixed(2));
  }
  await expect(page.getByTestId('arbitration').locator('h2')).toContainText(`Arbitration: ${review.pool_size} items below`);
  const poolItems = await page.getByTestId('arbitration').locator('li.pool-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-item')));
  expect(poolItems).toEqual(review.pool.map((p: any) => p.item));
  // Accuracy over time, by day: every window of every annotator as `concord drift`, and Cai's drop flagged.
  const drift = cli(['drift', combined, '--gold', gold, '--window', 'day']);
  const timeChart = page.getByTestId('chart-accuracy-time');
  for (const a of ANNOTATORS) {
    const points = timeChart.locator(`g.series[data-series="${a}"] g.point`);
    const windows = drift.annotators[a].windows;
    await expect(points).toHaveCount(windows.length);
    for (const [k, w] of windows.entries()) {
      await expect(points.nth(k)).toHaveAttribute('data-value', w.accuracy.toFixed(4));
      await expect(points.nth(k)).toHaveAttribute('data-flagged', String(w.flagged));
      await expect(points.nth(k)).toHaveAttribute('data-time', String(w.end));
    }
  }
  expect(drift.annotators.cai.flagged).toBe(1);
  await expect(page.getByTestId('drift-flagged')).toHaveText('Drift: cai');
  // Cai's labels since the start of the flagged day come back, and nobody else's.
  const dropFrom = drift.annotators.cai.windows.find((w: any) => w.flagged).start;
  const caiBack = prod.filter((r) => r.annotator === 'cai' && r.time >= dropFrom);
  await expect(page.getByTestId('requeue-count')).toHaveAttribute('data-drift', String(caiBack.length));
  const drifted = await page.locator('[data-testid="requeue"] li[data-trigger="drift"]').evaluateAll((els) =>
    els.map((e) => [e.getAttribute('data-item'), e.getAttribute('data-annotator')]));
  expect(drifted.slice(0, 5).every(([, a]) => a === 'cai')).toBe(true);
  const requeueText = await download(page, 'download-requeue');
  const requeuePath = write(dir, 'requeue.jsonl', requeueText);
  const file = requeueText.trim().split('\n').map((l) => JSON.parse(l));
  expect(file.filter((r: any) => r.trigger === 'drift').map((r: any) => r.task).sort()).toEqual(caiBack.map((r) => r.item).sort());
  await expect(timeChart.locator('g.marker')).toHaveCount(1);
  await expect(timeChart.locator('g.marker[data-version="1.1"]')).toHaveCount(1);
  // Throughput, computed here from the same times.
  for (const a of ANNOTATORS) {
    const rate = perHour(prod.filter((r) => r.annotator === a).map((r) => r.time));
    await expect(page.getByTestId('chart-throughput').locator(`g.bar[data-label="${a}"] title`))
      .toHaveText(new RegExp(`^${a}: ${rate.toFixed(1)} items/h · 180 labels`));
  }
  // The calculator at one label per item predicts exactly the measured (pooled) accuracy on gold.
  const pooled = Object.values<any>(scored.annotators).reduce((s, x) => [s[0] + x.correct, s[1] + x.items], [0, 0]);
  await expect(page.getByTestId('calculator').locator('tr[data-overlap="1"]')).toHaveAttribute('data-accuracy', (pooled[0] / pooled[1]).toFixed(4));
  // All production labels were made under 1.1: one bar, the pooled accuracy.
  await expect(page.getByTestId('chart-by-version').locator('g.bar')).toHaveCount(1);
  await expect(page.getByTestId('chart-by-version').locator('g.bar[data-label="v1.1"]')).toHaveAttribute('data-value', (pooled[0] / pooled[1]).toFixed(2));
  if (shots) {
    await page.getByTestId('over-time').scrollIntoViewIfNeeded();
    await page.getByTestId('over-time').screenshot({ path: path.join(shots, 'review-over-time.png') });
  }

  // ---- Reviewer: the queue holds the labels against the Dawid–Skene consensus (the CLI's consensus file).
  const consensusFile = path.join(dir, 'consensus.csv');
  cli(['aggregate', ...files, '--method', 'ds', '--out', consensusFile]);
  const consensus = new Map(fs.readFileSync(consensusFile, 'utf8').trim().split('\n').slice(1).map((l) => {
    const [item, label, confidence] = l.split(',');
    return [item, { label, confidence }];
  }));
  const against = prod.filter((r) => consensus.get(r.item)!.label !== r.label);
  const queue = page.getByTestId('review-queue');
  await expect(queue.getByTestId('queue-count')).toHaveAttribute('data-total', String(against.length));
  const rows = queue.locator('li.queue-row');
  const entry = async (k: number) => ({ item: (await rows.nth(k).getAttribute('data-item'))!, annotator: (await rows.nth(k).getAttribute('data-annotator'))! });
  const [accepted, fixed, rejected] = [await entry(0), await entry(1), await entry(2)];
  // Keyboard: A accepts the focused row.
  await rows.nth(0).focus();
  await page.keyboard.press('a');
  await expect(rows.nth(0)).toHaveAttribute('data-verdict', 'accepted');
  // Fix & accept: the consensus label is offered, the section prefilled from the project's schema.
  const fixTo = consensus.get(fixed.item)!.label;
  await rows.nth(1).getByRole('button', { name: 'Fix…' }).click();
  await expect(rows.nth(1).getByTestId('fix-label')).toHaveValue(fixTo);
  await expect(rows.nth(1).getByTestId('review-section')).toHaveValue(sectionOf[fixTo]);
  await rows.nth(1).getByTestId('review-comment').fill('the text on the pack decides');
  await rows.nth(1).getByTestId('review-save').click();
  await expect(rows.nth(1)).toHaveAttribute('data-verdict', 'fixed');
  await expect(rows.nth(1).getByTestId('reviewer-version')).toHaveText(`Review: fixed → ${fixTo}`);
  // Reject with R: a guideline misinterpretation.
  await rows.nth(2).focus();
  await page.keyboard.press('r');
  await rows.nth(2).getByTestId('review-category').selectOption('guideline_misinterpretation');
  await rows.nth(2).getByTestId('review-save').click();
  await expect(rows.nth(2)).toHaveAttribute('data-verdict', 'rejected');
  await expect(queue.getByTestId('queue-count')).toHaveAttribute('data-reviewed', '3');
  if (shots) {
    await queue.evaluate((e) => e.scrollIntoView());
    const box = (await queue.boundingBox())!;
    await page.screenshot({ path: path.join(shots, 'review-queue.png'), clip: { x: box.x, y: box.y, width: box.width, height: 520 } });
  }

  // ---- QC: the project's 10 % with its seed — the same items as `concord sample` — two of them failed.
  const sample = cli(['sample', combined, '--rate', String(project.workflow.qc_sample_rate), '--seed', String(project.workflow.seed)]);
  const qc = page.getByTestId('qc');
  const qcItems = qc.locator('li.qc-item');
  await expect(qcItems).toHaveCount(sample.items.length);
  expect((await qcItems.evaluateAll((els) => els.map((e) => e.getAttribute('data-item')))).sort()).toEqual([...sample.items].sort());
  const failed = [await qcItems.nth(0).getAttribute('data-item'), await qcItems.nth(1).getAttribute('data-item')];
  await qcItems.nth(1).getByLabel(/^Error category/).selectOption('boundary');
  for (let k = 0; k < sample.items.length; k++) {
    await qcItems.nth(k).getByRole('button', { name: k < 2 ? 'Fail' : 'Pass' }).click();
  }
  await expect(qc.locator('.qc-verdict')).toHaveAttribute('data-checked', String(sample.items.length));
  await expect(qc.locator('.qc-verdict')).toHaveAttribute('data-passed', String(sample.items.length - 2));
  // The pass rate per batch: this import is the one batch checked so far (the pilots were not QC'd).
  const batches = page.getByTestId('chart-qc-batches').locator('g.bar');
  await expect(batches).toHaveCount(1);
  await expect(batches.first()).toHaveAttribute('data-label', 'ana.csv + ben.csv + cai.csv + honeypots.csv');
  await expect(batches.first()).toHaveAttribute('data-value', ((sample.items.length - 2) / sample.items.length).toFixed(2));

  // Errors: the fix (wrong label), the rejection (guideline misinterpretation), two QC failures.
  const outcome = page.getByTestId('review-outcome');
  await expect(outcome.getByTestId('error-count')).toHaveAttribute('data-errors', '4');
  await expect(outcome.getByTestId('error-count')).toHaveAttribute('data-checked', String(3 + sample.items.length));
  const pareto = await outcome.getByTestId('chart-pareto').locator('g.bar').evaluateAll((els) =>
    els.map((e) => [e.getAttribute('data-label'), e.getAttribute('data-value')]));
  expect(pareto).toEqual([['wrong label', '0.50'], ['boundary', '0.25'], ['guideline misinterpretation', '0.25']]);

  // ---- Arbiter: review and QC sent items to the pool; the rejected one is decided.
  const pool = page.getByTestId('arbitration');
  const rejectedRow = pool.locator(`li.pool-item[data-item="${rejected.item}"]`);
  await expect(rejectedRow).toContainText(`${rejected.annotator}'s label rejected in review`);
  for (const item of failed) await expect(pool.locator(`li.pool-item[data-item="${item}"]`)).toHaveCount(1);
  const decided = consensus.get(rejected.item)!.label;
  await rejectedRow.getByRole('radio', { name: new RegExp(`^${decided}`) }).check();
  await rejectedRow.getByLabel(`Reason for item ${rejected.item}`).fill('section 1.1 on cartons');
  await rejectedRow.getByRole('button', { name: 'Decide' }).click();
  await expect(rejectedRow.getByTestId('decided')).toBeVisible();

  // ---- Export: the final labels — the arbiter's, the reviewer's fix, the CLI's consensus elsewhere.
  const finals = (await download(page, 'download-final')).trim().split('\n');
  expect(finals[0]).toBe('item,label,source,confidence,reason');
  const expected = [...consensus.keys()].sort().map((item) => {
    if (item === rejected.item) return `${item},${decided},arbiter,1,section 1.1 on cartons`;
    if (item === fixed.item && fixed.item !== rejected.item) return `${item},${fixTo},review,1,the text on the pack decides`;
    return `${item},${consensus.get(item)!.label},ds,${consensus.get(item)!.confidence},`;
  });
  expect(finals.slice(1)).toEqual(expected);
  // Every label with its review: the same annotations as the files (same α by the CLI), the verdicts beside.
  const reviewed = write(dir, 'labels-reviewed.csv', await download(page, 'download-reviewed'));
  expect(cli(['agreement', reviewed]).krippendorff_alpha.nominal).toBeCloseTo(agreement.krippendorff_alpha.nominal, 12);
  const reviewedLines = fs.readFileSync(reviewed, 'utf8').split('\n');
  expect(reviewedLines.find((l) => l.startsWith(`${fixed.item},${fixed.annotator},`))).toContain(`,fix,${fixTo},wrong_label,${sectionOf[fixTo]},the text on the pack decides,reviewer`);
  expect(reviewedLines.find((l) => l.startsWith(`${accepted.item},${accepted.annotator},`))).toContain(',accept,');
  // Label Studio: the final label is each task's ground-truth annotation.
  const ls = JSON.parse(await download(page, 'download-final-ls'));
  expect(ls).toHaveLength(consensus.size);
  const truthOf = new Map(finals.slice(1).map((l) => [l.split(',')[0], l.split(',')[1]]));
  for (const task of ls) {
    const gt = task.annotations.filter((a: any) => a.ground_truth);
    expect(gt).toHaveLength(1);
    expect(gt[0].result[0].value.choices).toEqual([truthOf.get(task.id)]);
    expect(task.annotations.filter((a: any) => !a.ground_truth)).toHaveLength(3);
  }
  // The QA report carries the review, the errors and the guideline version.
  const report = JSON.parse(await download(page, 'download-qa-report'));
  expect(report.review.verdicts).toHaveLength(3);
  expect(report.review.errors.errors).toBe(4);
  expect(report.guideline_versions.map((b: any) => b.version)).toEqual(['1.1']);
  expect(report.qc.checked).toBe(sample.items.length);
  // `concord qc` on the same files, with the checks from the report: the same sample, pass rate and verdict.
  const reportFile = write(dir, 'qa-report.json', JSON.stringify(report));
  const qcCli = cli(['qc', ...files, '--bundle', path.join(root, 'www/demo/retail'), '--checks', reportFile]);
  expect([...qcCli.sample].sort()).toEqual([...sample.items].sort());
  expect(qcCli.report).toEqual(report.qc);
  if (shots) await page.screenshot({ path: path.join(shots, 'review-dashboard.png'), fullPage: true, clip: { x: 0, y: 0, width: 1360, height: 1900 } });

  // A reload keeps the reviewer's, the QC's and the arbiter's work.
  await page.reload();
  await importInto(page, [...files, gold]);
  await expect(page.getByTestId('review-queue').getByTestId('queue-count')).toHaveAttribute('data-reviewed', '3');
  await expect(page.getByTestId('qc').locator('.qc-verdict')).toHaveAttribute('data-checked', String(sample.items.length));
  await expect(page.locator(`li.pool-item[data-item="${rejected.item}"]`).getByTestId('decided')).toBeVisible();

  // ---- The loop closes: Cai opens the project, loads the lead's requeue.jsonl, and her drifted labels come back
  // first, each with its reason.
  await start(page, 'demo/retail/', 'cai');
  await page.getByTestId('import-requeue').setInputFiles(requeuePath);
  const back = file.filter((r: any) => !r.annotator || r.annotator === 'cai');
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', back[0].task);
  await expect(page.getByTestId('sent-back')).toHaveText(`Sent back for re-annotation: ${back[0].reason}`);
  await expect(page.getByTestId('task-count')).toHaveText(`${taskIds.length} tasks`);
  await page.keyboard.press('PageDown');
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', back[1].task);
  await expect(page.getByTestId('sent-back')).toContainText(back[1].reason);
  // She redoes the first; after a reload the queue is the same, at the first task not redone since she loaded it.
  await page.keyboard.press('PageUp');
  await page.keyboard.press('1');
  await page.keyboard.press('Enter');
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', back[1].task);
  await saved(page);
  await page.reload();
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', back[1].task);
  await expect(page.getByTestId('sent-back')).toContainText(back[1].reason);
  await page.keyboard.press('PageUp');
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', back[0].task);
  await expect(page.getByTestId('task-status')).toHaveText('Submitted');
});
