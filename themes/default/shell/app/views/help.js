// Help: the municipality's FAQ and e-service links from config.json, and this device's controls.
import { fragment, h } from "../dom.js";
import { OfflineError } from "../data.js";
import { legalList } from "./legal.js";

export async function helpView(ctx) {
  const { t } = ctx;
  let config = null;
  try {
    config = (await ctx.publicData()).config;
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
  }
  const noFiles = () => Promise.reject(new Error("help text has no attachments"));
  const faq = await Promise.all(
    (config?.faq ?? []).map(async (entry) =>
      h(
        "section",
        { class: "faq" },
        h("h3", { lang: "sv" }, entry.question),
        await fragment(entry.answer_html, { resolveFile: noFiles, tableLabel: t("table"), lang: "sv" }),
      ),
    ),
  );
  const links = (config?.service_links ?? []).map((link) =>
    h("li", null, h("a", { href: link.url, lang: "sv", rel: "noopener noreferrer" }, link.label)),
  );
  const node = h(
    "section",
    { class: "help" },
    h("h1", null, t("helpTitle")),
    faq.length ? [h("h2", null, t("helpFaq")), faq] : null,
    links.length ? [h("h2", null, t("helpLinks")), h("ul", null, links)] : null,
    h("h2", null, t("helpDevice")),
    h("p", null, t("helpDeviceText", { minutes: config?.auto_lock_minutes ?? 30 })),
    h("p", null, h("a", { href: "#/glom" }, t("forget"))),
    h("h2", null, t("footerAbout")),
    legalList(ctx),
  );
  return { title: t("helpTitle"), node };
}
