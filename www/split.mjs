// Trunk post-build hook: splits each page mode's wasm into the code its first task runs and the rest, fetched
// once the task is shown (`cargo xtask split-dist`, crates/xtask/src/wasm_split.rs; the profiles are in
// www/split/), then names every file of the build in sw.js (precache.mjs). One hook, in this order: the precache
// list must name the deferred parts, and Trunk runs its hooks side by side.
import { execFileSync } from 'node:child_process';

const dir = process.env.TRUNK_STAGING_DIR || 'dist';
execFileSync('cargo', ['xtask', 'split-dist', dir], { stdio: 'inherit' });
await import('./precache.mjs');
