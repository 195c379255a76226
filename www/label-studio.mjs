// Trunk post-build hook: the Label Studio frontend's two built files (unpacked from its npm tarball by
// `cargo xtask setup` into target/label-studio-frontend) go to dist/label-studio/vendor/, where the page at
// /label-studio/ loads them: same origin, no CDN. One known fault of 1.4.0 is mended on the way (LABEL_STUDIO.md):
// a span made after another highlight took UTF-16 lengths for the text before it, so its offsets shifted by one per
// emoji; `findGlobalOffset` now counts code points, as the rest of Label Studio does.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const from = 'target/label-studio-frontend/package';
const to = join(process.env.TRUNK_STAGING_DIR || 'dist', 'label-studio', 'vendor');
const FAULT = 'let e=null!==(l=s.length)&&void 0!==l?l:1;';
const MENDED = 'let e=r?[...s.data].length:1;';

if (!existsSync(join(from, 'build/static/js/main.js'))) {
  console.warn(`label-studio: no ${from} (run \`cargo xtask setup\`); the page at /label-studio/ needs it`);
} else {
  mkdirSync(to, { recursive: true });
  const js = readFileSync(join(from, 'build/static/js/main.js'), 'utf8');
  const found = js.split(FAULT).length - 1;
  if (found !== 1) throw new Error(`label-studio: expected the span-offset fault once in main.js, found it ${found} times`);
  writeFileSync(join(to, 'main.js'), js.replace(FAULT, MENDED));
  copyFileSync(join(from, 'build/static/css/main.css'), join(to, 'main.css'));
  copyFileSync(join(from, 'LICENSE'), join(to, 'LICENSE'));
  console.log(`label-studio: ${from} → ${to} (span offsets mended)`);
}
