// fp1 in the browser (docs/fp1.md), WebCrypto only. A blob opens completely or not at all:
// every failure (hash, tag, padding, deflate, JSON) throws AlteredError and nothing partial leaks.
const enc = new TextEncoder();
const MAGIC = [0x46, 0x50, 0x31, 0x42]; // "FP1B"
const HEADER = 17; // magic 4 + version 1 + nonce 12
const COMPRESSED = new Set(["keyring", "child", "plan"]);

export class AlteredError extends Error {
  constructor(reason) {
    super(`fp1: ${reason}`);
    this.name = "AlteredError";
  }
}

export function b64uDecode(text) {
  if (typeof text !== "string" || /[^A-Za-z0-9_-]/.test(text)) {
    throw new AlteredError("bad base64url");
  }
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) =>
    c.charCodeAt(0),
  );
}

export function b64uEncode(bytes) {
  let text = "";
  for (const byte of new Uint8Array(bytes)) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function sha256b64u(bytes) {
  return b64uEncode(await crypto.subtle.digest("SHA-256", bytes));
}

/** A blob key (32 raw bytes from a keyring) as a non-extractable AES-GCM decrypt key. */
export function importBlobKey(raw) {
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["decrypt"]);
}

function unpad(padded) {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (end < 0 || padded[end] !== 0x80) throw new AlteredError("bad padding");
  return padded.subarray(0, end);
}

async function inflateRaw(bytes) {
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch {
    throw new AlteredError("bad deflate");
  }
}

/** Decrypt, unpad and (for JSON kinds) inflate a blob; returns the plaintext bytes. */
export async function openBlob(bytes, { key, kind, blobId }) {
  const data = new Uint8Array(bytes);
  if (data.length < HEADER + 16 || MAGIC.some((b, i) => data[i] !== b) || data[4] !== 1) {
    throw new AlteredError("not an fp1 blob");
  }
  let padded;
  try {
    padded = new Uint8Array(
      await crypto.subtle.decrypt(
        {
          name: "AES-GCM",
          iv: data.subarray(5, HEADER),
          additionalData: enc.encode(`fp1|${kind}|${blobId}`),
        },
        key,
        data.subarray(HEADER),
      ),
    );
  } catch {
    throw new AlteredError("tag check failed");
  }
  const body = unpad(padded);
  return COMPRESSED.has(kind) ? inflateRaw(body) : body.slice();
}

export function parseJson(plain) {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(plain));
  } catch {
    throw new AlteredError("bad JSON");
  }
}

export async function openJson(bytes, options) {
  return parseJson(await openBlob(bytes, options));
}

/** Check a file's SHA-256 against the keyring entry, then open it with the entry's key: the
 * plaintext bytes (for JSON kinds the canonical JSON, whose digest the statement names). */
export async function openEntryPlain(bytes, entry) {
  if ((await sha256b64u(bytes)) !== entry.sha256) throw new AlteredError("hash mismatch");
  const key = await importBlobKey(b64uDecode(entry.key));
  return openBlob(bytes, { key, kind: entry.kind, blobId: entry.id });
}

/** openEntryPlain, parsed for JSON kinds. */
export async function openEntry(bytes, entry) {
  const plain = await openEntryPlain(bytes, entry);
  return entry.kind === "file" ? plain : parseJson(plain);
}

/** Open a keyring sealed under the reader key `readerKey` for (rid, seq). */
export function openKeyring(bytes, { readerKey, rid, seq }) {
  return openJson(bytes, { key: readerKey, kind: "keyring", blobId: `${rid}|${seq}` });
}

/** ECDH(epk, device) → HKDF → KEK; unwrap Kr into a non-extractable AES-GCM decrypt key. */
export async function unwrapReaderKey(wrapped, { device, rid, epoch }) {
  const epk = await crypto.subtle.importKey(
    "jwk",
    { kty: "EC", crv: "P-256", x: wrapped.epk.x, y: wrapped.epk.y },
    { name: "ECDH", namedCurve: "P-256" },
    false,
    [],
  );
  const shared = await crypto.subtle.deriveBits({ name: "ECDH", public: epk }, device, 256);
  const ikm = await crypto.subtle.importKey("raw", shared, "HKDF", false, ["deriveKey"]);
  const kek = await crypto.subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: new Uint8Array(0),
      info: enc.encode(`fp1 wrap|${rid}|${epoch}`),
    },
    ikm,
    { name: "AES-GCM", length: 256 },
    false,
    ["unwrapKey"],
  );
  return crypto.subtle.unwrapKey(
    "raw",
    b64uDecode(wrapped.ct),
    kek,
    {
      name: "AES-GCM",
      iv: b64uDecode(wrapped.iv),
      additionalData: enc.encode(`fp1|wrap|${rid}|${epoch}`),
    },
    { name: "AES-GCM" },
    false,
    ["decrypt"],
  );
}

// ---- Sealed replies (docs/fp1.md "Sealed reply"): to the school unit's P-256 key. ----

/** The Padmé length of blob.py: at least 256 bytes, at most ~12 % more. */
export function padme(length) {
  const n = Math.max(length, 256);
  const exponent = Math.floor(Math.log2(n));
  const sizeBits = Math.floor(Math.log2(exponent)) + 1;
  const mask = 2 ** (exponent - sizeBits) - 1;
  return Math.floor((n + mask) / (mask + 1)) * (mask + 1);
}

function pad(body) {
  const out = new Uint8Array(padme(body.length + 1));
  out.set(body);
  out[body.length] = 0x80;
  return out;
}

/** JSON with sorted keys and no spaces: the bytes Python's canonical_json gives. */
export function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function replyContext({ unit, rid, child, talk }) {
  for (const part of [unit, rid, child, talk]) {
    if (!part || String(part).includes("|")) throw new Error("fp1: bad reply context");
  }
  return `${unit}|${rid}|${child}|${talk}`;
}

/**
 * Seal `value` to the school's public JWK. `ephemeral` (an ECDH key pair) and `nonce` are fixed
 * only by the test vectors; otherwise a fresh non-extractable pair and random nonce are used.
 */
export async function sealReply(value, { schoolJwk, context, ephemeral, nonce }) {
  const ctx = replyContext(context);
  const school = await crypto.subtle.importKey(
    "jwk",
    { kty: "EC", crv: "P-256", x: schoolJwk.x, y: schoolJwk.y },
    { name: "ECDH", namedCurve: "P-256" },
    false,
    [],
  );
  const pair =
    ephemeral ??
    (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]));
  const epk = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey)); // 65 bytes
  const shared = await crypto.subtle.deriveBits({ name: "ECDH", public: school }, pair.privateKey, 256);
  const ikm = await crypto.subtle.importKey("raw", shared, "HKDF", false, ["deriveKey"]);
  const key = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: epk, info: enc.encode(`fp1 reply|${ctx}`) },
    ikm,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt"],
  );
  const iv = nonce ?? crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: enc.encode(`fp1|reply|${ctx}`) },
      key,
      pad(enc.encode(canonicalJson(value))),
    ),
  );
  const out = new Uint8Array(5 + 65 + 12 + ct.length);
  out.set([0x46, 0x50, 0x31, 0x52, 0x01]); // "FP1R" v1
  out.set(epk, 5);
  out.set(iv, 70);
  out.set(ct, 82);
  return out;
}

const SIG_CONTEXT = enc.encode("fp1|sig|");

export class SignatureError extends AlteredError {
  constructor(reason) {
    super(reason);
    this.name = "SignatureError";
  }
}

function validOn(entry, day) {
  return String(entry.from ?? "") <= day && (entry.until == null || day <= String(entry.until));
}

/** Verify a keyring's `sig` member against `keys` (the pinned key list); returns the statement
 * (the keyring without its blob keys, docs/fp1.md) and its bytes, or throws SignatureError. */
export async function verifySig(sig, keys) {
  if (!sig || ["kid", "statement", "sig"].some((k) => typeof sig[k] !== "string")) {
    throw new SignatureError("not signed");
  }
  const entry = keys.find((k) => k.kid === sig.kid && k.alg === "Ed25519");
  if (!entry) throw new SignatureError(`signed by an unknown key ${sig.kid}`);
  let ok = false;
  let statementBytes;
  try {
    statementBytes = b64uDecode(sig.statement);
    const key = await crypto.subtle.importKey(
      "raw",
      b64uDecode(entry.public),
      { name: "Ed25519" },
      false,
      ["verify"],
    );
    const message = new Uint8Array(SIG_CONTEXT.length + statementBytes.length);
    message.set(SIG_CONTEXT);
    message.set(statementBytes, SIG_CONTEXT.length);
    ok = await crypto.subtle.verify({ name: "Ed25519" }, key, b64uDecode(sig.sig), message);
  } catch {
    ok = false;
  }
  if (!ok) throw new SignatureError("signature does not verify");
  let statement;
  try {
    statement = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(statementBytes));
  } catch {
    throw new SignatureError("bad statement");
  }
  if (!validOn(entry, String(statement?.signed))) {
    throw new SignatureError("key not valid on the signing date");
  }
  return { statement, statementBytes };
}
