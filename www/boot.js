// Concord's loader, the page's only script: it loads the code of the mode the address asks for and nothing else —
// annotator mode (`concord-annotate`) by default, review mode (`concord-review`) for `?mode=review`, the 3D mode of
// point-cloud projects (`concord-scene`) for `?mode=scene`. A file, not an
// inline script, so that a Content-Security-Policy of `script-src 'self' 'wasm-unsafe-eval'` is all the page needs.
const asked = new URLSearchParams(location.search).get('mode');
const mode = asked === 'review' || asked === 'scene' ? asked : 'annotate';
const name = `concord-${mode}`;

// Once the mode is interactive (the app dispatches `concord-ready` when the first task is shown), the rest of its
// code is fetched; then the service worker (offline use, every mode precached) is registered, so that its
// precaching never competes with either.
let ready = false;
addEventListener('concord-ready', () => {
  ready = true;
  fetchDeferred();
  globalThis.concordDeferredCode.then(() => navigator.serviceWorker?.register('sw.js'))
    .then((r) => r && watchForUpdates(r), (e) => console.info(`Concord works online only here: ${e}`));
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

const what = { review: 'review', scene: '3D', annotate: 'annotator' }[mode];
function showError(text) {
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.className = 'boot-error';
  p.textContent = `${text} Reload the page; if you are offline, open it once online first.`;
  document.body.append(p);
}

// Deferred code. A mode's wasm holds the functions its first task runs; the rest of its code is a second wasm
// (`<mode>_deferred.wasm`, made by `cargo xtask split-dist` from the profile in www/split/), fetched once the first
// task is shown. Until it is instantiated, each of its functions is a trampoline in the first wasm that calls
// `load`: if that happens before it arrives, it is fetched and compiled then, synchronously, and the call goes on.
const deferred = { url: null, module: null, instance: null, primary: null, fetching: null };
// Resolved when the deferred code is in, or will not come (a build not split, or its fetch failed: a call then
// fetches it synchronously, or says why it cannot). The work the app starts after its first task waits for it.
let deferredIn;
globalThis.concordDeferredCode = new Promise((resolve) => { deferredIn = resolve; });
function instantiateDeferred(module) {
  deferred.instance ??= new WebAssembly.Instance(module, { p: deferred.primary });
  deferredIn();
}
globalThis.concordDeferred = {
  // `slot` is the deferred function called (`target/split/<mode>_deferred.names.txt` names it): a function the
  // first task runs but the profile misses. The mark tells the profile run and the delivery test.
  load(primary, slot) {
    if (deferred.instance) return;
    deferred.primary = primary;
    performance.mark('concord-deferred-sync', { detail: { slot, ready } });
    deferred.fetching?.abort(); // the fetch after the first task, still on its way: its bytes come now instead
    try {
      instantiateDeferred(deferred.module ?? new WebAssembly.Module(fetchSync(deferred.url)));
    } catch (e) {
      showError(`Concord could not load the rest of ${what} mode's code: ${e}.`);
      throw e;
    }
  },
};
// A synchronous fetch of a binary file: XHR's text decoded as x-user-defined maps each byte to one character.
function fetchSync(url) {
  const xhr = new XMLHttpRequest();
  xhr.open('GET', url, false);
  xhr.overrideMimeType('text/plain; charset=x-user-defined');
  xhr.send();
  if (xhr.status !== 200) throw new Error(`${url}: HTTP ${xhr.status}`);
  const text = xhr.responseText;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

function fetchDeferred() {
  if (!ready || !deferred.primary || deferred.instance) return;
  deferred.fetching = new AbortController();
  WebAssembly.compileStreaming(fetch(deferred.url, { signal: deferred.fetching.signal })).then(instantiateDeferred, (e) => {
    if (!deferred.instance) console.info(`Concord fetches the rest of its code when it is first needed: ${e}`);
    deferredIn();
  });
}

// A page the service worker controls (every visit after the first) has the files at hand: the deferred part is
// compiled beside the first, so that a call into it never needs the network. A synchronous request does not go
// through the service worker, and offline it would fail.
const early = navigator.serviceWorker?.controller
  ? WebAssembly.compileStreaming(fetch(`./${name}_deferred.wasm`)).catch(() => null)
  : null;

try {
  const glue = await import(`./${name}.js`);
  deferred.url = glue.deferredCode ? new URL(glue.deferredCode, import.meta.url).href : null;
  if (deferred.url && early) deferred.module = await early;
  const primary = await glue.default({ module_or_path: `./${name}_bg.wasm` });
  if (deferred.url) {
    deferred.primary = primary;
    if (deferred.module) instantiateDeferred(deferred.module);
    else fetchDeferred();
  } else {
    deferredIn();
  }
} catch (e) {
  showError(`Concord could not start ${what} mode: ${e}.`);
  throw e;
}
