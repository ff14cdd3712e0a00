// Live preview only (site-builder watch serves this file; a published site never has it).
// Listens to /__preview__/events: `reload` reloads the page, `problems` draws the validation
// overlay (file, place, message and fix of each problem), `ok` clears it.

const OVERLAY_ID = "fp-preview-problems";
let generation = null;
let dismissedKey = null;

function addStylesheet() {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = "/__preview__/reload.css";
  document.head.append(link);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text; // teachers' text is never parsed as HTML
  return node;
}

function clearOverlay() {
  document.getElementById(OVERLAY_ID)?.remove();
}

function showOverlay(problems) {
  const key = JSON.stringify(problems);
  if (key === dismissedKey) return;
  clearOverlay();
  const box = element("div");
  box.id = OVERLAY_ID;
  box.setAttribute("role", "alert");
  box.setAttribute("aria-labelledby", OVERLAY_ID + "-title");
  box.lang = "sv";
  const title = element("h2", "", `Exporten har ${problems.length} fel`);
  title.id = OVERLAY_ID + "-title";
  title.tabIndex = -1;
  const note = element(
    "p",
    "",
    "Förhandsvisningen visar den senaste versionen som gick att bygga. " +
      "Rätta filen och spara: rutan försvinner av sig själv.",
  );
  const list = element("ol");
  for (const problem of problems) {
    const item = element("li");
    const where = [problem.file, problem.location].filter(Boolean).join(" · ");
    if (where) item.append(element("code", "fp-preview-where", where));
    item.append(element("p", "fp-preview-message", problem.message));
    if (problem.fix) item.append(element("p", "fp-preview-fix", `Åtgärd: ${problem.fix}`));
    list.append(item);
  }
  const close = element("button", "fp-preview-close", "Stäng");
  close.type = "button";
  close.addEventListener("click", () => {
    dismissedKey = key;
    clearOverlay();
  });
  box.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close.click();
  });
  box.append(title, note, list, close);
  document.body.append(box);
  title.focus();
}

function listen() {
  const events = new EventSource("/__preview__/events");
  events.addEventListener("hello", (event) => {
    const current = JSON.parse(event.data).generation;
    // A reconnect after a rebuild we missed (server busy, laptop asleep) still reloads.
    if (generation !== null && current !== generation) location.reload();
    generation = current;
  });
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("problems", (event) => showOverlay(JSON.parse(event.data)));
  events.addEventListener("ok", () => {
    dismissedKey = null;
    clearOverlay();
  });
  // Closing the stream before unload keeps the browser from logging an interrupted request.
  addEventListener("pagehide", () => events.close());
}

addStylesheet();
listen();
