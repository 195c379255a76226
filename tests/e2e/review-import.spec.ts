import { test, expect, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Review mode's import: annotators' files (a Label Studio export and a CSV) read in the import worker with a
// progress bar, merged, and summarised; the figures are checked against counts and a Krippendorff's alpha computed
// here, independently of the engine. Bad files are refused with the file, the place and the reason.

type Row = { item: string; annotator: string; label: string };

function rows(items: number, seed: number): Row[] {
  const labels = ['cat', 'dog', 'bird'];
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const out: Row[] = [];
  for (let i = 0; i < items; i++) {
    const truth = labels[i % 3];
    for (const a of ['ana', 'ben', 'cai']) {
      if (next() < 0.15) continue; // not everyone labels everything
      out.push({ item: `t${i}`, annotator: a, label: next() < 0.8 ? truth : labels[Math.floor(next() * 3)] });
    }
  }
  return out;
}

function labelStudio(rs: Row[]): string {
  const byItem = new Map<string, Row[]>();
  for (const r of rs) byItem.set(r.item, [...(byItem.get(r.item) ?? []), r]);
  return JSON.stringify([...byItem].map(([item, list]) => ({
    id: item, data: { image: `/img/${item}.jpg` },
    annotations: list.map((r) => ({ completed_by: { email: r.annotator }, result: [{ from_name: 'animal', to_name: 'image', type: 'choices', value: { choices: [r.label] } }] })),
  })));
}

/** Krippendorff's alpha, nominal, from the coincidence matrix (Krippendorff 2011, "Computing Krippendorff's alpha"). */
function alpha(rs: Row[]): number {
  const units = new Map<string, string[]>();
  for (const r of rs) units.set(r.item, [...(units.get(r.item) ?? []), r.label]);
  const o = new Map<string, number>();
  for (const values of units.values()) {
    const m = values.length;
    if (m < 2) continue;
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
      if (i === j) continue;
      const k = `${values[i]}|${values[j]}`;
      o.set(k, (o.get(k) ?? 0) + 1 / (m - 1));
    }
  }
  const nc = new Map<string, number>();
  for (const [k, v] of o) { const c = k.split('|')[0]; nc.set(c, (nc.get(c) ?? 0) + v); }
  const n = [...nc.values()].reduce((a, b) => a + b, 0);
  let dO = 0;
  for (const [k, v] of o) { const [c, d] = k.split('|'); if (c !== d) dO += v; }
  let dE = 0;
  for (const [c, a] of nc) for (const [d, b] of nc) if (c !== d) dE += (a * b) / (n - 1);
  return 1 - dO / dE;
}

/** Review mode with `files` imported. */
async function importFiles(page: Page, files: string | string[]) {
  await page.goto('/?mode=review');
  await page.getByTestId('import-files').setInputFiles(files);
}

function write(dir: string, name: string, text: string) {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

test('annotators\' files are imported in the worker and summarised with the engine figures', async ({ page }) => {
  // 12 MB through the worker and Dawid–Skene on 700,000 labels: seconds, more on a loaded machine.
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-review-'));
  const all = rows(400, 7);
  // Ana and Ben exported from Label Studio; Cai's labels come as a CSV — padded to 12 MB (several slices) with
  // a fourth annotator on other items, so the progress bar has something to show.
  const ls = all.filter((r) => r.annotator !== 'cai');
  const cai = all.filter((r) => r.annotator === 'cai');
  const filler: Row[] = [];
  for (let i = 0; filler.length < 700_000; i++) filler.push({ item: `x${i}`, annotator: 'dee', label: ['cat', 'dog', 'bird'][i % 3] });
  const csv = 'item,annotator,label\n' + [...cai, ...filler].map((r) => `${r.item},${r.annotator},${r.label}`).join('\n') + '\n';
  const files = [write(dir, 'ana-ben.json', labelStudio(ls)), write(dir, 'cai.csv', csv)];
  expect(fs.statSync(files[1]).size).toBeGreaterThan(8 << 20);

  const outside: string[] = [];
  page.on('request', (r) => {
    const own = r.url().startsWith('http://127.0.0.1:8181/') || r.url().startsWith('blob:');
    if (!own || r.method() !== 'GET') outside.push(`${r.method()} ${r.url()}`);
  });
  await importFiles(page, files);
  await expect(page.getByTestId('import-progress')).toBeVisible();
  const summary = page.getByTestId('import-summary');
  await expect(summary).toBeVisible({ timeout: 90_000 });

  const everyone = [...all, ...filler];
  const items = new Set(everyone.map((r) => r.item)).size;
  await expect(summary.locator('[data-figure="items"]')).toHaveText(String(items));
  await expect(summary.locator('[data-figure="annotators"]')).toHaveText('4');
  await expect(summary.locator('.import-totals [data-figure="annotations"]')).toHaveText(String(everyone.length));
  await expect(summary.locator('tr[data-file="ana-ben.json"] [data-figure="annotations"]')).toHaveText(String(ls.length));
  await expect(summary.locator('tr[data-file="cai.csv"] [data-figure="annotations"]')).toHaveText(String(cai.length + filler.length));
  // Dee's items have one label each and do not count for alpha; the rest is computed here.
  const shown = Number(await summary.locator('[data-figure="alpha"]').textContent());
  expect(Math.abs(shown - alpha(everyone))).toBeLessThan(0.0005);
  const peak = Number(await summary.locator('[data-figure="peak"]').getAttribute('data-bytes'));
  expect(peak).toBeGreaterThan(0);
  // The files never left the machine: only GETs, all to the app's own origin.
  expect(outside).toEqual([]);
});

test('a second label from one annotator across files is refused, naming both files', async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-review-'));
  const first = write(dir, 'ben-monday.csv', 'item,annotator,label\nt1,ben,cat\nt2,ben,dog\n');
  const second = write(dir, 'ben-again.json', labelStudio([{ item: 't2', annotator: 'ben', label: 'cat' }]));
  await importFiles(page, [first, second]);
  await expect(page.getByTestId('import-error')).toHaveText(
    'ben-again.json: annotator `ben` labelled item `t2` again (also in ben-monday.csv): keep one of the two');
  await expect(page.getByTestId('import-summary')).toHaveCount(0);
});

test('a broken file is refused with its name, the place and the reason', async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-review-'));
  await page.goto('/?mode=review');
  const bad = write(dir, 'broken.json', '[{"id": 1, "annotations": [{"completed_by": {"email": "a"}, "result": [{"from_name": "c", "to_name": "image", "type": "choices", "value": {"choices": "cat"}}]}]}]');
  await page.getByTestId('import-files').setInputFiles(bad);
  await expect(page.getByTestId('import-error')).toHaveText(/^broken\.json: \$\[0\]\.annotations\[0\]\.result\[0\]/);
  const csv = write(dir, 'short.csv', 'item,annotator,label\nt1,ann,cat\nt2,ann\n');
  await page.getByTestId('import-files').setInputFiles(csv);
  await expect(page.getByTestId('import-error')).toHaveText('short.csv: line 3: this row has 2 fields but the header has 3');
});

/** The `concord` binary the native tests built (debug) or a release build. */
function cli(): string | null {
  for (const p of ['../../target/debug/concord', '../../target/release/concord']) {
    const full = path.resolve(__dirname, p);
    if (fs.existsSync(full)) return full;
  }
  return null;
}

test('the dashboard shows the CLI\'s numbers on the same files: agreement, gold accuracy, consensus', async ({ page }) => {
  const bin = cli();
  test.skip(bin === null, 'the concord binary is not built');
  const { execFileSync } = await import('node:child_process');
  const run = (args: string[]) => JSON.parse(execFileSync(bin!, args, { encoding: 'utf8' }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-dashboard-'));
  const all = rows(120, 11);
  const people = write(dir, 'labels.csv', 'item,annotator,label\n' + all.map((r) => `${r.item},${r.annotator},${r.label}`).join('\n') + '\n');
  // Hidden honeypots: the true label of every third item.
  const truth = [...new Set(all.map((r) => r.item))].filter((_, i) => i % 3 === 0).map((item) => `${item},${['cat', 'dog', 'bird'][Number(item.slice(1)) % 3]}`);
  const gold = write(dir, 'honeypots.csv', 'item,label\n' + truth.join('\n') + '\n');

  await importFiles(page, [people, gold]);
  await expect(page.getByTestId('dashboard')).toBeVisible({ timeout: 20_000 });

  // Pairwise Cohen's kappa, cell by cell.
  const agreement = run(['agreement', people]);
  for (const p of agreement.pairwise) {
    const cell = page.getByTestId('chart-pairwise').locator(`g.cell[data-row="${p.a}"][data-col="${p.b}"]`);
    await expect(cell).toHaveAttribute('data-value', p.cohen_kappa.toFixed(2));
  }
  // Accuracy on the honeypots per annotator, with the interval drawn.
  const scored = run(['gold', people, '--gold', gold]);
  for (const [name, acc] of Object.entries<any>(scored.annotators)) {
    const bar = page.getByTestId('chart-gold').locator(`g.bar[data-label="${name}"]`);
    await expect(bar).toHaveAttribute('data-value', acc.accuracy.toFixed(2));
    await expect(bar.locator('title')).toHaveText(`${name}: ${(100 * acc.accuracy).toFixed(1)} % · ${acc.correct}/${acc.items}`);
    await expect(bar.locator('line')).toHaveCount(1);
  }
  await expect(page.getByTestId('chart-confusion').getByRole('img')).toBeVisible();
  // The consensus download is the CLI's `aggregate --method ds --out` file, byte for byte.
  const out = path.join(dir, 'cli-consensus.csv');
  run(['aggregate', people, '--method', 'ds', '--out', out]);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-consensus').click()]);
  const got = fs.readFileSync(await download.path(), 'utf8');
  expect(got).toBe(fs.readFileSync(out, 'utf8'));
});

test('the arbiter decides the unsettled items; decisions survive a reload and make the final labels', async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-arbitration-'));
  // t1: all agree; t2: 2 of 3; t3: a 1-1 tie; t4: one label; t5: 3 of 4 (at the threshold, not pooled).
  const file = write(dir, 'week.csv', 'item,annotator,label\nt1,a,cat\nt1,b,cat\nt1,c,cat\nt2,a,cat\nt2,b,dog\nt2,c,cat\n' +
    't3,a,cat\nt3,b,dog\nt4,a,dog\nt5,a,dog\nt5,b,dog\nt5,c,dog\nt5,d,cat\n');
  await importFiles(page, file);
  const pool = page.getByTestId('arbitration');
  await expect(pool.locator('li.pool-item')).toHaveCount(2);
  await expect(pool.locator('li.pool-item').nth(0)).toHaveAttribute('data-item', 't3');
  await expect(pool.locator('li.pool-item').nth(1)).toHaveAttribute('data-item', 't2');
  const t2 = pool.locator('li.pool-item[data-item="t2"]');
  await expect(t2.getByRole('radio', { name: 'cat (consensus)' })).toBeChecked();
  await t2.getByRole('radio', { name: 'dog' }).check();
  await t2.getByLabel('Reason for item t2').fill('the tail, guideline §3');
  await t2.getByRole('button', { name: 'Decide' }).click();
  await expect(t2.getByTestId('decided')).toHaveText(' Decided: dog (lead) — the tail, guideline §3');

  // A reload and the same files again: the decision is still there.
  await page.reload();
  await page.getByTestId('import-files').setInputFiles(file);
  await expect(page.locator('li.pool-item[data-item="t2"]').getByTestId('decided')).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-final').click()]);
  const lines = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
  expect(lines[0]).toBe('item,label,source,confidence,reason');
  expect(lines.find((l) => l.startsWith('t2,'))).toBe('t2,dog,arbiter,1,"the tail, guideline §3"');
  expect(lines.find((l) => l.startsWith('t1,'))).toMatch(/^t1,cat,ds,[\d.e-]+,$/);
  expect(lines).toHaveLength(6);
});

test('QC: a seeded 10 % sample re-checked with error categories gives the pass rate, its interval and the verdict', async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-qc-'));
  const file = write(dir, 'batch.csv', 'item,annotator,label\n' + rows(200, 3).map((r) => `${r.item},${r.annotator},${r.label}`).join('\n') + '\n');
  await importFiles(page, file);
  const qc = page.getByTestId('qc');
  const items = qc.locator('li.qc-item');
  await expect(items).toHaveCount(20);
  const names = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-item')));
  // Another seed draws another sample of the same size; the first comes back with its seed.
  await qc.getByLabel('Sample seed').fill('2');
  await qc.getByLabel('Sample seed').dispatchEvent('change');
  await expect.poll(() => items.evaluateAll((els) => els.map((e) => e.getAttribute('data-item')))).not.toEqual(names);
  await qc.getByLabel('Sample seed').fill('1');
  await qc.getByLabel('Sample seed').dispatchEvent('change');
  await expect.poll(() => items.evaluateAll((els) => els.map((e) => e.getAttribute('data-item')))).toEqual(names);

  // 18 pass, 2 fail (wrong label; guideline misinterpretation of §4).
  for (let i = 0; i < 20; i++) {
    const row = items.nth(i);
    if (i === 3 || i === 11) {
      if (i === 11) {
        await row.getByLabel(/^Error category/).selectOption('guideline_misinterpretation');
        await row.getByLabel(/^Guideline section/).fill('§4');
      }
      await row.getByRole('button', { name: 'Fail' }).click();
    } else {
      await row.getByRole('button', { name: 'Pass' }).click();
    }
  }
  const verdict = qc.locator('.qc-verdict');
  await expect(verdict).toHaveAttribute('data-checked', '20');
  await expect(verdict).toHaveAttribute('data-passed', '18');
  // Wilson 95 % for 18/20, computed here.
  const z = 1.959963984540054, n = 20, p = 0.9;
  const centre = (p + z * z / (2 * n)) / (1 + z * z / n);
  const half = (z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n);
  const pc = (x: number) => `${(100 * x).toFixed(1)} %`;
  await expect(verdict).toHaveText(`20 of 20 checked · pass rate 90.0 % (95 % CI ${pc(centre - half)}–${pc(centre + half)}) · batch fails QC`);
  await qc.getByLabel('QC threshold, percent').fill('85');
  await qc.getByLabel('QC threshold, percent').dispatchEvent('change');
  await expect(verdict).toHaveAttribute('data-verdict', 'pass');
  await expect(items.nth(11).getByTestId('qc-status')).toHaveText(' · failed: guideline_misinterpretation');

  // The checks are kept: a reload and the same file again show them.
  await page.reload();
  await page.getByTestId('import-files').setInputFiles(file);
  await expect(page.getByTestId('qc').locator('.qc-verdict')).toHaveAttribute('data-passed', '18');
});

test('the pilot gate decides on the lower bound: a minimum the point estimate clears stays shut, as the CLI says; the QA report carries the figures', async ({ page }) => {
  // Two pilot simulations (the CLI's and the worker's), each given up to 30 s under load.
  test.setTimeout(90_000);
  const bin = cli();
  test.skip(bin === null, 'the concord binary is not built');
  const { execFileSync } = await import('node:child_process');
  const run = (args: string[]) => JSON.parse(execFileSync(bin!, args, { encoding: 'utf8' }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-pilot-'));
  const file = write(dir, 'pilot.csv', 'item,annotator,label\n' + rows(60, 5).map((r) => `${r.item},${r.annotator},${r.label}`).join('\n') + '\n');
  await importFiles(page, file);
  const gate = page.getByTestId('pilot-gate');
  const alpha = Number(await page.locator('.import-agreement [data-figure="alpha"]').textContent());
  const status = gate.getByRole('status');
  const setMinimum = async (m: number) => {
    await gate.getByLabel('Minimum agreement').fill(String(m));
    await gate.getByLabel('Minimum agreement').dispatchEvent('change');
  };
  // Just below the pilot's own α: the point estimate would open the gate, the interval's lower bound keeps it shut.
  const min = Number((alpha - 0.01).toFixed(2));
  const byCli = run(['agreement', file, '--minimum', String(min)]);
  const interval = byCli.krippendorff_alpha_interval.nominal;
  expect(byCli.pilot_gate.open).toBe(false);
  expect(interval.low).toBeLessThan(min);
  expect(run(['agreement', file, '--minimum', String(min), '--decide-by', 'point-estimate']).pilot_gate.open).toBe(true);
  await setMinimum(min);
  await expect(status).toHaveAttribute('data-open', 'false');
  await expect(status).toContainText(`production is gated`);
  await expect(status).toContainText(`[${interval.low.toFixed(3)}, ${interval.high.toFixed(3)}]`);
  await expect(gate.getByTestId('gate-reason')).toContainText(`the lower bound ${interval.low.toFixed(3)} does not clear the minimum ${min}`);
  await expect(gate.getByTestId('gate-reason')).toContainText(`P(α < ${min}) = ${byCli.pilot_gate.probability_below.toFixed(3)}`);
  // The dashboard shows each figure's interval, and the heatmap hatches the pairs whose κ interval reaches across
  // the minimum (Krippendorff's 0.667 without a project), as the CLI's intervals say.
  await expect(page.locator('[data-interval="alpha"]')).toHaveText(`[${interval.low.toFixed(3)}, ${interval.high.toFixed(3)}]`);
  const fleiss = byCli.fleiss_kappa_interval ?? byCli.percent_agreement_interval;
  expect(fleiss).not.toBeNull();
  await expect(page.locator('[data-interval="percent"]')).toHaveText(
    `[${byCli.percent_agreement_interval.low.toFixed(3)}, ${byCli.percent_agreement_interval.high.toFixed(3)}]`);
  for (const p of byCli.pairwise) {
    const i = p.cohen_kappa_interval;
    const crosses = i !== null && i.low < 0.667 && 0.667 <= i.high;
    await expect(page.locator(`[data-testid="chart-pairwise"] g.cell[data-row="${p.a}"][data-col="${p.b}"]`))
      .toHaveAttribute('data-uncertain', String(crosses));
  }
  // Below the lower bound, the gate opens, on the page as in the CLI.
  const clears = Math.floor((interval.low - 0.01) * 100) / 100;
  expect(run(['agreement', file, '--minimum', String(clears)]).pilot_gate.open).toBe(true);
  await setMinimum(clears);
  await expect(status).toHaveAttribute('data-open', 'true');

  // How many items a pilot needs, simulated in the worker: the CLI's answer for the same design.
  const planner = gate.getByTestId('pilot-planner');
  const expected = Number((clears + 0.15).toFixed(2));
  await planner.getByLabel('Expected agreement').fill(String(expected));
  await planner.getByLabel('Expected agreement').dispatchEvent('change');
  await planner.getByRole('button', { name: 'Plan the pilot' }).click();
  const figure = async (name: string) => Number(await page.locator(`dd[data-figure="${name}"]`).textContent());
  const perItem = Math.max(2, Math.round(await figure('annotations') / await figure('items')));
  const plan = run(['plan', '--pilot', '--expected', String(expected), '--minimum', String(clears), '--classes', '3',
    '--annotators', String(perItem), '--risk', '0.2']);
  expect(plan.items).not.toBeNull();
  await expect(planner.getByTestId('pilot-plan')).toHaveAttribute('data-items', String(plan.items), { timeout: 30_000 });

  const qc = page.getByTestId('qc');
  await qc.locator('li.qc-item').first().getByRole('button', { name: 'Pass' }).click();
  // The check is kept (IndexedDB) before the report is taken: the report carries what was saved.
  await expect(qc.locator('.qc-verdict')).toHaveAttribute('data-checked', '1');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-qa-report').click()]);
  const report = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  expect(report.format).toBe('concord-qa-report');
  expect(report.qc.checked).toBe(1);
  expect(report.qc.sampled).toBe(await qc.locator('li.qc-item').count());
  expect(report.agreement.krippendorff_alpha.nominal.toFixed(3)).toBe(alpha.toFixed(3));
  expect(report.files[0].name).toBe('pilot.csv');
});

test('Concord logs (annotator mode\'s export) are read against the project, with their times and versions', async ({ page }) => {
  const bin = cli();
  test.skip(bin === null, 'the concord binary is not built');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-logs-'));
  const cats = ['apple', 'banana', 'milk', 'juice'];
  // Two annotators' logs over 30 retail tasks; Bea changes her mind once (the last submission counts).
  const log = (who: string, slip: number) => {
    const lines: string[] = [];
    let seq = 0;
    const ev = (task: string, op: object) => lines.push(JSON.stringify({
      id: `${who}-device:${++seq}`, at: Date.UTC(2026, 10, 20, 9) + 45_000 * seq, annotator: who, task, guidelines: '1.0', op }));
    for (let i = 1; i <= 30; i++) {
      const task = `p${String(i).padStart(4, '0')}`;
      ev(task, { type: 'choose', control: 'category', labels: [cats[(i + (i % slip === 0 ? 1 : 0)) % 4]] });
      ev(task, { type: 'submit' });
    }
    if (who === 'bea') { ev('p0001', { type: 'choose', control: 'category', labels: ['milk'] }); ev('p0001', { type: 'submit' }); }
    return write(dir, `${who}-log.jsonl`, lines.join('\n') + '\n');
  };
  const files = [log('al', 4), log('bea', 5)];
  // Without a project the log cannot be read, and says why.
  await importFiles(page, files);
  await expect(page.getByTestId('import-error')).toHaveText(
    'al-log.jsonl: a Concord log is read against its project: open review mode with ?project=<bundle>');
  await page.goto('/?mode=review&project=demo/retail/');
  await page.getByTestId('import-files').setInputFiles(files);
  const summary = page.getByTestId('import-summary');
  await expect(summary.locator('tr[data-file="al-log.jsonl"] td').nth(1)).toHaveText('Concord log');
  await expect(summary.locator('.import-totals [data-figure="annotations"]')).toHaveText('60');
  const { execFileSync } = await import('node:child_process');
  const bundle = path.resolve(__dirname, '../../www/demo/retail');
  const agreement = JSON.parse(execFileSync(bin!, ['agreement', ...files, '--bundle', bundle], { encoding: 'utf8' }));
  await expect(summary.locator('[data-figure="alpha"]')).toHaveText(agreement.krippendorff_alpha.nominal.toFixed(3));
  // Submission times: an event every 45 s, a choose and a submit per task, so a task every 90 s — 40 an hour.
  await expect(page.getByTestId('chart-throughput').locator('g.bar[data-label="al"] title')).toHaveText(/^al: 40\.0 items\/h · 30 labels/);
});

test('quick successive checks all count and are all kept (each write carries the ones before it)', async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-quick-'));
  const file = write(dir, 'batch.csv', 'item,annotator,label\n' + rows(100, 4).map((r) => `${r.item},${r.annotator},${r.label}`).join('\n') + '\n');
  await importFiles(page, file);
  const items = page.getByTestId('qc').locator('li.qc-item');
  await expect(items).toHaveCount(10);
  // Six clicks in one turn of the event loop: no write has committed when the last is made.
  await items.first().getByRole('button', { name: 'Pass' }).waitFor();
  await page.evaluate(() => {
    const buttons = [...document.querySelectorAll('[data-testid="qc"] li.qc-item')].slice(0, 6)
      .map((li) => [...li.querySelectorAll('button')].find((b) => b.textContent === 'Pass') as HTMLButtonElement);
    for (const b of buttons) b.click();
  });
  const verdict = page.getByTestId('qc').locator('.qc-verdict');
  await expect(verdict).toHaveAttribute('data-checked', '6');
  await page.reload();
  await page.getByTestId('import-files').setInputFiles(file);
  await expect(page.getByTestId('qc').locator('.qc-verdict')).toHaveAttribute('data-checked', '6');
});
