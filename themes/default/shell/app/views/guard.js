// Everything behind the keys goes through here: locked → the lock screen (device lock) or the
// start page (e-ID); no keyring → "no
// documentation"; any failed tag or hash → the altered-copy screen, never partial content.
import { LockedError, NoKeyringError, OfflineError } from "../data.js";
import { AlteredError } from "../fp1.js";
import { alteredView, nodocView, offlineView } from "./messages.js";
import { lockedView } from "./lock.js";
import { startView } from "./start.js";
import * as store from "../store.js";

export async function withFamily(ctx, route, render) {
  // The session (IndexedDB) and the public files (network or cache) are read side by side.
  const [session, pubOrError] = await Promise.all([
    ctx.session(),
    ctx.publicData().catch((error) => ({ error })),
  ]);
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
  const seq = route.seq ?? pub.latest.seq;
  try {
    const family = await ctx.family(session, pub.latest, seq);
    return await render({ family, pub, seq: route.seq });
  } catch (error) {
    if (error instanceof AlteredError) return alteredView(ctx);
    if (error instanceof NoKeyringError) return nodocView(ctx, pub.config);
    if (error instanceof OfflineError) return offlineView(ctx);
    if (error instanceof LockedError) {
      ctx.flash = "flashOlderTerm";
      return startView(ctx);
    }
    throw error;
  }
}
