// Trunk post-build hook: the concord-qa package (built by `cargo xtask package` into target/concord-qa) goes to
// dist/concord-qa, where the embed demo (dist/embed/) imports it — the demo then works from any static host.
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const from = 'target/concord-qa';
const to = join(process.env.TRUNK_STAGING_DIR || 'dist', 'concord-qa');
if (existsSync(join(from, 'index.js'))) {
  cpSync(from, to, { recursive: true });
  console.log(`copy-package: ${from} → ${to}`);
} else {
  console.warn(`copy-package: no ${from} (run \`cargo xtask package\`); the embed demo at /embed/ needs it`);
}
