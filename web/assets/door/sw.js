// The door page's service worker (served as /checkin-sw.js, with VERSION and ASSETS written
// above this by the server). It keeps the page and everything it loads, so that a reload of
// /checkin without network opens the page: pairing and unsent scans are in localStorage, and
// the page goes on judging tickets by signature and list. A new server version has a new
// VERSION: its worker fetches everything afresh and deletes the old copies.
/* global VERSION, ASSETS */
const CACHE = `einlass-door-${VERSION}`;
const PAGE = '/checkin';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll([PAGE, ...ASSETS])).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('einlass-door-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// The page from the network when it answers within a few seconds (and kept for later); else
// the copy kept last. Its assets from the copy; the API always from the network.
async function page(request) {
  const cache = await caches.open(CACHE);
  try {
    const timeout = new Promise((_, fail) => setTimeout(() => fail(new Error('slow')), 4000));
    const response = await Promise.race([fetch(request), timeout]);
    if (response.ok) await cache.put(PAGE, response.clone());
    return response;
  } catch (err) {
    const kept = await cache.match(PAGE, { ignoreVary: true });
    if (kept) return kept;
    throw err;
  }
}

async function asset(request) {
  const kept = await caches.match(request, { ignoreSearch: true });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) (await caches.open(CACHE)).put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname === PAGE) event.respondWith(page(event.request));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(event.request));
});
