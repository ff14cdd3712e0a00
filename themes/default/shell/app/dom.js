// Tiny DOM helpers: elements from data (never from strings), and teachers' fragments through a
// <template> after DOMParser, with attachments resolved to object URLs.
import { direction } from "./i18n.js";

/**
 * An element from data. Whatever carries a `lang` also gets that language's `dir` unless given:
 * the teachers' Swedish inside an Arabic page is then `lang="sv" dir="ltr"`, laid out left to
 * right and isolated from the page's right-to-left flow.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  const lang = props?.lang;
  if (lang && !props.dir) el.setAttribute("dir", direction(lang));
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  el.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

// The build sanitizes every fragment (nh3); this is a second fence, not the first.
const DROP = "script,style,iframe,object,embed,link,meta,base,form,input,button,textarea,select";
const SAFE_URL = /^(https?:|mailto:|tel:|#)/i;

function fence(root) {
  for (const el of root.querySelectorAll(DROP)) el.remove();
  for (const el of root.querySelectorAll("*")) {
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on") || name === "style" || name === "srcset") el.removeAttribute(name);
      if ((name === "href" || name === "src") && !SAFE_URL.test(attr.value.trim())) {
        el.removeAttribute(name);
      }
    }
  }
}

/**
 * Wide tables scroll sideways in a keyboard-focusable, labelled region (WCAG 2.1.1). Cells never
 * break inside a word (app.css); a hint under the table says when it is wider than the screen.
 */
function scrollTables(root, { label, hint, lang }) {
  for (const table of root.querySelectorAll("table")) {
    let box = table.parentElement;
    if (!box || !box.classList.contains("fp-table-scroll")) {
      box = h("div", { class: "fp-table-scroll" });
      table.replaceWith(box);
      box.append(table);
    }
    const caption = table.querySelector("caption")?.textContent?.trim();
    box.setAttribute("role", "region");
    box.setAttribute("tabindex", "0");
    box.setAttribute("aria-label", caption || label);
    if (hint) {
      const note = h("p", { class: "fp-table-hint", lang, hidden: true }, hint);
      box.after(note);
      // Measured once laid out, and again whenever the box changes size (rotation, zoom).
      new ResizeObserver(() => {
        note.hidden = box.scrollWidth <= box.clientWidth + 1;
      }).observe(box);
    }
  }
}

/** Labels the build wrote in several languages (data-fp-lang): keep the reader's, else sv. */
function pickLanguage(root, lang) {
  const parents = new Set([...root.querySelectorAll("[data-fp-lang]")].map((el) => el.parentNode));
  for (const parent of parents) {
    const options = [...parent.children].filter((el) => el.hasAttribute("data-fp-lang"));
    const keep =
      options.find((el) => el.dataset.fpLang === lang) ??
      options.find((el) => el.dataset.fpLang === "sv") ??
      options[0];
    for (const el of options) if (el !== keep) el.remove();
  }
}

const TYPE_NAMES = { "application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP" };

function fileInfo(file, { t, lang }) {
  const type = TYPE_NAMES[file.type] ?? (file.name?.split(".").pop() ?? "").toUpperCase();
  const kb = file.size / 1024;
  // The unit in the language too ("245 kB", "245 kt", "245 كيلوبايت"), not only the digits.
  const unit = (name, digits) =>
    new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "short", maximumFractionDigits: digits });
  const size = kb < 1024 ? unit("kilobyte", 0).format(Math.max(1, kb)) : unit("megabyte", 1).format(kb / 1024);
  return t("fileInfo", { type, size });
}

/** An image opens full size in a new tab and can be saved; the figure keeps its caption. */
function showImage(el, file, { t, lang }) {
  el.setAttribute("src", file.url);
  el.setAttribute("decoding", "async");
  const open = h("a", { href: file.url, target: "_blank", class: "fp-zoom", title: t("imageOpen") });
  el.replaceWith(open);
  open.append(el);
  const save = h("a", { href: file.url, download: file.name || "bild", class: "fp-save", lang }, t("imageSave"));
  const figure = open.closest("figure");
  if (figure) {
    let caption = figure.querySelector("figcaption");
    if (!caption) figure.append((caption = h("figcaption")));
    caption.append(caption.childNodes.length ? " " : "", save);
  } else {
    open.after(" ", save);
  }
}

function showFile(el, file, { t, lang }) {
  el.setAttribute("href", file.url);
  el.setAttribute("download", el.getAttribute("data-fp-name") || file.name || "bilaga");
  el.append(" ", h("span", { class: "fp-file-info", lang }, `(${fileInfo(file, { t, lang })})`));
}

/** An attachment that is not on this device (offline, never saved): the rest still shows. */
function markMissing(el, { t, lang }) {
  const name = el.getAttribute("alt") || el.textContent.trim() || el.getAttribute("data-fp-name") || "";
  const note = h("span", { class: "fp-missing", role: "note", lang, "data-missing": el.getAttribute("data-fp-blob") },
    t("attachmentMissing", { name }));
  const figure = el.tagName === "IMG" ? el.closest("figure") : null;
  if (figure) el.replaceWith(note);
  else (el.closest("p.fp-file") ?? el).replaceWith(note);
}

/**
 * Parse a fragment into a node; `resolveFile(id)` returns {url, name, type, size} for
 * data-fp-blob, or {missing: true} when the file is not on this device. Any other failure (an
 * altered file) rejects the whole fragment, so nothing of an altered copy is shown.
 */
export async function fragment(html, { resolveFile, t, lang, textLang = "sv" }) {
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${html}`, "text/html");
  const template = document.createElement("template");
  template.content.append(...doc.body.childNodes);
  fence(template.content);
  pickLanguage(template.content, lang);
  scrollTables(template.content, { label: t("table"), hint: t("tableHint"), lang });
  for (const link of template.content.querySelectorAll("a[href^='http']")) {
    link.setAttribute("rel", "noopener noreferrer");
  }
  const pending = [...template.content.querySelectorAll("[data-fp-blob]")].map(async (el) => {
    const file = await resolveFile(el.getAttribute("data-fp-blob"));
    if (file.missing) markMissing(el, { t, lang });
    else if (el.tagName === "IMG") showImage(el, file, { t, lang });
    else if (el.tagName === "A") showFile(el, file, { t, lang });
  });
  await Promise.all(pending);
  const box = h("div", { class: "fp-fragment", lang: textLang });
  box.append(template.content);
  return box;
}
