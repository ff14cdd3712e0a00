// Boot: language, service worker, idle lock, and the hash router that renders one view at a
// time. Views build their whole DOM (attachments included) before it replaces the old one.
import { AppContext } from "./context.js";
import { savedLanguage } from "./i18n.js";
import { watchIdle } from "./idle.js";
import { parseRoute } from "./router.js";
import { hasStoredData } from "./store.js";
import { forgetDevice, registerServiceWorker } from "./sw-client.js";
import { unlock } from "./unlock.js";
import { childView } from "./views/child.js";
import { footer, header, updateBanner } from "./views/chrome.js";
import { familyView } from "./views/family.js";
import { helpView } from "./views/help.js";
import { accessibilityView, privacyView, storageView } from "./views/legal.js";
import * as messages from "./views/messages.js";

const main = document.getElementById("main");
let renderCount = 0;
let swStarted = false;

async function unlockRoute(ctx) {
  const result = await unlock();
  if (result.ok) {
    location.replace("#/");
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
};

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
  const [unlocked, stored] = await Promise.all([ctx.session().then(Boolean), hasStoredData().catch(() => true)]);
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
        await ctx.lock("flashLocked");
        location.hash = "#/";
        render(ctx);
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

async function boot() {
  performance.mark("fp:boot"); // marks (fp:*) let benchmarks/client.py break the time down
  const ctx = new AppContext(await savedLanguage());
  document.getElementById("skip").addEventListener("click", (event) => {
    event.preventDefault();
    main.querySelector("h1")?.focus();
  });
  window.addEventListener("hashchange", () => render(ctx));
  // The header says when the app is offline (what shows is what is saved on this device).
  for (const event of ["online", "offline"]) window.addEventListener(event, () => renderChrome(ctx));
  render(ctx); // first: the unlock must not wait for the public config
  const config = await ctx.publicData().then((p) => p.config, () => null);
  watchIdle({
    minutes: config?.auto_lock_minutes ?? 30,
    onIdle: async () => {
      if (!(await ctx.session())) return;
      await ctx.lock("flashIdle");
      location.hash = "#/";
      render(ctx);
    },
  });
}

boot();
