// One object per page load: language, the public JSON, the unlocked session, decrypted families
// (memory only) and the object URLs the current view uses.
import { fetchJson, loadFamily } from "./data.js";
import { applyLanguage, rememberLanguage, translator } from "./i18n.js";
import * as store from "./store.js";

export class AppContext {
  constructor(lang) {
    this.setLanguage(lang, { remember: false });
    this.flash = null; // one-shot message key for the start page
    this.urls = [];
    this.families = new Map();
    this.publicMemo = null;
    this.providersMemo = null;
  }

  setLanguage(lang, { remember = true } = {}) {
    this.lang = lang;
    this.t = translator(lang);
    applyLanguage(lang);
    return remember ? rememberLanguage(lang) : Promise.resolve();
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

  session() {
    return store.session();
  }

  async family(session, latest, seq) {
    const key = `${session.rid}|${seq}`;
    if (!this.families.has(key)) {
      const loading = loadFamily({ session, latest, seq });
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

  /** "Lås" and auto-lock: drop the reader keys and everything decrypted. */
  async lock(flash) {
    await store.lock();
    this.families.clear();
    this.revokeUrls();
    this.flash = flash;
  }
}
