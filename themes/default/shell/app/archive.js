// "Ladda ner arkiv": one child's documentation from every term this reader can open, as a ZIP
// made on the device (docs/app.md "Family archive"): index.html readable in any browser without
// the app or a network (the same views as the app, attachments as files beside it), the signed
// material (each term's statement and signature, the plaintext of the bundles) for
// `site-builder verify`, and a text on how to verify. Nothing leaves the device.
import { LockedError, NoKeyringError } from "./data.js";
import { fragment, h } from "./dom.js";
import { messageParts, time } from "./format.js";
import { pinnedKeys } from "./pinned.js";
import { childTabs } from "./router.js";
import { iupTab, larloggTab, omdomenTab, planeringarTab } from "./views/tabs.js";
import { storeZip } from "./zip.js";

// The talk as a keepsake: when and where, what was agreed, its text. Not the app's samtalTab
// (answer form, calendar file, print pack belong to the app, not to an archive).
async function talkPart(ctx, { bundle, frag }) {
  const talk = bundle.samtal;
  if (!talk) return h("p", null, ctx.t("noSamtal"));
  return h("div", { class: "talk" },
    h("p", { class: "meta" }, [talk.date, talk.time, talk.place].filter(Boolean).join(" · ")),
    talk.agreements?.length ? [h("h4", null, ctx.t("talkAgreed")),
      h("ul", { lang: "sv" }, talk.agreements.map((item) => h("li", null, item)))] : null,
    await frag(talk.html));
}

const RENDER = { larlogg: larloggTab, iup: iupTab, omdomen: omdomenTab, planeringar: planeringarTab, samtal: talkPart };
const FILE_MARK = "data:,fparchive/";

function safeName(name) {
  return (name || "fil").normalize("NFC").replace(/[^\p{L}\p{N}._-]+/gu, "_").slice(0, 80);
}

/** The terms of `childId` this reader can open, newest first: [{family, child}]. */
async function readableTerms(ctx, { session, latest, childId }) {
  const out = [];
  for (const snapshot of latest.snapshots) {
    let family;
    try {
      family = await ctx.family(session, latest, snapshot.seq);
    } catch (error) {
      if (error instanceof NoKeyringError || error instanceof LockedError) continue;
      throw error; // altered or offline: no archive rather than half of one
    }
    const child = family.children.find((c) => c.id === childId);
    if (child) out.push({ family, child });
  }
  return out;
}

/** One term: its section of index.html, and the files that go beside it. */
async function termPart(ctx, { family, child }) {
  const seq = family.seq;
  const files = [];
  const seen = new Map();
  const resolveFile = async (id) => {
    if (!seen.has(id)) {
      const { bytes, entry } = await family.openFile(id);
      const name = `filer/${seq}/${id}-${safeName(entry.name)}`;
      // A data: URL until index.html is written: the views render in the app's document, where
      // a relative URL would be fetched from the site (CSP allows data:, which fetches nothing).
      seen.set(id, { url: FILE_MARK + name, name: entry.name, type: entry.type, size: bytes.length });
      files.push({ name, data: bytes, type: entry.type || "", label: entry.name });
    }
    return seen.get(id);
  };
  const frag = (html) => fragment(html ?? "", { resolveFile, t: ctx.t, lang: ctx.lang });
  const args = { bundle: child.bundle, plans: child.plans, fresh: new Set(), frag };
  const tabs = childTabs(child.bundle).filter((tab) => RENDER[tab]);
  const parts = [];
  for (const tab of tabs) {
    parts.push(h("section", { class: "tab" }, h("h3", null, ctx.t(tab)), await RENDER[tab](ctx, args)));
  }
  const term = family.snapshot.term;
  const section = h("section", { class: "term", id: `termin-${seq}` },
    h("h2", null, term), h("p", { class: "meta" }, messageParts(ctx.t, "archivePublished", { date: time(family.snapshot.published, ctx.lang) })), parts);
  const dir = `signerat/${seq}`;
  const ids = [child.bundleId, ...child.planIds];
  const signed = [
    { name: `${dir}/statement.json`, data: family.signed.statement },
    { name: `${dir}/signatur.json`, data: JSON.stringify({ v: 1, kid: family.signed.kid, sig: family.signed.sig, statement: "statement.json" }, null, 1) + "\n" },
    ...ids.map((id) => ({ name: `${dir}/${id}.json`, data: family.plain.get(id) })),
  ];
  return { section, files: [...signed, ...files], term: { seq, term, published: family.snapshot.published, dir } };
}

/** Build the archive for `childId`: {blob, filename, pdf (whether arkiv.pdf is in it)}, or an
 * error (nothing is saved then). */
export async function buildArchive(ctx, { session, latest, childId, css = "" }) {
  const terms = await readableTerms(ctx, { session, latest, childId });
  if (!terms.length) throw new NoKeyringError("no term to archive");
  // index.html, the PDF (jsPDF, its font), arkiv.json: made by a module loaded only now, never
  // part of the shell (docs/app.md "Family archive"); first, so offline without it nothing is made
  const lazy = await import("/lazy/archive.js");
  const sections = [];
  const files = [];
  for (const term of terms) {
    const part = await termPart(ctx, term);
    sections.push(part);
    files.push(...part.files);
  }
  const info = terms[0].child.bundle.child;
  const day = new Date().toISOString().slice(0, 10);
  const made = await lazy.archiveFiles({
    ctx, h, info, sections, files, childId, css, day, keys: pinnedKeys(), mark: FILE_MARK,
    statement: terms[0].family.signed.statement,
  });
  files.unshift(...made.files);
  // pdf false: offline before jsPDF and its fonts were ever stored; the rest is made all the same
  return { blob: storeZip(files), filename: `arkiv-${safeName(info.givenName)}-${day}.zip`, pdf: made.pdf };
}
