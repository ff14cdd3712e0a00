// The device lock (docs/app.md "Device lock", docs/fp1.md "Device lock"): while locked, the
// device's ECDH private key exists at rest only wrapped (AES-256-GCM, WebCrypto `wrapKey`
// pkcs8) under a key derived from a passkey's PRF output (HKDF) or from a PIN (PBKDF2). The key
// service's answer stays as it came, wrapped to that device key. Unlocking needs no network.
import { b64uDecode, b64uEncode, unwrapReaderKey } from "./fp1.js";
import { answerCovered, coverWithLock, lockKey, moveDrafts, openCaps, publicPoint, releaseDrafts } from "./lockcover.js";
import * as store from "./store.js";

const enc = new TextEncoder();
export const PIN_MIN_DIGITS = 6;
export const MAX_PIN_FAILURES = 5;
// OWASP's 2023 figure for PBKDF2-HMAC-SHA256; ~0.2 s in Chromium on a laptop. Stored with the
// lock, so a later version can raise it without breaking a device's PIN.
export const PIN_ITERATIONS = 600_000;
const WRAPPING = { name: "AES-GCM", length: 256 };
const DEVICE = { name: "ECDH", namedCurve: "P-256" };
const PROMPT_MS = 120_000;

/** A failed unlock or set-up; `code` picks the message (views/lock.js). */
export class LockError extends Error {
  constructor(code, { left = 0 } = {}) {
    super(`device lock: ${code}`);
    this.code = code;
    this.left = left;
  }
}

const random = (n) => crypto.getRandomValues(new Uint8Array(n));
const aad = (kind) => enc.encode(`fp-lock|${kind}|v1`);

export function validPin(pin) {
  return typeof pin === "string" && new RegExp(`^\\d{${PIN_MIN_DIGITS},32}$`).test(pin);
}

/**
 * Whether to offer the passkey: WebAuthn on a name (not an IP address: WebAuthn refuses those),
 * a platform authenticator with user verification, and a browser that does not say it lacks PRF.
 * A browser that cannot tell is found out at set-up (the credential reports prf.enabled).
 */
export async function passkeyPossible() {
  if (!window.PublicKeyCredential || !window.isSecureContext) return false;
  if (/^[\d.]+$|:/.test(location.hostname)) return false;
  try {
    if (PublicKeyCredential.getClientCapabilities) {
      const caps = await PublicKeyCredential.getClientCapabilities();
      if (caps["extension:prf"] === false) return false;
    }
    return await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable();
  } catch {
    return false;
  }
}

/** The wrapping key from a passkey's PRF output (docs/fp1.md "Device lock"). */
export async function keyFromPrf(output) {
  const ikm = await crypto.subtle.importKey("raw", output, "HKDF", false, ["deriveKey"]);
  const params = { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: aad("passkey") };
  return crypto.subtle.deriveKey(params, ikm, WRAPPING, false, ["wrapKey", "unwrapKey"]);
}

/** The wrapping key from a PIN. */
export async function keyFromPin(pin, salt, iterations) {
  const base = await crypto.subtle.importKey("raw", enc.encode(pin), "PBKDF2", false, [
    "deriveKey",
  ]);
  const params = { name: "PBKDF2", hash: "SHA-256", salt, iterations };
  return crypto.subtle.deriveKey(params, base, WRAPPING, false, ["wrapKey", "unwrapKey"]);
}

/** Ask the authenticator for PRF(salt) with user verification; the wrapping key from it. */
async function keyFromPasskey({ credentialId, salt }) {
  let credential;
  try {
    credential = await navigator.credentials.get({
      publicKey: {
        challenge: random(32), // nothing is verified remotely: the PRF output is the secret
        allowCredentials: [{ type: "public-key", id: credentialId }],
        userVerification: "required",
        timeout: PROMPT_MS,
        extensions: { prf: { eval: { first: salt } } },
      },
    });
  } catch {
    throw new LockError("cancelled");
  }
  const first = credential?.getClientExtensionResults().prf?.results?.first;
  if (!first) throw new LockError("noprf");
  return keyFromPrf(first);
}

// `pub` (the device's public point) lets an unlock derive the lock key L (lockcover.js); then
// the drafts and the capabilities move under L.
async function seal(kind, privateKey, wrappingKey, params) {
  const iv = random(12);
  const ct = await crypto.subtle.wrapKey("pkcs8", privateKey, wrappingKey, {
    name: "AES-GCM",
    iv,
    additionalData: aad(kind),
  });
  const pub = await publicPoint(privateKey);
  await store.saveGuard({ v: 1, kind, ...params, iv: b64uEncode(iv), ct: b64uEncode(ct), pub, failures: 0 });
  await coverWithLock(privateKey);
}

/** Create a passkey with PRF, evaluate it, and wrap `privateKey` (extractable) under it. */
export async function setUpPasskey({ privateKey, name }) {
  const salt = random(32);
  let credential;
  try {
    credential = await navigator.credentials.create({
      publicKey: {
        rp: { name },
        user: { id: random(16), name, displayName: name },
        challenge: random(32),
        pubKeyCredParams: [
          { type: "public-key", alg: -7 },
          { type: "public-key", alg: -257 },
        ],
        authenticatorSelection: {
          authenticatorAttachment: "platform",
          residentKey: "preferred",
          userVerification: "required",
        },
        timeout: PROMPT_MS,
        extensions: { prf: { eval: { first: salt } } },
      },
    });
  } catch {
    throw new LockError("cancelled");
  }
  const prf = credential.getClientExtensionResults().prf;
  if (!prf?.enabled && !prf?.results?.first) throw new LockError("noprf");
  const credentialId = new Uint8Array(credential.rawId);
  // Some authenticators evaluate PRF at creation; the others need one more prompt.
  const key = prf.results?.first
    ? await keyFromPrf(prf.results.first)
    : await keyFromPasskey({ credentialId, salt });
  await seal("passkey", privateKey, key, {
    credentialId: b64uEncode(credentialId),
    salt: b64uEncode(salt),
  });
}

export async function setUpPin({ privateKey, pin }) {
  if (!validPin(pin)) throw new LockError("pin_format");
  const salt = random(16);
  const key = await keyFromPin(pin, salt, PIN_ITERATIONS);
  await seal("pin", privateKey, key, { salt: b64uEncode(salt), iterations: PIN_ITERATIONS });
}

/** The device's private key (non-extractable) from a stored lock and its wrapping key. */
export function openDeviceKey(lock, key, { extractable = false } = {}) {
  return crypto.subtle.unwrapKey(
    "pkcs8",
    b64uDecode(lock.ct),
    key,
    { name: "AES-GCM", iv: b64uDecode(lock.iv), additionalData: aad(lock.kind) },
    DEVICE,
    extractable,
    ["deriveBits"],
  );
}

/**
 * The device's public point: kept with the lock since lockcover.js; a lock set up before has
 * none, so it is read once from an extractable copy (this function's memory only) and kept.
 */
async function devicePoint(lock, key) {
  if (lock.pub) return lock.pub;
  const pub = await publicPoint(await openDeviceKey(lock, key, { extractable: true }));
  const current = await store.get("guard");
  if (current) await store.set("guard", { ...current, pub });
  return pub;
}

/**
 * With L at hand: drafts under the old `draftKey` (written before the lock covered them) move
 * under L and that key goes; capabilities still in the clear in the answer are sealed to L.
 * The capabilities for the session.
 */
async function coverWhatIsLeft(key, answer) {
  const old = await store.get("draftKey");
  if (old) {
    await moveDrafts({ from: () => old, to: key, lock: true });
    await store.remove("draftKey");
  }
  if (answer.caps) return openCaps(key, answer.rid, answer.caps);
  if (answer.reply || answer.notify) await store.set("answer", await answerCovered(key, answer));
  return { reply: answer.reply, notify: answer.notify };
}

/**
 * Unlock on this device, offline: the passkey (no `pin`) or the PIN opens the wrapped device
 * key (kept in memory only), which opens each reader key of the stored answer into the unlocked
 * session, with the lock key L for the drafts. Throws LockError: gone, expired, expired_kept
 * (drafts carried out of an expired lock), cancelled, noprf, mismatch, pin_format, wrong_pin
 * (with `left`), wiped.
 */
export async function unlockLocally({ pin } = {}) {
  performance.mark("fp:local-unlock-start");
  const [lock, answer] = await Promise.all([store.get("guard"), store.get("answer")]);
  if (!lock || !answer) throw new LockError("gone");
  // Expired: e-ID is needed again, but drafts under the lock are first carried out by this
  // one last unlock (to the device's draftKey); without such drafts there is nothing to open.
  const expired = store.expired(answer);
  if (expired && !(await store.hasLockedDrafts())) {
    await store.wipe();
    throw new LockError("expired");
  }
  let key;
  let failures = 0;
  if (lock.kind === "pin") {
    if (!validPin(pin)) throw new LockError("pin_format");
    failures = await store.countFailure();
    if (failures === null) throw new LockError("gone");
    key = await keyFromPin(pin, b64uDecode(lock.salt), lock.iterations);
  } else {
    key = await keyFromPasskey({
      credentialId: b64uDecode(lock.credentialId),
      salt: b64uDecode(lock.salt),
    });
  }
  let device;
  try {
    device = await openDeviceKey(lock, key);
  } catch {
    if (lock.kind !== "pin") throw new LockError("mismatch");
    if (failures >= MAX_PIN_FAILURES) {
      await store.wipe();
      throw new LockError("wiped");
    }
    throw new LockError("wrong_pin", { left: MAX_PIN_FAILURES - failures });
  }
  if (lock.kind === "pin") await store.resetFailures();
  const draftKey = await lockKey(device, await devicePoint(lock, key));
  if (expired) {
    await releaseDrafts(draftKey);
    await store.wipe();
    throw new LockError("expired_kept");
  }
  const caps = await coverWhatIsLeft(draftKey, answer);
  const keys = {};
  for (const entry of answer.keys) {
    keys[entry.epoch] = await unwrapReaderKey(entry.wrapped, {
      device,
      rid: answer.rid,
      epoch: entry.epoch,
    });
  }
  await store.saveSession({
    rid: answer.rid,
    provider: answer.provider,
    keys,
    expires: answer.expires,
    keyId: answer.key_id,
    reply: caps.reply,
    notify: caps.notify, // docs/notify.md
    draftKey,
  });
  performance.mark("fp:local-unlocked");
}
