// Pages that say what happened and what to do: errors, no documentation, altered copy, offline.
import { h } from "../dom.js";
import { localEl, localText, onlySwedish } from "../localtext.js";
import { contactBlock } from "./help.js";

const KNOWN_ERRORS = ["cancelled", "expired", "failed", "unavailable", "rate_limited", "offline"];

function page(title, ...body) {
  return { title, node: h("section", { class: "message" }, h("h1", null, title), ...body) };
}

export function errorView(ctx, route) {
  const code = KNOWN_ERRORS.includes(route.code) ? route.code : "failed";
  const { t } = ctx;
  return page(
    t("errorTitle"),
    h("p", { "data-error": code }, t(`err_${code}`)),
    h("p", null, h("a", { class: "button", href: "#/" }, t("retry"))),
    h("p", null, h("a", { href: "#/hjalp" }, t("errorHelp"))),
  );
}

export function nodocView(ctx, config) {
  const { t } = ctx;
  const contact = (config?.service_links ?? []).find((link) => link.kind === "contact");
  const label = contact && localText(ctx, contact.label, contact.label_en);
  return page(
    t("nodocTitle"),
    h("p", null, t("nodocText")),
    h("h2", null, t("nodocDo")),
    h("ul", null, ["nodoc1", "nodoc2", "nodoc3", "nodoc4"].map((k) => h("li", null, t(k)))),
    contactBlock(ctx, config?.contact),
    contact
      ? h("p", null, localEl("a", label, { href: contact.url, rel: "noopener noreferrer" }), " ",
          onlySwedish(ctx, [label], { inline: true }))
      : null,
    h("p", null, h("a", { href: "#/hjalp" }, t("errorHelp"))),
  );
}

export function alteredView(ctx) {
  const { t } = ctx;
  return page(
    t("alteredTitle"),
    h("p", { class: "alert", role: "alert" }, t("alteredText")),
    h("p", null, t("alteredDo")),
    h("p", null, h("button", { type: "button", onclick: () => location.reload() }, t("retry"))),
  );
}

/** A keyring not signed by a key pinned in this app: nothing of it is shown. */
export function unsignedView(ctx) {
  const { t } = ctx;
  return page(
    t("unsignedTitle"),
    h("p", { class: "alert", role: "alert", "data-fp-unsigned": "" }, t("unsignedText")),
    h("p", null, t("alteredDo")),
    h("p", null, h("button", { type: "button", onclick: () => location.reload() }, t("retry"))),
  );
}

export function offlineView(ctx) {
  const { t } = ctx;
  return page(
    t("offlinePageTitle"),
    h("p", null, t("offlinePageText")),
    h("p", null, h("button", { type: "button", onclick: () => location.reload() }, t("retry"))),
  );
}

export function notFoundView(ctx) {
  return page(ctx.t("notFound"), h("p", null, h("a", { href: "#/" }, ctx.t("toStart"))));
}

export function unlockingView(ctx) {
  return page(ctx.t("unlocking"), h("p", { role: "status" }, h("progress", { "aria-label": ctx.t("unlocking") })));
}

export function forgetView(ctx, onForget) {
  const { t } = ctx;
  return page(
    t("forget"),
    h("p", null, t("forgetText")),
    h("p", null, h("button", { type: "button", class: "danger", onclick: onForget }, t("forgetConfirm"))),
  );
}

export function forgottenView(ctx) {
  const { t } = ctx;
  return page(
    t("forgottenTitle"),
    h("p", { role: "status" }, t("forgottenText")),
    h("p", null, h("a", { class: "button", href: "#/" }, t("toStart"))),
  );
}
