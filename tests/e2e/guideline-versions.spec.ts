import { test, expect } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { guidelineSections as sections, start } from './helpers';

// The guideline as a versioned document: the retail demo carries version 0.9 in its history; the annotator sees
// what changed from 0.9 to the current 1.0, section by section, rendered. The expected changes are worked out
// here from the two files.

const root = path.resolve(__dirname, '../../www/demo/retail');

test('the guideline\'s history: what changed between two versions, rendered section by section', async ({ page }) => {
  const project = JSON.parse(fs.readFileSync(path.join(root, 'project.json'), 'utf8'));
  const old = sections(fs.readFileSync(path.join(root, project.guidelines.history[0].path), 'utf8'));
  const now = sections(fs.readFileSync(path.join(root, project.guidelines.path), 'utf8'));
  const expected = new Map<string, string>();
  for (const [a, body] of now) if (a) expected.set(a, !old.has(a) ? 'added' : old.get(a) === body ? 'unchanged' : 'changed');
  for (const a of old.keys()) if (a && !now.has(a)) expected.set(a, 'removed');
  expect([...expected.values()]).toContain('removed');

  await start(page, 'demo/retail/');
  const diff = page.getByTestId('guideline-diff');
  await diff.locator('summary').click();
  await expect(diff.getByLabel('Older version')).toHaveValue(project.guidelines.history[0].version);
  await expect(diff.getByLabel('Newer version')).toHaveValue(project.guidelines.version);
  await expect(diff.locator('section.diff-section[data-anchor="#dairy"]')).toBeVisible();
  const shown = await diff.locator('section.diff-section').evaluateAll((els) =>
    els.filter((e) => e.getAttribute('data-anchor')).map((e) => [e.getAttribute('data-anchor'), e.getAttribute('data-change')]));
  expect(new Map(shown as [string, string][])).toEqual(expected);
  // Rendered, not raw: the added edge case shows its code span as code, in an added line.
  const added = diff.locator('section[data-anchor="#dairy"] .added-line');
  await expect(added).toHaveCount(1);
  await expect(added.locator('code').first()).toHaveText('JUICE');
  await expect(diff.locator('section[data-anchor="#frozen"]')).toContainText('Label frozen goods by what is inside the pack.');
  // The other way round, the added section is removed.
  await diff.getByLabel('Older version').selectOption(project.guidelines.version);
  await diff.getByLabel('Newer version').selectOption(project.guidelines.history[0].version);
  await expect(diff.locator('section[data-anchor="#examples"]')).toHaveAttribute('data-change', 'removed');
  await expect(diff.locator('section[data-anchor="#frozen"]')).toHaveAttribute('data-change', 'added');
});

test('did the edit help? agreement and errors per section, before and after the guideline change', async ({ page }) => {
  const { execFileSync } = await import('node:child_process');
  const os = await import('node:os');
  const bin = ['target/debug/concord', 'target/release/concord'].map((p) => path.resolve(__dirname, '../..', p)).find((p) => fs.existsSync(p));
  test.skip(!bin, 'the concord binary is not built');
  const project = JSON.parse(fs.readFileSync(path.join(root, 'project.json'), 'utf8'));
  const sectionOf = new Map<string, string>(project.schema.controls[0].labels.map((l: any) => [l.value, l.section]));
  const changed = (await import('./helpers')).changedSections(
    fs.readFileSync(path.join(root, project.guidelines.history[0].path), 'utf8'),
    fs.readFileSync(path.join(root, project.guidelines.path), 'utf8'));
  // Ana and Ben label 24 items under 0.9, then 24 others under 1.0: under 0.9 Ben calls yogurt milk; under 1.0 he
  // does not, but slips on one apple. Every item is a honeypot.
  const truth = ['yogurt', 'milk', 'apple', 'bread', 'yogurt', 'coffee'];
  type Row = { item: string; who: string; label: string; time: string; version: string };
  const rows: Row[] = [];
  for (const [v, version] of ['0.9', project.guidelines.version].entries()) {
    for (let k = 0; k < 24; k++) {
      const item = `x${v}${String(k).padStart(2, '0')}`;
      const t = truth[k % truth.length];
      const time = new Date(Date.UTC(2026, 10, 10 + v, 9, k)).toISOString();
      rows.push({ item, who: 'ana', label: t, time, version });
      const ben = v === 0 && t === 'yogurt' ? 'milk' : v === 1 && k === 2 ? 'banana' : t;
      rows.push({ item, who: 'ben', label: ben, time, version });
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-versions-'));
  const write = (name: string, text: string) => { const p = path.join(dir, name); fs.writeFileSync(p, text); return p; };
  const files = ['ana', 'ben'].map((w) => write(`${w}.csv`, 'item,annotator,label,time,guideline_version\n' +
    rows.filter((r) => r.who === w).map((r) => `${r.item},${r.who},${r.label},${r.time},${r.version}`).join('\n') + '\n'));
  const items = [...new Set(rows.map((r) => r.item))];
  const gold = write('honeypots.csv', 'item,label\n' + items.map((i) => `${i},${rows.find((r) => r.item === i)!.label}`).join('\n') + '\n');
  // α per version from the CLI on each version's rows alone.
  const alphaOf = (version: string) => {
    const p = write(`v${version}.csv`, 'item,annotator,label\n' + rows.filter((r) => r.version === version).map((r) => `${r.item},${r.who},${r.label}`).join('\n') + '\n');
    return JSON.parse(execFileSync(bin!, ['agreement', p], { encoding: 'utf8' })).krippendorff_alpha.nominal as number;
  };
  await page.goto('/?mode=review&project=demo/retail/');
  await expect(page.getByTestId('review-project')).toBeVisible();
  await page.getByTestId('import-files').setInputFiles([...files, gold]);
  const table = page.getByTestId('by-version');
  await expect(table).toBeVisible({ timeout: 30_000 });
  for (const version of ['0.9', project.guidelines.version]) {
    await expect(table.locator(`tr[data-row="alpha"] td[data-version="${version}"]`)).toHaveAttribute('data-value', alphaOf(version).toFixed(4));
    // Errors per section, counted here: every label is gold-checked (Ana is always right) and filed under the
    // section of its item's gold label.
    const goldOf = (item: string) => rows.find((x) => x.item === item && x.who === 'ana')!.label;
    const bySection = new Map<string, { checked: number; wrong: number }>();
    for (const r of rows.filter((x) => x.version === version)) {
      const e = bySection.get(sectionOf.get(goldOf(r.item))!) ?? { checked: 0, wrong: 0 };
      e.checked += 1;
      e.wrong += r.label === goldOf(r.item) ? 0 : 1;
      bySection.set(sectionOf.get(goldOf(r.item))!, e);
    }
    // Agreement: one pair per item (Ana and Ben), filed under the section of the item's most given label (a tie:
    // the alphabetically first), agreeing when both gave the same.
    const pairs = new Map<string, { pairs: number; agreeing: number }>();
    for (const item of new Set(rows.filter((x) => x.version === version).map((x) => x.item))) {
      const [a, b] = rows.filter((x) => x.item === item).map((x) => x.label);
      const lead = a === b ? a : [a, b].sort()[0];
      const e = pairs.get(sectionOf.get(lead)!) ?? { pairs: 0, agreeing: 0 };
      e.pairs += 1;
      e.agreeing += a === b ? 1 : 0;
      pairs.set(sectionOf.get(lead)!, e);
    }
    for (const [section, e] of bySection) {
      const cell = table.locator(`tr[data-section="${section}"] td[data-version="${version}"]`);
      await expect(cell).toHaveAttribute('data-checked', String(e.checked));
      await expect(cell).toHaveAttribute('data-wrong', String(e.wrong));
      const p = pairs.get(section) ?? { pairs: 0, agreeing: 0 };
      await expect(cell).toHaveAttribute('data-pairs', String(p.pairs));
      await expect(cell).toHaveAttribute('data-agreeing', String(p.agreeing));
    }
  }
  // The dairy section changed from 0.9 to 1.0, and its errors went from 8 to 0.
  expect(changed.has('#dairy')).toBe(true);
  await expect(table.locator('tr[data-section="#dairy"]')).toHaveClass(/changed/);
  await expect(table.locator('tr[data-section="#dairy"] td[data-version="0.9"]')).toHaveAttribute('data-wrong', '8');
  await expect(table.locator(`tr[data-section="#dairy"] td[data-version="${project.guidelines.version}"]`)).toHaveAttribute('data-wrong', '0');
  for (const s of await table.locator('tr[data-row="section"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-section'), e.classList.contains('changed')]))) {
    expect(s[1]).toBe(changed.has(s[0] as string));
  }
  // The same table from the command line: `concord drift --bundle` prints review mode's figures per version.
  const all = write('all.csv', 'item,annotator,label,time,guideline_version\n' + rows.map((r) => `${r.item},${r.who},${r.label},${r.time},${r.version}`).join('\n') + '\n');
  const cli = JSON.parse(execFileSync(bin!, ['drift', all, '--gold', gold, '--bundle', path.resolve(__dirname, '../../www/demo/retail')], { encoding: 'utf8' })).versions as
    { version: string; alpha: number; sections: Record<string, { checked: number; wrong: number; pairs: number; agreeing: number }> }[];
  expect(cli.map((v) => v.version)).toEqual(['0.9', project.guidelines.version]);
  for (const v of cli) {
    await expect(table.locator(`tr[data-row="alpha"] td[data-version="${v.version}"]`)).toHaveAttribute('data-value', v.alpha.toFixed(4));
    for (const [section, e] of Object.entries(v.sections)) {
      const cell = table.locator(`tr[data-section="${section}"] td[data-version="${v.version}"]`);
      for (const [key, n] of [['checked', e.checked], ['wrong', e.wrong], ['pairs', e.pairs], ['agreeing', e.agreeing]] as const) {
        await expect(cell).toHaveAttribute(`data-${key}`, String(n));
      }
    }
  }
});
