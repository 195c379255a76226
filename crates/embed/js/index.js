// concord-qa: Concord's quality engine as an ES module for browsers and Node.js.
// The WebAssembly module is instantiated once, here, before the module finishes loading (top-level await):
// from its URL in browsers, from its bytes in Node (where fetch cannot read file: URLs).
import initWasm, * as raw from './concord_qa.js';

const wasmUrl = new URL('./concord_qa_bg.wasm', import.meta.url);
const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;

if (isNode) {
  const { readFile } = await import('node:fs/promises');
  raw.initSync({ module: await readFile(wasmUrl) });
} else {
  await initWasm({ module_or_path: wasmUrl });
}

export const version = raw.version();

// Data crosses into wasm as JSON text and results come back as JSON text (see crates/embed/src/lib.rs).
const json = (v) => (v === undefined ? 'null' : JSON.stringify(v));

/** A rule file compiled once (regexes included), for validating on every edit. */
export class Rules extends raw.Rules {
  constructor(ruleFile) {
    super(typeof ruleFile === 'string' ? ruleFile : json(ruleFile));
  }
}

// Plain rule files are compiled once per object and reused on every edit.
const compiled = new WeakMap();
function rulesOf(ruleset) {
  if (ruleset instanceof raw.Rules) return ruleset;
  if (ruleset === null || typeof ruleset !== 'object') throw new TypeError('ruleset: expected a rules.json object or a Rules');
  let r = compiled.get(ruleset);
  if (!r) {
    r = new Rules(ruleset);
    compiled.set(ruleset, r);
  }
  return r;
}

/**
 * An annotation table held by the engine (in wasm memory): build it once from records, from columns (typed arrays
 * of ids plus name tables) or from a long-format CSV (text, bytes, or a Blob/File read as a stream), then pass it to
 * `agreement`, `aggregate` and `compareToGold` as often as needed. Large data never cross as one JSON value per
 * record. `free()` releases its memory at once (otherwise it is released when the object is collected).
 */
export class Table {
  #raw;
  constructor(rawTable) {
    if (!(rawTable instanceof raw.Table)) throw new TypeError('use Table.fromRecords, fromColumns, fromCsv or fromBlob');
    this.#raw = rawTable;
  }
  /** `[{item, annotator, label}]`, as `agreement` takes them. */
  static fromRecords(records) {
    return new Table(raw.Table.fromRecords(json(records)));
  }
  /** `{items, annotators, labels}` (Uint32Array or arrays of ids, one entry per annotation) and the name tables
   *  `{itemNames, annotatorNames, labelNames}` the ids index. */
  static fromColumns({ items, annotators, labels, itemNames, annotatorNames, labelNames }) {
    const ids = (v, what) => {
      if (v instanceof Uint32Array) return v;
      if (Array.isArray(v) || ArrayBuffer.isView(v)) return Uint32Array.from(v);
      throw new TypeError(`columns.${what}: expected a Uint32Array or an array of ids`);
    };
    const names = (v, what) => {
      if (!Array.isArray(v)) throw new TypeError(`columns.${what}: expected an array of names`);
      return JSON.stringify(v.map(String));
    };
    return new Table(raw.Table.fromColumns(ids(items, 'items'), ids(annotators, 'annotators'), ids(labels, 'labels'),
      names(itemNames, 'itemNames'), names(annotatorNames, 'annotatorNames'), names(labelNames, 'labelNames')));
  }
  /** A long-format CSV (`item,annotator,label`, as the CLI reads it) as text or UTF-8 bytes; `name` names it in errors. */
  static fromCsv(csv, name = 'csv') {
    const bytes = typeof csv === 'string' ? new TextEncoder().encode(csv) : csv instanceof Uint8Array ? csv : null;
    if (!bytes) throw new TypeError('csv: expected a string or a Uint8Array');
    return new Table(raw.Table.fromCsv(bytes, name));
  }
  /** A CSV `Blob` or `File`, read as a stream into wasm memory (never as one JS string). */
  static async fromBlob(blob, name = blob.name || 'csv') {
    const reader = new raw.CsvTableReader(name, blob.size);
    const stream = blob.stream().getReader();
    for (;;) {
      const { done, value } = await stream.read();
      if (done) break;
      reader.push(value);
    }
    return new Table(reader.finish());
  }
  /** Item names by id: the order of `aggregateColumns`' per-item arrays. */
  itemNames() { return JSON.parse(this.#raw.itemNames()); }
  /** Label names by id: what `aggregateColumns`' label ids index. */
  labelNames() { return JSON.parse(this.#raw.labelNames()); }
  get annotations() { return this.#raw.annotations; }
  get items() { return this.#raw.items; }
  free() { this.#raw.free(); }
  /** @internal */
  static raw(t) { return t.#raw; }
}

export function agreement(records, options) {
  if (records instanceof Table) return JSON.parse(raw.agreementTable(Table.raw(records), json(options)));
  return JSON.parse(raw.agreement(json(records), json(options)));
}
export function spanAgreement(docsByAnnotator) {
  return JSON.parse(raw.spanAgreement(json(docsByAnnotator)));
}
const tableOf = (input) => (input instanceof Table ? input : Table.fromRecords(input));

/** Krippendorff's α alone (nominal unless `{metric}` says otherwise), on records or a Table. */
export function alpha(input, options) {
  const t = tableOf(input);
  try {
    return raw.alphaTable(Table.raw(t), json(options));
  } finally {
    if (t !== input) t.free();
  }
}

export function alphaInterval(input, options) {
  const t = tableOf(input);
  try {
    return JSON.parse(raw.alphaIntervalTable(Table.raw(t), json(options)));
  } finally {
    if (t !== input) t.free();
  }
}

/**
 * `aggregate` with the per-item result as typed arrays: `labels[i]` (an index into `labelNames`, -1 for an item
 * without annotations) and `confidence[i]` for item `itemNames[i]`, plus the report's other fields.
 */
export function aggregateColumns(table, options) {
  if (!(table instanceof Table)) throw new TypeError('aggregateColumns: expected a Table');
  const r = raw.aggregateColumns(Table.raw(table), json(options ?? { method: 'mv' }));
  try {
    const summary = JSON.parse(r.summary);
    delete summary.labels;
    delete summary.confidence;
    return { ...summary, labels: r.labels, confidence: r.confidence, labelNames: table.labelNames() };
  } finally {
    r.free();
  }
}

export function compareToGold(records, gold) {
  if (records instanceof Table) return JSON.parse(raw.compareToGoldTable(Table.raw(records), json(gold)));
  return JSON.parse(raw.compareToGold(json(records), json(gold)));
}
export function cocoEval(groundTruth, detections) {
  return JSON.parse(raw.cocoEval(json(groundTruth), json(detections)));
}
export function aggregate(records, options) {
  if (records instanceof Table) return JSON.parse(raw.aggregateTable(Table.raw(records), json(options ?? { method: 'mv' })));
  return JSON.parse(raw.aggregate(json(records), json(options ?? { method: 'mv' })));
}
export function validate(annotation, ruleset) {
  return JSON.parse(raw.validate(json(annotation), rulesOf(ruleset)));
}
export function validateAll(annotations, ruleset) {
  return JSON.parse(raw.validateAll(json(annotations), rulesOf(ruleset)));
}
export function goldFeedback(result, gold) {
  return JSON.parse(raw.goldFeedback(json(result), json(gold)));
}
export function labelStudioRegionAgreement(exportJson, control) {
  return JSON.parse(raw.labelStudioRegionAgreement(typeof exportJson === 'string' ? exportJson : json(exportJson), control));
}
export function labelStudioSchema(configXml) {
  return JSON.parse(raw.labelStudioSchema(configXml));
}
export function labelStudioResult(configXml, result, data) {
  return JSON.parse(raw.labelStudioResult(configXml, json(result), json(data ?? {})));
}
export function labelStudioConfig(project) {
  return JSON.parse(raw.labelStudioConfig(typeof project === 'string' ? project : json(project)));
}
export function fromLabelStudio(exportJson) {
  return JSON.parse(raw.fromLabelStudio(typeof exportJson === 'string' ? exportJson : json(exportJson)));
}
