// Help: the municipality's FAQ (in the reader's language when the export has it) for guardians
// and for students, its e-service links and contact, and this device's controls.
import { fragment, h } from "../dom.js";
import { langProps, localEl, localText, onlySwedish } from "../localtext.js";
import { readAloud } from "../readaloud.js";
import { messageParts, time } from "../format.js";
import { OfflineError } from "../data.js";
import { MAX_PIN_FAILURES } from "../devicelock.js";
import { legalList } from "./legal.js";
import * as store from "../store.js";
import { pinnedKeys } from "../pinned.js";
import { b64uDecode } from "../fp1.js";

/** Fingerprint of a pinned public key, as `site-builder keys show` prints it: the first 128
 * bits of SHA-256(raw public key), hex in groups of four. */
async function keyFingerprint(entry) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", b64uDecode(entry.public)));
  const hex = Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
  return hex.match(/.{4}/g).join(" ");
}

async function signingKeys(ctx) {
  const { t } = ctx;
  const rows = await Promise.all(
    pinnedKeys().map(async (entry) =>
      h("li", null,
        h("code", { "data-fp-fingerprint": "" }, await keyFingerprint(entry)),
        " ",
        entry.until
          ? messageParts(t, "keyValidUntil", { from: time(entry.from, ctx.lang), until: time(entry.until, ctx.lang) })
          : messageParts(t, "keyValidFrom", { from: time(entry.from, ctx.lang) }),
      ),
    ),
  );
  return [h("h2", null, t("helpSignature")), h("p", null, t("helpSignatureText")), h("ul", null, rows)];
}

/** The municipality's contact for families (config.json `contact`), or null. */
export function contactBlock(ctx, contact) {
  if (!contact) return null;
  const { t } = ctx;
  const name = localText(ctx, contact.name);
  const hours = contact.hours ? localText(ctx, contact.hours, contact.hours_en) : null;
  const rows = [
    contact.phone && [t("contactPhone"), h("a", { href: `tel:${contact.phone.replace(/[^\d+]/g, "")}` }, contact.phone)],
    hours && [t("contactHours"), localEl("span", hours)],
    contact.email && [t("contactEmail"), h("a", { href: `mailto:${contact.email}` }, contact.email)],
    contact.url && [t("contactWeb"), h("a", { href: contact.url, rel: "noopener noreferrer" }, contact.url.replace(/^https?:\/\//, ""))],
  ].filter(Boolean);
  return h("div", { class: "contact-municipality" },
    h("p", null, h("strong", langProps(name), name.text)),
    h("dl", { class: "facts" }, rows.map(([term, value]) => [h("dt", null, term), h("dd", null, value)])),
    onlySwedish(ctx, [name, hours]));
}

/** FAQ entries in `lang`; the Swedish ones when the export has none in that language. */
function entriesFor(config, lang) {
  const all = (config?.faq ?? []).map((e) => ({ ...e, lang: e.lang ?? "sv", audience: e.audience ?? "all" }));
  const own = all.filter((e) => e.lang === lang);
  return own.length ? own : all.filter((e) => e.lang === "sv").map((e) => ({ ...e, fallback: lang !== "sv" }));
}
import { notifySection } from "../notify.js";
import { deviceDraftKey, releaseDrafts } from "../lockcover.js";

/** This device's lock: which one is set up, how to change it, when the keys lapse. */
async function deviceLock(ctx, config) {
  const { t } = ctx;
  const [lock, answer] = await Promise.all([ctx.guard(), store.get("answer")]);
  const state = lock ? (lock.kind === "pin" ? "helpLockPin" : "helpLockPasskey") : "helpLockNone";
  const remove = h("button", { type: "button", class: "secondary", "data-action": "remove-lock" }, t("helpLockRemove"));
  remove.addEventListener("click", async () => {
    // The drafts leave the lock's key for the device's draftKey while it is at hand.
    const unlocked = await store.get("session");
    if (unlocked?.draftKey) {
      await releaseDrafts(unlocked.draftKey);
      await store.set("session", { ...unlocked, draftKey: await deviceDraftKey() });
    }
    await store.removeGuard();
    location.reload();
  });
  const until = answer?.expires ? answer.expires.slice(0, 10) : null; // ISO, as the app's other dates
  return [
    h("ul", null,
      h("li", null, t("helpLockWhat")),
      h("li", null, t("helpLockWhen", {
        minutes: config?.auto_lock_minutes ?? 30,
        grace: config?.lock_grace_minutes ?? 3,
      })),
      h("li", null, t("helpLockPinLimit", { n: MAX_PIN_FAILURES }))),
    h("p", { "data-lock": lock?.kind ?? "none" }, t(state)),
    lock ? h("p", null, remove) : null,
    !lock && ctx.setupKey ? h("p", null, h("a", { href: "#/skydd" }, t("offerSetup"))) : null,
    until ? h("p", null, messageParts(t, "helpExpires", { date: time(until, ctx.lang) })) : null,
  ];
}

export async function helpView(ctx) {
  const { t } = ctx;
  let config = null;
  try {
    config = (await ctx.publicData()).config;
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
  }
  const noFiles = () => Promise.reject(new Error("help text has no attachments"));
  const faqSection = async (entries) => {
    const sections = await Promise.all(
      entries.map(async (entry) => {
        const question = h("h3", { lang: entry.lang, dir: entry.lang === "sv" ? "ltr" : null }, entry.question);
        const answer = await fragment(entry.answer_html, { resolveFile: noFiles, t, lang: ctx.lang, textLang: entry.lang });
        if (entry.lang === "sv") answer.setAttribute("dir", "ltr");
        // Read aloud in the entry's own language (a voice for it, when the device has one).
        return h("section", { class: "faq" }, question, readAloud(ctx, { nodes: () => [question, answer], lang: entry.lang }), answer);
      }),
    );
    // One note for the whole list when it is the Swedish list shown instead of the reader's.
    return sections.length ? [onlySwedish(ctx, entries), sections] : [];
  };
  const entries = entriesFor(config, ctx.lang);
  const forGuardians = await faqSection(entries.filter((e) => e.audience !== "student"));
  const forStudents = await faqSection(entries.filter((e) => e.audience === "student"));
  const labels = (config?.service_links ?? []).map((link) => localText(ctx, link.label, link.label_en));
  const links = (config?.service_links ?? []).map((link, i) =>
    h("li", null, localEl("a", labels[i], { href: link.url, rel: "noopener noreferrer" })));
  const stored = await store.hasStoredData();
  const node = h(
    "section",
    { class: "help" },
    h("h1", null, t("helpTitle")),
    forGuardians.length ? [h("h2", null, t("helpGuardians")), forGuardians] : null,
    h("h2", { id: "elever" }, t("helpStudents")),
    h("p", null, t("helpStudentText")),
    forStudents,
    links.length ? [h("h2", null, t("helpLinks")), h("ul", null, links), onlySwedish(ctx, labels)] : null,
    config?.contact ? [h("h2", null, t("helpContact")), contactBlock(ctx, config.contact)] : null,
    await notifySection(ctx),
    h("h2", null, t("helpDevice")),
    await deviceLock(ctx, config),
    stored ? h("p", null, h("a", { href: "#/glom" }, t("forget"))) : null,
    await signingKeys(ctx),
    h("h2", null, t("footerAbout")),
    legalList(ctx),
  );
  return { title: t("helpTitle"), node };
}
