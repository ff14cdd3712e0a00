// What the device lock covers besides the device key (docs/fp1.md "What the lock covers"): the
// talk's drafts and the key service's capabilities (reply, notify). With a lock set up both are
// at rest only under the lock key L, derived from the device's private key, which itself is at
// rest only wrapped under the passkey or PIN; L lives in the unlocked `session` and goes with it.
// Without a lock the drafts use the device's `draftKey` (protected by the browser profile only)
// and the capabilities live in the session and the answer, both deleted by "Lås".
import { b64uDecode, b64uEncode } from "./fp1.js";
import * as store from "./store.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
const DEVICE = { name: "ECDH", namedCurve: "P-256" };
const AES = { name: "AES-GCM", length: 256 };

/** The device's public point {x, y} (JWK coordinates, b64u) from its extractable private key. */
export async function publicPoint(privateKey) {
  const { x, y } = await crypto.subtle.exportKey("jwk", privateKey);
  return { x, y };
}

/**
 * L = HKDF-SHA256(IKM = ECDH(device private key, its own public key), salt = empty,
 * info = "fp draft v1"): a non-extractable AES-256-GCM key. Only the holder of the private key
 * can compute it (d·Q = d²·G); nothing new is stored.
 */
export async function lockKey(privateKey, { x, y }) {
  const own = await crypto.subtle.importKey("jwk", { kty: "EC", crv: "P-256", x, y }, DEVICE, true, []);
  const z = await crypto.subtle.deriveBits({ name: "ECDH", public: own }, privateKey, 256);
  const ikm = await crypto.subtle.importKey("raw", z, "HKDF", false, ["deriveKey"]);
  const info = enc.encode("fp draft v1");
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info },
    ikm,
    AES,
    false,
    ["encrypt", "decrypt"],
  );
}

async function seal(key, aad, value, iv = crypto.getRandomValues(new Uint8Array(12))) {
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: enc.encode(aad) },
    key,
    enc.encode(JSON.stringify(value)),
  );
  return { iv: b64uEncode(iv), ct: b64uEncode(ct) };
}

async function open(key, aad, { iv, ct }) {
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: b64uDecode(iv), additionalData: enc.encode(aad) },
    key,
    b64uDecode(ct),
  );
  return JSON.parse(dec.decode(plain));
}

/** A draft under `key`; `lock` marks the lock key L (else the device's `draftKey`). */
export async function sealDraft(key, id, value, { lock, iv } = {}) {
  return { ...(await seal(key, `fp draft|${id}`, value, iv)), ...(lock ? { lock: 1 } : {}) };
}

export const openDraft = (key, id, record) => open(key, `fp draft|${id}`, record);

/** The reply capability and the notify token, sealed to L for the stored answer. */
export const sealCaps = (key, rid, caps, iv) => seal(key, `fp caps|${rid}`, caps, iv);
export const openCaps = (key, rid, sealed) => open(key, `fp caps|${rid}`, sealed);

/** The device's `draftKey` (no lock set up): made on first use, non-extractable. */
export async function deviceDraftKey() {
  const stored = await store.get("draftKey");
  if (stored) return stored;
  const key = await crypto.subtle.generateKey(AES, false, ["encrypt", "decrypt"]);
  await store.set("draftKey", key);
  return key;
}

/**
 * Re-encrypt every draft from the key it is under to `to` (`lock`: to L). `from({lock})` names
 * the key each draft is under now (null: none here). A draft that cannot be opened is deleted
 * — its key is gone for good. Returns how many were lost. Each draft is rewritten on its own,
 * so an interrupted move leaves every draft readable with one of the two keys.
 */
export async function moveDrafts({ from, to, lock }) {
  let lost = 0;
  for (const [name, record] of await store.entries("draft:")) {
    if (Boolean(record.lock) === Boolean(lock)) continue;
    const id = name.slice("draft:".length);
    const key = from(record);
    let value = null;
    try {
      value = key ? await openDraft(key, id, record) : null;
    } catch {
      value = null;
    }
    if (value === null) {
      lost += 1;
      await store.remove(name);
    } else {
      await store.set(name, await sealDraft(to, id, value, { lock }));
    }
  }
  return lost;
}

/**
 * A lock was just set up (the device key still extractable in memory): the drafts move under
 * L, the `draftKey` goes, the stored answer keeps its capabilities only sealed to L, and the
 * session holds L. Returns the `pub` the guard must keep to derive L again.
 */
export async function coverWithLock(privateKey) {
  const pub = await publicPoint(privateKey);
  const key = await lockKey(privateKey, pub);
  const [old, sess, answer] = await Promise.all([
    store.get("draftKey"),
    store.get("session"),
    store.get("answer"),
  ]);
  // Without a lock the session's draft key is the device's `draftKey`.
  const current = old ?? sess?.draftKey;
  await moveDrafts({ from: () => current, to: key, lock: true });
  await store.remove("draftKey");
  if (answer) await store.set("answer", await answerCovered(key, answer));
  if (sess) await store.set("session", { ...sess, draftKey: key });
  return pub;
}

/** The answer with `reply` and `notify` only inside `caps` (sealed to L). */
export async function answerCovered(key, answer) {
  if (!answer.reply && !answer.notify) return answer;
  const { reply, notify, ...rest } = answer;
  return { ...rest, caps: await sealCaps(key, answer.rid, { reply, notify }) };
}

/**
 * The lock is leaving while its key is at hand (turned off, a rotation's new sign-in, expiry
 * after one last unlock): drafts under L move to the device's `draftKey`. Returns the lost count.
 */
export async function releaseDrafts(lockKeyNow) {
  if (!(await store.hasLockedDrafts())) return 0;
  const key = await deviceDraftKey();
  return moveDrafts({ from: (r) => (r.lock ? lockKeyNow : key), to: key, lock: false });
}
