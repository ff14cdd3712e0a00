// The page's side of the service worker: register it, announce a waiting new version ("Ny
// version — uppdatera") and swap only when the reader asks; "Glöm den här enheten".
import { deleteDatabase } from "./store.js";

export const CACHE_PREFIX = "fp-";

export function registerServiceWorker({ onUpdate }) {
  if (!("serviceWorker" in navigator)) return;
  let userAsked = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (userAsked) location.reload();
  });
  const offer = (worker) => {
    // Only an update waits behind a controller; the first install just takes over.
    if (!worker || !navigator.serviceWorker.controller) return;
    onUpdate(() => {
      userAsked = true;
      worker.postMessage({ type: "skip-waiting" });
    });
  };
  navigator.serviceWorker
    .register("/sw.js", { scope: "/", updateViaCache: "none" })
    .then((registration) => {
      offer(registration.waiting);
      registration.addEventListener("updatefound", () => {
        const incoming = registration.installing;
        incoming?.addEventListener("statechange", () => {
          if (incoming.state === "installed") offer(incoming);
        });
      });
    })
    .catch(() => undefined);
}

/**
 * Tell the worker to stop caching and wait until it answers that every cache write it had under
 * way has landed (at most `waitMs`: a worker that does not answer must not keep the device from
 * being forgotten). Deleting the caches before that answer let a write land after the delete.
 */
function workerForgets(worker, waitMs = 2000) {
  if (!worker) return Promise.resolve();
  return new Promise((done) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => done();
    setTimeout(done, waitMs);
    worker.postMessage({ type: "forget" }, [channel.port2]);
  });
}

/** Remove keys, cached blobs and the service worker, then reload without it. */
export async function forgetDevice() {
  if ("serviceWorker" in navigator) {
    await workerForgets(navigator.serviceWorker.controller);
    for (const registration of await navigator.serviceWorker.getRegistrations()) {
      await registration.unregister();
    }
  }
  if ("caches" in self) {
    for (const name of await caches.keys()) {
      if (name.startsWith(CACHE_PREFIX)) await caches.delete(name);
    }
  }
  await deleteDatabase();
  location.replace("/#/glomd");
  location.reload();
}
