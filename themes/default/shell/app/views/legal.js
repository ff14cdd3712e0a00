// The pages the law asks for, open to everyone before sign-in and offline: the accessibility
// statement (#/tillganglighet, DIGG's template), the privacy notice (#/integritet, GDPR arts.
// 13–14) and what the app stores on the device (#/lagring). The municipality's facts come from
// config.json's `legal` (public; the service worker keeps a copy), always inserted as text.
import { fetchJson } from "../data.js";
import { h } from "../dom.js";
import { messageParts, time } from "../format.js";
import { langProps, localText, onlySwedish } from "../localtext.js";

/** Hash → route name, merged into router.js's simple routes. */
export const LEGAL_ROUTES = { tillganglighet: "accessibility", integritet: "privacy", lagring: "storage" };

// Exactly the IndexedDB keys the app writes (store.js, seen.js, i18n.js); a browser test
// compares this list with the database after a sign-in, so a new key must be described here.
export const STORED_KEYS = [
  "device", "session", "answer", "guard", "activity", "lockReason", "highestSeq", "revs", "lang", "seen",
  // The development talk (talk.js): "draft:…" and "sent:…" stand for one key per reader, child
  // and talk.
  "draftKey", "draft:…", "outbox", "sent:…",
  "retention", "termFiles",
];
const UNTIL_FORGET = new Set([
  "activity", "lockReason", "highestSeq", "revs", "lang", "seen", "draftKey", "draft:…", "sent:…",
]);

async function legalConfig() {
  try {
    const config = await fetchJson("/config.json");
    return config?.legal ? config : null;
  } catch {
    return null; // offline before the first visit: the app's own parts still show
  }
}

/** A {sv, <code>?…} text in the reader's language, else the Swedish one marked as Swedish. */
function local(ctx, text) {
  if (!text) return null;
  const found = localText(ctx, text);
  return { value: found.text, lang: found.lang, fallback: found.fallback };
}

/** A paragraph of the municipality's text, and the "only in Swedish" note when it is. */
function para(ctx, text, props = {}) {
  const t = local(ctx, text);
  return t ? [h("p", { ...props, ...langProps({ lang: t.lang }) }, t.value), onlySwedish(ctx, [t])] : null;
}

function contactList(ctx, { email, phone, url, address, org }) {
  const { t } = ctx;
  const item = (label, value, href) =>
    value ? h("li", null, `${label}: `, href ? h("a", { href }, value) : value) : null;
  return h(
    "ul",
    { class: "contacts" },
    item(t("email"), email, email && `mailto:${email}`),
    item(t("phone"), phone, phone && `tel:${phone.replace(/[^+\d]/g, "")}`),
    url ? h("li", null, h("a", { href: url, rel: "noopener noreferrer" }, t("eService"))) : null,
    item(t("postal"), address),
    item(t("orgNumber"), org),
  );
}

function page(title, ...body) {
  return { title, node: h("section", { class: "legal" }, h("h1", null, title), ...body) };
}

function missing(ctx, config) {
  return config ? null : h("p", { class: "notice", role: "status" }, ctx.t("legalMissing"));
}

export async function accessibilityView(ctx) {
  const { t } = ctx;
  const config = await legalConfig();
  const a = config?.legal.accessibility;
  const status = a ? t(`a11y_${a.compliance}`) : null;
  const issue = (entry) => {
    const text = local(ctx, entry.description);
    const meta = [entry.wcag ? t("a11yWcag", { sc: entry.wcag }) : null,
      entry.fix_by ? messageParts(t, "a11yFixBy", { date: time(entry.fix_by, ctx.lang) }) : null]
      .filter(Boolean).flatMap((part, i) => (i ? [". ", part] : [part]));
    return h("li", null, h("span", langProps({ lang: text.lang }), text.value), meta.length ? h("span", { class: "hint" }, meta) : null);
  };
  const texts = (list) => {
    const found = list.map((entry) => local(ctx, entry));
    return [h("ul", null, found.map((t) => h("li", langProps({ lang: t.lang }), t.value))), onlySwedish(ctx, found)];
  };
  const contacts = a && contactList(ctx, { email: a.contact_email, phone: a.contact_phone, url: a.feedback_url });
  return page(
    t("a11yTitle"),
    missing(ctx, config),
    h("p", null, t("a11yIntro", { actor: config?.municipality ?? "", app: t("app"), origin: location.host })),
    h("h2", null, t("a11yHow")),
    status ? h("p", { "data-compliance": a.compliance }, status) : null,
    h("h2", null, t("a11yOther")),
    h("p", null, t("a11yOtherText")),
    contacts,
    a?.response_days ? h("p", null, t("a11yRespond", { n: a.response_days })) : null,
    h("h2", null, t("a11yReport")),
    h("p", null, t("a11yReportText")),
    h("h2", null, t("a11ySupervision")),
    h("p", null, t("a11ySupervisionText")),
    a ? h("p", null, h("a", { href: a.digg_url, rel: "noopener noreferrer" }, t("a11yDigg"))) : null,
    h("h2", null, t("a11yTechnical")),
    status ? h("p", null, status) : null,
    h("h3", null, t("a11yNotAccessible")),
    a ? [h("h4", null, t("a11yKnown")),
      a.known_issues.length
        ? [h("ul", { class: "known-issues" }, a.known_issues.map(issue)),
          onlySwedish(ctx, a.known_issues.map((entry) => local(ctx, entry.description)))]
        : h("p", null, t("a11yNoKnown"))] : null,
    h("h4", null, t("a11yContent")),
    h("ul", { class: "content-limits" },
      ["a11yContentPdf", "a11yContentAlt", "a11yContentText"].map((k) => h("li", null, t(k)))),
    h("h3", null, t("a11yBurden")),
    a?.disproportionate_burden.length ? texts(a.disproportionate_burden) : h("p", null, t("a11yNoBurden")),
    h("h3", null, t("a11yNotCovered")),
    a?.not_covered.length ? texts(a.not_covered) : null,
    h("p", null, t("a11yNotCoveredSignIn")),
    h("h2", null, t("a11yTested")),
    a ? [h("p", null, t(`a11yEval_${a.evaluation}`)), para(ctx, a.evaluation_note),
      h("p", null, messageParts(t, "a11yAssessed", { date: time(a.assessed, ctx.lang) }))] : null,
    h("p", null, t("a11yAutomatic")),
    h("p", null, t("a11yAutomaticLimits")),
    a ? h("p", { class: "meta" }, messageParts(t, "a11yUpdated", { date: time(a.reviewed, ctx.lang) })) : null,
  );
}

export async function privacyView(ctx) {
  const { t } = ctx;
  const config = await legalConfig();
  const p = config?.legal.privacy;
  const controller = p && local(ctx, p.controller);
  return page(
    t("privacyTitle"),
    missing(ctx, config),
    h("p", null, t("privacyIntro")),
    p ? [h("h2", null, t("privacyController")),
      h("p", langProps({ lang: controller.lang }), controller.value),
      onlySwedish(ctx, [controller]),
      contactList(ctx, { email: p.controller_email, phone: p.controller_phone,
        address: p.controller_address, org: p.controller_org_number }),
      h("h2", null, t("privacyPurpose")), para(ctx, p.purpose),
      h("h2", null, t("privacyBasis")), para(ctx, p.legal_basis)] : null,
    h("h2", null, t("privacyData")),
    ["privacyDataChild", "privacyDataReaders", "privacyDataYou"].map((k) => h("p", null, t(k))),
    h("h2", null, t("privacyDevice")),
    h("p", null, t("privacyDeviceText")),
    h("p", null, h("a", { href: "#/lagring" }, t("privacyDeviceMore"))),
    p ? [h("h2", null, t("privacyLog")), h("p", null, t("privacyLogText", { days: p.log_retention_days })),
      h("h2", null, t("privacyRetention")), para(ctx, p.retention_policy),
      h("p", null, messageParts(t, "privacyRetentionTerm", { term: p.term, date: time(p.retention_until, ctx.lang) }))] : null,
    h("h2", null, t("privacyRights")),
    h("p", null, t("privacyRightsText")),
    h("ul", null, [1, 2, 3, 4].map((n) => h("li", null, t(`privacyRight${n}`)))),
    h("p", null, t("privacyRightsHow")),
    p ? [h("h2", null, t("privacyDpo")), h("p", null, t("privacyDpoText")),
      contactList(ctx, { email: p.dpo_email, phone: p.dpo_phone }),
      h("h2", null, t("privacyComplain")), h("p", null, t("privacyComplainText")),
      h("p", null, h("a", { href: p.imy_url, rel: "noopener noreferrer" }, t("privacyImy"))),
      h("p", { class: "meta" }, messageParts(t, "reviewedOn", { date: time(p.reviewed, ctx.lang) }))] : null,
  );
}

function stored(ctx, { name, what, why, how }) {
  const { t } = ctx;
  return h("li", { "data-store-key": name },
    h("h3", null, h("code", null, name)),
    h("dl", { class: "facts" },
      h("dt", null, t("storageWhat")), h("dd", null, what),
      h("dt", null, t("storageWhy")), h("dd", null, why),
      h("dt", null, t("storageHow")), h("dd", null, how)));
}

export async function storageView(ctx) {
  const { t } = ctx;
  const keys = STORED_KEYS.map((key) => stored(ctx, {
    name: key,
    what: t(`store_${key}`),
    why: t(`store_${key}Why`),
    how: UNTIL_FORGET.has(key) ? t("storeUntilForget") : t(`store_${key}How`),
  }));
  const caches = [
    ["fp-shell-…", "shell", "cache_shellHow"], ["fp-data", "data"], ["fp-blobs", "blobs"],
    ["fp-vendor", "vendor"],
  ]
    .map(([name, key, how]) => stored(ctx, {
      name, what: t(`cache_${key}`), why: t(`cache_${key}Why`), how: t(how ?? "storeUntilForget"),
    }));
  return page(
    t("storageTitle"),
    h("p", null, t("storageIntro")),
    h("h2", null, t("storageDb")),
    h("ul", { class: "stored" }, keys),
    h("h2", null, t("storageCache")),
    h("ul", { class: "stored" }, caches),
    h("h2", null, t("storageCookies")),
    h("ul", null, h("li", null, t("cookie_login")), h("li", null, t("cookie_handoff"))),
    h("p", null, t("cookiesWhy")),
    h("h2", null, t("storageRemove")),
    h("p", null, t("storageRemoveText")),
    h("p", null, h("a", { href: "#/glom" }, t("forget"))),
  );
}

/** The links to the three pages: in the footer as a labelled nav, in help as a plain list. */
export function legalList(ctx) {
  const { t } = ctx;
  return h("ul", { class: "legal-links" },
    h("li", null, h("a", { href: "#/tillganglighet" }, t("a11yLink"))),
    h("li", null, h("a", { href: "#/integritet" }, t("privacyLink"))),
    h("li", null, h("a", { href: "#/lagring" }, t("storageLink"))));
}

export function legalNav(ctx) {
  return h("nav", { "aria-label": ctx.t("footerAbout") }, legalList(ctx));
}
