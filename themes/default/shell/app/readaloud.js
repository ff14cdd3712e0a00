// "Läs upp": a post, an assessment, the IUP, a plan or an FAQ answer read aloud by the device's
// own speech synthesis (nothing leaves the device). The teachers' text is Swedish, so it is read
// with a Swedish voice; a text in the reader's language with a voice for that. One text reads at
// a time; pause, resume and stop; main.js stops it when the view changes or the app locks.
import { h } from "./dom.js";

const LOCALES = { sv: "sv-SE", en: "en-GB", ar: "ar", fa: "fa-IR", so: "so-SO", ti: "ti-ER", fi: "fi-FI" };
// Chromium cuts an utterance off after ~15 s: speak a sentence (or a few short ones) at a time.
const CHUNK = 200;
const SKIP = "button, [aria-hidden=true], .fp-save, .fp-file-info, .fp-missing, .fp-table-hint, .readaloud, script, style, img";
const PIECE = new RegExp(`.{1,${CHUNK}}(?:[,;:]\\s|\\s|$)`, "gu");
const BLOCK = /^(P|LI|H[1-6]|TR|DIV|FIGCAPTION|BLOCKQUOTE|PRE|DT|DD|SECTION|ARTICLE|UL|OL|TABLE)$/;

let current = null; // the control that is reading (or paused)

/** The text of `nodes` as a reader sees it: no markup, no buttons or image file names. */
export function readableText(nodes) {
  const parts = [];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) parts.push(node.nodeValue);
    if (node.nodeType !== Node.ELEMENT_NODE || node.matches(SKIP)) return;
    const block = BLOCK.test(node.tagName) || node.tagName === "BR";
    if (block) parts.push("\n");
    for (const child of node.childNodes) walk(child);
    if (block) parts.push("\n");
  };
  for (const node of nodes) if (node) walk(node);
  return parts.join("").replace(/[ \t\r\f\v]+/g, " ");
}

/** Sentences (Intl.Segmenter where there is one), joined up to CHUNK characters. */
export function chunks(text, lang) {
  const out = [];
  for (const block of text.split(/\s*\n\s*/).filter(Boolean)) {
    const sentences = "Segmenter" in Intl
      ? [...new Intl.Segmenter(lang, { granularity: "sentence" }).segment(block)].map((s) => s.segment)
      : block.split(/(?<=[.!?…؟])\s+/);
    let chunk = "";
    for (const sentence of sentences.map((s) => s.trim()).filter(Boolean)) {
      // A very long sentence is cut at its commas or spaces rather than read cut off.
      const pieces = sentence.length > CHUNK ? sentence.match(PIECE) ?? [sentence] : [sentence];
      for (const piece of pieces.map((p) => p.trim()).filter(Boolean)) {
        if (chunk && chunk.length + piece.length + 1 > CHUNK) {
          out.push(chunk);
          chunk = "";
        }
        chunk = chunk ? `${chunk} ${piece}` : piece;
      }
    }
    if (chunk) out.push(chunk);
  }
  return out;
}

function voices() {
  const list = speechSynthesis.getVoices();
  if (list.length) return Promise.resolve(list);
  // Chromium fills the list a moment after the first call.
  return new Promise((resolve) => {
    const done = () => resolve(speechSynthesis.getVoices());
    speechSynthesis.addEventListener("voiceschanged", done, { once: true });
    setTimeout(done, 1500);
  });
}

/** A voice for `lang`: its exact locale first; offline only the device's own (localService). */
export async function pickVoice(lang) {
  const wanted = LOCALES[lang] ?? lang;
  const offline = !navigator.onLine;
  const matching = (await voices()).filter(
    (v) => v.lang.replace("_", "-").toLowerCase().split("-")[0] === lang && (!offline || v.localService),
  );
  const score = (v) => (v.lang.replace("_", "-") === wanted ? 4 : 0) + (v.localService ? 2 : 0) + (v.default ? 1 : 0);
  return matching.sort((a, b) => score(b) - score(a))[0] ?? null;
}

/** Stop whatever reads (a new view, the app locking). */
export function stopReading() {
  current?.stop();
}

/**
 * The "Läs upp" control for `nodes()` (read when pressed, so it is the text on screen) in
 * `lang` ("sv" for the teachers' text). Out: an element with the button, a stop button and a
 * polite status line.
 */
export function readAloud(ctx, { nodes, lang = "sv" }) {
  const { t } = ctx;
  // The label says what a press does next (Läs upp → Pausa → Fortsätt); the status line says it.
  const play = h("button", { type: "button", class: "secondary read", "data-read": "idle" }, t("readAloud"));
  const stop = h("button", { type: "button", class: "secondary read-stop", hidden: true }, t("readStop"));
  const status = h("p", { class: "meta read-status", role: "status" });
  // A named group: "Pausa" and "Stoppa" say what they pause and stop to a screen reader.
  const box = h("div", { class: "readaloud", role: "group", "aria-label": t("readAloud") }, play, " ", stop, status);
  let queue = [];
  const show = (state, message = "") => {
    play.dataset.read = state;
    play.textContent = t({ idle: "readAloud", reading: "readPause", paused: "readResume" }[state] ?? "readAloud");
    stop.hidden = state === "idle";
    status.textContent = message;
  };
  const control = {
    stop() {
      queue = [];
      if (current === control) current = null;
      speechSynthesis.cancel();
      show("idle", t("readStopped"));
    },
  };
  const next = (voice) => {
    const text = queue.shift();
    if (text === undefined) {
      if (current === control) current = null;
      show("idle", t("readDone"));
      return;
    }
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = LOCALES[lang] ?? lang;
    utterance.voice = voice;
    utterance.onend = () => current === control && next(voice);
    utterance.onerror = (event) => {
      if (current !== control || event.error === "interrupted" || event.error === "canceled") return;
      control.stop();
    };
    speechSynthesis.speak(utterance);
  };
  play.addEventListener("click", async () => {
    if (!("speechSynthesis" in window) || !("SpeechSynthesisUtterance" in window)) {
      show("idle", t("readNoSpeech"));
      return;
    }
    if (current === control && play.dataset.read === "reading") {
      speechSynthesis.pause();
      return show("paused", t("readPaused"));
    }
    if (current === control && play.dataset.read === "paused") {
      speechSynthesis.resume();
      return show("reading", t("readReading"));
    }
    const voice = await pickVoice(lang);
    if (!voice) {
      show("idle", `${t(lang === "sv" ? "readNoVoiceSv" : "readNoVoice")} ${t("readVoiceHint")}`);
      return;
    }
    current?.stop();
    current = control;
    speechSynthesis.cancel(); // a queue left by another tab or a stopped text
    queue = chunks(readableText(nodes()), LOCALES[lang] ?? lang);
    show("reading", t("readReading"));
    next(voice);
  });
  stop.addEventListener("click", () => {
    control.stop();
    play.focus();
  });
  return box;
}
