// The five parts of a child's documentation. Every fragment goes through dom.fragment().
// `speak` (the app, not a downloaded archive): a "Läs upp" control on each text (readaloud.js).
import { h } from "../dom.js";
import { langProps, localText, onlySwedish } from "../localtext.js";
import { readAloud } from "../readaloud.js";
import { formatDate, messageParts, time } from "../format.js";

export function meta(...parts) {
  return h("p", { class: "meta" }, parts.filter(Boolean).flatMap((p, i) => (i ? [" · ", p] : [p])));
}

/** The read-aloud control for a heading and a teacher's fragment (Swedish), or null. */
function reader(ctx, speak, heading, body) {
  return speak ? readAloud(ctx, { nodes: () => [heading, body], lang: "sv" }) : null;
}

export async function larloggTab(ctx, { bundle, fresh, frag, speak }) {
  const { t } = ctx;
  if (!bundle.larlogg.length) return h("p", null, t("noEntries"));
  const items = await Promise.all(
    bundle.larlogg.map(async (entry) => {
      const title = h("span", { lang: "sv" }, entry.title);
      const body = await frag(entry.html);
      return h(
        "li",
        { class: "entry", "data-entry": entry.id },
        h("article", null,
          h("h3", null, title,
            fresh.has(entry.id) ? [" ", h("span", { class: "badge" }, t("newBadge"))] : null),
          meta(time(entry.date, ctx.lang), h("span", { lang: "sv" }, entry.author), h("span", { lang: "sv" }, (entry.subjects ?? []).join(", "))),
          entry.goals?.length
            ? h("p", { class: "goals" }, h("strong", null, `${t("goals")}: `), h("span", { lang: "sv" }, entry.goals.join("; ")))
            : null,
          reader(ctx, speak, title, body),
          body,
        ),
      );
    }),
  );
  return h("ol", { class: "timeline" }, items);
}

export async function iupTab(ctx, { bundle, frag, speak }) {
  const iup = bundle.iup;
  if (!iup) return h("p", null, ctx.t("noIup"));
  const body = await frag(iup.html);
  return h("div", null, meta(messageParts(ctx.t, "updatedBy", {
    date: time(iup.updated, ctx.lang),
    author: h("span", { lang: "sv" }, iup.author ?? ""),
  })), reader(ctx, speak, null, body), body);
}

function scaleView(ctx, item) {
  const { level, scale } = item;
  const n = level.index + 1;
  const label = localText(ctx, level.label, level.en);
  const scaleName = localText(ctx, scale.name, scale.en);
  const steps = scale.levels.map((step) => localText(ctx, step.label, step.en));
  return h(
    "div",
    { class: "level" },
    // The code (A–F, or the school's own levels) with its words: "B — Mellan C och A".
    h("p", { class: "grade" },
      h("strong", { class: "code" }, level.code),
      " ",
      h("strong", langProps(label), label.text),
      h("br"),
      h("span", { class: "meta" }, ctx.t("levelText", { n, count: level.count, scale: "" }).replace(/\s*$/, ""),
        " ", h("span", langProps(scaleName), scaleName.text))),
    h(
      "ol",
      { class: "scale", "aria-label": ctx.t("levelScale", { scale: scaleName.text }) },
      scale.levels.map((step, i) => {
        const words = steps[i];
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
          h("span", langProps(words), words.text),
        );
      }),
    ),
    onlySwedish(ctx, [label, scaleName, ...steps]),
  );
}

export async function omdomenTab(ctx, { bundle, frag, speak }) {
  if (!bundle.omdomen.length) return h("p", null, ctx.t("noOmdomen"));
  const items = await Promise.all(
    bundle.omdomen.map(async (item) => {
      const subject = h("h3", { lang: "sv" }, item.subject);
      const body = await frag(item.html);
      return h("article", { class: "omdome" },
        subject,
        meta(time(item.date, ctx.lang), h("span", { lang: "sv" }, item.author)),
        item.level && item.scale && item.level.index !== null ? scaleView(ctx, item) : null,
        item.level && item.level.index === null && item.level.code
          ? h("p", { class: "grade" }, h("strong", { class: "code", lang: "sv" }, item.level.code))
          : null,
        reader(ctx, speak, subject, body),
        body,
      );
    }),
  );
  return h("div", null, items);
}

export async function planeringarTab(ctx, { plans, frag, speak }) {
  const all = plans.flatMap((bundle) => bundle.plans.map((plan) => ({ plan, group: bundle.group })));
  if (!all.length) return h("p", null, ctx.t("noPlans"));
  const items = await Promise.all(
    all.map(async ({ plan, group }) => {
      const title = h("h3", { lang: "sv" }, plan.title);
      const body = await frag(plan.html);
      return h("article", { class: "plan" },
        title,
        h("p", { class: "meta" }, messageParts(ctx.t, "planMeta", {
          subject: h("span", { lang: "sv" }, plan.subject),
          start: formatDate(ctx.lang, plan.start),
          end: formatDate(ctx.lang, plan.end),
          group: group?.name ? h("span", { lang: "sv" }, group.name) : "",
        })),
        reader(ctx, speak, title, body),
        body,
      );
    }),
  );
  return h("div", null, items);
}
