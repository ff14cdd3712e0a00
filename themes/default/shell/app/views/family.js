// The family view: every child as a card (siblings side by side), what is new, the term
// switcher and "Spara för offline".
import { h } from "../dom.js";
import { messageParts, time } from "../format.js";
import { savedCount, saveForOffline } from "../offline.js";
import { childHref, childTabs, termPrefix } from "../router.js";
import { ensureBaseline, newEntryIds } from "../seen.js";
import { termsEndingSoon } from "../retention.js";
import { withFamily } from "./guard.js";
import { setupOffer } from "./lock.js";

/** A month before a term's retention date: say so, and where the archive is; and have the
 * service worker store the archive's jsPDF and fonts now (1.5 MB, not fetched at install), so
 * the archive has its PDF even if it is made offline — only online and without Save-Data. */
function retentionNotice(ctx, latest) {
  const soon = termsEndingSoon(latest);
  if (!soon.length) return null;
  if (navigator.onLine && !navigator.connection?.saveData) {
    // `ready`, not the controller: on the first sign-in the worker may still be installing.
    navigator.serviceWorker?.ready.then((r) => r.active?.postMessage({ type: "prefetch-vendor" }));
  }
  return h("div", { class: "notice", role: "note", "data-fp-retention": "" },
    soon.map((s) => h("p", null, messageParts(ctx.t, "retentionSoon", { term: s.term, date: time(s.retention_until, ctx.lang) }))));
}

export function termSwitcher(ctx, latest, current) {
  if (latest.snapshots.length < 2) return null;
  return h(
    "nav",
    { class: "terms", "aria-label": ctx.t("terms") },
    h(
      "ul",
      null,
      latest.snapshots.map((s) =>
        h(
          "li",
          null,
          h(
            "a",
            {
              href: s.seq === latest.seq ? "#/" : termPrefix(s.seq),
              "aria-current": s.seq === current ? "page" : null,
            },
            s.term,
          ),
        ),
      ),
    ),
  );
}

function childCard(ctx, child, { seq, fresh }) {
  const { t } = ctx;
  const info = child.bundle.child;
  const name = [info.givenName, info.familyName].filter(Boolean).join(" ");
  const where = [info.school, info.group, info.schoolYear ? t("year", { n: info.schoolYear }) : null];
  return h(
    "li",
    { class: "card", "data-child": child.id },
    h("h2", null, h("a", { href: childHref({ seq, childId: child.id, tab: "larlogg" }) }, h("bdi", null, name))),
    h("p", { class: "meta" }, where.filter(Boolean).join(" · ")),
    fresh.size ? h("p", { class: "badge" }, t("newCount", { n: fresh.size })) : null,
    h(
      "ul",
      { class: "quick", "aria-label": t("tabsLabel", { name: info.givenName }) },
      childTabs(child.bundle).map((tab) => h("li", null, h("a", { href: childHref({ seq, childId: child.id, tab }) }, t(tab)))),
    ),
  );
}

/** "Läsa utan nät": what is saved on this device now, and "Spara för offline". */
export function offlineSection(ctx, family) {
  const { t } = ctx;
  const total = family.blobPaths.length;
  const progress = h("progress", { max: total, value: 0, hidden: true, "aria-label": t("saveProgress") });
  const status = h("p", { role: "status", class: "saved" });
  const kept = h("p", { class: "meta" });
  const button = h("button", { type: "button", class: "secondary", "data-action": "save-offline" }, t("saveOffline"));
  const showSaved = (done) => {
    status.textContent = done === 0 ? t("savedNone") : done >= total ? t("savedAll", { total }) : t("savedSome", { done, total });
  };
  savedCount(family.blobPaths).then(showSaved, () => null);
  button.addEventListener("click", async () => {
    button.disabled = true;
    progress.hidden = false;
    const result = await saveForOffline({
      paths: family.blobPaths,
      onProgress: ({ done }) => {
        progress.value = done;
        status.textContent = t("saved", { done, total });
      },
    });
    if (result.failed) status.textContent += ` ${t("savedFailed", { failed: result.failed })}`;
    kept.textContent = result.persisted ? t("persisted") : t("notPersisted");
    button.disabled = false;
  });
  return h("section", { class: "offline" }, h("h2", null, t("offlineTitle")), h("p", null, t("offlineText")), button, progress, status, kept);
}

export function familyView(ctx, route) {
  return withFamily(ctx, route, async ({ family, pub, seq }) => {
    const { t } = ctx;
    const isLatest = family.seq === pub.latest.seq;
    // A student has one child, themself: straight to their documentation.
    if (family.role === "student" && family.children.length === 1) {
      location.replace(childHref({ seq, childId: family.children[0].id, tab: "larlogg" }));
      return null;
    }
    if (isLatest) await ensureBaseline(family.children);
    const cards = await Promise.all(
      family.children.map(async (child) =>
        childCard(ctx, child, { seq, fresh: isLatest ? await newEntryIds(child) : new Set() }),
      ),
    );
    const title = family.role === "student" ? t("mine") : t("family");
    // After a new e-ID sign-in on a locked device: drafts only the old lock could open went.
    const lost = ctx.flash === "flashDraftsLost";
    if (lost) ctx.flash = null;
    const node = h(
      "section",
      { class: "family" },
      h("h1", null, title),
      h("p", { class: "meta" }, messageParts(t, "termLine", {
        term: family.snapshot.term,
        published: time(family.snapshot.published, ctx.lang),
      })),
      lost ? h("p", { class: "notice", role: "status", "data-flash": "drafts-lost" }, t("flashDraftsLost")) : null,
      setupOffer(ctx),
      termSwitcher(ctx, pub.latest, family.seq),
      retentionNotice(ctx, pub.latest),
      h("ul", { class: "cards" }, cards),
      offlineSection(ctx, family),
    );
    return { title, node };
  });
}
