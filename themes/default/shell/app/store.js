// IndexedDB: the device key pair, reader CryptoKeys per epoch (non-extractable), rid, expiry,
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

async function exists() {
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

/** The device's ECDH P-256 pair; the private key is generated non-extractable. */
export async function deviceKeyPair() {
  const stored = await get("device");
  if (stored) return stored;
  const pair = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, [
    "deriveBits",
  ]);
  await set("device", pair);
  return pair;
}

/** Reader keys and who they belong to, or null when locked or expired. */
export async function session() {
  const stored = await get("session");
  if (!stored || !stored.keys || Object.keys(stored.keys).length === 0) return null;
  if (stored.expires && Date.parse(stored.expires) < Date.now()) {
    await lock();
    return null;
  }
  return stored;
}

export function saveSession({ rid, provider, keys, expires }) {
  return set("session", { rid, provider, keys, expires });
}

/** "Lås": the reader keys go; the device key, language and seen ids stay. */
export function lock() {
  return remove("session");
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
  return Boolean(globalThis.caches && (await caches.has("fp-blobs")));
}
