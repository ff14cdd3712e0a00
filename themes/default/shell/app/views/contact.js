// "Kontakt": the school unit's contact details and the child's mentor and teachers, from the
// register (in the sealed bundle), and where a guardian changes their own details.
import { h } from "../dom.js";
import { localEl, localText, onlySwedish } from "../localtext.js";

function telHref(phone) {
  return `tel:${phone.replace(/[^\d+]/g, "")}`;
}

export function roleName(t, role) {
  const key = `role_${role}`;
  const text = t(key);
  return text === key ? role : text;
}

function schoolBlock(t, school) {
  const rows = [
    school.phone && [t("contactPhone"), h("a", { href: telHref(school.phone) }, school.phone)],
    school.email && [t("contactEmail"), h("a", { href: `mailto:${school.email}` }, school.email)],
    // The register is not trusted to hold only web addresses: nothing but http(s) becomes a link.
    /^https?:\/\//i.test(school.url ?? "") && [t("contactWeb"), h("a", { href: school.url, rel: "noopener noreferrer" }, school.url.replace(/^https?:\/\//, ""))],
    school.address && [t("contactAddress"), h("span", { lang: "sv" }, school.address)],
  ].filter(Boolean);
  return h("section", { class: "contact-school" },
    h("h3", { lang: "sv" }, school.name),
    h("dl", { class: "facts" }, rows.map(([term, value]) => [h("dt", null, term), h("dd", null, value)])));
}

function staffBlock(t, staff) {
  return h("section", { class: "contact-staff" },
    h("h3", null, t("contactStaff")),
    h("ul", { class: "staff" }, staff.map((person) =>
      h("li", null,
        h("strong", null, h("bdi", null, person.name)),
        h("span", { class: "roles" }, ` — ${person.roles.map((r) => roleName(t, r)).join(", ")}`,
          person.groups.length ? `, ${person.groups.join(", ")}` : ""),
        person.email ? [h("br"), h("a", { href: `mailto:${person.email}` }, person.email)] : null,
      ))));
}

export async function contactTab(ctx, { bundle, config }) {
  const { t } = ctx;
  const contacts = bundle.contacts ?? {};
  const staff = contacts.staff ?? [];
  const change = (config?.service_links ?? []).find((link) => link.kind === "contact");
  const label = change && localText(ctx, change.label, change.label_en);
  return h("div", { class: "contacts" },
    contacts.school ? schoolBlock(t, contacts.school) : null,
    staff.length ? staffBlock(t, staff) : null,
    !contacts.school && !staff.length ? h("p", null, t("contactNone")) : null,
    h("p", { class: "meta" }, t("contactOwn"),
      change ? [" ", localEl("a", label, { href: change.url, rel: "noopener noreferrer" }), " ", onlySwedish(ctx, [label], { inline: true })] : null),
  );
}
