// The five parts of a child's documentation. Every fragment goes through dom.fragment().
import { h } from "../dom.js";
import { formatDate, messageParts, time } from "../format.js";

export function meta(...parts) {
  return h("p", { class: "meta" }, parts.filter(Boolean).flatMap((p, i) => (i ? [" · ", p] : [p])));
}

export async function larloggTab(ctx, { bundle, fresh, frag }) {
  const { t } = ctx;
  if (!bundle.larlogg.length) return h("p", null, t("noEntries"));
  const items = await Promise.all(
    bundle.larlogg.map(async (entry) =>
      h(
        "li",
        { class: "entry", "data-entry": entry.id },
        h("article", null,
          h("h3", null, h("span", { lang: "sv" }, entry.title),
            fresh.has(entry.id) ? [" ", h("span", { class: "badge" }, t("newBadge"))] : null),
          meta(time(entry.date, ctx.lang), h("span", { lang: "sv" }, entry.author), h("span", { lang: "sv" }, (entry.subjects ?? []).join(", "))),
          entry.goals?.length
            ? h("p", { class: "goals" }, h("strong", null, `${t("goals")}: `), h("span", { lang: "sv" }, entry.goals.join("; ")))
            : null,
          await frag(entry.html),
        ),
      ),
    ),
  );
  return h("ol", { class: "timeline" }, items);
}

export async function iupTab(ctx, { bundle, frag }) {
  const iup = bundle.iup;
  if (!iup) return h("p", null, ctx.t("noIup"));
  return h("div", null, meta(ctx.t("updatedBy", { date: iup.updated, author: iup.author })), await frag(iup.html));
}

// A label the export gives in English too: {text, lang} in the reader's language when it can.
function localized(ctx, sv, en) {
  return ctx.lang === "en" && en ? { text: en, lang: "en" } : { text: sv, lang: "sv" };
}

function scaleView(ctx, item) {
  const { level, scale } = item;
  const n = level.index + 1;
  const label = localized(ctx, level.label, level.en);
  const scaleName = localized(ctx, scale.name, scale.en);
  return h(
    "div",
    { class: "level" },
    // The code (A–F, or the school's own levels) with its words: "B — Mellan C och A".
    h("p", { class: "grade" },
      h("strong", { class: "code" }, level.code),
      " ",
      h("strong", { lang: label.lang }, label.text),
      h("br"),
      h("span", { class: "meta" }, ctx.t("levelText", { n, count: level.count, scale: "" }).replace(/\s*$/, ""),
        " ", h("span", { lang: scaleName.lang }, scaleName.text))),
    h(
      "ol",
      { class: "scale", "aria-label": ctx.t("levelScale", { scale: scaleName.text }) },
      scale.levels.map((step, i) => {
        const words = localized(ctx, step.label, step.en);
        return h(
          "li",
          {
            class: i < n ? "step reached" : "step",
            "aria-current": i === level.index ? "step" : null,
          },
          h("span", { class: "mark", "aria-hidden": "true" }, i === level.index ? "◆" : i < n ? "●" : "○"),
          " ",
          h("span", { class: "step-code" }, step.code),
          " ",
          h("span", { lang: words.lang }, words.text),
        );
      }),
    ),
  );
}

export async function omdomenTab(ctx, { bundle, frag }) {
  if (!bundle.omdomen.length) return h("p", null, ctx.t("noOmdomen"));
  const items = await Promise.all(
    bundle.omdomen.map(async (item) =>
      h("article", { class: "omdome" },
        h("h3", { lang: "sv" }, item.subject),
        meta(time(item.date, ctx.lang), h("span", { lang: "sv" }, item.author)),
        item.level && item.scale && item.level.index !== null ? scaleView(ctx, item) : null,
        item.level && item.level.index === null && item.level.code
          ? h("p", { class: "grade" }, h("strong", { class: "code", lang: "sv" }, item.level.code))
          : null,
        await frag(item.html),
      ),
    ),
  );
  return h("div", null, items);
}

export async function planeringarTab(ctx, { plans, frag }) {
  const all = plans.flatMap((bundle) => bundle.plans.map((plan) => ({ plan, group: bundle.group })));
  if (!all.length) return h("p", null, ctx.t("noPlans"));
  const items = await Promise.all(
    all.map(async ({ plan, group }) =>
      h("article", { class: "plan" },
        h("h3", { lang: "sv" }, plan.title),
        h("p", { class: "meta" }, messageParts(ctx.t, "planMeta", {
          subject: h("span", { lang: "sv" }, plan.subject),
          start: formatDate(ctx.lang, plan.start),
          end: formatDate(ctx.lang, plan.end),
          group: group?.name ? h("span", { lang: "sv" }, group.name) : "",
        })),
        await frag(plan.html),
      ),
    ),
  );
  return h("div", null, items);
}
