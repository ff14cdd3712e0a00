// The preview's service worker (site-builder watch only): it replaces the app's sw.js so that a
// rebuild is never hidden behind a precached shell or a waiting "Ny version". It takes over at
// once, deletes the app's caches and handles no fetch: every request goes to the server.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("fp-")) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});
