// "Spara för offline": fetch every blob of the family once, so the service worker holds them,
// and ask the browser to keep them (persistent storage) so it does not evict them under pressure.
export async function saveForOffline({ paths, onProgress }) {
  const persisting = navigator.storage?.persist ? navigator.storage.persist().catch(() => false) : Promise.resolve(false);
  let done = 0;
  let failed = 0;
  const queue = [...paths];
  const worker = async () => {
    while (queue.length) {
      const path = queue.shift();
      try {
        const response = await fetch(`${path}?store`); // answered once the worker stored it
        if (!response.ok) failed += 1;
        else await response.arrayBuffer();
      } catch {
        failed += 1;
      }
      done += 1;
      onProgress({ done, total: paths.length });
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return { done, failed, persisted: Boolean(await persisting) };
}

/** How many of `paths` the service worker's caches hold (what can be read offline now). */
export async function savedCount(paths) {
  if (!globalThis.caches) return 0;
  const hits = await Promise.all(paths.map((path) => caches.match(path, { ignoreSearch: true })));
  return hits.filter(Boolean).length;
}
