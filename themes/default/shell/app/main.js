// Boot: language, service worker, idle lock, and the hash router that renders one view at a
// time. Views build their whole DOM (attachments included) before it replaces the old one.
import { AppContext } from "./context.js";
import { loadCatalogue, savedLanguage } from "./i18n.js";
import { watchIdle } from "./idle.js";
import { stopReading } from "./readaloud.js";
import { parseRoute } from "./router.js";
import { forgetDevice, registerServiceWorker } from "./sw-client.js";
import * as store from "./store.js";
import { flushOutbox } from "./talk.js";
import { unlock } from "./unlock.js";
import { childView } from "./views/child.js";
import { footer, header, updateBanner } from "./views/chrome.js";
import { familyView } from "./views/family.js";
import { helpView } from "./views/help.js";
import { accessibilityView, privacyView, storageView } from "./views/legal.js";
import { lockConfirmView, setupView } from "./views/lock.js";
import * as messages from "./views/messages.js";

const main = document.getElementById("main");
let renderCount = 0;
let swStarted = false;

// Other tabs of the app: a lock or an unlock in one is shown in all.
const channel = "BroadcastChannel" in self ? new BroadcastChannel("fp-lock") : null;
const RETURN_KEY = "fp-return"; // where "Lås" was pressed, for after the e-ID round trip

async function unlockRoute(ctx) {
  const result = await unlock();
  if (result.ok) {
    ctx.setupKey = result.setupKey;
    if (result.lostDrafts) ctx.flash = "flashDraftsLost";
    await ctx.touch();
    channel?.postMessage("unlocked");
    flushOutbox(); // replies queued while signed out or locked go now
    const back = sessionStorage.getItem(RETURN_KEY);
    sessionStorage.removeItem(RETURN_KEY);
    location.replace(back && /^#\/(barn|term)\//.test(back) ? back : "#/");
    return null;
  }
  if (result.error === "signin_required") {
    ctx.flash = "flashSigninRequired";
    location.replace("#/");
    return null;
  }
  location.replace(`#/error/${result.error}`);
  return null;
}

const VIEWS = {
  home: familyView,
  child: childView,
  help: helpView,
  error: messages.errorView,
  notfound: messages.notFoundView,
  forgotten: messages.forgottenView,
  unlock: unlockRoute,
  forget: (ctx) => messages.forgetView(ctx, () => forgetDevice()),
  accessibility: accessibilityView,
  privacy: privacyView,
  storage: storageView,
  setup: (ctx) => setupView(ctx, { onDone: () => location.replace("#/") }),
  lockconfirm: (ctx) =>
    lockConfirmView(ctx, {
      back: ctx.returnTo ?? "#/",
      onLock: () => lockNow(ctx, "manual", ctx.returnTo ?? "#/"),
    }),
};

/**
 * Lock this tab and tell the others. A family or child route stays (its lock screen returns
 * there); from any other page the family route follows, as before the device lock.
 */
async function lockNow(ctx, reason, from = location.hash) {
  const route = parseRoute(from).name;
  const hash = route === "home" || route === "child" ? from || "#/" : "#/";
  const guarded = await ctx.lock(reason);
  channel?.postMessage("locked");
  // Without a device lock the way back is the e-ID round trip: come back to this page after it.
  if (!guarded && /^#\/(barn|term)\//.test(hash)) sessionStorage.setItem(RETURN_KEY, hash);
  if (location.hash !== hash) location.hash = hash;
  else render(ctx);
}

function startServiceWorker(ctx) {
  if (swStarted) return;
  swStarted = true;
  registerServiceWorker({
    onUpdate: (apply) => {
      const banner = document.getElementById("update");
      banner.replaceChildren(updateBanner(ctx, apply));
      banner.hidden = false;
    },
  });
}

async function renderChrome(ctx) {
  const [unlocked, stored] = await Promise.all([ctx.session().then(Boolean), store.hasStoredData().catch(() => true)]);
  let municipality = null;
  try {
    municipality = (await ctx.publicData()).config.municipality;
  } catch {
    municipality = null;
  }
  document.getElementById("top").replaceChildren(
    header(ctx, {
      unlocked,
      municipality,
      offline: !navigator.onLine,
      onLock: async () => {
        // Without a device lock, say first that reading again needs e-ID and the network.
        if (await ctx.guard()) return lockNow(ctx, "manual");
        ctx.returnTo = location.hash || "#/";
        location.hash = "#/las";
      },
      onLanguage: async (lang) => {
        await ctx.setLanguage(lang);
        await render(ctx, { focus: false });
        // The button was rebuilt in the new language: keep the focus where the reader left it.
        document.querySelector("#top [data-action=language]")?.focus();
      },
    }),
  );
  document.getElementById("bottom").replaceChildren(...footer(ctx, { stored }));
  document.body.classList.toggle("is-offline", !navigator.onLine);
  document.getElementById("skip").textContent = ctx.t("skip");
}

async function render(ctx, { focus = true } = {}) {
  const token = ++renderCount;
  stopReading(); // read-aloud belongs to the view it was started in (and stops when the app locks)
  const hash = location.hash;
  const route = parseRoute(hash);
  const leaving = ctx.urls.splice(0);
  if (route.name !== "forgotten") startServiceWorker(ctx);
  main.setAttribute("aria-busy", "true");
  let view;
  try {
    if (route.name === "unlock") main.replaceChildren(messages.unlockingView(ctx).node);
    view = await VIEWS[route.name](ctx, route);
  } catch (error) {
    console.error(error);
    view = messages.errorView(ctx, { code: "failed" });
  }
  if (token !== renderCount || !view) return; // a newer navigation won
  await renderChrome(ctx);
  if (token !== renderCount) return;
  main.replaceChildren(view.node);
  performance.mark(`fp:view-${route.name}`);
  for (const url of leaving) URL.revokeObjectURL(url); // attachments of the view just left
  main.removeAttribute("aria-busy");
  main.dataset.rendered = hash; // which route this view answers: tests wait for the current one
  const app = ctx.t("app");
  document.title = view.title === app ? app : `${view.title} — ${app}`;
  const heading = main.querySelector("h1");
  heading?.setAttribute("tabindex", "-1");
  if (focus && renderCount > 1) heading?.focus();
}

/**
 * A new page load (the app reopened, a reload) is locked unless it comes within the grace after
 * the last activity recorded while unlocked (`lock_grace_minutes`, stored with it).
 */
async function lockOnOpen(ctx) {
  if (parseRoute(location.hash).name === "unlock") return;
  const [session, activity] = await Promise.all([store.get("session"), store.get("activity")]);
  if (!session) return;
  if (!activity || !(Date.now() - activity.at <= activity.graceMs)) await ctx.lock("reopened");
  else await ctx.touch();
}

/** The reader's language and its catalogue; Swedish if that one cannot be had (never cached). */
async function startContext() {
  const lang = await savedLanguage();
  try {
    return new AppContext(lang, await loadCatalogue(lang));
  } catch (error) {
    if (lang === "sv") throw error;
    console.error(error);
    return new AppContext("sv", await loadCatalogue("sv"));
  }
}

async function boot() {
  performance.mark("fp:boot"); // marks (fp:*) let benchmarks/client.py break the time down
  const ctx = await startContext();
  document.getElementById("skip").addEventListener("click", (event) => {
    event.preventDefault();
    main.querySelector("h1")?.focus();
  });
  window.addEventListener("hashchange", () => render(ctx));
  // The header says when the app is offline (what shows is what is saved on this device).
  for (const event of ["online", "offline"]) window.addEventListener(event, () => renderChrome(ctx));
  ctx.onUnlocked = async () => {
    await ctx.touch();
    channel?.postMessage("unlocked");
    render(ctx);
    flushOutbox(); // replies queued while locked carry the capability only now
  };
  if (channel) {
    channel.onmessage = ({ data }) => {
      if (data === "locked") ctx.forget();
      render(ctx, { focus: false });
    };
  }
  await lockOnOpen(ctx);
  render(ctx); // first: the unlock must not wait for the public config
  const config = await ctx.publicData().then((p) => p.config, () => null);
  ctx.idleMinutes = Math.max(1, Number(config?.auto_lock_minutes) || 30);
  ctx.graceMs = Math.max(0, Number(config?.lock_grace_minutes ?? 3)) * 60_000;
  watchIdle({
    minutes: ctx.idleMinutes,
    onActive: () => ctx.touch(),
    onIdle: async () => {
      if (!(await ctx.session())) return;
      await lockNow(ctx, "idle");
    },
  });
}

boot();
