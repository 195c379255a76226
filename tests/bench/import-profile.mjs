// Where review mode's page thread spends an import: a CPU profile (Chromium's sampling profiler, 0.2 ms) from the
// moment the file is chosen until the review queue is shown, self time per function, largest first. Function names
// of the wasm need a build that keeps them: set `data-wasm-opt="0"` on the concord-review link of www/index.html,
// `trunk build --release`, run this, and restore the link. Usage: node tests/bench/import-profile.mjs [FILE]
// (default: the benchmark's 1,000,000-row CSV, written by `BENCH_ONLY=import node tests/bench/ui.mjs`).
import { launch, serve } from './chromium.mjs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const file = process.argv[2] ?? resolve(here, '../../target/bench-bundles/import/crowd-1e6.csv');
const { server, base } = await serve(8385);
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`${base}?mode=review`);
  await page.getByTestId('import-files').waitFor();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await page.getByTestId('import-files').setInputFiles(file);
  await page.getByTestId('review-queue').waitFor({ timeout: 600_000 });
  const { profile } = await cdp.send('Profiler.stop');
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, k) => {
    const f = nodes.get(id).callFrame;
    const name = f.functionName || `(anonymous) ${f.url.split('/').pop()}`;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[k] ?? 0));
  });
  for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) {
    console.log(`${(us / 1000).toFixed(0).padStart(6)} ms  ${name.slice(0, 160)}`);
  }
} finally {
  await browser.close();
  server.kill();
}
