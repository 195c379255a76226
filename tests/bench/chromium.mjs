// What the benchmark scripts share: the e2e static server (tests/serve.mjs) on a loopback port, and Debian's
// Chromium, headless, kept off the (closed) network.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Serves dist/ (and the fixtures, the package, the benchmark bundles) on `port`; `server.kill()` stops it. */
export async function serve(port) {
  const server = spawn('node', [resolve(here, '../serve.mjs'), String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((ok) => server.stdout.once('data', ok));
  return { server, base: `http://127.0.0.1:${port}/` };
}

export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}
