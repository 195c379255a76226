import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { saved, start } from './helpers';

// A rating scale (the ticket-urgency demo, 1–5 with a rubric): labelled by keyboard with the rubric beside the
// scale; in review mode, numeric ratings get ordinal and interval agreement, checked against the CLI.

const root = path.resolve(__dirname, '../..');

test('a rating is given by its key with the rubric beside the scale, and exported', async ({ page }) => {
  const project = JSON.parse(fs.readFileSync(path.join(root, 'www/demo/tickets/project.json'), 'utf8'));
  const control = project.schema.controls[0];
  await start(page, 'demo/tickets/');
  const rubric = page.getByTestId('rubric');
  await expect(rubric.locator('li')).toHaveCount(control.anchors.length);
  for (const a of control.anchors) {
    await expect(rubric.locator(`li[data-value="${a.value}"]`)).toHaveText(`${a.value} — ${a.example}: ${a.reason}`);
  }
  // The scale's values are its keys.
  await page.keyboard.press('4');
  await expect(page.locator('.label-button[data-label="4"]')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('2');
  await expect(page.locator('.label-button[data-label="2"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.label-button[data-label="4"]')).toHaveAttribute('aria-pressed', 'false');
  await page.keyboard.press('Enter');
  await expect(page.locator('.task')).toHaveAttribute('data-task-id', 't002');
  await saved(page);
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-log').click()]);
  const events = fs.readFileSync(await d.path(), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const choose = events.filter((e) => e.op.type === 'choose');
  expect(choose.map((e) => e.op.labels)).toEqual([['4'], ['2']]);
  expect(events.at(-1).op.type).toBe('submit');
});

test('ratings in review mode: ordinal and interval agreement as the CLI computes them', async ({ page }) => {
  const bin = ['target/debug/concord', 'target/release/concord'].map((p) => path.join(root, p)).find((p) => fs.existsSync(p));
  test.skip(!bin, 'the concord binary is not built');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-ratings-'));
  // Three raters: Ana on the rubric, Ben one step higher on a third of the tickets, Cai two steps off on a few.
  let s = 9;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rows = ['item,annotator,label'];
  for (let i = 1; i <= 60; i++) {
    const truth = 1 + Math.floor(rand() * 5);
    const clamp = (v: number) => Math.min(5, Math.max(1, v));
    rows.push(`t${i},ana,${truth}`, `t${i},ben,${clamp(truth + (i % 3 === 0 ? 1 : 0))}`, `t${i},cai,${clamp(truth + (i % 7 === 0 ? -2 : 0))}`);
  }
  const file = path.join(dir, 'ratings.csv');
  fs.writeFileSync(file, rows.join('\n') + '\n');
  await page.goto('/?mode=review&project=demo/tickets/');
  await page.getByTestId('import-files').setInputFiles(file);
  const cli = JSON.parse(execFileSync(bin!, ['agreement', file], { encoding: 'utf8' }));
  expect(cli.krippendorff_alpha.ordinal).not.toBeNull();
  await expect(page.locator('[data-figure="alpha"]')).toHaveText(cli.krippendorff_alpha.nominal.toFixed(3));
  await expect(page.locator('[data-figure="alpha-ordinal"]')).toHaveText(cli.krippendorff_alpha.ordinal.toFixed(3));
  await expect(page.locator('[data-figure="alpha-interval"]')).toHaveText(cli.krippendorff_alpha.interval.toFixed(3));
  // Near misses count: interval agreement is well above nominal here.
  expect(cli.krippendorff_alpha.interval).toBeGreaterThan(cli.krippendorff_alpha.nominal);
});
