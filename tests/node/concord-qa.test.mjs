// The concord-qa package in Node.js 20 (built by `cargo xtask package` into target/concord-qa): every function,
// on good and bad input. Values are checked against the published test vectors kept in tests/data/published.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const qa = await import('../../target/concord-qa/index.js');
// The published vectors are kept in the repository (tests/data/published, sources in its README).
const shared = fileURLToPath(new URL('../data/published/', import.meta.url));
const have = existsSync(shared);
if (!have) throw new Error(`${shared} is missing from the repository`);
const expected = have ? JSON.parse(readFileSync(shared + 'expected.json', 'utf8')) : null;

function csv(name) {
  const [, ...rows] = readFileSync(shared + name, 'utf8').trim().split(/\r?\n/);
  return rows.map((r) => {
    const [item, annotator, label] = r.split(',');
    return { item, annotator, label };
  });
}

const close = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('version is the crate version', () => {
  assert.match(qa.version, /^\d+\.\d+\.\d+$/);
});

test('agreement reproduces Krippendorff (2011) with missing data', () => {
  const r = qa.agreement(csv('kripp2011_c_4coders_missing.csv'));
  const want = expected.kripp2011_c_4coders_missing.krippendorff_pkg;
  for (const m of ['nominal', 'ordinal', 'interval', 'ratio']) close(r.krippendorff_alpha[m], want[m], 1e-9, m);
  assert.equal(r.cohen_kappa, null, 'four coders: no Cohen');
  assert.equal(r.pairwise.length, 6);
});

test('agreement: Cohen and weighted kappa, and an explicit order', () => {
  const r = qa.agreement(csv('weighted_kappa_sas_3cat.csv'));
  close(r.cohen_kappa, expected.weighted_kappa_sas_3cat.sklearn_unweighted, 1e-9, 'kappa');
  close(r.weighted_kappa.quadratic, expected.weighted_kappa_sas_3cat.sklearn_quadratic, 1e-9, 'quadratic');
  const letters = [{ item: 1, annotator: 'a', label: 'lo' }, { item: 1, annotator: 'b', label: 'hi' }, { item: 2, annotator: 'a', label: 'hi' }, { item: 2, annotator: 'b', label: 'hi' }];
  assert.equal(qa.agreement(letters).krippendorff_alpha.ordinal, null);
  assert.equal(typeof qa.agreement(letters, { order: ['lo', 'hi'] }).krippendorff_alpha.ordinal, 'number');
});

test('agreement rejects bad input with the engine message', () => {
  assert.throws(() => qa.agreement([{ item: 1, annotator: 'a', label: 'x' }, { item: 1, annotator: 'a', label: 'y' }]), /records\[1\]: annotator `a` labelled item `1` twice/);
  assert.throws(() => qa.agreement([{ item: 1, annotator: 'a', label: 'x' }, { item: 2, annotator: 'a', label: 'x' }, { item: 1 }]), /^Error: records\[2\]: missing field `annotator`$/);
  assert.throws(() => qa.agreement({ item: 1 }), /^Error: records: invalid type: map, expected a sequence$/);
  assert.throws(() => qa.agreement(undefined), /^Error: records: invalid type: null, expected a sequence$/);
  assert.throws(() => qa.agreement([]), /no annotations/);
  assert.throws(() => qa.agreement([{ item: 1, annotator: 'a', label: 'x' }], { order: ['y'] }), /not in the given order/);
});

test('spanAgreement counts code points (emoji, CJK)', () => {
  const text = '👋 東京 and Zoë';
  const r = qa.spanAgreement({
    ann: [{ id: 'd', text, spans: [{ start: 2, end: 4, label: 'LOC' }, { start: 9, end: 12, label: 'PER' }] }],
    bob: [{ id: 'd', text, spans: [{ start: 2, end: 4, label: 'LOC' }] }],
  });
  assert.deepEqual([r.pairwise[0].precision, r.pairwise[0].recall], [1, 0.5]);
  assert.throws(() => qa.spanAgreement({ ann: [{ id: 'd', text, spans: [{ start: 2, end: 13, label: 'X' }] }] }), /ann\[0\]\.spans\[0\]: bad span 2\.\.13/);
  assert.throws(() => qa.spanAgreement({ ann: [{ id: 'd', spans: [] }], bob: [{ id: 'd', spans: [] }, { id: 'e', spans: [{ start: 'one', end: 2, label: 'X' }] }] }), /^Error: docsByAnnotator\.bob\[1\]: invalid type: string "one", expected u32$/);
});

test('compareToGold with a map or a list', () => {
  const records = [{ item: 't1', annotator: 'a', label: 'x' }, { item: 't2', annotator: 'a', label: 'y' }, { item: 't1', annotator: 'b', label: 'y' }];
  const r1 = qa.compareToGold(records, { t1: 'x', t2: 'y' });
  const r2 = qa.compareToGold(records, [{ item: 't1', label: 'x' }, { item: 't2', label: 'y' }]);
  assert.deepEqual(r1, r2);
  assert.equal(r1.annotators.a.accuracy, 1);
  assert.equal(r1.annotators.b.accuracy, 0);
  assert.equal(r1.confusion.labels.length, 2);
  assert.throws(() => qa.compareToGold(records, 'nope'), /gold/);
});

test('aggregate: Dawid–Skene equals crowd-kit, majority vote reports ties', () => {
  const records = csv('ds_toy_ysda.csv');
  const ds = qa.aggregate(records, { method: 'ds' });
  const want = expected.ds_toy_ysda.crowdkit_DawidSkene_n_iter_100;
  assert.deepEqual(ds.labels, want.labels);
  assert.equal(ds.iterations, want.n_iterations_run);
  close(ds.priors.yes, want.priors.yes, 1e-6, 'prior');
  const mv = qa.aggregate(records, { method: 'mv' });
  assert.deepEqual(mv.ties, ['t1']);
  assert.throws(() => qa.aggregate(records, { method: 'glad' }), /unknown method `glad`/);
  assert.throws(() => qa.aggregate(records, { method: 'wmv' }), /gold is required/);
  const wmv = qa.aggregate(records, { method: 'wmv', gold: { t2: 'yes', t3: 'no' } });
  assert.equal(wmv.method, 'wmv');
});

test('cocoEval equals pycocotools on a reference case', () => {
  const ref = JSON.parse(readFileSync(new URL('../../crates/engine/tests/reference/cocoeval_cases.json', import.meta.url), 'utf8')).mixed;
  const r = qa.cocoEval(ref.gt, ref.dt);
  const names = ['AP', 'AP50', 'AP75', 'AP_small', 'AP_medium', 'AP_large', 'AR1', 'AR10', 'AR100', 'AR_small', 'AR_medium', 'AR_large'];
  names.forEach((n, i) => close(r[n], ref.stats[i], 1e-9, n));
  assert.throws(() => qa.cocoEval(ref.gt, [{ image_id: 99999, category_id: 1, bbox: [0, 0, 1, 1], score: 1 }]), /image 99999 is not in the ground truth/);
});

test('validate: the instant check, with rule objects compiled once', () => {
  const rules = { format: 'concord-rules', version: 1, rules: [
    { id: 'min-size', kind: 'min_size', severity: 'error', message: 'Box too small', section: '#tight', control: 'objects', min_w: 4, min_h: 4 },
    { id: 'inside', kind: 'inside_image', severity: 'warning', message: 'Leaves the image', control: 'objects' },
  ] };
  const task = { id: 't', data: { image: 'a.png', width: 100, height: 100 } };
  const v = qa.validate({ task, result: { objects: [{ x: 1, y: 1, w: 2, h: 2, label: 'car' }, { x: 95, y: 1, w: 10, h: 10, label: 'car' }] } }, rules);
  assert.deepEqual(v.map((x) => [x.rule, x.severity, x.region]), [['min-size', 'error', 0], ['inside', 'warning', 1]]);
  assert.deepEqual(qa.validate({ task, result: { objects: [{ x: 1, y: 1, w: 20, h: 20, label: 'car' }] } }, rules), []);
  const compiled = new qa.Rules(rules);
  assert.equal(compiled.size, 2);
  const all = qa.validateAll([{ task, result: { objects: [{ x: 1, y: 1, w: 2, h: 2, label: 'car' }] } }, { task, result: { objects: [] } }], compiled);
  assert.equal(all.annotations, 2);
  assert.equal(all.by_rule['min-size'].rate, 0.5);
  assert.throws(() => qa.validate({ result: {} }, { format: 'concord-rules', version: 1, rules: [{ id: 'x', kind: 'teleport', severity: 'error', message: 'm' }] }), /unknown kind `teleport`/);
  assert.throws(() => qa.validate({ result: {} }, 42), /ruleset/);
  assert.throws(() => qa.validate({ result: {} }, { format: 'concord-rules', version: 1, rules: [{ id: 'm', kind: 'min_size', severity: 'error', message: 'm', control: 'objects', min_w: 'wide' }] }), /^Error: ruleset: \$\.rules\[0\]\.min_w: expected a number$/);
  assert.throws(() => qa.validateAll([{ task, result: {} }, { task, result: { objects: 5 } }], compiled), /^Error: annotations\[1\]: /);
  assert.throws(() => qa.validate({ task }, compiled), /^Error: annotation: missing field `result`$/);
});

test('fromLabelStudio on a real export', () => {
  const fixture = fileURLToPath(new URL('../../../shared/fixtures/label-studio-exports/test_export_yolo__data.json', import.meta.url));
  if (!existsSync(fixture)) return;
  const r = qa.fromLabelStudio(JSON.parse(readFileSync(fixture, 'utf8')));
  assert.equal(r.kind, 'boxes');
  assert.ok(r.boxes.length > 0);
  assert.ok(r.boxes.every((b) => b.x >= 0 && b.w > 0));
  assert.throws(() => qa.fromLabelStudio('[{"annotations": []}]'), /\$\[0\]\.id: missing task id/);
});

test('package.json: every exported and listed file is in the package', () => {
  const dir = fileURLToPath(new URL('../../target/concord-qa/', import.meta.url));
  const pkg = JSON.parse(readFileSync(dir + 'package.json', 'utf8'));
  const targets = Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e)));
  assert.ok(targets.includes('./widgets.js') && targets.includes('./widgets.d.ts'));
  for (const f of [...targets, ...pkg.files, pkg.main, pkg.types]) assert.ok(existsSync(dir + f), `${f} is missing`);
  // The widgets' glue and wasm, which widgets.js loads relative to itself.
  for (const f of ['widgets/concord_widgets.js', 'widgets/concord_widgets_bg.wasm']) assert.ok(existsSync(dir + f), f);
});
