// Dates and message parts in the reader's language: every date the views print goes through
// Intl (the language's own month names, digits and order), and a message can carry nodes (the
// teachers' Swedish names marked lang="sv") in its placeholders.
import { h } from "./dom.js";

// The school's dates are Gregorian (terms, talks, "HT2026"): Persian's default Solar Hijri
// calendar would name another year than the term beside it. Month names and digits stay the
// language's own.
const GREGORIAN = "gregory";

/** "2026-03-04" (or a full ISO time) → the date in `lang`, e.g. "4 mars 2026", "٤ مارس ٢٠٢٦". */
export function formatDate(lang, iso) {
  if (!iso) return "";
  const day = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T12:00:00`) : new Date(iso);
  if (Number.isNaN(day.getTime())) return String(iso);
  return new Intl.DateTimeFormat(lang, { dateStyle: "long", calendar: GREGORIAN }).format(day);
}

/** A date the reader can read (Intl, in `lang`), machine-readable in `datetime`. */
export function time(iso, lang) {
  return iso ? h("time", { datetime: iso }, formatDate(lang, iso)) : null;
}

/** A date and time in `lang` (a sent reply's stamp). */
export function formatDateTime(lang, iso) {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return String(iso);
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short", calendar: GREGORIAN }).format(when);
}

/**
 * `t(key, vars)` as a list of strings and nodes: a placeholder whose value is a Node keeps it
 * (e.g. a Swedish group name in <span lang="sv">) where the translation puts it.
 */
export function messageParts(t, key, vars) {
  const marked = {};
  for (const [name, value] of Object.entries(vars)) {
    marked[name] = typeof value === "object" && value !== null ? `\u0000${name}\u0000` : value;
  }
  return t(key, marked)
    .split("\u0000")
    .map((part, i) => (i % 2 ? vars[part] : part))
    .filter((part) => part !== "");
}
