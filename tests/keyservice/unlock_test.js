// Test-only page script: the browser side of /auth/unlock and opening a keyring, as the app
// does it (docs/fp1.md). The reader key only ever exists as a non-extractable CryptoKey.
const enc = new TextEncoder();

function b64u(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

async function unwrap(device, rid, entry) {
  const { epoch, wrapped } = entry;
  const epk = await crypto.subtle.importKey(
    "jwk", wrapped.epk, { name: "ECDH", namedCurve: "P-256" }, false, []);
  const bits = await crypto.subtle.deriveBits({ name: "ECDH", public: epk }, device, 256);
  const ikm = await crypto.subtle.importKey("raw", bits, "HKDF", false, ["deriveKey"]);
  const kek = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0),
      info: enc.encode(`fp1 wrap|${rid}|${epoch}`) },
    ikm, { name: "AES-GCM", length: 256 }, false, ["unwrapKey"]);
  return crypto.subtle.unwrapKey(
    "raw", b64u(wrapped.ct), kek,
    { name: "AES-GCM", iv: b64u(wrapped.iv), additionalData: enc.encode(`fp1|wrap|${rid}|${epoch}`) },
    { name: "AES-GCM" }, false, ["decrypt"]);
}

async function openKeyring(key, rid, seq, bytes) {
  const magic = new TextDecoder().decode(bytes.slice(0, 4));
  if (magic !== "FP1B" || bytes[4] !== 1) throw new Error("not an fp1 blob");
  const padded = new Uint8Array(await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.slice(5, 17), additionalData: enc.encode(`fp1|keyring|${rid}|${seq}`) },
    key, bytes.slice(17)));
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (end < 0 || padded[end] !== 0x80) throw new Error("bad padding");
  const stream = new Blob([padded.slice(0, end)]).stream()
    .pipeThrough(new DecompressionStream("deflate-raw"));
  return JSON.parse(await new Response(stream).text());
}

async function run() {
  const device = await crypto.subtle.generateKey(
    { name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
  const { kty, crv, x, y } = await crypto.subtle.exportKey("jwk", device.publicKey);
  const answer = await fetch("/auth/unlock", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ device_key: { kty, crv, x, y } }),
  });
  if (!answer.ok) return { unlockStatus: answer.status };
  const body = await answer.json();
  const latest = await (await fetch("/latest.json")).json();
  const entry = body.keys.find((k) => k.epoch === latest.epoch);
  const key = await unwrap(device.privateKey, body.rid, entry);
  const ring = await fetch(`/s/${latest.seq}/k/${body.rid}.bin`);
  const result = {
    unlockStatus: answer.status, rid: body.rid, provider: body.provider,
    epochs: body.keys.map((k) => k.epoch), expires: body.expires,
    extractable: key.extractable, keyringStatus: ring.status,
    secondUnlockStatus: (await fetch("/auth/unlock", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ device_key: { kty, crv, x, y } }) })).status,
  };
  if (ring.ok) {
    result.keyring = await openKeyring(key, body.rid, latest.seq, new Uint8Array(await ring.arrayBuffer()));
  }
  return result;
}

// The result goes into the DOM: under the CSP the test cannot poll with evaluated strings.
function report(result) {
  const out = document.createElement("pre");
  out.id = "fp-result";
  out.textContent = JSON.stringify(result);
  document.body.append(out);
}

if (location.hash === "#/unlock") {
  run().then(report, (e) => report({ error: String(e) }));
} else {
  report({ hash: location.hash });
}
