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
