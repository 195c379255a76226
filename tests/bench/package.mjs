// The concord-qa package as shipped (target/concord-qa, built by `cargo xtask package`), in this Node.js, on the
// benchmark's synthetic crowd CSVs (`cargo xtask synth N FILE`): each input form, agreement, majority vote and
// Dawid–Skene (50 iterations), per-item results as typed arrays (`aggregateColumns`); `mv_report_json_ms` is the
// object API's `aggregate`, whose JSON has one entry per item. Medians of repeated runs; written to target/bench/package.json. No time is asserted.
// Usage: node tests/bench/package.mjs CSV...
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const qa = await import('../../target/concord-qa/index.js');
const { Table } = qa;

function median(f, runs) {
  const times = [];
  // One run first, untimed: V8 compiles wasm in tiers, and the first calls run the baseline code.
  let out = f();
  if (out && typeof out.free === 'function') out.free();
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    out = f();
    times.push(performance.now() - t0);
    if (out && typeof out.free === 'function') out.free();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** The columns of a CSV (names in order of first appearance), built in JS as a caller would hold them. */
function columnsOf(text) {
  const lines = text.split('\n');
  const maps = [new Map(), new Map(), new Map()];
  const n = lines.length - 2;
  const cols = [new Uint32Array(n), new Uint32Array(n), new Uint32Array(n)];
  let k = 0;
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]) continue;
    const f = lines[i].split(',');
    for (let c = 0; c < 3; c++) {
      let id = maps[c].get(f[c]);
      if (id === undefined) { id = maps[c].size; maps[c].set(f[c], id); }
      cols[c][k] = id;
    }
    k++;
  }
  const names = maps.map((m) => [...m.keys()]);
  return { items: cols[0].subarray(0, k), annotators: cols[1].subarray(0, k), labels: cols[2].subarray(0, k),
    itemNames: names[0], annotatorNames: names[1], labelNames: names[2] };
}

const results = {};
for (const file of process.argv.slice(2)) {
  const bytes = new Uint8Array(readFileSync(file));
  const text = new TextDecoder().decode(bytes);
  const columns = columnsOf(text);
  const n = columns.items.length;
  const runs = n >= 1e6 ? 5 : 11;
  const table = Table.fromCsv(bytes);
  const r = {
    annotations: n,
    table_from_columns_ms: median(() => Table.fromColumns(columns), runs),
    table_from_csv_bytes_ms: median(() => Table.fromCsv(bytes), runs),
    alpha_from_columns_ms: median(() => { const t = Table.fromColumns(columns); qa.alpha(t); t.free(); }, runs),
    alpha_from_csv_bytes_ms: median(() => { const t = Table.fromCsv(bytes); qa.alpha(t); t.free(); }, runs),
    alpha_on_table_ms: median(() => qa.alpha(table), runs),
    agreement_on_table_ms: median(() => qa.agreement(table), runs),
    mv_on_table_ms: median(() => qa.aggregateColumns(table, { method: 'mv' }), runs),
    mv_from_columns_ms: median(() => { const t = Table.fromColumns(columns); qa.aggregateColumns(t, { method: 'mv' }); t.free(); }, runs),
    mv_report_json_ms: median(() => qa.aggregate(table, { method: 'mv' }), runs),
    // tol −1e300: all 50 iterations run, as in the criterion benchmark (tol −∞; JSON has no infinity).
    ds_50_on_table_ms: median(() => qa.aggregateColumns(table, { method: 'ds', maxIter: 50, tol: -1e300 }), 3),
  };
  if (n <= 1e5) {
    const records = [];
    for (let k = 0; k < n; k++) {
      records.push({ item: columns.itemNames[columns.items[k]], annotator: columns.annotatorNames[columns.annotators[k]], label: columns.labelNames[columns.labels[k]] });
    }
    r.agreement_from_records_ms = median(() => qa.agreement(records), runs);
    // α's interval: 1,000 item-bootstrap replicates (with every other item-level figure's, drawn together).
    r.alpha_interval_1000_on_table_ms = median(() => qa.alphaInterval(table, { replicates: 1000 }), 3);
    // Every figure with its 95 % interval: 1,000 bootstrap replicates (the CLI's default), as one call.
    r.agreement_with_intervals_1000_on_table_ms = median(() => qa.agreement(table, { replicates: 1000 }), 3);
  }
  results[n] = r;
  console.log(JSON.stringify({ file, ...r }));
}
mkdirSync('target/bench', { recursive: true });
writeFileSync('target/bench/package.json', JSON.stringify(results, null, 2));
