// "New since your last visit": the opaque entry ids already seen, per child pseudonym. Ids are
// random pseudonyms from the build, never text; the first visit only records a baseline.
import { get, set } from "./store.js";

export async function newEntryIds(child) {
  const seen = (await get("seen")) ?? {};
  const known = seen[child.id];
  if (!known) return new Set();
  return new Set(child.bundle.larlogg.map((e) => e.id).filter((id) => !known.includes(id)));
}

export async function markSeen(children) {
  const seen = (await get("seen")) ?? {};
  for (const child of children) seen[child.id] = child.bundle.larlogg.map((e) => e.id);
  await set("seen", seen);
}

export async function ensureBaseline(children) {
  const seen = (await get("seen")) ?? {};
  const fresh = children.filter((c) => !seen[c.id]);
  if (fresh.length) await markSeen(fresh);
}
