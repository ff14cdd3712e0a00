// The development talk's answers: drafts encrypted on the device, replies sealed to the school.
// Drafts are AES-GCM under a non-extractable key kept in IndexedDB (never plaintext in
// IndexedDB, Cache Storage or Web Storage). A sent reply waits in the outbox — sealed to the
// school's key, so not readable here either — until the key service answers 201.
import { b64uDecode, b64uEncode, sealReply } from "./fp1.js";
import { get, remove, session, set } from "./store.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

async function draftKey() {
  const stored = await get("draftKey");
  if (stored) return stored;
  const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, [
    "encrypt",
    "decrypt",
  ]);
  await set("draftKey", key);
  return key;
}

// The id binds a draft to its reader, child and talk; the AAD binds the ciphertext to it.
export const draftId = ({ rid, child, talk }) => `${rid}|${child}|${talk}`;

export async function saveDraft(id, value) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: enc.encode(`fp draft|${id}`) },
    await draftKey(),
    enc.encode(JSON.stringify(value)),
  );
  await set(`draft:${id}`, { iv: b64uEncode(iv), ct: b64uEncode(ct) });
}

export async function loadDraft(id) {
  const stored = await get(`draft:${id}`);
  if (!stored) return null;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: b64uDecode(stored.iv), additionalData: enc.encode(`fp draft|${id}`) },
      await draftKey(),
      b64uDecode(stored.ct),
    );
    return JSON.parse(dec.decode(plain));
  } catch {
    return null; // a draft from a forgotten key: start again rather than show nothing
  }
}

export const sentAt = (id) => get(`sent:${id}`);

/** Seal the answers to the school key and queue them; then try to send the whole queue. */
export async function sendReply({ id, schoolKey, context, role, answers }) {
  const sess = await session();
  if (!sess?.reply) return { error: "signin" };
  const sealed = await sealReply(
    { v: 1, role, talk: context.talk, sent: new Date().toISOString(), answers },
    { schoolJwk: schoolKey.jwk, context: { ...context, unit: schoolKey.unit, rid: sess.rid } },
  );
  const body = {
    cap: sess.reply,
    unit: schoolKey.unit,
    child: context.child,
    talk: context.talk,
    reply: b64uEncode(sealed),
  };
  const outbox = (await get("outbox")) ?? {};
  await set("outbox", { ...outbox, [id]: body });
  return flushOutbox();
}

let flushing = null;

/** POST every queued reply; 201 (or 409: stored before) marks it sent with the service's time. */
export function flushOutbox() {
  flushing ??= (async () => {
    const outbox = (await get("outbox")) ?? {};
    const out = {};
    for (const [id, body] of Object.entries(outbox)) {
      let response;
      try {
        response = await fetch("/auth/reply", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
          cache: "no-store",
        });
      } catch {
        out[id] = "queued"; // offline: sent when the network is back
        continue;
      }
      const current = (await get("outbox")) ?? {};
      if (response.status === 201 || response.status === 409) {
        const answer = response.status === 201 ? await response.json() : {};
        await set(`sent:${id}`, answer.stored ?? new Date().toISOString());
        delete current[id];
        out[id] = "sent";
      } else if (response.status === 401) {
        out[id] = "signin"; // kept: sent after the next sign-in
      } else if (response.status === 429 || response.status >= 500) {
        out[id] = "queued";
      } else {
        delete current[id]; // refused for good (e.g. too large): say so, drop it
        out[id] = "refused";
      }
      await (Object.keys(current).length ? set("outbox", current) : remove("outbox"));
    }
    document.dispatchEvent(new CustomEvent("fp:outbox", { detail: out }));
    return out;
  })().finally(() => {
    flushing = null;
  });
  return flushing;
}

export async function queued(id) {
  return Boolean(((await get("outbox")) ?? {})[id]);
}

addEventListener("online", () => {
  flushOutbox();
});
