// The municipality's own texts (export.toml: docs/export-format.md, "Texts in several
// languages"), each {sv, en?, ar?, …}: shown in the reader's language; where the municipality
// gave none, the Swedish text marked lang="sv" dir="ltr" and one visible note per block saying
// the text is only in Swedish (in the reader's language, read by screen readers in place).
import { h } from "./dom.js";

/**
 * {text, lang, fallback} of `value` for the reader. `value` is {sv, <code>…}, or (a bundle
 * published before the app had more languages) a Swedish string with its English twin `en`.
 * `lang` is null when the text is in the reader's language (it inherits the page's).
 */
export function localText(ctx, value, en) {
  const texts = typeof value === "string" ? { sv: value, en } : value ?? {};
  if (texts[ctx.lang]) return { text: texts[ctx.lang], lang: null, fallback: false };
  return { text: texts.sv ?? "", lang: "sv", fallback: ctx.lang !== "sv" };
}

/** Props marking a text's language: Swedish inside another language's page reads left to right. */
export function langProps(text) {
  return text.lang ? { lang: text.lang, dir: "ltr" } : {};
}

/** An element with a municipality text, marked as above. */
export function localEl(tag, text, props = {}) {
  return h(tag, { ...props, ...langProps(text) }, text.text);
}

/** "Texten finns bara på svenska" when any of `texts` fell back to Swedish; else null. */
export function onlySwedish(ctx, texts, { inline = false } = {}) {
  if (!texts.some((text) => text?.fallback)) return null;
  return h(inline ? "span" : "p", { class: "only-sv", role: "note" }, ctx.t("onlySwedish"));
}
