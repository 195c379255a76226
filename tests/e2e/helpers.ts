import { expect, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// Steps shared by the annotator-mode suites.

/** Opens a project as a first-time user and enters the annotator's name. */
export async function start(page: Page, project: string, name = 'Ada') {
  await page.goto(`./?project=${project}`);
  await expect(page.getByTestId('annotator-prompt')).toBeVisible();
  await page.locator('#annotator-name').fill(name);
  await page.locator('#annotator-name').press('Enter');
  await expect(page.getByTestId('annotator-prompt')).toHaveCount(0);
}

/** Waits until IndexedDB has acknowledged every recorded action. */
export async function saved(page: Page, count?: number) {
  const state = page.getByTestId('save-state');
  await expect(state).toHaveText('All changes saved');
  if (count !== undefined) await expect(state).toHaveAttribute('data-saved', String(count));
}


/** A guideline's sections by heading anchor (GitHub style), each with its trimmed body — worked out here, apart
 * from the engine, to check what the app says changed. */
export function guidelineSections(md: string): Map<string, string> {
  const out = new Map<string, string>();
  let anchor = '';
  let body: string[] = [];
  const flush = () => out.set(anchor, body.map((l) => l.trimEnd()).join('\n').trim());
  for (const line of md.split('\n')) {
    const m = /^(#{1,6}) (.*)$/.exec(line);
    if (m) {
      flush();
      anchor = '#' + m[2].toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).join('-');
      body = [];
    } else body.push(line);
  }
  flush();
  return out;
}

/** The anchors of the sections added, removed or changed from `old` to `now`. */
export function changedSections(old: string, now: string): Set<string> {
  const a = guidelineSections(old);
  const b = guidelineSections(now);
  const out = new Set<string>();
  for (const [k, v] of b) if (k && a.get(k) !== v) out.add(k);
  for (const k of a.keys()) if (k && !b.has(k)) out.add(k);
  return out;
}

/** Zips the folder `src` to `out` with deflate, the way people zip a folder (Python's zipfile), every entry under
 * `top/`. */
export function zipFolder(src: string, out: string, top: string) {
  mkdirSync(dirname(out), { recursive: true });
  execFileSync('python3', ['-c', `
import os, sys, zipfile
src, out, top = sys.argv[1], sys.argv[2], sys.argv[3]
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    for d, _, fs in os.walk(src):
        for f in fs:
            p = os.path.join(d, f)
            z.write(p, os.path.join(top, os.path.relpath(p, src)))
`, src, out, top]);
}

/** The `concord` CLI as built by the test run (debug) or by hand (release). */
export function concordCli(): string {
  const root = resolve(__dirname, '../..');
  const bin = ['target/debug/concord', 'target/release/concord'].map((p) => join(root, p)).find((p) => existsSync(p));
  if (!bin) throw new Error('no target/debug/concord: build it with `cargo build -p concord-cli`');
  return bin;
}
