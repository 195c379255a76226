// The package's large-data forms — a Table from records, from columns (typed arrays of ids plus name tables), from
// CSV text, CSV bytes and a streamed Blob — give the very numbers the `concord` CLI prints for the same rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const qa = await import('../../target/concord-qa/index.js');
const { Table } = qa;

/** Seeded crowd rows: 400 items, 5 of 12 annotators each, 6 labels, annotators right 70 % of the time. */
function rows() {
  let seed = 20261203;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out = [];
  for (let i = 0; i < 400; i++) {
    const truth = Math.floor(rand() * 6);
    const who = new Set();
    while (who.size < 5) who.add(Math.floor(rand() * 12));
    for (const a of who) {
      const label = rand() < 0.7 ? truth : Math.floor(rand() * 6);
      out.push({ item: `t${i}`, annotator: `ann${a}`, label: `L${label}` });
    }
  }
  return out;
}

const records = rows();
const csvText = 'item,annotator,label\n' + records.map((r) => `${r.item},${r.annotator},${r.label}`).join('\n') + '\n';

/** The columnar form, names in order of first appearance (as the CSV reader interns them). */
function columns() {
  const tables = { item: new Map(), annotator: new Map(), label: new Map() };
  const ids = { item: new Uint32Array(records.length), annotator: new Uint32Array(records.length), label: new Uint32Array(records.length) };
  records.forEach((r, k) => {
    for (const f of ['item', 'annotator', 'label']) {
      const m = tables[f];
      if (!m.has(r[f])) m.set(r[f], m.size);
      ids[f][k] = m.get(r[f]);
    }
  });
  return {
    items: ids.item, annotators: ids.annotator, labels: ids.label,
    itemNames: [...tables.item.keys()], annotatorNames: [...tables.annotator.keys()], labelNames: [...tables.label.keys()],
  };
}

async function forms() {
  return {
    records,
    'Table.fromRecords': Table.fromRecords(records),
    'Table.fromColumns': Table.fromColumns(columns()),
    'Table.fromCsv(text)': Table.fromCsv(csvText),
    'Table.fromCsv(bytes)': Table.fromCsv(new TextEncoder().encode(csvText)),
    'Table.fromBlob': await Table.fromBlob(new Blob([csvText])),
  };
}

/** The CLI built by the native tests; under CI its absence fails, elsewhere the CLI comparison is skipped. */
function cli() {
  for (const p of ['../../target/debug/concord', '../../target/release/concord']) {
    const full = fileURLToPath(new URL(p, import.meta.url));
    if (existsSync(full)) return full;
  }
  if (process.env.CI === 'true') throw new Error('the concord CLI is not built (cargo build -p concord-cli)');
  return null;
}

test('every input form gives the CLI\'s agreement, majority vote and Dawid–Skene', async (t) => {
  const bin = cli();
  const dir = mkdtempSync(join(tmpdir(), 'concord-table-'));
  const file = join(dir, 'labels.csv');
  writeFileSync(file, csvText);
  const run = (...args) => JSON.parse(execFileSync(bin, args, { encoding: 'utf8' }));
  const want = bin ? {
    agreement: run('agreement', file, '--replicates', '0'),
    mv: run('aggregate', file, '--method', 'mv'),
    ds: run('aggregate', file, '--method', 'ds'),
  } : null;
  if (!bin) t.diagnostic('concord CLI not built: forms compared with each other only');
  const all = await forms();
  const first = { agreement: qa.agreement(records), mv: qa.aggregate(records, { method: 'mv' }), ds: qa.aggregate(records, { method: 'ds' }) };
  for (const [name, input] of Object.entries(all)) {
    const got = { agreement: qa.agreement(input), mv: qa.aggregate(input, { method: 'mv' }), ds: qa.aggregate(input, { method: 'ds' }) };
    for (const k of ['agreement', 'mv', 'ds']) {
      assert.deepEqual(got[k], first[k], `${name}: ${k} differs from the records form`);
      if (want) assert.deepEqual(got[k], want[k], `${name}: ${k} differs from the CLI`);
    }
  }
  assert.ok(first.agreement.krippendorff_alpha.nominal > 0.3 && first.agreement.krippendorff_alpha.nominal < 0.9);
  // With intervals and the gate: the CLI's defaults (1,000 replicates, seed 0) give the CLI's report.
  const options = { replicates: 1000, minimum: 0.5, decideBy: { risk: 0.05 } };
  const withIntervals = qa.agreement(all['Table.fromColumns'], options);
  assert.deepEqual(qa.agreement(records, options), withIntervals);
  if (want) assert.deepEqual(withIntervals, run('agreement', file, '--minimum', '0.5', '--decide-by', 'risk:0.05'));
  const i = withIntervals.krippendorff_alpha_interval.nominal;
  assert.ok(i.low < withIntervals.krippendorff_alpha.nominal && withIntervals.krippendorff_alpha.nominal < i.high);
  assert.equal(withIntervals.pilot_gate.rule.risk, 0.05);
  // alphaInterval: the same interval, and P(α < 0.5) as the gate reads it.
  const ai = qa.alphaInterval(records, { minimum: 0.5 });
  assert.deepEqual(ai.interval, i);
  assert.equal(ai.probability_below, withIntervals.pilot_gate.probability_below);
  assert.throws(() => qa.agreement(records, { replicates: 10, decideBy: { risk: 0.7 } }),
    /^Error: options.decideBy.risk: 0.7 is not a risk in \(0, 0.5\)$/);
  assert.equal(all['Table.fromColumns'].annotations, records.length);
  assert.equal(all['Table.fromColumns'].items, 400);
});

test('compareToGold on a Table equals the records form; contradicting gold is refused', () => {
  const gold = Object.fromEntries(records.filter((_, k) => k % 50 === 0).map((r) => [r.item, r.label]));
  const table = Table.fromColumns(columns());
  assert.deepEqual(qa.compareToGold(table, gold), qa.compareToGold(records, gold));
  // The table is not changed by gold that names new items and labels.
  const wider = { ...gold, unseen: 'L99' };
  assert.deepEqual(qa.compareToGold(table, wider), qa.compareToGold(records, wider));
  assert.equal(table.items, 400);
  assert.deepEqual(qa.compareToGold(table, gold), qa.compareToGold(records, gold));
  assert.throws(() => qa.compareToGold(table, [{ item: 't0', label: 'L1' }, { item: 't0', label: 'L2' }]),
    /^Error: gold: item `t0` has two gold labels, `L1` and `L2`$/);
});

test('bad columns and bad CSV are refused with the place', () => {
  const c = columns();
  assert.throws(() => Table.fromColumns({ ...c, labels: c.labels.subarray(1) }),
    /items, annotators and labels must have one entry per annotation \(got 2000, 2000 and 1999\)/);
  const bad = Uint32Array.from(c.labels);
  bad[7] = 6;
  assert.throws(() => Table.fromColumns({ ...c, labels: bad }), /^Error: labels\[7\]: id 6 is not in the 6 names listed$/);
  assert.throws(() => Table.fromColumns({ ...c, labelNames: ['L0', 'L1', 'L0', 'L3', 'L4', 'L5'] }),
    /^Error: labelNames\[2\]: `L0` is listed twice \(first at labelNames\[0\]\)$/);
  const twice = { items: [0, 0], annotators: [0, 0], labels: [0, 1], itemNames: ['a'], annotatorNames: ['x'], labelNames: ['p', 'q'] };
  assert.throws(() => Table.fromColumns(twice), /annotation 1: annotator `x` labelled item `a` twice \(first at annotation 0\)/);
  assert.throws(() => Table.fromColumns({ ...c, items: 'nope' }), /columns\.items: expected a Uint32Array/);
  assert.throws(() => Table.fromCsv('item,annotator,label\nt1,ann\n', 'short.csv'),
    /^Error: short\.csv: line 2: /);
});

test('alpha alone and aggregateColumns give the report\'s numbers', () => {
  const table = Table.fromColumns(columns());
  const report = qa.agreement(table);
  assert.equal(qa.alpha(table), report.krippendorff_alpha.nominal);
  assert.equal(qa.alpha(records), report.krippendorff_alpha.nominal);
  assert.throws(() => qa.alpha(table, { metric: 'interval' }), /labels are not numbers, so give their order/);
  const order = ['L0', 'L1', 'L2', 'L3', 'L4', 'L5'];
  assert.equal(qa.alpha(table, { metric: 'ordinal', order }), qa.agreement(table, { order }).krippendorff_alpha.ordinal);
  assert.throws(() => qa.alpha(table, { metric: 'cosine' }), /unknown metric `cosine`/);
  const names = table.itemNames();
  assert.equal(names.length, 400);
  for (const method of ['mv', 'ds']) {
    const full = qa.aggregate(table, { method });
    const cols = qa.aggregateColumns(table, { method });
    assert.ok(cols.labels instanceof Int32Array && cols.confidence instanceof Float64Array);
    const labels = Object.fromEntries(names.map((n, i) => [n, cols.labelNames[cols.labels[i]]]));
    const confidence = Object.fromEntries(names.map((n, i) => [n, cols.confidence[i]]));
    assert.deepEqual(labels, full.labels, method);
    assert.deepEqual(confidence, full.confidence, method);
    const { labels: _l, confidence: _c, labelNames: _n, ...rest } = cols;
    const { labels: _fl, confidence: _fc, ...fullRest } = full;
    assert.deepEqual(rest, fullRest, method);
  }
  const gold = { t0: records[0].label, t1: records[5].label };
  const wmv = qa.aggregateColumns(table, { method: 'wmv', gold });
  assert.equal(wmv.method, 'wmv');
  assert.equal(wmv.labels.length, 400);
});
