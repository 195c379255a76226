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
export const Rules = raw.Rules;

// Results come back from wasm as JSON text (see crates/embed/src/lib.rs) and are parsed here.

// Plain rule files are compiled once per object (regexes included) and reused on every edit.
const compiled = new WeakMap();
function rulesOf(ruleset) {
  if (ruleset instanceof raw.Rules) return ruleset;
  if (ruleset === null || typeof ruleset !== 'object') throw new TypeError('ruleset: expected a rules.json object or a Rules');
  let r = compiled.get(ruleset);
  if (!r) {
    r = new raw.Rules(ruleset);
    compiled.set(ruleset, r);
  }
  return r;
}

export function agreement(records, options) {
  return JSON.parse(raw.agreement(records, options));
}
export function spanAgreement(docsByAnnotator) {
  return JSON.parse(raw.spanAgreement(docsByAnnotator));
}
export function compareToGold(records, gold) {
  return JSON.parse(raw.compareToGold(records, gold));
}
export function cocoEval(groundTruth, detections) {
  return JSON.parse(raw.cocoEval(groundTruth, detections));
}
export function aggregate(records, options) {
  return JSON.parse(raw.aggregate(records, options ?? { method: 'mv' }));
}
export function validate(annotation, ruleset) {
  return JSON.parse(raw.validate(annotation, rulesOf(ruleset)));
}
export function validateAll(annotations, ruleset) {
  return JSON.parse(raw.validateAll(annotations, rulesOf(ruleset)));
}
export function fromLabelStudio(exportJson) {
  return JSON.parse(raw.fromLabelStudio(exportJson));
}
