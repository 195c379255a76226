import { launch, serve } from './bench/chromium.mjs';
const { server, base } = await serve(8386);
const browser = await launch();
const page = await browser.newPage();
await page.addInitScript(() => {
  const W = window.Worker;
  window.__sizes = [];
  window.Worker = function (...a) {
    const w = new W(...a);
    w.addEventListener('message', (e) => {
      if (typeof e.data === 'string' && e.data.startsWith('{"done"')) {
        const d = JSON.parse(e.data).done;
        window.__sizes.push(Object.fromEntries(Object.entries(d).map(([k, v]) => [k, JSON.stringify(v).length])));
      } else if (typeof e.data === 'string') { } else { window.__sizes.push({ nonstring: String(e.data && e.data.constructor && e.data.constructor.name) }); }
    });
    return w;
  };
  window.Worker.prototype = W.prototype;
});
await page.goto(`${base}?mode=review`);
await page.getByTestId('import-files').setInputFiles(process.argv[2]);
await page.getByTestId('review-queue').waitFor({ timeout: 600_000 });
console.log(JSON.stringify(await page.evaluate(() => window.__sizes), null, 1));
await browser.close(); server.kill();
