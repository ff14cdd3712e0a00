// IndexedDB: the device key pair (or, with a device lock, only its wrapped form), the key
// service's answer as it came, the unlocked reader CryptoKeys (non-extractable, deleted on lock),
// highest seen seq, language and the opaque ids already seen. Nothing decrypted is stored.
// Reads never create the database, so a visitor who never signs in (or who just chose
// "Glöm den här enheten") leaves nothing behind.
export const DB_NAME = "fp-app";
const STORE = "kv";

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

// One connection for the page's life: opening IndexedDB costs milliseconds on every call, and
// the unlock path reads and writes it a dozen times. Another tab deleting the database (or
// "Glöm den här enheten" here) closes it.
let connection = null;

/** Whether this device holds the app's database (reads must not create it). */
export async function exists() {
  if (connection || !indexedDB.databases) return true;
  return (await indexedDB.databases()).some((db) => db.name === DB_NAME);
}

function open() {
  if (!connection) {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    connection = request(req).then(
      (db) => {
        db.onversionchange = () => {
          db.close();
          connection = null;
        };
        db.onclose = () => {
          connection = null;
        };
        return db;
      },
      (error) => {
        connection = null;
        throw error;
      },
    );
  }
  return connection;
}

async function withStore(mode, work) {
  const db = await open();
  const tx = db.transaction(STORE, mode);
  const result = await request(work(tx.objectStore(STORE)));
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  return result;
}

export async function get(key) {
  if (!(await exists())) return undefined;
  return withStore("readonly", (s) => s.get(key));
}

export function set(key, value) {
  return withStore("readwrite", (s) => s.put(value, key));
}

export async function remove(key) {
  if (await exists()) await withStore("readwrite", (s) => s.delete(key));
}

/**
 * The device's ECDH P-256 pair for a sign-in. Generated extractable because WebCrypto's
 * `wrapKey` (the device lock, devicelock.js) only wraps extractable keys; as soon as the key
 * service has answered, `keepDeviceKey` replaces it at rest with a non-extractable copy, or the
 * lock wraps it and no plain copy stays at all.
 */
export async function deviceKeyPair({ fresh = false } = {}) {
  const stored = fresh ? undefined : await get("device");
  if (stored) return stored;
  const pair = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, [
    "deriveBits",
  ]);
  await set("device", pair);
  return pair;
}

/** At rest, the pair with its private key re-imported non-extractable. */
export async function keepDeviceKey(pair) {
  if (!pair.privateKey.extractable) return;
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", pair.privateKey);
  const privateKey = await crypto.subtle.importKey(
    "pkcs8",
    pkcs8,
    { name: "ECDH", namedCurve: "P-256" },
    false,
    ["deriveBits"],
  );
  await set("device", { publicKey: pair.publicKey, privateKey });
}

export function expired(record) {
  return Boolean(record?.expires && Date.parse(record.expires) < Date.now());
}

/**
 * Reader keys and who they belong to (the unlocked state), or null when locked. Past `expires`
 * everything wrapped goes too and e-ID is needed again — except that drafts under a device
 * lock keep the lock (and the lock screen) until one last unlock carries them out (lockcover.js).
 */
export async function session() {
  const stored = await get("session");
  if (!stored || !stored.keys || Object.keys(stored.keys).length === 0) return null;
  if (expired(stored)) {
    if (await keepForDrafts()) {
      await removeKeys(["session"]);
      return null;
    }
    await wipe();
    justExpired = true;
    return null;
  }
  return stored;
}

/** Every [key, value] whose key starts with `prefix` (e.g. "draft:"). */
export async function entries(prefix) {
  if (!(await exists())) return [];
  const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
  const [keys, values] = await Promise.all([
    withStore("readonly", (s) => s.getAllKeys(range)),
    withStore("readonly", (s) => s.getAll(range)),
  ]);
  return keys.map((key, i) => [key, values[i]]);
}

/** Whether some draft is at rest under the device lock's key (openable only by unlocking). */
export async function hasLockedDrafts() {
  return (await entries("draft:")).some(([, record]) => record?.lock);
}

async function keepForDrafts() {
  return Boolean(await get("guard")) && (await hasLockedDrafts());
}

let justExpired = false;

/** Whether the last session() or guard() found the keys expired (and deleted them); once. */
export function takeExpired() {
  const was = justExpired;
  justExpired = false;
  return was;
}

/** The key service's answer as it came (wrapped to the device key) and the unlocked keys. */
export async function saveAnswer(answer, session) {
  await removeKeys(["guard"]); // a lock set up before wrapped an older device key
  await set("answer", answer);
  await saveSession(session);
}

// keyId: the key generation (latest.json `key_id`) the keys belong to; after a rotation the
// published site names another one and the app asks for one new sign-in (views/guard.js).
// reply: the key service's reply capability (POST /auth/reply), an opaque value for this rid.
// notify: the key service's token for this rid's consent calls (docs/notify.md).
// draftKey: the key the talk's drafts are under now (lockcover.js), non-extractable.
export function saveSession({ rid, provider, keys, expires, keyId, reply, notify, draftKey }) {
  return set("session", { rid, provider, keys, expires, keyId, reply, notify, draftKey });
}

/**
 * The device lock: {kind, credentialId|iterations, salt, iv, ct, pub, failures}; null if none.
 * Past `expires` with drafts under the lock: the lock with `expired: true` (one last unlock
 * carries the drafts out, devicelock.js), else nothing.
 */
export async function guard() {
  const [lock, answer] = await Promise.all([get("guard"), get("answer")]);
  if (!lock || !answer) return null;
  if (expired(answer)) {
    if (await hasLockedDrafts()) return { ...lock, expired: true };
    await wipe();
    justExpired = true;
    return null;
  }
  return lock;
}

/** A lock is set up: from now on the device's private key is at rest only inside `sealed`. */
export async function saveGuard(sealed) {
  await set("guard", sealed);
  await removeKeys(["device"]);
}

/**
 * Count a PIN attempt before it is tried (closing the tab mid-try still counts), in one
 * transaction so two tabs cannot both read the old count. The new count, or null without a lock.
 */
export async function countFailure() {
  const db = await open();
  const tx = db.transaction(STORE, "readwrite");
  const kv = tx.objectStore(STORE);
  const lock = await request(kv.get("guard"));
  const failures = lock ? (lock.failures ?? 0) + 1 : null;
  if (lock) kv.put({ ...lock, failures }, "guard");
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  return failures;
}

export async function resetFailures() {
  const lock = await get("guard");
  if (lock && lock.failures) await set("guard", { ...lock, failures: 0 });
}

function removeKeys(keys) {
  return exists().then((there) =>
    there
      ? withStore("readwrite", (s) => {
          let last = null;
          for (const key of keys) last = s.delete(key);
          return last;
        })
      : undefined,
  );
}

/**
 * "Lås": the unlocked reader keys go. With a lock set up the wrapped answer and the wrapped
 * device key stay (the passkey or PIN opens them, offline); without one, e-ID is needed again,
 * so the answer and the device key go too. Language, seen ids and the lock reason stay.
 */
export async function lock() {
  const withGuard = Boolean(await get("guard"));
  return removeKeys(withGuard ? ["session"] : ["session", "answer", "device"]);
}

/** The reader turns the device lock off: "Lås" needs e-ID again. */
export function removeGuard() {
  return removeKeys(["guard"]);
}

/**
 * Expiry, too many wrong PINs, a rotation: nothing wrapped is left, and drafts still under the
 * lock's key (which went with the lock) go too. Drafts under the device's `draftKey` stay.
 */
export async function wipe() {
  const locked = (await entries("draft:")).filter(([, record]) => record?.lock).map(([key]) => key);
  return removeKeys(["session", "answer", "device", "guard", ...locked]);
}

/** Last activity while unlocked and the grace it was given (a new page load within it stays
 * unlocked). */
export function noteActivity(graceMs) {
  return set("activity", { at: Date.now(), graceMs });
}

export async function highestSeq() {
  return (await get("highestSeq")) ?? 0;
}

export async function noteSeq(seq) {
  if (seq > (await highestSeq())) await set("highestSeq", seq);
}

/**
 * Note the keyring rev seen for (reader, snapshot); false when it is older than one already seen
 * for that snapshot (a rollback). Only each reader's newest snapshot is remembered.
 */
export async function noteRev(rid, seq, rev) {
  const seen = (await get("revs")) ?? {};
  const mine = seen[rid];
  if (mine && mine.seq === seq && rev < mine.rev) return false;
  if (mine && (mine.seq > seq || (mine.seq === seq && mine.rev === rev))) return true;
  await set("revs", { ...seen, [rid]: { seq, rev } });
  return true;
}

export async function deleteDatabase() {
  const open = connection;
  connection = null;
  if (open) (await open.catch(() => null))?.close();
  return request(indexedDB.deleteDatabase(DB_NAME));
}

// issue 14: "Glöm den här enheten" is offered only once this device holds something of the
// reader's (keys, settings or saved documentation), never on a first visit.
export async function hasStoredData() {
  if (await exists()) return true;
  // The worker's install makes an empty fp-blobs on a first visit: only files in it count.
  if (!globalThis.caches || !(await caches.has("fp-blobs"))) return false;
  return (await (await caches.open("fp-blobs")).keys()).length > 0;
}
