import { test, expect } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The lead's routing view on the retail demo (its `workflow.routing`: overlap 3 → 1 after 10 gold checks at 85 %,
// tiers arbiter > senior > junior, seniors for model confidence < 0.5 or earlier agreement < 0.67, the model trusted
// from 80 % on gold, its conflicts from 90 % confidence). Three annotators' labels are made up here so that every
// expected standing, overlap, tier and re-annotation follows by hand from the data and the demo's files.

const root = path.resolve(__dirname, '../..');
const jsonl = (p: string) => fs.readFileSync(path.join(root, p), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

test('routing: standings, labels needed, tiers and escalation, the model check, and why an item is back', async ({ page }) => {
  const project = JSON.parse(fs.readFileSync(path.join(root, 'www/demo/retail/project.json'), 'utf8'));
  const routing = project.workflow.routing;
  const labels: string[] = project.schema.controls[0].labels.map((l: any) => l.value);
  const gold = new Map<string, string>(jsonl('www/demo/retail/gold.jsonl').map((g) => [g.task, g.result.category[0]]));
  const top = new Map<string, { label: string; score: number }>();
  for (const p of jsonl('www/demo/retail/predictions.jsonl')) {
    const [label, score] = Object.entries<number>(p.scores.category).sort((a, b) => b[1] - a[1])[0];
    top.set(p.task, { label, score });
  }
  const other = (l: string) => labels.find((x) => x !== l)!;
  const third = (a: string, b: string) => labels.find((x) => x !== a && x !== b)!;
  const goldIds = [...gold.keys()].slice(0, 12);
  // Tasks outside the gold, picked by the model's confidence.
  const free = [...top.keys()].filter((t) => !gold.has(t));
  const mid = free.filter((t) => top.get(t)!.score >= 0.5 && top.get(t)!.score < 0.9);
  const low = free.filter((t) => top.get(t)!.score < 0.5);
  const high = free.filter((t) => top.get(t)!.score >= 0.9);
  const [A, B, C, D] = mid;
  const [E] = low;
  const [H1, H2] = high;

  type Row = { item: string; annotator: string; label: string; time: number };
  const rows: Row[] = [];
  const t0 = Date.UTC(2026, 10, 20, 9) / 1000;
  let clock = 0;
  const add = (item: string, annotator: string, label: string) => rows.push({ item, annotator, label, time: t0 + 60 * clock++ });
  // Ana: 12 gold checks, all right → stable. Ben: 4, right → new. Cai: 12, the last three wrong → 9/12, and 7 of her
  // last 10 → below 85 %.
  goldIds.forEach((id) => add(id, 'ana', gold.get(id)!));
  goldIds.slice(0, 4).forEach((id) => add(id, 'ben', gold.get(id)!));
  goldIds.slice(4).forEach((id) => add(id, 'cai', gold.get(id)!));
  goldIds.slice(1, 4).forEach((id) => add(id, 'cai', other(gold.get(id)!)));
  goldIds.slice(0, 1).forEach((id) => add(id, 'cai', gold.get(id)!));
  add(A, 'ana', top.get(A)!.label);
  add(B, 'ben', top.get(B)!.label);
  add(C, 'ana', top.get(C)!.label);
  add(C, 'cai', other(top.get(C)!.label));
  add(D, 'ana', top.get(D)!.label);
  add(D, 'ben', other(top.get(D)!.label));
  add(D, 'cai', third(top.get(D)!.label, other(top.get(D)!.label)));
  add(E, 'ben', top.get(E)!.label);
  add(H1, 'ana', other(top.get(H1)!.label));
  add(H2, 'ana', top.get(H2)!.label);
  const iso = (t: number) => new Date(t * 1000).toISOString();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-routing-'));
  const files = ['ana', 'ben', 'cai'].map((who) => {
    const p = path.join(dir, `${who}.csv`);
    fs.writeFileSync(p, 'item,annotator,label,time,guideline_version\n' +
      rows.filter((r) => r.annotator === who).map((r) => `${r.item},${r.annotator},${r.label},${iso(r.time)},${project.guidelines.version}`).join('\n') + '\n');
    return p;
  });

  await page.goto('/?mode=review&project=demo/retail/');
  await expect(page.getByTestId('review-project')).toBeVisible();
  await page.getByTestId('import-files').setInputFiles(files);
  await expect(page.getByTestId('review-queue')).toBeVisible({ timeout: 30_000 });
  const panel = page.getByTestId('routing');
  const who = (a: string) => panel.getByTestId('routing-annotators').locator(`tr[data-annotator="${a}"]`);
  await expect(who('ana')).toHaveAttribute('data-standing', 'stable');
  await expect(who('ana')).toHaveAttribute('data-overlap', String(routing.overlap.low));
  await expect(who('ben')).toHaveAttribute('data-standing', 'new');
  await expect(who('ben')).toHaveAttribute('data-overlap', String(routing.overlap.high));
  await expect(who('cai')).toHaveAttribute('data-standing', 'unstable');
  await expect(who('cai')).toContainText('70 % on gold');

  // Per task: A needs nothing (a stable annotator); B two more (Ben is new); C one more (a disagreement), to the
  // seniors for its 50 % agreement; D three answers: one more, and up from the seniors to the arbiter; E to the
  // seniors for the model's low confidence.
  const item = (id: string) => panel.locator(`li[data-item="${id}"]`);
  await expect(item(A)).toHaveCount(0);
  await expect(item(B)).toHaveAttribute('data-more', '2');
  await expect(item(B)).toContainText(`ben is new (4 of ${routing.overlap.window} gold checks): overlap ${routing.overlap.high}`);
  await expect(item(B)).toHaveAttribute('data-tier', 'junior');
  await expect(item(C)).toHaveAttribute('data-more', '1');
  await expect(item(C)).toHaveAttribute('data-tier', 'senior');
  await expect(item(C)).toContainText('earlier agreement 0.50 < 0.67');
  await expect(item(D)).toHaveAttribute('data-more', '1');
  await expect(item(D)).toHaveAttribute('data-escalate', 'arbiter');
  await expect(item(E)).toHaveAttribute('data-tier', 'senior');
  await expect(item(E)).toContainText(`model confidence ${top.get(E)!.score.toFixed(2)} < 0.5`);
  await expect(panel.getByTestId('routing-open')).toHaveAttribute('data-escalated', '1');

  // The same plan from the command line: `concord route` on the same labels and bundle.
  const bin = ['target/debug/concord', 'target/release/concord'].map((b) => path.join(root, b)).find((b) => fs.existsSync(b));
  if (bin) {
    const combined = path.join(dir, 'all.csv');
    fs.writeFileSync(combined, 'item,annotator,label,time,guideline_version\n' +
      rows.map((r) => `${r.item},${r.annotator},${r.label},${iso(r.time)},${project.guidelines.version}`).join('\n') + '\n');
    const { execFileSync } = await import('node:child_process');
    const cli = JSON.parse(execFileSync(bin, ['route', combined, '--bundle', path.join(root, 'www/demo/retail')], { encoding: 'utf8' }));
    for (const a of cli.plan.annotators) {
      await expect(who(a.annotator)).toHaveAttribute('data-standing', a.standing.standing);
      await expect(who(a.annotator)).toHaveAttribute('data-overlap', String(a.overlap));
    }
    await expect(panel.getByTestId('routing-open')).toHaveAttribute('data-open', String(cli.plan.open));
    await expect(panel.getByTestId('routing-open')).toHaveAttribute('data-escalated', String(cli.plan.escalated));
    for (const i of cli.plan.items) {
      await expect(item(i.item)).toHaveAttribute('data-more', String(i.more));
      await expect(item(i.item)).toHaveAttribute('data-tier', i.tier);
    }
  } else if (process.env.CI) {
    throw new Error('the concord binary is not built');
  }

  // The model on the gold set, from the demo's files: its accuracy, and the confident conflicts with the consensus.
  const scored = [...gold.keys()].filter((t) => top.has(t));
  const right = scored.filter((t) => top.get(t)!.label === gold.get(t));
  const requeue = page.getByTestId('requeue');
  await expect(requeue.getByTestId('model-check')).toHaveAttribute('data-accuracy', (right.length / scored.length).toFixed(4));
  await expect(requeue.getByTestId('model-check')).toHaveAttribute('data-degraded', String(right.length / scored.length < routing.model.min_gold_accuracy));
  // Consensus here is unambiguous wherever the model is that sure: the gold items (a majority on the gold label) and
  // Ana's single labels.
  const consensus = new Map<string, string>([...goldIds.map((id) => [id, gold.get(id)!] as [string, string]), [H1, other(top.get(H1)!.label)], [H2, top.get(H2)!.label], [A, top.get(A)!.label]]);
  const conflicts = [...consensus].filter(([id, l]) => top.get(id)!.score >= routing.model.min_conflict_score && top.get(id)!.label !== l).map(([id]) => id).sort();
  expect(conflicts).toContain(H1);
  await expect(requeue.getByTestId('requeue-count')).toHaveAttribute('data-model', String(conflicts.length));
  const listed = await requeue.locator('li[data-trigger="model_conflict"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-item')));
  expect(listed.sort()).toEqual(conflicts);

  // Why is H1 back? Its label, the model's, the route, and the trigger with its reason — sent to anyone.
  await requeue.getByTestId('explain-item').fill(H1);
  const why = requeue.getByTestId('explanation');
  await expect(why).toHaveAttribute('data-back', '1');
  await expect(why).toContainText(`ana: ${other(top.get(H1)!.label)}`);
  await expect(why).toContainText(`the model: ${top.get(H1)!.label} (${top.get(H1)!.score.toFixed(2)})`);
  await expect(why.locator('li[data-trigger="model_conflict"]')).toContainText(
    `to anyone: the model says \`${top.get(H1)!.label}\` (${top.get(H1)!.score.toFixed(2)}); the consensus says \`${other(top.get(H1)!.label)}\``);
  // And B: not back, but waiting for two more labels, because Ben is new.
  await requeue.getByTestId('explain-item').fill(B);
  await expect(why).toHaveAttribute('data-back', '0');
  await expect(why.getByTestId('explanation-route')).toContainText('Route: 2 more label(s) — ben is new');
  await requeue.getByTestId('explain-item').fill('nope');
  await expect(why).toContainText('No item `nope`');
  if (process.env.CONCORD_SCREENSHOTS) {
    await panel.screenshot({ path: path.join(process.env.CONCORD_SCREENSHOTS, 'review-routing.png') });
  }
});
