// The development talk's answers: drafts encrypted on the device, replies sealed to the school.
// Drafts are AES-GCM under the session's draft key (lockcover.js): with a device lock that is
// the lock key L, gone while locked; without one the device's `draftKey`. Never plaintext in
// IndexedDB, Cache Storage or Web Storage. A sent reply waits in the outbox — sealed to the
// school's key, so not readable here either, and without the reply capability, which is added
// only when it is sent while unlocked — until the key service answers 201.
import { b64uEncode, sealReply } from "./fp1.js";
import { deviceDraftKey, openDraft, sealDraft } from "./lockcover.js";
import { get, remove, session, set } from "./store.js";

// The id binds a draft to its reader, child and talk; the AAD binds the ciphertext to it.
export const draftId = ({ rid, child, talk }) => `${rid}|${child}|${talk}`;

/** Save a draft; false when locked (a save still pending as the lock came waits no longer). */
export async function saveDraft(id, value) {
  const sess = await session();
  if (!sess) return false;
  // A session from before lockcover.js has no draftKey: the old key until the next unlock
  // moves its drafts under the lock.
  const lock = Boolean(sess.draftKey) && Boolean(await get("guard"));
  const key = sess.draftKey ?? (await get("draftKey")) ?? (await deviceDraftKey());
  await set(`draft:${id}`, await sealDraft(key, id, value, { lock }));
  return true;
}

export async function loadDraft(id) {
  const [stored, sess] = await Promise.all([get(`draft:${id}`), session()]);
  if (!stored || !sess) return null;
  // A session from before lockcover.js has no draftKey: its drafts are under `draftKey`.
  const key = stored.lock ? sess.draftKey : (sess.draftKey ?? (await get("draftKey")));
  try {
    return await openDraft(key, id, stored);
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
    const outbox = await capFree();
    const sess = await session();
    const out = {};
    for (const [id, body] of Object.entries(outbox)) {
      if (!sess?.reply) {
        out[id] = "queued"; // locked (or signed out): sent after the next unlock
        continue;
      }
      let response;
      try {
        response = await fetch("/auth/reply", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ...body, cap: sess.reply }),
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

/** The outbox; one written before the lock covered capabilities loses its `cap` at rest. */
async function capFree() {
  const outbox = (await get("outbox")) ?? {};
  if (!Object.values(outbox).some((body) => "cap" in body)) return outbox;
  const clean = Object.fromEntries(
    Object.entries(outbox).map(([id, { cap: _cap, ...body }]) => [id, body]),
  );
  await set("outbox", clean);
  return clean;
}

export async function queued(id) {
  return Boolean(((await get("outbox")) ?? {})[id]);
}

addEventListener("online", () => {
  flushOutbox();
});
