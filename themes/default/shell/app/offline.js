// "Spara för offline": fetch every blob of the family once, so the service worker holds them.
export async function saveForOffline({ paths, onProgress }) {
  if (navigator.storage?.persist) {
    navigator.storage.persist().catch(() => false);
  }
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
  return { done, failed };
}
