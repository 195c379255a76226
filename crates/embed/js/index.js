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

export function agreement(records, options) {
  return JSON.parse(raw.agreement(json(records), json(options)));
}
export function spanAgreement(docsByAnnotator) {
  return JSON.parse(raw.spanAgreement(json(docsByAnnotator)));
}
export function compareToGold(records, gold) {
  return JSON.parse(raw.compareToGold(json(records), json(gold)));
}
export function cocoEval(groundTruth, detections) {
  return JSON.parse(raw.cocoEval(json(groundTruth), json(detections)));
}
export function aggregate(records, options) {
  return JSON.parse(raw.aggregate(json(records), json(options ?? { method: 'mv' })));
}
export function validate(annotation, ruleset) {
  return JSON.parse(raw.validate(json(annotation), rulesOf(ruleset)));
}
export function validateAll(annotations, ruleset) {
  return JSON.parse(raw.validateAll(json(annotations), rulesOf(ruleset)));
}
export function fromLabelStudio(exportJson) {
  return JSON.parse(raw.fromLabelStudio(typeof exportJson === 'string' ? exportJson : json(exportJson)));
}
