// One child's documentation with a tab bar; renders fully (attachments included) before showing.
import { fragment, h } from "../dom.js";
import { TABS, childHref, termPrefix } from "../router.js";
import { markSeen, newEntryIds } from "../seen.js";
import { withFamily } from "./guard.js";
import { notFoundView } from "./messages.js";
import { iupTab, larloggTab, omdomenTab, planeringarTab, samtalTab } from "./tabs.js";

const RENDER = { larlogg: larloggTab, iup: iupTab, omdomen: omdomenTab, planeringar: planeringarTab, samtal: samtalTab };

export function childView(ctx, route) {
  return withFamily(ctx, route, async ({ family, pub, seq }) => {
    const { t } = ctx;
    const child = family.children.find((c) => c.id === route.childId);
    if (!child) return notFoundView(ctx);
    const info = child.bundle.child;
    const name = [info.givenName, info.familyName].filter(Boolean).join(" ");
    const resolveFile = async (id) => {
      const { bytes, entry } = await family.openFile(id);
      return { url: ctx.objectUrl(bytes, entry.type), name: entry.name };
    };
    const frag = (html) => fragment(html ?? "", { resolveFile, tableLabel: t("table"), lang: "sv" });
    const isLatest = family.seq === pub.latest.seq;
    const fresh = isLatest ? await newEntryIds(child) : new Set();
    const body = await RENDER[route.tab](ctx, { bundle: child.bundle, plans: child.plans, fresh, frag });
    if (isLatest && route.tab === "larlogg") await markSeen([child]);
    const tabs = h(
      "nav",
      { class: "tabs", "aria-label": t("tabsLabel", { name: info.givenName }) },
      h("ul", null, TABS.map((tab) =>
        h("li", null, h("a", { href: childHref({ seq, childId: child.id, tab }), "aria-current": tab === route.tab ? "page" : null }, t(tab))),
      )),
    );
    const node = h(
      "article",
      { class: "child" },
      h("p", { class: "back" }, h("a", { href: termPrefix(seq) }, `← ${t("backFamily")}`)),
      h("h1", null, h("bdi", null, name)), // bdi: a bidi control in a name cannot reorder the page
      h("p", { class: "meta" }, [info.school, info.group, family.snapshot.term].filter(Boolean).join(" · ")),
      tabs,
      h("section", { class: "tab", "aria-labelledby": "tab-title" }, h("h2", { id: "tab-title" }, t(route.tab)), body),
      h("p", { class: "print" }, h("button", { type: "button", class: "secondary", onclick: () => print() }, t("print"))),
    );
    // No name in the title: browsers keep titles in their history on disk, even after "Lås".
    return { title: t(route.tab), node };
  });
}
