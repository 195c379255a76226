// Concord's loader, the page's only script: it loads the code of the mode the address asks for and nothing else —
// annotator mode (`concord-annotate`) by default, review mode (`concord-review`) for `?mode=review`, the 3D mode of
// point-cloud projects (`concord-scene`) for `?mode=scene`. A file, not an
// inline script, so that a Content-Security-Policy of `script-src 'self' 'wasm-unsafe-eval'` is all the page needs.
const asked = new URLSearchParams(location.search).get('mode');
const mode = asked === 'review' || asked === 'scene' ? asked : 'annotate';
const name = `concord-${mode}`;

// The service worker (offline use, every mode precached) is registered once the mode is interactive, so that its
// precaching never competes with the first load. The app dispatches `concord-ready` when the first task is shown.
addEventListener('concord-ready', () => {
  navigator.serviceWorker?.register('sw.js').then(watchForUpdates, (e) => console.info(`Concord works online only here: ${e}`));
}, { once: true });

// A new deployment: its service worker installs (precaching the new build) beside the running one and waits. The
// page is told (`concord-update`, and `window.concordUpdate` for a page not listening yet) and offers a reload; it
// never reloads by itself. When the user asks and the page's work is saved, it sends `concord-apply-update`: the new
// worker takes over, then the page reloads.
function watchForUpdates(registration) {
  const offer = () => {
    window.concordUpdate = true;
    dispatchEvent(new Event('concord-update'));
  };
  const waitingBesideOld = (w) => w && navigator.serviceWorker.controller;
  if (waitingBesideOld(registration.waiting)) offer();
  registration.addEventListener('updatefound', () => {
    const next = registration.installing;
    next?.addEventListener('statechange', () => {
      if (next.state === 'installed' && waitingBesideOld(next)) offer();
    });
  });
  // Browsers look for a new worker on navigation; a tab left open all day looks every hour.
  setInterval(() => registration.update().catch(() => {}), 60 * 60 * 1000);
}

addEventListener('concord-apply-update', async () => {
  const registration = await navigator.serviceWorker?.getRegistration();
  if (!registration?.waiting) return location.reload();
  navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
  registration.waiting.postMessage('concord-apply-update');
});

try {
  const glue = await import(`./${name}.js`);
  await glue.default({ module_or_path: `./${name}_bg.wasm` });
} catch (e) {
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.className = 'boot-error';
  const what = { review: 'review', scene: '3D', annotate: 'annotator' }[mode];
  p.textContent = `Concord could not start ${what} mode: ${e}. ` +
    'Reload the page; if you are offline, open it once online first.';
  document.body.append(p);
  throw e;
}
