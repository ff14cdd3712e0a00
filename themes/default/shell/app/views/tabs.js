// The five parts of a child's documentation. Every fragment goes through dom.fragment().
import { h } from "../dom.js";

function meta(...parts) {
  return h("p", { class: "meta" }, parts.filter(Boolean).flatMap((p, i) => (i ? [" · ", p] : [p])));
}

function time(date) {
  return date ? h("time", { datetime: date }, date) : null;
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
          h("h3", { lang: "sv" }, entry.title,
            fresh.has(entry.id) ? h("span", { class: "badge" }, " ", t("newBadge")) : null),
          meta(time(entry.date), h("span", { lang: "sv" }, entry.author), h("span", { lang: "sv" }, (entry.subjects ?? []).join(", "))),
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

function scaleView(ctx, item) {
  const { level, scale } = item;
  const n = level.index + 1;
  return h(
    "div",
    { class: "level" },
    h("p", null, h("strong", { lang: "sv" }, level.label), " — ",
      ctx.t("levelText", { n, count: level.count, scale: scale.name })),
    h(
      "ol",
      { class: "scale", "aria-label": ctx.t("levelScale", { scale: scale.name }), lang: "sv" },
      scale.levels.map((step, i) =>
        h(
          "li",
          {
            class: i < n ? "step reached" : "step",
            "aria-current": i === level.index ? "step" : null,
          },
          h("span", { class: "mark", "aria-hidden": "true" }, i === level.index ? "◆" : i < n ? "●" : "○"),
          " ",
          step.label,
        ),
      ),
    ),
  );
}

export async function omdomenTab(ctx, { bundle, frag }) {
  if (!bundle.omdomen.length) return h("p", null, ctx.t("noOmdomen"));
  const items = await Promise.all(
    bundle.omdomen.map(async (item) =>
      h("article", { class: "omdome" },
        h("h3", { lang: "sv" }, item.subject),
        meta(time(item.date), h("span", { lang: "sv" }, item.author)),
        item.level && item.scale ? scaleView(ctx, item) : null,
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
        h("p", { class: "meta", lang: "sv" },
          ctx.t("planMeta", { subject: plan.subject, start: plan.start, end: plan.end, group: group?.name ?? "" })),
        await frag(plan.html),
      ),
    ),
  );
  return h("div", null, items);
}

export async function samtalTab(ctx, { bundle, frag }) {
  const talk = bundle.samtal;
  const { t } = ctx;
  if (!talk) return h("p", null, t("noSamtal"));
  return h(
    "div",
    null,
    h("dl", { class: "facts" },
      h("dt", null, t("when")), h("dd", null, time(talk.date), talk.time ? ` ${talk.time}` : ""),
      talk.place ? [h("dt", null, t("where")), h("dd", { lang: "sv" }, talk.place)] : null,
      talk.duration_minutes ? [h("dt", null, t("length")), h("dd", null, t("minutes", { n: talk.duration_minutes }))] : null,
    ),
    await frag(talk.html),
  );
}
