// Concord's service worker: keeps the app and the bundles it has opened working offline.
// Network first (so a redeployed app or an edited bundle is picked up), the cache when the network fails.
// Only same-origin GET requests are handled; nothing is sent anywhere. On install it precaches every mode and
// worker, so that review mode works offline even when only annotator mode was opened online. The two lines below
// are filled in by the build (www/precache.mjs): the cache's version is the hash of the files it lists.
const CACHE = 'concord-dev';
const PRECACHE = ['./', './index.html'];

// The first worker takes over at once. A new deployment's worker precaches its build and waits: the page offers a
// reload and sends `concord-apply-update` once its work is saved (boot.js), so no page is switched under its user.
self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(PRECACHE)).then(() => {
    if (!self.registration.active) return self.skipWaiting();
  }));
});

self.addEventListener('message', (event) => {
  if (event.data === 'concord-apply-update') self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(req)
      .then((resp) => {
        if (resp.ok) {
          const copy = resp.clone();
          caches.open(CACHE).then((c) => c.put(req, copy));
        }
        return resp;
      })
      .catch(() => caches.match(req, { ignoreSearch: req.mode === 'navigate' }).then((hit) => hit || Response.error())),
  );
});
