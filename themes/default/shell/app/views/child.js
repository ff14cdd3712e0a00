// One child's documentation with a tab bar; renders fully (attachments included) before showing.
import { buildArchive } from "../archive.js";
import { OfflineError } from "../data.js";
import { fragment, h } from "../dom.js";
import { childHref, childTabs, termPrefix } from "../router.js";
import { markSeen, newEntryIds } from "../seen.js";
import { contactTab } from "./contact.js";
import { offlineSection } from "./family.js";
import { withFamily } from "./guard.js";
import { notFoundView } from "./messages.js";
import { samtalTab } from "./samtal.js";
import { iupTab, larloggTab, omdomenTab, planeringarTab } from "./tabs.js";

const RENDER = {
  larlogg: larloggTab,
  iup: iupTab,
  omdomen: omdomenTab,
  planeringar: planeringarTab,
  samtal: samtalTab,
  kontakt: contactTab,
};

export function childView(ctx, route) {
  return withFamily(ctx, route, async ({ family, pub, seq }) => {
    const { t } = ctx;
    const child = family.children.find((c) => c.id === route.childId);
    if (!child) return notFoundView(ctx);
    const info = child.bundle.child;
    const student = family.role === "student";
    const tabs = childTabs(child.bundle);
    const tab = tabs.includes(route.tab) ? route.tab : tabs[0]; // e.g. no IUP in preschool
    const name = [info.givenName, info.familyName].filter(Boolean).join(" ");
    // A file not on this device (offline, never saved) is marked where it stands; the rest of
    // the page still shows. Any other failure (altered) still rejects the whole view.
    const resolveFile = async (id) => {
      try {
        const { bytes, entry } = await family.openFile(id);
        return { url: ctx.objectUrl(bytes, entry.type), name: entry.name, type: entry.type, size: bytes.length };
      } catch (error) {
        if (error instanceof OfflineError) return { missing: true };
        throw error;
      }
    };
    const frag = (html) => fragment(html ?? "", { resolveFile, t, lang: ctx.lang });
    const isLatest = family.seq === pub.latest.seq;
    const fresh = isLatest ? await newEntryIds(child) : new Set();
    const body = await RENDER[tab](ctx, { bundle: child.bundle, plans: child.plans, fresh, frag, config: pub.config, family, child, speak: true });
    if (isLatest && tab === "larlogg") await markSeen([child]);
    const nav = h(
      "nav",
      { class: "tabs", "aria-label": t("tabsLabel", { name: info.givenName }) },
      h("ul", null, tabs.map((name) =>
        h("li", null, h("a", { href: childHref({ seq, childId: child.id, tab: name }), "aria-current": name === tab ? "page" : null }, t(name))),
      )),
    );
    const year = info.schoolYear ? t("year", { n: info.schoolYear }) : null;
    const node = h(
      "article",
      { class: "child" },
      // A student reads only their own documentation: no family page to go back to.
      student ? null : h("p", { class: "back" }, h("a", { href: termPrefix(seq) }, h("span", { class: "arrow", "aria-hidden": "true" }, "←"), " ", t("backFamily"))),
      h("h1", null, h("bdi", null, name)), // bdi: a bidi control in a name cannot reorder the page
      h("p", { class: "meta" }, [
        info.school && h("span", { lang: "sv" }, info.school),
        info.group && h("span", { lang: "sv" }, info.group),
        year,
        family.snapshot.term,
      ].filter(Boolean).flatMap((part, i) => (i ? [" · ", part] : [part]))),
      student ? h("p", null, t("studentIntro")) : null,
      nav,
      h("section", { class: "tab", "aria-labelledby": "tab-title" }, h("h2", { id: "tab-title" }, t(tab)), body),
      h("p", { class: "print" }, h("button", { type: "button", class: "secondary", onclick: () => print() }, t("print"))),
      archiveBlock(ctx, { latest: pub.latest, childId: child.id }),
      student ? offlineSection(ctx, family) : null,
    );
    // No name in the title: browsers keep titles in their history on disk, even after "Lås".
    return { title: t(tab), node };
  });
}

/** "Ladda ner arkiv": built on the device from every term this reader can open (archive.js);
 * any failure (offline file, altered copy, no room) leaves nothing behind and says so. */
export function archiveBlock(ctx, { latest, childId }) {
  const { t } = ctx;
  const status = h("p", { class: "meta", role: "status", "data-fp-archive-status": "" });
  const button = h("button", { type: "button", class: "secondary", "data-fp-archive": "" }, t("archiveDownload"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = t("archiveWorking");
    try {
      const session = await ctx.session();
      const css = await fetch("/app/app.css").then((r) => (r.ok ? r.text() : ""), () => "");
      const { blob, filename, pdf } = await buildArchive(ctx, { session, latest, childId, css });
      const url = URL.createObjectURL(blob);
      const link = h("a", { href: url, download: filename, hidden: "" });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      status.textContent = t("archiveDone", { name: filename });
      if (!pdf) status.append(" ", t("archiveNoPdf"));
    } catch (error) {
      status.textContent = t(error instanceof OfflineError ? "archiveOffline" : "archiveFailed");
    } finally {
      button.disabled = false;
    }
  });
  return h("section", { class: "archive-block", "aria-labelledby": "archive-title" },
    h("h2", { id: "archive-title" }, t("archiveTitle")),
    h("p", null, t("archiveText")),
    h("p", null, button),
    status);
}
