// The parts of a family archive made from the rendered terms (docs/app.md "Family archive"):
// index.html, the PDF of the whole, arkiv.json with the signed term list, LAS-MIG.txt. Loaded
// with import() by app/archive.js only when "Ladda ner arkiv" is pressed, so neither this module
// nor jsPDF nor the font count toward the app shell a phone loads first. The service worker
// precaches this module; jsPDF and the fonts (/vendor/, 1.5 MB) are stored when first used, so
// offline before that the archive is made without arkiv.pdf (`pdf: false`), and the app says so.
//
// The PDF is made from the same rendered views as index.html. Text is taken from the rendered DOM as text (teachers' HTML is never
// interpreted again), set in DejaVu Sans (embedded as a subset: Swedish and most European
// scripts come out as written); images are embedded (JPEG/PNG as they are, others re-encoded as
// JPEG through a canvas); other files are listed by name.
const JSPDF_URL = "/vendor/jspdf-4.2.1.umd.min.js";
const FONT_URL = "/vendor/DejaVuSans-2.37.ttf";
const FONT = "DejaVuSans";
// DejaVu Sans has no Ethiopic: Tigrinya labels are set in Noto Sans Ethiopic (no Latin, so a
// line is drawn in runs, each in the font that has it), fetched only when the text has Ethiopic.
const ETHIOPIC_URL = "/vendor/NotoSansEthiopic-20201225.ttf";
const ETHIOPIC = "NotoSansEthiopic";
const ETHIOPIC_CHARS = "\u1200-\u139F\u2D80-\u2DDF\uAB00-\uAB2F";
const HAS_ETHIOPIC = new RegExp(`[${ETHIOPIC_CHARS}]`);
const ETHIOPIC_RUN = new RegExp(`[${ETHIOPIC_CHARS}](?:[\\s${ETHIOPIC_CHARS}]*[${ETHIOPIC_CHARS}])?`, "g");
const PAGE = { width: 595.28, height: 841.89, margin: 50 }; // A4 in points
const SIZES = { H1: 22, H2: 17, H3: 14, H4: 12, H5: 11, H6: 11, P: 10.5 };
const BLOCKS = new Set(["P", "LI", "DT", "DD", "BLOCKQUOTE", "FIGCAPTION", "TR", "PRE", "H1", "H2",
  "H3", "H4", "H5", "H6", "DIV", "SECTION", "ARTICLE", "HEADER", "FOOTER", "UL", "OL", "DL",
  "TABLE", "FIGURE", "MAIN", "NAV", "ASIDE", "DETAILS", "SUMMARY"]);
const SKIP = new Set(["BUTTON", "SCRIPT", "STYLE", "SVG", "svg", "TEMPLATE", "NOSCRIPT", "INPUT",
  "SELECT", "TEXTAREA", "DIALOG"]);
const TEXT = {
  sv: { file: "Fil", page: "Sida {n} av {of}", made: "Skapat {date} på enheten. Texten och bilderna är en utskrift av arkivets signerade filer; det är de som kan kontrolleras (LAS-MIG.txt)." },
  en: { file: "File", page: "Page {n} of {of}", made: "Made on {date} on the device. The text and images are a rendering of the archive's signed files; those are what can be checked (LAS-MIG.txt)." },
};

export const HOW_TO_VERIFY = `Så kontrollerar du arkivet / How to verify this archive

Mappen signerat/ innehåller, för varje termin, det kommunen signerade (statement.json), signaturen
(signatur.json) och barnets dokumentation som JSON. Den nyaste terminens signerade text räknar upp
alla terminer barnet har hos dig, så att det syns om en hel termin har tagits bort. Kommunens
offentliga nycklar finns i signerat/nycklar.json, men kontrollera mot kommunens egen nyckellista
(keys.json på webbplatsen, eller fingeravtrycket i appens hjälp) — inte bara mot kopian här.
index.html och arkiv.pdf är gjorda på enheten av de signerade filerna och är inte själva signerade.

Med verktyget site-builder:  site-builder verify ARKIV.zip --keys keys.json
Det säger vad som är äkta, vad som saknas och vad som har ändrats.

The folder signerat/ holds, per term, what the municipality signed (statement.json, Ed25519 over
"fp1|sig|" followed by its bytes), the signature (signatur.json) and the child's documentation as
JSON; every file's SHA-256 is named in the statement (field "plain", base64url), and the newest
term's statement lists every term of the child ("terms"), so a removed term shows. Check against
the municipality's own key list (keys.json on its site, or the fingerprint in the app's help), not
only the copy in this archive. index.html and arkiv.pdf are made on the device from the signed
files and are not signed themselves. Format: docs/fp1.md, "Family archive".
`;

/**
 * The signed term list of `childId` in a verified statement (docs/fp1.md "Term list", Python:
 * fp1/sign.py term_list): [{seq, term, until}], newest first, starting with the statement's own
 * snapshot; null for a statement from before term lists. Throws when malformed.
 */
export function termList(statement, childId) {
  const children = Array.isArray(statement.children) ? statement.children : [];
  const mine = children.find((c) => c && typeof c === "object" && c.id === childId);
  if (!mine) throw new Error("fp1: the statement does not name this child");
  const terms = mine.terms;
  if (terms === undefined || terms === null) return null;
  const ok = Array.isArray(terms) && terms.length > 0 &&
    terms.every((t, i) => t && Number.isInteger(t.seq) && t.seq > 0 && typeof t.term === "string" &&
      (t.until === undefined || t.until === null || typeof t.until === "string") &&
      (i === 0 ? t.seq === statement.snapshot?.seq : t.seq < terms[i - 1].seq));
  if (!ok) throw new Error("fp1: the term list is malformed");
  return terms.map((t) => ({ seq: t.seq, term: t.term, until: t.until ?? null }));
}

export const ARCHIVE_FORMAT = "fp1-archive";

function indexHtml(ctx, h, { info, sections, css, mark }) {
  const name = [info.givenName, info.familyName].filter(Boolean).join(" ");
  const body = h("main", null,
    h("h1", null, h("bdi", null, name)),
    h("p", { class: "meta" }, [info.school, info.group].filter(Boolean).join(" · ")),
    h("p", null, ctx.t("archiveIntro")),
    h("nav", null, h("ul", null, sections.map(({ term }) => h("li", null, h("a", { href: `#termin-${term.seq}` }, term.term))))),
    sections.map((s) => s.section),
  );
  // No script, no network: a CSP that allows only this folder's images and the inline style.
  const csp = "default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'";
  // The page's direction is the language's (i18n.js applyLanguage): an Arabic archive reads RTL.
  return `<!doctype html>\n<html lang="${ctx.lang}" dir="${document.documentElement.dir}"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${ctx.t("archiveTitle")}</title><style>${css}</style></head>` +
    `<body class="archive">${body.outerHTML.replaceAll(mark, "")}</body></html>\n`;
}

function listedTerms(statement, childId) {
  try {
    return termList(JSON.parse(new TextDecoder().decode(statement)), childId);
  } catch {
    return null; // a signed yet malformed list: verify says so; the archive is still made
  }
}

/**
 * The archive's files made from the rendered terms, to go before them in the ZIP. In: the app's
 * `ctx` (t, lang), its `h`, the child's `info`, the terms' `sections` ({section, term}), the
 * term `files` so far, `childId`, the app's `css`, the `day`, the pinned `keys`, the file `mark`
 * of rendered links and the newest term's signed `statement` bytes. Out: {files: [{name, data}],
 * pdf: whether arkiv.pdf is among them (not when jsPDF or a font is neither stored nor online)}.
 */
export async function archiveFiles({ ctx, h, info, sections, files, childId, css, day, keys, mark, statement }) {
  const manifest = {
    v: 1, format: ARCHIVE_FORMAT, child: childId, givenName: info.givenName,
    made: new Date().toISOString(), terms: sections.map((s) => s.term),
    // what the newest term's signed statement lists (docs/fp1.md "Term list")
    listed: listedTerms(statement, childId),
  };
  let pdf = null;
  try {
    pdf = await archivePdf({
      lang: ctx.lang, name: [info.givenName, info.familyName].filter(Boolean).join(" "),
      subtitle: [info.school, info.group].filter(Boolean).join(" · "), intro: ctx.t("archiveIntro"),
      sections: sections.map((s) => s.section), files, mark, made: day,
    });
  } catch (error) {
    if (!(error instanceof VendorMissing)) throw error;
  }
  const out = [
    { name: "index.html", data: indexHtml(ctx, h, { info, sections, css, mark }) },
    { name: "arkiv.pdf", data: pdf },
    { name: "LAS-MIG.txt", data: HOW_TO_VERIFY },
    { name: "arkiv.json", data: JSON.stringify(manifest, null, 1) + "\n" },
    { name: "signerat/nycklar.json", data: JSON.stringify({ v: 1, keys }, null, 1) + "\n" },
  ].filter((file) => file.data !== null);
  return { files: out, pdf: pdf !== null };
}

/** jsPDF or a font could not be fetched (offline before the archive was ever made online). */
export class VendorMissing extends Error {}

let library = null;
let attempts = 0;

async function fontBinary(url) {
  const response = await fetch(url).catch((error) => { throw new VendorMissing(error.message); });
  if (!response.ok) throw new Error(`archive pdf: font ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return binary;
}

/** jsPDF and the font, fetched once per page load (from the service worker's cache). */
async function loadLibrary() {
  if (!library) {
    library = (async () => {
      // A UMD build: in a module it defines globalThis.jspdf. The browser remembers a failed
      // import() of a URL, so a retry (back online, same page) asks with another query.
      const url = attempts++ ? `${JSPDF_URL}?retry=${attempts}` : JSPDF_URL;
      await import(url).catch((error) => { throw new VendorMissing(error.message); });
      return { jsPDF: globalThis.jspdf.jsPDF, font: await fontBinary(FONT_URL) };
    })();
    library.catch(() => { library = null; }); // offline on first use: try again next time
  }
  return library;
}

let ethiopic = null;

function loadEthiopic() {
  ethiopic ??= fontBinary(ETHIOPIC_URL);
  ethiopic.catch(() => { ethiopic = null; });
  return ethiopic;
}

// Wider than this is more than A4 shows at 150 dpi: re-encoded smaller (faster, smaller PDF).
const MAX_PX = 1000;

/** JPEG or PNG bytes and the image's size; other types (and large images) are re-encoded as
 * JPEG through a canvas at most MAX_PX wide. */
async function pdfImage(file) {
  const blob = new Blob([file.data], { type: file.type || "" });
  const bitmap = await createImageBitmap(blob); // decoded once, off the main thread
  const { width, height } = bitmap;
  if ((file.type === "image/jpeg" || file.type === "image/png") && width <= MAX_PX) {
    bitmap.close();
    return { data: file.data, format: file.type === "image/png" ? "PNG" : "JPEG", width, height };
  }
  const w = Math.min(width, MAX_PX);
  const h = Math.round((height * w) / width);
  const canvas = new OffscreenCanvas(w, h);
  const g = canvas.getContext("2d");
  g.fillStyle = "#fff"; // JPEG has no transparency: white, like the page
  g.fillRect(0, 0, w, h);
  g.imageSmoothingQuality = "medium";
  g.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  const jpeg = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.8 });
  return { data: new Uint8Array(await jpeg.arrayBuffer()), format: "JPEG", width, height };
}

/** Lays out blocks of text and images top to bottom, adding pages as needed. */
class Writer {
  constructor(doc) {
    this.doc = doc;
    this.y = PAGE.margin;
    this.width = PAGE.width - 2 * PAGE.margin;
  }

  space(height) {
    if (this.y + height > PAGE.height - PAGE.margin) {
      this.doc.addPage();
      this.y = PAGE.margin;
    }
  }

  text(value, { size = SIZES.P, gap = 4, indent = 0 } = {}) {
    const text = value.replace(/\s+/g, " ").trim();
    if (!text) return;
    const doc = this.doc;
    doc.setFontSize(size);
    const lineHeight = size * 1.35;
    if (size > SIZES.P) this.space(lineHeight * 3); // a heading is not left alone at a page end
    for (const line of doc.splitTextToSize(text, this.width - indent)) {
      this.space(lineHeight);
      if (this.ethiopic && HAS_ETHIOPIC.test(line)) this.runs(line, PAGE.margin + indent, this.y + size);
      else doc.text(line, PAGE.margin + indent, this.y + size);
      this.y += lineHeight;
    }
    this.y += gap;
  }

  /** A line with Ethiopic in it: each run in the font that has its glyphs, left to right. */
  runs(line, x, y) {
    const doc = this.doc;
    const put = (text, font) => {
      if (!text) return;
      doc.setFont(font, "normal");
      doc.text(text, x, y);
      x += doc.getTextWidth(text);
    };
    let last = 0;
    for (const match of line.matchAll(ETHIOPIC_RUN)) {
      put(line.slice(last, match.index), FONT);
      put(match[0], ETHIOPIC);
      last = match.index + match[0].length;
    }
    put(line.slice(last), FONT);
    doc.setFont(FONT, "normal");
  }

  image(image, alias) {
    const scale = Math.min(1, this.width / image.width, 280 / image.height);
    const w = image.width * scale;
    const h = image.height * scale;
    this.space(h + 6);
    this.doc.addImage(image.data, image.format, PAGE.margin, this.y, w, h, alias, "FAST");
    this.y += h + 8;
  }
}

/** Walk a rendered view: text of each block (never markup), images, files by name. */
async function walk(node, out, ctx) {
  for (const child of node.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) {
      out.inline += child.data;
      continue;
    }
    if (child.nodeType !== Node.ELEMENT_NODE) continue;
    if (SKIP.has(child.tagName) || child.hidden || child.getAttribute("aria-hidden") === "true") continue;
    if (child.tagName === "BR") { out.inline += " "; continue; }
    if (child.tagName === "IMG") {
      await flush(out, ctx);
      const file = ctx.fileOf(child.getAttribute("src"));
      if (file && file.type.startsWith("image/")) {
        const image = await ctx.image(file);
        if (image) out.writer.image(image, file.name);
      }
      if (child.alt) out.writer.text(child.alt, { size: 9 });
      continue;
    }
    // An image's own links (app/dom.js showImage: zoom around it, "save" beside it) are not
    // attachments: the image is embedded, its save link left out.
    if (child.classList.contains("fp-save")) continue;
    const link = child.tagName === "A" && !child.classList.contains("fp-zoom");
    const file = link ? ctx.fileOf(child.getAttribute("href")) : null;
    if (file) {
      await flush(out, ctx);
      out.writer.text(`${ctx.s.file}: ${(file.label || file.name)}`, { indent: 12 });
      continue;
    }
    const block = BLOCKS.has(child.tagName);
    if (block) await flush(out, ctx);
    if (child.tagName === "LI") out.inline = "• ";
    const before = out.size;
    if (SIZES[child.tagName]) out.size = SIZES[child.tagName];
    await walk(child, out, ctx);
    if (block) await flush(out, ctx);
    out.size = before;
  }
}

async function flush(out) {
  if (out.inline.replace("•", "").trim()) out.writer.text(out.inline, { size: out.size, gap: out.size > SIZES.P ? 6 : 4 });
  out.inline = "";
}

/**
 * The PDF of the whole archive as bytes. In: `lang`, the child's `name` and `subtitle`, the
 * terms' rendered `sections` (DOM elements; images and file links carry `mark` + archive name),
 * and the archive's `files` ([{name, data, type}]). Out: Uint8Array of an A4 PDF.
 */
export async function archivePdf({ lang, name, subtitle, intro, sections, files, mark, made }) {
  const { jsPDF, font } = await loadLibrary();
  const s = TEXT[lang] || TEXT.sv;
  const doc = new jsPDF({ unit: "pt", format: "a4", compress: true });
  doc.addFileToVFS(`${FONT}.ttf`, font);
  doc.addFont(`${FONT}.ttf`, FONT, "normal", "Identity-H");
  const words = [name, subtitle, intro, ...sections.map((section) => section.textContent)].join(" ");
  if (HAS_ETHIOPIC.test(words)) {
    doc.addFileToVFS(`${ETHIOPIC}.ttf`, await loadEthiopic());
    doc.addFont(`${ETHIOPIC}.ttf`, ETHIOPIC, "normal", "Identity-H");
  }
  doc.setFont(FONT, "normal");
  doc.setProperties({ title: name, creator: "Familjeportalen", subject: subtitle });
  doc.setLanguage(lang === "en" ? "en-GB" : "sv-SE");
  const byName = new Map(files.map((f) => [f.name, f]));
  const images = new Map();
  const ctx = {
    s,
    fileOf: (url) => (url && url.startsWith(mark) ? byName.get(url.slice(mark.length)) : null),
    image: (file) => {
      if (!images.has(file.name)) images.set(file.name, pdfImage(file).catch(() => null));
      return images.get(file.name);
    },
  };
  // Every image decoded and re-encoded at once (the browser spreads that over its threads),
  // while the text is laid out in order.
  for (const file of files) if (file.type?.startsWith("image/")) ctx.image(file);
  const writer = new Writer(doc);
  writer.ethiopic = HAS_ETHIOPIC.test(words);
  writer.text(name, { size: SIZES.H1, gap: 6 });
  writer.text(subtitle, { gap: 8 });
  writer.text(intro);
  writer.text(s.made.replace("{date}", made), { size: 9, gap: 10 });
  for (const section of sections) {
    doc.addPage();
    writer.y = PAGE.margin;
    const out = { writer, inline: "", size: SIZES.P };
    await walk(section, out, ctx);
    await flush(out);
  }
  const pages = doc.getNumberOfPages();
  doc.setFontSize(8);
  for (let n = 1; n <= pages; n++) {
    doc.setPage(n);
    const label = `${name} · ${s.page.replace("{n}", n).replace("{of}", pages)}`;
    doc.text(label, PAGE.width - PAGE.margin, PAGE.height - 24, { align: "right" });
  }
  return new Uint8Array(doc.output("arraybuffer"));
}
