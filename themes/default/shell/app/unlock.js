// The browser side of POST /auth/unlock (docs/fp1.md): send the device's public key, unwrap
// every epoch's reader key into a non-extractable CryptoKey and keep those in IndexedDB, with
// the answer as it came (wrapped to the device key) for the device lock to reopen offline.
import { unwrapReaderKey } from "./fp1.js";
import { releaseDrafts } from "./lockcover.js";
import { deviceKeyPair, get, keepDeviceKey, saveAnswer } from "./store.js";

const ANSWERS = { 401: "signin_required", 429: "rate_limited", 503: "unavailable" };

export async function unlock() {
  performance.mark("fp:unlock-start");
  const pair = await deviceKeyPair();
  const { kty, crv, x, y } = await crypto.subtle.exportKey("jwk", pair.publicKey);
  let response;
  performance.mark("fp:unlock-request");
  try {
    response = await fetch("/auth/unlock", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ device_key: { kty, crv, x, y } }),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    return { error: "offline" };
  }
  if (!response.ok) return { error: ANSWERS[response.status] ?? "failed" };
  const body = await response.json();
  const keys = {};
  try {
    for (const entry of body.keys) {
      keys[entry.epoch] = await unwrapReaderKey(entry.wrapped, {
        device: pair.privateKey,
        rid: body.rid,
        epoch: entry.epoch,
      });
    }
  } catch {
    return { error: "failed" };
  }
  if (Object.keys(keys).length === 0) return { error: "unavailable" };
  // reply: the capability for POST /auth/reply; notify: for the consent calls (docs/notify.md)
  const { rid, provider, expires, reply, notify } = body;
  const keyId = typeof body.key_id === "string" ? body.key_id : undefined;
  const answer = { rid, provider, keys: body.keys, expires, key_id: keyId, reply, notify };
  const lostDrafts = await keepDrafts();
  const draftKey = await get("draftKey"); // made when the first draft is saved (talk.js)
  await saveAnswer(answer, { rid, provider, keys, expires, keyId, reply, notify, draftKey });
  // The extractable private key stays in this page's memory only, for the offer to set up a
  // device lock (it must wrap it); at rest it is now non-extractable.
  const setupKey = pair.privateKey.extractable ? pair.privateKey : null;
  await keepDeviceKey(pair);
  performance.mark("fp:unlocked");
  return { ok: true, setupKey, lostDrafts };
}

/**
 * A new e-ID sign-in replaces the device key, and any device lock with it (saveAnswer). Drafts
 * under the lock's key L move to the device's `draftKey` while L is at hand (still unlocked);
 * on a locked device L is not, and those drafts are deleted — the lock screen said so before
 * the reader chose e-ID (views/lock.js). Returns how many were lost.
 */
async function keepDrafts() {
  const unlocked = await get("session");
  return releaseDrafts(unlocked?.draftKey ?? null);
}
