// Concord's loader, the page's only script: it loads the code of the mode the address asks for and nothing else —
// annotator mode (`concord-annotate`) by default, review mode (`concord-review`) for `?mode=review`. A file, not an
// inline script, so that a Content-Security-Policy of `script-src 'self' 'wasm-unsafe-eval'` is all the page needs.
const mode = new URLSearchParams(location.search).get('mode') === 'review' ? 'review' : 'annotate';
const name = `concord-${mode}`;

// The service worker (offline use, every mode precached) is registered once the mode is interactive, so that its
// precaching never competes with the first load. The app dispatches `concord-ready` when the first task is shown.
addEventListener('concord-ready', () => {
  navigator.serviceWorker?.register('sw.js').catch((e) => console.info(`Concord works online only here: ${e}`));
}, { once: true });

try {
  const glue = await import(`./${name}.js`);
  await glue.default({ module_or_path: `./${name}_bg.wasm` });
} catch (e) {
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.className = 'boot-error';
  p.textContent = `Concord could not start ${mode === 'review' ? 'review' : 'annotator'} mode: ${e}. ` +
    'Reload the page; if you are offline, open it once online first.';
  document.body.append(p);
  throw e;
}
