// The development talk: upcoming or held, the school's questions as answer fields for the
// reader's own role, "Mina anteckningar", drafts saved encrypted as the reader types, and
// "Skicka till skolan" (sealed to the school unit's key, queued while offline).
import { h } from "../dom.js";
import { langProps, localText, onlySwedish } from "../localtext.js";
import { session } from "../store.js";
import { draftId, flushOutbox, loadDraft, queued, saveDraft, sendReply, sentAt } from "../talk.js";
import { formatDateTime, time } from "../format.js";

function localDate() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}


function stamp(ctx, iso) {
  return formatDateTime(ctx.lang, iso);
}

async function answerForm(ctx, { talk, role, childId, held }) {
  const { t } = ctx;
  const sess = await session();
  const questions = talk.questions?.[role] ?? [];
  if (!sess) return null;
  const id = draftId({ rid: sess.rid, child: childId, talk: talk.id });
  const draft = (await loadDraft(id)) ?? { answers: [], notes: "" };
  const texts = questions.map((q) => localText(ctx, q));
  const fields = questions.map((q, i) => {
    const text = texts[i];
    return h("p", { class: "field" },
      h("label", { for: `q${i}`, ...langProps(text) }, text.text),
      h("textarea", { id: `q${i}`, name: `q${i}`, rows: 3 }, draft.answers[i] ?? ""));
  });
  const notes = h("textarea", { id: "notes", name: "notes", rows: 4 }, draft.notes ?? "");
  const saved = h("p", { class: "meta", role: "status", "aria-live": "polite" });
  const sent = h("p", { class: "sent", role: "status", "aria-live": "polite" });
  // A section, not a <form>: no form is ever in the DOM (a teacher's fragment cannot carry one
  // either, tests/security), and nothing here is submitted anywhere but through talk.js.
  const form = h("section", { class: "talk-answers", "data-draft": "loaded", "aria-labelledby": "talk-answers" },
    h("h3", { id: "talk-answers" }, t(role === "student" ? "talkYourAnswers" : "talkGuardianAnswers")),
    onlySwedish(ctx, texts),
    fields,
    h("p", { class: "field" }, h("label", { for: "notes" }, t("talkNotes")), notes),
    h("p", { class: "meta" }, t("talkNotesPrivate")),
    saved);
  let timer = null;
  const collect = () => ({
    answers: questions.map((_, i) => form.querySelector(`#q${i}`).value),
    notes: notes.value,
  });
  form.addEventListener("input", () => {
    form.dataset.draft = "dirty";
    clearTimeout(timer);
    timer = setTimeout(async () => {
      await saveDraft(id, collect());
      saved.textContent = t("talkDraftSaved");
      form.dataset.draft = "saved";
    }, 250);
  });
  const showSent = async (state) => {
    const when = await sentAt(id);
    if (when) sent.textContent = t("talkSent", { time: stamp(ctx, when) });
    else if (state === "refused") sent.textContent = t("talkRefused");
    else if (state === "signin") sent.textContent = t("talkSignIn");
    else if (await queued(id)) sent.textContent = t("talkQueued");
    form.dataset.sent = when ? "sent" : (await queued(id)) ? "queued" : "no";
  };
  document.addEventListener("fp:outbox", (e) => {
    if (form.isConnected) showSent(e.detail?.[id]);
  });
  if (talk.school_key && !held && questions.length) {
    form.append(
      h("p", null, h("button", { type: "button", class: "primary", "data-action": "send-reply" }, t("talkSend"))),
      h("p", { class: "meta" }, t("talkSendNote")),
    );
    form.querySelector("[data-action=send-reply]").addEventListener("click", async () => {
      const current = collect();
      await saveDraft(id, current);
      sent.textContent = t("talkSending");
      const answers = questions.map((q, i) => ({ q: q.sv, a: current.answers[i] ?? "" }));
      const result = await sendReply({
        id, schoolKey: talk.school_key, role, answers,
        context: { child: childId, talk: talk.id },
      });
      await showSent(result?.[id] ?? result?.error);
    });
  }
  form.append(sent);
  await showSent();
  if (await queued(id)) flushOutbox();
  return form;
}

// The print pack (printed with the tab, hidden on screen): IUP goals and plan, the latest
// omdömen, and room for notes during the talk; the answers print from the fields (beforeprint
// copies each into a box, so a long answer is not cut off by its textarea).
async function printPack(ctx, bundle, frag) {
  const { t } = ctx;
  const latest = [...(bundle.omdomen ?? [])].sort((a, b) => (a.date < b.date ? 1 : -1));
  const bySubject = new Map();
  for (const item of latest) if (!bySubject.has(item.subject)) bySubject.set(item.subject, item);
  return h("section", { class: "print-pack print-only", "aria-hidden": "true" },
    bundle.iup ? [h("h3", null, t("iup")), await frag(bundle.iup.html)] : null,
    bySubject.size
      ? [h("h3", null, t("talkLatestOmdomen")),
         h("ul", { lang: "sv" }, [...bySubject.values()].map((item) =>
           h("li", null, `${item.subject}: ${item.level?.code ?? ""} ${item.level?.label ?? ""} (${item.date})`)))]
      : null,
    h("h3", null, t("talkNotesDuring")),
    h("div", { class: "print-lines" }),
  );
}

function copyAnswersForPrint() {
  for (const area of document.querySelectorAll(".talk-answers textarea")) {
    let box = area.nextElementSibling;
    if (!box?.classList.contains("print-answer")) {
      box = document.createElement("div");
      box.className = "print-answer print-only";
      area.after(box);
    }
    box.textContent = area.value;
  }
}
addEventListener("beforeprint", copyAnswersForPrint);

export async function samtalTab(ctx, { bundle, frag, family, child }) {
  const talk = bundle.samtal;
  const { t } = ctx;
  if (!talk) return h("p", null, t("noSamtal"));
  const held = talk.date < localDate();
  const role = family?.role === "student" ? "student" : "guardian";
  const received = (talk.received ?? []).some((r) => r.role === role);
  const body = await frag(talk.html);
  // The reader's own questions become answer fields below; the list would say them twice.
  const own = body.querySelector?.(role === "student" ? ".fp-talk-student" : ".fp-talk-guardian");
  if (own && talk.questions?.[role]?.length) own.remove();
  // After the talk, what was agreed comes first (the export's `agreements`).
  const agreed = held && talk.agreements?.length
    ? h("section", { class: "talk-agreed", "aria-labelledby": "talk-agreed" },
        h("h3", { id: "talk-agreed" }, t("talkAgreed")),
        h("ul", { lang: "sv" }, talk.agreements.map((item) => h("li", null, item))))
    : null;
  return h("div", { class: "talk" },
    h("p", { class: held ? "talk-status held" : "talk-status upcoming" },
      h("strong", null, t(held ? "talkHeld" : "talkUpcoming"))),
    agreed,
    received ? h("p", { class: "receipt", role: "status" }, t("talkReceived")) : null,
    h("dl", { class: "facts" },
      h("dt", null, t("when")), h("dd", null, time(talk.date, ctx.lang), talk.time ? ` ${talk.time}` : ""),
      talk.place ? [h("dt", null, t("where")), h("dd", { lang: "sv" }, talk.place)] : null,
      talk.duration_minutes ? [h("dt", null, t("length")), h("dd", null, t("minutes", { n: talk.duration_minutes }))] : null,
    ),
    talk.ics && !held
      ? h("p", null, h("a", {
          class: "button secondary",
          href: ctx.objectUrl(new TextEncoder().encode(talk.ics), "text/calendar"),
          download: "utvecklingssamtal.ics",
        }, t("talkCalendar")))
      : null,
    body,
    await answerForm(ctx, { talk, role, childId: child?.id ?? bundle.child.id, held }),
    await printPack(ctx, bundle, frag),
  );
}
