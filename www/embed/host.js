// ShelfTool's script: an "existing tool" with its own task list and box editor, and Concord's QA embedded through
// the concord-qa package (served at /concord-qa/). Everything QA comes from the package; the rest is the host's.
import { fromLabelStudio, version } from '../concord-qa/index.js';
import '../concord-qa/widgets.js';

const $ = (id) => document.getElementById(id);
const panel = $('panel');
const matrix = $('matrix');
const gold = $('gold');
const LABELS = ['product', 'price_tag'];

let tasks = [];
let current = -1;
let regions = [];

function log(text) {
  const li = document.createElement('li');
  li.textContent = text;
  $('events').prepend(li);
}

panel.addEventListener('concord-violation', (e) => {
  const { violations, blocking } = e.detail;
  log(`concord-violation: ${violations.map((v) => v.rule).join(', ')}${blocking ? ' (blocks submission)' : ''}`);
});
panel.addEventListener('concord-select', (e) => {
  log(`concord-select: ${e.detail.rule} on region ${e.detail.region}`);
  highlight(e.detail.region);
});
matrix.addEventListener('concord-pair-select', (e) => {
  const { a, b, value, items } = e.detail;
  log(`concord-pair-select: ${a} × ${b}: ${value === null ? '–' : value.toFixed(3)} on ${items} items`);
});
gold.addEventListener('concord-annotator-select', (e) => log(`concord-annotator-select: ${e.detail.annotator}`));
document.addEventListener('concord-error', (e) => log(`concord-error: ${e.detail.message}`));

/** The host's own reading of its tasks: image size and, for the editor, the first annotator's boxes in pixels. */
function tasksOf(exported) {
  return exported.map((t) => {
    const ann = (t.annotations ?? []).find((a) => !a.ground_truth && (a.result ?? []).some((r) => r.type === 'rectanglelabels'));
    const rects = (ann?.result ?? []).filter((r) => r.type === 'rectanglelabels');
    const width = rects[0]?.original_width ?? 1000;
    const height = rects[0]?.original_height ?? 1000;
    const boxes = rects.map((r) => ({
      label: r.value.rectanglelabels[0],
      x: Math.round((r.value.x * width) / 100),
      y: Math.round((r.value.y * height) / 100),
      w: Math.round((r.value.width * width) / 100),
      h: Math.round((r.value.height * height) / 100),
    }));
    return { id: t.id, image: t.data?.image ?? '', width, height, boxes };
  });
}

function open(text, name) {
  let exported;
  let qa;
  try {
    exported = JSON.parse(text);
    qa = fromLabelStudio(text);
  } catch (e) {
    $('source').textContent = `${name}: ${e.message}`;
    return;
  }
  tasks = tasksOf(Array.isArray(exported) ? exported : [exported]);
  matrix.hidden = qa.records.length === 0;
  if (qa.records.length > 0) matrix.records = qa.records;
  gold.hidden = qa.gold.length === 0 || qa.records.length === 0;
  if (!gold.hidden) {
    gold.records = qa.records;
    gold.gold = qa.gold;
  }
  $('source').textContent = `${name}: ${tasks.length} tasks, ${qa.records.length} class labels, ${qa.boxes.length} boxes · concord-qa ${version}`;
  renderTasks();
  pick(0);
}

function renderTasks() {
  const list = $('tasks');
  list.replaceChildren(
    ...tasks.map((t, i) => {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = `Task ${t.id}`;
      b.dataset.index = String(i);
      b.addEventListener('click', () => pick(i));
      li.append(b);
      return li;
    }),
  );
}

function pick(i) {
  if (i < 0 || i >= tasks.length) return;
  current = i;
  regions = tasks[i].boxes.map((b) => ({ ...b }));
  for (const b of $('tasks').querySelectorAll('button')) b.setAttribute('aria-current', String(b.dataset.index === String(i)));
  $('editing').textContent = `— task ${tasks[i].id} (${tasks[i].width}×${tasks[i].height})`;
  renderRegions();
  check();
}

function renderRegions() {
  const body = $('regions').querySelector('tbody');
  body.replaceChildren(
    ...regions.map((r, i) => {
      const tr = document.createElement('tr');
      tr.dataset.region = String(i);
      const num = document.createElement('td');
      num.textContent = String(i);
      const labelCell = document.createElement('td');
      const select = document.createElement('select');
      select.setAttribute('aria-label', `label of box ${i}`);
      for (const l of LABELS.includes(r.label) ? LABELS : [...LABELS, r.label]) select.add(new Option(l, l, false, l === r.label));
      select.addEventListener('change', () => edit(i, 'label', select.value));
      labelCell.append(select);
      tr.append(num, labelCell);
      for (const k of ['x', 'y', 'w', 'h']) {
        const td = document.createElement('td');
        const input = document.createElement('input');
        input.type = 'number';
        input.value = String(r[k]);
        input.name = `${k}${i}`;
        input.setAttribute('aria-label', `${k} of box ${i}`);
        input.addEventListener('input', () => edit(i, k, Number(input.value)));
        td.append(input);
        tr.append(td);
      }
      return tr;
    }),
  );
}

/** The fake editor changed a region: re-check the annotation at once. */
function edit(i, key, value) {
  regions[i][key] = value;
  check();
}

function check() {
  const t = tasks[current];
  panel.annotation = { task: { id: String(t.id), data: { image: t.image, width: t.width, height: t.height } }, result: { objects: regions } };
}

function highlight(region) {
  for (const tr of $('regions').querySelectorAll('tr[data-region]')) tr.classList.toggle('picked', tr.dataset.region === String(region));
}

$('open-export').addEventListener('change', async (e) => {
  const file = e.target.files?.[0];
  if (file) open(await file.text(), file.name);
});

panel.rules = await (await fetch('rules.json')).json();
open(await (await fetch('shelf-audit-export.json')).text(), 'shelf-audit-export.json');
