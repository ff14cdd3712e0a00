// Everything behind the keys goes through here: locked → the lock screen (device lock) or the
// start page (e-ID); no keyring → "no
// documentation"; any failed tag or hash → the altered-copy screen, never partial content.
import { LockedError, NoKeyringError, OfflineError } from "../data.js";
import { AlteredError, SignatureError } from "../fp1.js";
import { alteredView, nodocView, offlineView, unsignedView } from "./messages.js";
import { lockedView } from "./lock.js";
import { releaseDrafts } from "../lockcover.js";
import { applyRetention } from "../retention.js";
import { startView } from "./start.js";
import * as store from "../store.js";

// The municipality rotated its master key: the published site names another key generation
// than the one this device's keys belong to. Its keyrings are under new reader ids, so the old
// keys open nothing: say so and ask for one new sign-in, instead of "no documentation for you".
// A session from before key ids (keyId undefined) is judged only when its keyring is missing.
function rotated(session, latest, { missing = false } = {}) {
  if (typeof latest.key_id !== "string") return false;
  if (session.keyId === undefined) return missing;
  return session.keyId !== latest.key_id;
}

async function askNewSignIn(ctx) {
  // Drafts under the device lock's key move to the device's draftKey first: the lock goes.
  const unlocked = await store.get("session");
  if (unlocked?.draftKey) await releaseDrafts(unlocked.draftKey);
  await store.wipe(); // the old generation's keys, answer and device lock open nothing now
  ctx.forget();
  ctx.flash = "flashRotated";
  return startView(ctx);
}

export async function withFamily(ctx, route, render) {
  // The session (IndexedDB) and the public files (network or cache) are read side by side.
  const [session, pubOrError] = await Promise.all([
    ctx.session(),
    ctx.publicData().catch((error) => ({ error })),
  ]);
  // Terms past their retention date are forgotten on this device (keys or not) and not listed.
  if (!pubOrError.error) pubOrError.latest = await applyRetention(pubOrError.latest);
  if (!session) {
    // A device lock set up: the lock screen, on this very route, so "Lås upp" returns here.
    const lock = await ctx.guard();
    if (lock) {
      const reason = await store.get("lockReason");
      return lockedView(ctx, { lock, reason, onUnlocked: () => ctx.onUnlocked() });
    }
    ctx.flash = ctx.flash ?? (route.name === "home" ? null : "flashLocked");
    return startView(ctx);
  }
  if (pubOrError.error) {
    if (pubOrError.error instanceof OfflineError) return offlineView(ctx);
    throw pubOrError.error;
  }
  const pub = pubOrError;
  if (rotated(session, pub.latest)) return askNewSignIn(ctx);
  const seq = route.seq ?? pub.latest.seq;
  if (!pub.latest.snapshots.some((s) => s.seq === seq)) return nodocView(ctx, pub.config);
  try {
    const family = await ctx.family(session, pub.latest, seq);
    return await render({ family, pub, seq: route.seq });
  } catch (error) {
    if (error instanceof SignatureError) return unsignedView(ctx);
    if (error instanceof AlteredError) return alteredView(ctx);
    if (error instanceof NoKeyringError) {
      if (rotated(session, pub.latest, { missing: true })) return askNewSignIn(ctx);
      return nodocView(ctx, pub.config);
    }
    if (error instanceof OfflineError) return offlineView(ctx);
    if (error instanceof LockedError) {
      ctx.flash = "flashOlderTerm";
      return startView(ctx);
    }
    throw error;
  }
}
