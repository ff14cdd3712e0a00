// Retention (gallring) on the device (docs/app.md "Retention"): latest.json gives each term's
// retention date; once it has passed, the app forgets what it saved of that term — its keyring
// and the blobs only it named (Cache Storage) and its record here (IndexedDB) — even offline,
// where an old latest.json may still list it. A month before, the family page says so and
// points to "Ladda ner arkiv".
import * as store from "./store.js";

export const WARN_DAYS = 30;
const DAY_MS = 86_400_000;

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The terms of `latest` whose retention date is within WARN_DAYS from now (not yet past). */
export function termsEndingSoon(latest) {
  const today = isoDay(Date.now());
  const horizon = isoDay(Date.now() + WARN_DAYS * DAY_MS);
  return latest.snapshots.filter(
    (s) => s.retention_until && s.retention_until >= today && s.retention_until <= horizon,
  );
}

/** Remember which files a term's keyring named, so they can be forgotten with the term. */
export async function noteTermFiles(seq, paths) {
  const all = (await store.get("termFiles")) ?? {};
  if (JSON.stringify(all[seq]) !== JSON.stringify(paths)) {
    await store.set("termFiles", { ...all, [seq]: paths });
  }
}

async function forgetTerm(seq, keep) {
  const all = (await store.get("termFiles")) ?? {};
  const paths = all[seq] ?? [];
  if (globalThis.caches) {
    const blobs = await caches.open("fp-blobs");
    await Promise.all(paths.filter((p) => !keep.has(p)).map((p) => blobs.delete(p, { ignoreSearch: true })));
    const data = await caches.open("fp-data");
    const prefix = `/s/${seq}/`;
    for (const request of await data.keys()) {
      if (new URL(request.url).pathname.startsWith(prefix)) await data.delete(request);
    }
  }
  delete all[seq];
  await store.set("termFiles", all);
}

/**
 * `latest` without the terms past their retention date; forgets those terms' saved data first.
 * Also when locked (saved data outlives the keys); never creates the database of a visitor.
 */
export async function applyRetention(latest) {
  const today = isoDay(Date.now());
  if (!(await store.exists())) return withoutExpired(latest, new Set(), today);
  const known = { ...((await store.get("retention")) ?? {}) };
  let changed = false;
  for (const s of latest.snapshots) {
    if (s.retention_until && known[s.seq] !== s.retention_until) {
      known[s.seq] = s.retention_until;
      changed = true;
    }
  }
  const expired = Object.keys(known).filter((seq) => known[seq] < today).map(Number);
  if (expired.length) {
    const live = Object.keys(known).map(Number).filter((seq) => !expired.includes(seq));
    const files = (await store.get("termFiles")) ?? {};
    const keep = new Set(live.flatMap((seq) => files[seq] ?? []));
    for (const seq of expired) {
      await forgetTerm(seq, keep);
      delete known[seq];
    }
    changed = true;
  }
  if (changed) await store.set("retention", known);
  return withoutExpired(latest, new Set(expired), today);
}

function withoutExpired(latest, gone, today) {
  const snapshots = latest.snapshots.filter(
    (s) => !gone.has(s.seq) && !(s.retention_until && s.retention_until < today),
  );
  return snapshots.length === latest.snapshots.length ? latest : { ...latest, snapshots };
}
