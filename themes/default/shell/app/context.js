// One object per page load: language, the public JSON, the unlocked session, decrypted families
// (memory only) and the object URLs the current view uses.
import { fetchJson, loadFamily } from "./data.js";
import { applyLanguage, loadCatalogue, rememberLanguage, translator } from "./i18n.js";
import { noteTermFiles } from "./retention.js";
import * as store from "./store.js";

const FLASH = { manual: "flashLocked", idle: "flashIdle", reopened: "flashReopened" };

export class AppContext {
  /** `lang` and its catalogue (i18n.js loadCatalogue): a context always has text to show. */
  constructor(lang, table) {
    this.lang = lang;
    this.t = translator(lang, table);
    applyLanguage(lang);
    this.flash = null; // one-shot message key for the start page
    this.urls = [];
    this.families = new Map();
    this.publicMemo = null;
    this.providersMemo = null;
    this.setupKey = null; // the sign-in's extractable device key, memory only, for the lock offer
    this.offerDismissed = false;
    this.idleMinutes = 30;
    this.graceMs = 3 * 60_000;
    this.onUnlocked = () => undefined; // main.js: tell other tabs, render again
  }

  /** Switch to `lang` once its catalogue is here (from the service worker's cache offline). */
  async setLanguage(lang, { remember = true } = {}) {
    const table = await loadCatalogue(lang);
    this.lang = lang;
    this.t = translator(lang, table);
    applyLanguage(lang);
    if (remember) await rememberLanguage(lang);
  }

  async publicData() {
    if (!this.publicMemo) {
      this.publicMemo = Promise.all([fetchJson("/latest.json"), fetchJson("/config.json")]).then(
        ([latest, config]) => ({ latest, config }),
        (error) => {
          this.publicMemo = null;
          throw error;
        },
      );
    }
    return this.publicMemo;
  }

  async providers() {
    if (!this.providersMemo) {
      const response = await fetch("/auth/providers", { cache: "no-store" });
      if (!response.ok) throw new Error(`providers: ${response.status}`);
      this.providersMemo = (await response.json()).providers ?? [];
    }
    return this.providersMemo;
  }

  async session() {
    const session = await store.session();
    if (store.takeExpired()) this.flash = "flashExpired";
    return session;
  }

  async guard() {
    const lock = await store.guard();
    if (store.takeExpired()) this.flash = "flashExpired";
    return lock;
  }

  async family(session, latest, seq) {
    const key = `${session.rid}|${seq}`;
    if (!this.families.has(key)) {
      const loading = loadFamily({ session, latest, seq });
      // What this term's keyring names, so retention can forget exactly that (retention.js).
      loading.then((family) => noteTermFiles(seq, family.blobPaths), () => undefined);
      this.families.set(key, loading);
      loading.catch(() => this.families.delete(key));
    }
    return this.families.get(key);
  }

  objectUrl(bytes, type) {
    const url = URL.createObjectURL(new Blob([bytes], { type: type || "application/octet-stream" }));
    this.urls.push(url);
    return url;
  }

  revokeUrls() {
    for (const url of this.urls.splice(0)) URL.revokeObjectURL(url);
  }

  /**
   * "Lås", auto-lock and lock-on-open (`reason`: manual, idle, reopened): drop the unlocked
   * reader keys and everything decrypted. With a device lock the lock screen says why;
   * without one the start page does.
   */
  async lock(reason) {
    const guarded = Boolean(await store.guard());
    await store.lock();
    if (guarded) await store.set("lockReason", { reason, minutes: this.idleMinutes });
    this.forget();
    this.flash = guarded ? null : FLASH[reason];
    return guarded;
  }

  /** Drop everything decrypted and the sign-in's device key (another tab locked, or this). */
  forget() {
    this.families.clear();
    this.revokeUrls();
    this.setupKey = null;
  }

  /** Remember activity while unlocked: a page load within the grace after it stays unlocked. */
  async touch() {
    if (await store.get("session")) await store.noteActivity(this.graceMs);
  }
}
