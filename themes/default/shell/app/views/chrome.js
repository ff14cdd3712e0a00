// The header (home, help, language, Lås), the footer (with the legal pages' links) and the "Ny version — uppdatera" banner.
import { h } from "../dom.js";
import { LANGUAGES } from "../i18n.js";
import { legalNav } from "./legal.js";

export function header(ctx, { unlocked, municipality, onLock, onLanguage, offline = false }) {
  const { t } = ctx;
  return h(
    "div",
    { class: "bar-inner" },
    h("a", { class: "brand", href: "#/" }, h("span", null, t("app")),
      municipality ? h("span", { class: "town", lang: "sv" }, municipality) : null),
    h(
      "nav",
      { "aria-label": t("tools") },
      h("ul", null,
        offline ? h("li", { class: "offline-badge" }, h("span", { role: "status" }, t("offlineBadge"))) : null,
        h("li", null, h("a", { href: "#/hjalp" }, t("help"))),
        h("li", null, languagePicker(ctx, onLanguage)),
        unlocked
          ? h("li", null, h("button", { type: "button", "data-action": "lock", onclick: onLock }, t("lock")))
          : null,
      ),
    ),
  );
}

/**
 * The language picker: a disclosure whose summary shows a globe and the current language, and
 * a list with each language named in its own script, marked with its own lang and dir.
 */
function languagePicker(ctx, onLanguage) {
  const current = LANGUAGES.find((l) => l.code === ctx.lang);
  return h("details", { class: "langs" },
    h("summary", { "data-action": "language" },
      h("span", { class: "globe", "aria-hidden": "true" }),
      h("span", { class: "sr-only" }, `${ctx.t("languageLabel")}: `),
      h("span", { lang: ctx.lang }, current?.name ?? ctx.lang)),
    h("ul", { class: "lang-list" }, LANGUAGES.map((l) =>
      h("li", null, h("button", {
        type: "button", lang: l.code, dir: l.dir, "data-lang": l.code,
        "aria-current": l.code === ctx.lang ? "true" : null,
        onclick: () => onLanguage(l.code),
      }, l.name)))));
}

export function footer(ctx, { stored = true } = {}) {
  const { t } = ctx;
  // Nothing to forget on a first visit: the link appears once something is stored.
  return [h("p", null, t("footer")), legalNav(ctx), stored ? h("p", null, h("a", { href: "#/glom" }, t("forget"))) : null].filter(Boolean);
}

export function updateBanner(ctx, onUpdate) {
  return h("div", { class: "update-inner" },
    h("p", null, ctx.t("updateText")),
    h("button", { type: "button", "data-action": "update", onclick: onUpdate }, ctx.t("update")));
}
