// Interface text from one catalogue per language (locales/<code>.json, docs/languages.md), fetched
// when that language is chosen: only the language in use is in the page; the service worker
// precaches every catalogue, so switching language works offline too. The teachers' text stays
// in its own language (marked lang="sv" dir="ltr", dom.js).
import { get, set } from "./store.js";

// The build writes here the languages whose catalogues it checked (pipeline/shell/catalogues.py):
// [{code, name (in its own script), dir}]. Unbuilt (a bare theme folder): Swedish only.
const BUILT = "__FP_LANGUAGES__";
export const LANGUAGES = Array.isArray(BUILT) ? BUILT : [{ code: "sv", name: "Svenska", dir: "ltr" }];
export const SUPPORTED = LANGUAGES.map((l) => l.code);
// Dari is Persian in Afghanistan: one catalogue serves both.
const ALIASES = { prs: "fa", "fa-af": "fa" };

const loaded = new Map(); // code → Promise of its table

/** The catalogue of `lang` (a flat key → message object); fetched once per page. */
export function loadCatalogue(lang) {
  if (!loaded.has(lang)) {
    const loading = fetch(`/locales/${lang}.json`).then((response) => {
      if (!response.ok) throw new Error(`locales/${lang}.json: ${response.status}`);
      return response.json();
    });
    loading.catch(() => loaded.delete(lang)); // a later try may be online
    loaded.set(lang, loading);
  }
  return loaded.get(lang);
}

/**
 * `t(key, vars)` over one catalogue. With a numeric vars.n the plural form is chosen by the
 * language's CLDR rules: `key_<category>` (zero, one, two, few, many), the base key being
 * "other". A key the catalogue lacks shows as the key (the build refuses incomplete ones).
 */
export function translator(lang, table) {
  const rules = new Intl.PluralRules(lang);
  const numbers = new Intl.NumberFormat(lang); // numbers in the language's own digits and marks
  const show = (value) => (typeof value === "number" ? numbers.format(value) : String(value ?? ""));
  return (key, vars = {}) => {
    const form = typeof vars.n === "number" ? rules.select(vars.n) : "other";
    const message = (form !== "other" ? table[`${key}_${form}`] : undefined) ?? table[key] ?? key;
    return message.replace(/\{(\w+)\}/g, (_, name) => show(vars[name]));
  };
}

export function direction(lang) {
  return LANGUAGES.find((l) => l.code === lang)?.dir ?? "ltr";
}

export function applyLanguage(lang) {
  document.documentElement.lang = lang;
  document.documentElement.dir = direction(lang);
}

/** The best of `preferred` (navigator.languages) that the app has, else Swedish. */
export function bestLanguage(preferred) {
  for (const tag of preferred ?? []) {
    const lower = String(tag).toLowerCase();
    const primary = lower.split("-")[0];
    for (const code of [ALIASES[lower], ALIASES[primary], lower, primary]) {
      if (code && SUPPORTED.includes(code)) return code;
    }
  }
  return "sv";
}

/** The reader's own choice if made (kept in IndexedDB), else the browser's preference. */
export async function savedLanguage() {
  const stored = await get("lang").catch(() => undefined);
  if (stored && SUPPORTED.includes(stored)) return stored;
  return bestLanguage(navigator.languages);
}

export function rememberLanguage(lang) {
  return set("lang", lang);
}
