// The family app's service worker (docs/app.md). The build replaces the two placeholders below
// with the shell's precache manifest ([{url, revision}]) and its version hash.
const PRECACHE = "__PRECACHE_MANIFEST__";
const SHELL_VERSION = "__SHELL_VERSION__";

const SHELL_CACHE = `fp-shell-${SHELL_VERSION}`;
const BLOB_CACHE = "fp-blobs"; // /b/**: immutable, named by their hash
const DATA_CACHE = "fp-data"; // latest.json, config.json, /s/** keyrings
// The archive's jsPDF and fonts (1.5 MB): named by their version, so kept across shell versions;
// stored when first used or when the app prefetches them (a term nears its retention date).
const VENDOR_CACHE = "fp-vendor";
const NEVER = ["/auth/", "/dev-idp/"];
const NETWORK_FIRST = ["/latest.json", "/config.json"];
// Public data kept from the install on: the legal pages and help (config.json) must open offline
// even if the page never fetched them while the worker controlled it.
const PUBLIC_DATA = ["/config.json"];
const SHELL_URLS = new Set(Array.isArray(PRECACHE) ? PRECACHE.map((e) => e.url) : []);
const isVendor = (path) => path.startsWith("/vendor/");
const KEYRING = /^\/s\/(\d+)\/k\/([^/]+)\.bin$/;
let forgotten = false; // "Glöm den här enheten": stop caching before the worker is gone
const storing = new Set(); // cache writes under way, which "forget" waits out

// One dropped request on a phone's network would fail the whole install, and the app would
// stay without offline until the next visit: each file gets three tries.
async function precacheFetch(url) {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(new Request(url, { cache: "reload" })).catch((error) => {
      if (attempt === 3) throw error;
      return null;
    });
    if (response?.ok) return response;
    if (attempt === 3) throw new Error(`precache ${url}: ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      // Each revision is fetched past the HTTP cache, so a version never mixes old files in.
      // /vendor/ (the archive's jsPDF and fonts, 1.5 MB) is not: it is cached when first used.
      await Promise.all(
        [...SHELL_URLS].filter((url) => !isVendor(url)).map(async (url) => {
          await cache.put(url, await precacheFetch(url));
        }),
      );
      // A copy an earlier version stored in its shell cache (before fp-vendor) is kept.
      const vendor = await caches.open(VENDOR_CACHE);
      for (const url of [...SHELL_URLS].filter(isVendor)) {
        const kept = (await vendor.match(url)) ? undefined : await caches.match(url);
        if (kept) await vendor.put(url, kept);
      }
      // The data caches exist from the install on and are never created again later (store()
      // below): once "Glöm den här enheten" deleted them, nothing can fill them again.
      await caches.open(BLOB_CACHE);
      const data = await caches.open(DATA_CACHE);
      await Promise.all(
        PUBLIC_DATA.map(async (url) => {
          try {
            const response = await fetch(new Request(url, { cache: "no-cache" }));
            if (response.ok) await data.put(url, response);
          } catch {
            // Not fatal: networkFirst stores it at the next fetch that reaches the network.
          }
        }),
      );
    })(),
  );
  // No skipWaiting here: a new version waits until the reader chooses "uppdatera".
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("fp-shell-") && name !== SHELL_CACHE) await caches.delete(name);
      }
      // Another version of jsPDF or a font than this shell names is never used again.
      const vendor = await caches.open(VENDOR_CACHE);
      for (const request of await vendor.keys()) {
        if (!SHELL_URLS.has(new URL(request.url).pathname)) await vendor.delete(request);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "skip-waiting") self.skipWaiting();
  if (event.data?.type === "prefetch-vendor" && !forgotten) event.waitUntil(prefetchVendor());
  if (event.data?.type === "forget") {
    forgotten = true;
    // Answer once every write already under way has landed: the page deletes the caches only
    // then, so no write can land after the delete.
    event.waitUntil(
      Promise.allSettled([...storing]).then(() => event.ports[0]?.postMessage("forgotten")),
    );
  }
});

/** Store every /vendor/ file not yet stored (the page asks only online, without Save-Data). */
async function prefetchVendor() {
  // Like store(): a vendor cache "Glöm den här enheten" deleted is not created again.
  if (!(await caches.has(VENDOR_CACHE))) return;
  const cache = await caches.open(VENDOR_CACHE);
  for (const url of [...SHELL_URLS].filter(isVendor)) {
    if (await cache.match(url)) continue;
    try {
      const response = await fetch(url);
      if (response.ok && !forgotten) await cache.put(url, response);
    } catch {
      return; // offline after all: the next notice tries again
    }
  }
}

/**
 * Store a response in `cacheName` — unless the device was forgotten. The flag alone is not
 * enough: the browser stops an idle worker and starts it again (flag reset) for a tab the forget
 * did not reload. So a cache that no longer exists is never created again: the install made it,
 * only "forget" (or the browser evicting everything) deletes it.
 */
function store(event, cacheName, request, response) {
  const write = (async () => {
    if (forgotten || !(await caches.has(cacheName))) return;
    const cache = await caches.open(cacheName);
    if (!forgotten) await cache.put(request, response);
  })();
  storing.add(write);
  const done = write.finally(() => storing.delete(write));
  event.waitUntil(done);
  return done;
}

/**
 * A 404 for a keyring: the reader has none in that snapshot — withdrawn (revoked, or the child
 * protected) or not yet a reader then. The build withdraws a reader from every retained snapshot
 * at once, so every cached keyring of that rid up to that snapshot goes too, not only the one
 * asked for: otherwise an older term's copy stays readable offline.
 */
async function dropWithdrawn(request) {
  if (!(await caches.has(DATA_CACHE))) return;
  const cache = await caches.open(DATA_CACHE);
  const gone = KEYRING.exec(new URL(request.url).pathname);
  if (!gone) {
    await cache.delete(request);
    return;
  }
  for (const cached of await cache.keys()) {
    const ring = KEYRING.exec(new URL(cached.url).pathname);
    if (ring && ring[2] === gone[2] && Number(ring[1]) <= Number(gone[1])) {
      await cache.delete(cached);
    }
  }
}

// The page gets each response as soon as it arrives; storing it for offline use finishes behind
// it (`event.waitUntil` keeps the worker alive until then). Awaiting the store first cost ~20 ms
// per keyring and bundle on the way to the first screen.
async function cacheFirst(event, cacheName) {
  const { request } = event;
  // caches.match, not caches.open(...).match: opening would create the cache again.
  const hit = await caches.match(request, { cacheName, ignoreSearch: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) {
    const stored = store(event, cacheName, request, response.clone());
    // "Spara för offline" asks with ?store: its "saved" must mean stored.
    if (new URL(request.url).searchParams.has("store")) await stored;
  }
  return response;
}

async function networkFirst(event) {
  const { request } = event;
  try {
    const response = await fetch(request, { cache: "no-cache" });
    if (response.ok) store(event, DATA_CACHE, request, response.clone());
    else if (response.status === 404 && !forgotten) event.waitUntil(dropWithdrawn(request));
    return response;
  } catch (error) {
    const hit = await caches.match(request, { cacheName: DATA_CACHE });
    if (hit) return hit;
    throw error;
  }
}

async function shell(url) {
  const hit = await caches.match(url, { cacheName: SHELL_CACHE });
  return hit ?? fetch(url);
}

// Web Push (docs/notify.md): the payload only ever says "Nytt i Familjeportalen"; showing a
// fixed text means nothing a push service could alter reaches the screen.
self.addEventListener("push", (event) => {
  event.waitUntil(
    self.registration.showNotification("Familjeportalen", {
      body: "Nytt i Familjeportalen",
      icon: "/icons/icon-192.png",
      tag: "fp-new",
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow("/"));
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (forgotten || request.method !== "GET" || url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (NEVER.some((prefix) => path.startsWith(prefix))) return; // sign-in: network only
  if (request.mode === "navigate" && (path === "/" || path === "/index.html")) {
    event.respondWith(shell("/index.html"));
  } else if (path.startsWith("/b/")) {
    event.respondWith(cacheFirst(event, BLOB_CACHE));
  } else if (path.startsWith("/s/") || NETWORK_FIRST.includes(path)) {
    event.respondWith(networkFirst(event));
  } else if (isVendor(path) && SHELL_URLS.has(path)) {
    event.respondWith(cacheFirst(event, VENDOR_CACHE));
  } else if (SHELL_URLS.has(path)) {
    event.respondWith(shell(path));
  }
});
