// The header (home, help, language, Lås), the footer (with the legal pages' links) and the "Ny version — uppdatera" banner.
import { h } from "../dom.js";
import { SUPPORTED } from "../i18n.js";
import { legalNav } from "./legal.js";

export function header(ctx, { unlocked, municipality, onLock, onLanguage, offline = false }) {
  const { t } = ctx;
  const other = SUPPORTED.find((lang) => lang !== ctx.lang) ?? "sv";
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
        h("li", null, h("button", { type: "button", lang: other, "data-action": "language", onclick: () => onLanguage(other) },
          t("otherLang"))),
        unlocked
          ? h("li", null, h("button", { type: "button", "data-action": "lock", onclick: onLock }, t("lock")))
          : null,
      ),
    ),
  );
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
