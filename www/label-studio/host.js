// The Label Studio frontend (its own npm build, served from vendor/) with Concord's QA inside. Label Studio does the
// labelling; everything QA comes from the concord-qa package: the schema of a label config (or the label config of
// a Concord bundle), the reading of Label Studio's own serialisation, the checks, gold feedback and the task set's
// figures. This file only wires the two together and keeps the annotations made here.
//
// Open with `?bundle=../demo/shelf/` (a Concord bundle: its rules, gold and predictions) or
// `?config=CONFIG.xml&tasks=TASKS.json[&rules=RULES.json]` (a Label Studio project: its tasks' ground truth is gold).
import {
  goldFeedback,
  labelStudioConfig,
  labelStudioResult,
  labelStudioRegionAgreement,
  labelStudioSchema,
  validate,
  validateAll,
  version,
} from '../concord-qa/index.js';
import '../concord-qa/widgets.js';

const $ = (id) => document.getElementById(id);
const panel = $('panel');
const NO_RULES = { format: 'concord-rules', version: 1, rules: [] };
const INTERFACES = ['panel', 'update', 'submit', 'controls', 'topbar', 'side-column', 'annotations:menu', 'edit-history'];

let project = null;
let index = 0;
let store = null;
/** What the selected annotation says now: Label Studio's result list, Concord's result, the checks' verdict. */
let current = { seen: '', ls: [], result: {}, violations: [] };
/** Every annotation submitted here: `{task, annotator, result, ls}`, kept in localStorage. */
let submitted = [];
let lastReport = null;

// ---- loading ------------------------------------------------------------------------------------------------------

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

async function fetchJson(url) {
  const text = await fetchText(url);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${url}: ${e.message}`);
  }
}

function jsonLines(name, text) {
  const rows = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      rows.push(JSON.parse(line));
    } catch (e) {
      throw new Error(`${name}: line ${i + 1}: ${e.message}`);
    }
  });
  return rows;
}

/** A Concord bundle: the label config made from its schema, its tasks, gold, predictions and rules. */
async function fromBundle(base) {
  const manifest = await fetchJson(new URL('project.json', base));
  const { config, dropped } = labelStudioConfig(manifest);
  const lines = async (path) => jsonLines(path, await fetchText(new URL(path, base)));
  const tasks = [];
  for (const chunk of manifest.tasks) tasks.push(...(await lines(chunk.path)));
  const gold = manifest.gold ? await lines(manifest.gold.path) : [];
  const predictions = manifest.predictions ? await lines(manifest.predictions.path) : [];
  return {
    name: manifest.name,
    key: `bundle:${base}`,
    config,
    schema: manifest.schema,
    dropped,
    tasks: tasks.map((t) => {
      const data = { ...(t.meta ?? {}), ...t.data, concord_id: t.id };
      // Label Studio loads the image by URL; the bundle's paths are relative to the bundle.
      if (t.data.image) data.image = new URL(t.data.image, base).href;
      return { id: t.id, ls: data, concord: { id: t.id, data: t.data } };
    }),
    gold: new Map(gold.map((g) => [g.task, g])),
    predictions: new Map(predictions.map((p) => [p.task, p])),
    rules: manifest.rules ? await fetchJson(new URL(manifest.rules.path, base)) : NO_RULES,
  };
}

/** A Label Studio project: its label config read as a Concord schema, its tasks, their ground truth as gold. */
async function fromLabelStudio(configUrl, tasksUrl, rulesUrl) {
  if (!tasksUrl) throw new Error('?config= needs &tasks=TASKS.json: the Label Studio tasks to label');
  const config = await fetchText(configUrl);
  const { schema, field, dropped } = labelStudioSchema(config);
  const raw = await fetchJson(tasksUrl);
  if (!Array.isArray(raw)) throw new Error(`${tasksUrl}: expected a list of Label Studio tasks`);
  const gold = new Map();
  const tasks = raw.map((t, i) => {
    const data = t.data ?? {};
    const id = String(data.concord_id ?? t.id ?? i + 1);
    const shown = schema.data === 'text' ? { text: data[field] } : { image: data[field], width: data.width, height: data.height };
    for (const a of t.annotations ?? []) {
      if (a.ground_truth) gold.set(id, { task: id, result: labelStudioResult(config, a.result ?? [], data) });
    }
    return { id, ls: data, concord: { id, data: shown } };
  });
  return {
    name: tasksUrl.split('/').pop(),
    key: `label-studio:${new URL(tasksUrl, location.href).href}`,
    config,
    schema,
    dropped,
    tasks,
    gold,
    predictions: new Map(),
    rules: rulesUrl ? await fetchJson(rulesUrl) : NO_RULES,
  };
}

// ---- the editor -----------------------------------------------------------------------------------------------------

function annotator() {
  return $('annotator').value.trim() || 'annotator';
}

function annotationIn(task, result) {
  const prediction = project.predictions.get(task.id);
  return prediction ? { task: task.concord, result, prediction } : { task: task.concord, result };
}

function mount() {
  const task = project.tasks[index];
  $('position').textContent = `Task ${task.id} (${index + 1} of ${project.tasks.length})`;
  $('previous').disabled = index === 0;
  $('next').disabled = index === project.tasks.length - 1;
  store = null;
  current = { seen: '', ls: [], result: {}, violations: [] };
  showBlocked([]);
  if (window.__concordLabelStudio) window.__concordLabelStudio.destroy();
  window.__concordLabelStudio = new window.LabelStudio('label-studio', {
    config: project.config,
    interfaces: INTERFACES,
    user: { pk: 1, firstName: annotator(), lastName: '' },
    task: { id: index + 1, data: task.ls, annotations: [], predictions: [] },
    onLabelStudioLoad(s) {
      store = s;
      const annotation = s.annotationStore.addAnnotation({ userGenerate: true });
      s.annotationStore.selectAnnotation(annotation.id);
    },
    onStorageInitialized(s) {
      store = s;
      check();
    },
    // Regions made or deleted; their final offsets are there once the event has run.
    onEntityCreate: () => setTimeout(check, 0),
    onEntityDelete: () => setTimeout(check, 0),
    onSubmitAnnotation: (_s, annotation) => submit(annotation),
    onUpdateAnnotation: (_s, annotation) => submit(annotation),
  });
}

/** Re-checks the selected annotation when Label Studio's serialisation of it has changed (or when `force`d). */
function check(force = false) {
  const annotation = store?.annotationStore?.selected;
  if (!annotation) return;
  const list = annotation.serializeAnnotation();
  const seen = JSON.stringify(list);
  if (!force && seen === current.seen) return;
  const task = project.tasks[index];
  let result;
  try {
    result = labelStudioResult(project.config, list, task.ls);
  } catch (e) {
    showProblem(`Task ${task.id}: ${e.message}`);
    return;
  }
  current = { seen, ls: list, result, violations: current.violations };
  panel.annotation = annotationIn(task, result);
}

// A choice click, a moved box or a relabelled span fires no callback in Label Studio 1.4.0: its serialisation is
// compared a few times a second, and any change is checked at once.
setInterval(check, 150);

panel.addEventListener('concord-validated', (e) => {
  current.violations = e.detail.violations;
  if (!$('blocked').hidden) showBlocked(errorsNow());
});

function errorsNow() {
  return current.violations.filter((v) => v.severity === 'error');
}

function showBlocked(errors) {
  const p = $('blocked');
  p.hidden = errors.length === 0;
  p.textContent = errors.length === 0 ? '' : `Submit is blocked: ${errors.map((v) => v.message).join('; ')}.`;
}

function showProblem(message) {
  const p = $('source');
  p.textContent = message;
  p.setAttribute('role', 'alert');
}

function isSubmit(target) {
  return Boolean(target?.closest?.('#label-studio [aria-label="submit"]'));
}

/** Submit (the button, or Ctrl+Enter) is held back while an error rule is broken; the reason is shown. */
function guard(e) {
  check(true);
  const errors = errorsNow();
  if (errors.length === 0) return;
  e.preventDefault();
  e.stopImmediatePropagation();
  showBlocked(errors);
}
window.addEventListener('click', (e) => isSubmit(e.target) && guard(e), true);
window.addEventListener('keydown', (e) => e.key === 'Enter' && (e.ctrlKey || e.metaKey) && guard(e), true);

function submit(annotation) {
  const task = project.tasks[index];
  const list = annotation.serializeAnnotation();
  const result = labelStudioResult(project.config, list, task.ls);
  const errors = validate(annotationIn(task, result), project.rules).filter((v) => v.severity === 'error');
  if (errors.length > 0) {
    // Reached only if Label Studio submitted by a way the guard does not see: nothing is kept.
    showBlocked(errors);
    return;
  }
  const who = annotator();
  submitted = submitted.filter((s) => !(s.task === task.id && s.annotator === who));
  submitted.push({ task: task.id, annotator: who, result, ls: list });
  save();
  showFeedback(task, result);
  renderTaskSet();
  if (index < project.tasks.length - 1) index += 1;
  mount();
}

function showFeedback(task, result) {
  const section = $('feedback');
  const gold = project.gold.get(task.id);
  section.hidden = false;
  section.className = 'feedback';
  if (!gold) {
    section.textContent = `Task ${task.id} submitted (not a gold task).`;
    section.dataset.matches = '';
    return;
  }
  const f = goldFeedback(result, gold);
  section.classList.add(f.matches ? 'correct' : 'wrong');
  section.dataset.matches = String(f.matches);
  const heading = document.createElement('p');
  heading.textContent = f.matches ? `Task ${task.id} matches the gold answer.` : `Task ${task.id} differs from the gold answer:`;
  const list = document.createElement('ul');
  for (const c of f.controls.filter((c) => !c.matches)) {
    const li = document.createElement('li');
    li.dataset.control = c.control;
    li.textContent = `${c.control}: expected ${c.expected}; given ${c.given}`;
    list.append(li);
  }
  section.replaceChildren(heading, list);
  if (f.explanation) section.append(Object.assign(document.createElement('p'), { textContent: f.explanation }));
}

// ---- the task set --------------------------------------------------------------------------------------------------

function storageKey() {
  return `concord-label-studio:${project.key}`;
}

function save() {
  localStorage.setItem(storageKey(), JSON.stringify(submitted));
}

function restore() {
  const text = localStorage.getItem(storageKey());
  if (!text) return;
  try {
    const known = new Set(project.tasks.map((t) => t.id));
    submitted = JSON.parse(text).filter((s) => known.has(s.task));
  } catch {
    showProblem(`The annotations kept in this browser for ${project.name} could not be read; they are left as they are.`);
  }
}

/** The first single-choice or rating control: what the agreement matrix and the gold report are about. */
function choiceControl() {
  return project.schema.controls.find((c) => c.type === 'single_choice' || c.type === 'rating')?.name ?? null;
}

function renderTaskSet() {
  const byTask = new Map(project.tasks.map((t) => [t.id, t]));
  const annotators = new Set(submitted.map((s) => s.annotator));
  $('submitted').textContent = `${submitted.length} annotations by ${annotators.size} annotators`;
  $('submitted').dataset.count = String(submitted.length);
  lastReport = validateAll(submitted.map((s) => annotationIn(byTask.get(s.task), s.result)), project.rules);
  const table = $('report');
  table.hidden = submitted.length === 0;
  table.querySelector('tbody').replaceChildren(
    ...Object.entries(lastReport.by_rule).map(([rule, r]) => {
      const tr = document.createElement('tr');
      tr.dataset.rule = rule;
      for (const text of [rule, r.severity ?? '', String(r.annotations), r.rate.toFixed(3)]) {
        tr.append(Object.assign(document.createElement('td'), { textContent: text }));
      }
      return tr;
    }),
  );
  renderRegionAgreement(annotators);
  const control = choiceControl();
  const matrix = $('matrix');
  const gold = $('gold');
  if (!control) return;
  const records = submitted
    .filter((s) => Array.isArray(s.result[control]) && s.result[control].length === 1)
    .map((s) => ({ item: s.task, annotator: s.annotator, label: String(s.result[control][0]) }));
  matrix.hidden = annotators.size < 2;
  if (!matrix.hidden) matrix.records = records;
  const goldRecords = [...project.gold.values()]
    .filter((g) => Array.isArray(g.result[control]) && g.result[control].length === 1)
    .map((g) => ({ item: g.task, annotator: 'gold', label: String(g.result[control][0]) }));
  const scored = records.some((r) => project.gold.has(r.item));
  gold.hidden = !scored;
  if (scored) {
    gold.records = records;
    gold.gold = goldRecords;
  }
}

/** The first region control's agreement between every pair of annotators (spans: exact F1; boxes and polygons:
 * F1 at IoU 0.5), the package's on the task set as a Label Studio export. */
function renderRegionAgreement(annotators) {
  const table = $('region-agreement');
  const control = project.schema.controls.find((c) => ['spans', 'boxes', 'polygons'].includes(c.type))?.name;
  table.hidden = !control || annotators.size < 2;
  if (table.hidden) return;
  const agreement = labelStudioRegionAgreement(exportText(), control);
  if (!agreement) return;
  const { kind, report } = agreement;
  const figure = kind === 'spans' ? 'f1' : 'f1_50';
  const name = kind === 'spans' ? 'exact F1' : 'F1 at IoU 0.5';
  const overall = report[figure];
  table.querySelector('caption').textContent = `Agreement on ${control}: ${name} ${overall == null ? '–' : overall.toFixed(3)}`;
  table.dataset.figure = figure;
  table.dataset.value = overall == null ? '' : String(overall);
  table.querySelector('thead tr').lastElementChild.textContent = name;
  table.querySelector('tbody').replaceChildren(
    ...report.pairwise.map((p) => {
      const tr = document.createElement('tr');
      tr.dataset.pair = `${p.a}|${p.b}`;
      const value = p[figure];
      for (const text of [p.a, p.b, value == null ? '–' : value.toFixed(3)]) {
        tr.append(Object.assign(document.createElement('td'), { textContent: text }));
      }
      return tr;
    }),
  );
}

function download(name, type, text) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 0);
}

$('download-annotations').addEventListener('click', () => {
  const lines = submitted.map((s) => JSON.stringify({ task: s.task, annotator: s.annotator, result: s.result }));
  download('annotations.jsonl', 'application/x-ndjson', lines.map((l) => `${l}\n`).join(''));
});

/** The task set as a Label Studio export: each task with the annotations submitted here, in Label Studio's own shape. */
function exportText() {
  const tasks = project.tasks
    .map((t, i) => ({
      id: i + 1,
      data: t.ls,
      annotations: submitted
        .filter((s) => s.task === t.id)
        .map((s, k) => ({ id: k + 1, completed_by: { email: s.annotator }, result: s.ls, was_cancelled: false, ground_truth: false })),
    }))
    .filter((t) => t.annotations.length > 0);
  return JSON.stringify(tasks, null, 1);
}

$('download-export').addEventListener('click', () => download('label-studio-export.json', 'application/json', exportText()));

$('download-report').addEventListener('click', () => {
  download('qa-report.json', 'application/json', JSON.stringify(lastReport, null, 1));
});

$('previous').addEventListener('click', () => {
  if (index > 0) index -= 1;
  mount();
});
$('next').addEventListener('click', () => {
  if (index < project.tasks.length - 1) index += 1;
  mount();
});

// ---- start ---------------------------------------------------------------------------------------------------------

const params = new URLSearchParams(location.search);
try {
  project = params.get('config')
    ? await fromLabelStudio(params.get('config'), params.get('tasks'), params.get('rules'))
    : await fromBundle(new URL(params.get('bundle') ?? '../demo/retail/', location.href));
  panel.rules = project.rules;
  const dropped = $('dropped');
  dropped.hidden = project.dropped.length === 0;
  dropped.querySelector('ul').replaceChildren(...project.dropped.map((d) => Object.assign(document.createElement('li'), { textContent: d })));
  restore();
  $('source').textContent = `${project.name}: ${project.tasks.length} tasks, ${project.gold.size} gold · concord-qa ${version}`;
  renderTaskSet();
  mount();
} catch (e) {
  showProblem(e.message);
}
