// The profile that splits each page mode's wasm (crates/xtask/src/wasm_split.rs): the functions the mode runs
// until its first task is interactive, and after it until the page is idle but for the work that waits for the
// deferred code, on every demo project and the start screen. Run by
// `cargo xtask split-profile` after a release build: each mode's unsplit wasm (kept by the build in target/split/)
// is instrumented, served in place of the split one, and visited in headless Chromium; www/split/<mode>.txt gets
// the names of the functions that ran, one per line.
import { launch, serve } from './bench/chromium.mjs';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const kept = join(root, 'target/split');
const demos = JSON.parse(readFileSync(join(root, 'www/demo/index.json'), 'utf8')).projects;
const isScene = (d) => JSON.parse(readFileSync(join(root, 'www/demo', d.path, 'project.json'), 'utf8'))
  .schema.controls.some((c) => c.type === 'cuboids');
const flat = demos.filter((d) => !isScene(d)).map((d) => d.path);
const scenes = demos.filter(isScene).map((d) => d.path);
const visits = {
  annotate: ['./', ...flat.map((p) => `./?project=demo/${p}`)],
  review: ['./?mode=review', ...demos.map((d) => `./?mode=review&project=demo/${d.path}`)],
  scene: scenes.map((p) => `./?mode=scene&project=demo/${p}`),
};

const FAMILIES = [/::num::flt2dec::/, /::num::dec2flt::/, /::fmt::float::/, /::num::fmt::/, /^<?core(\[[0-9a-f]+\])?::fmt::/,
  /as core(\[[0-9a-f]+\])?::fmt::Write>::/];
// Each page at two window sizes: what the views draw, and so the code they run, depends on it.
const VIEWPORTS = [{ width: 1400, height: 900 }, { width: 1280, height: 720 }];

const dist = mkdtempSync(join(tmpdir(), 'concord-split-profile-'));
cpSync(join(root, 'dist'), dist, { recursive: true });
const names = {};
for (const mode of Object.keys(visits)) {
  const wasm = join(dist, `concord-${mode}_bg.wasm`);
  const list = join(dist, `${mode}.names.txt`);
  execFileSync('cargo', ['xtask', 'split-instrument', join(kept, `concord-${mode}_bg.wasm`), wasm, list], { cwd: root, stdio: 'inherit' });
  names[mode] = readFileSync(list, 'utf8').split('\n');
  const glue = readFileSync(join(kept, `concord-${mode}.js`), 'utf8');
  const line = `"./concord-${mode}_bg.js": import0,`;
  writeFileSync(join(dist, `concord-${mode}.js`),
    glue.replace(line, `${line}\n        "concord-split": { mark: (i) => globalThis.concordMarks.add(i) },`));
}

// The split page's wait: the work that waits for the deferred code (`concordDeferredCode`) never starts here, so the
// profile holds what runs without it, before the first task or after, in whatever order the two come.
const boot = readFileSync(join(dist, 'boot.js'), 'utf8');
const unsplit = '} else {\n    deferredIn();\n  }';
if (!boot.includes(unsplit)) throw new Error(`boot.js: no \`${unsplit}\` to hold back`);
writeFileSync(join(dist, 'boot.js'), boot.replace(unsplit, '}'));

process.env.CONCORD_DIST = dist;
const { server, base } = await serve(8393);
const browser = await launch();
try {
  for (const [mode, urls] of Object.entries(visits)) {
    const ran = new Set();
    for (const [url, viewport] of urls.flatMap((u) => VIEWPORTS.map((v) => [u, v]))) {
      const context = await browser.newContext({ baseURL: base, viewport });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // The functions that ran until the page is idle after its first task, but for the work that waits for the
      // deferred code (`loader::deferred_code`).
      await page.addInitScript(() => {
        globalThis.concordMarks = new Set();
        addEventListener('concord-ready', () => { globalThis.concordReady = true; }, { once: true });
      });
      await page.goto(url);
      await page.waitForFunction(() => globalThis.concordReady, null, { timeout: 60_000 });
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(500);
      const marks = await page.evaluate(() => [...globalThis.concordMarks]);
      if (errors.length) throw new Error(`${url}: ${errors.join('; ')}`);
      for (const i of marks) if (names[mode][i]) ran.add(names[mode][i]);
      console.log(`${mode} ${url} ${viewport.width}×${viewport.height}: ${marks.length} functions ran`);
      await context.close();
    }
    // Formatting takes data-dependent branches (a rounding step for some numbers only, a character written alone):
    // when one function of a family ran, all of it stays, so that a value the profile run did not meet needs no
    // deferred code. The families are small (a few KB).
    for (const family of FAMILIES) {
      if ([...ran].some((n) => family.test(n))) for (const n of names[mode]) if (family.test(n)) ran.add(n);
    }
    const out = join(root, `www/split/${mode}.txt`);
    writeFileSync(out, [...ran].sort().join('\n') + '\n');
    console.log(`${out}: ${ran.size} names`);
  }
} finally {
  await browser.close();
  server.kill();
  rmSync(dist, { recursive: true, force: true });
}
