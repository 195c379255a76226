// Screenshots of each labeling view and of the embed demo for the docs (docs/screenshots/), from the release build and the demos.
// Usage: trunk build --release && node tests/docs/screenshots.mjs
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const out = resolve(here, '../../docs/screenshots');
const PORT = 8385;
const server = spawn('node', [resolve(here, '../serve.mjs'), String(PORT)], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((ok) => server.stdout.once('data', ok));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 }, baseURL: `http://127.0.0.1:${PORT}/` });
  const start = async (project) => {
    await page.goto(`./?project=${project}`);
    await page.locator('.task[data-task-id]').waitFor();
    if (await page.locator('#annotator-name').count()) {
      await page.locator('#annotator-name').fill('Ada');
      await page.locator('#annotator-name').press('Enter');
    }
  };

  // Classification: a wrong answer on a gold task, then the next task with a choice made.
  await start('demo/retail/');
  await page.keyboard.press('2');
  await page.keyboard.press('Enter');
  await page.keyboard.press('5');
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/classification.png` });

  // NER: a location by keyboard, a person and an organisation by mouse.
  await start('demo/news/');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('3');
  const rectOf = (needle) => page.evaluate((needle) => {
    for (const seg of document.querySelectorAll('[data-testid="text-doc"] .seg')) {
      const i = seg.textContent.indexOf(needle);
      if (i < 0) continue;
      const r = document.createRange();
      r.setStart(seg.firstChild, i);
      r.setEnd(seg.firstChild, i + needle.length);
      const b = r.getBoundingClientRect();
      return { x0: b.left + 2, x1: b.right - 2, y: b.top + b.height / 2 };
    }
    throw new Error(needle);
  }, needle);
  for (const [needle, key] of [['Chidi Okafor', '1'], ['Pixel & Co', '2']]) {
    const r = await rectOf(needle);
    await page.mouse.move(r.x0, r.y);
    await page.mouse.down();
    await page.mouse.move(r.x1, r.y, { steps: 4 });
    await page.mouse.up();
    await page.keyboard.press(key);
  }
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/ner.png` });

  // Boxes: three boxes, one too small (an error on the region and in the panel).
  await start('demo/shelf/');
  const c = await page.getByTestId('box-canvas').boundingBox();
  const drag = async (x0, y0, x1, y1) => {
    await page.mouse.move(c.x + x0, c.y + y0);
    await page.mouse.down();
    await page.mouse.move(c.x + x1, c.y + y1, { steps: 3 });
    await page.mouse.up();
  };
  await page.keyboard.press('1');
  await drag(60, 80, 130, 230);
  await page.keyboard.press('Escape'); // a label key with a box selected would relabel it
  await page.keyboard.press('2');
  await drag(160, 120, 220, 220);
  await drag(400, 300, 403, 302);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/boxes.png` });

  // The embed demo: another tool's editor with a too-narrow price tag, and Concord's widgets beside it.
  await page.goto('./embed/index.html');
  await page.locator('concord-agreement-matrix td[role="gridcell"]').first().waitFor();
  await page.getByLabel('w of box 1').fill('12');
  await page.locator('concord-qa-panel li.violation').first().waitFor();
  await page.screenshot({ path: `${out}/embed.png`, fullPage: true });
  // Review mode's screenshots come from its workflow test: CONCORD_SCREENSHOTS=docs/screenshots npx playwright test
  // --config tests/playwright.config.ts review-workflow
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
  server.kill();
}
