// Tiny DOM helpers: elements from data (never from strings), and teachers' fragments through a
// <template> after DOMParser, with attachments resolved to object URLs.
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
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

/** Wide tables scroll sideways in a keyboard-focusable, labelled region (WCAG 2.1.1). */
function scrollTables(root, label) {
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
  }
}

/**
 * Parse a fragment into a node; `resolveFile(id)` returns {url, name} for data-fp-blob. Resolves
 * every attachment before returning, so a failure rejects the whole fragment.
 */
export async function fragment(html, { resolveFile, tableLabel, lang }) {
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${html}`, "text/html");
  const template = document.createElement("template");
  template.content.append(...doc.body.childNodes);
  fence(template.content);
  scrollTables(template.content, tableLabel);
  for (const link of template.content.querySelectorAll("a[href^='http']")) {
    link.setAttribute("rel", "noopener noreferrer");
  }
  const pending = [...template.content.querySelectorAll("[data-fp-blob]")].map(async (el) => {
    const file = await resolveFile(el.getAttribute("data-fp-blob"));
    if (el.tagName === "IMG") {
      el.setAttribute("src", file.url);
      el.setAttribute("decoding", "async");
    } else if (el.tagName === "A") {
      el.setAttribute("href", file.url);
      el.setAttribute("download", el.getAttribute("data-fp-name") || file.name || "bilaga");
    }
  });
  await Promise.all(pending);
  const box = h("div", { class: "fp-fragment", lang });
  box.append(template.content);
  return box;
}
