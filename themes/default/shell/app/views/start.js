// The start page (locked): sign in with e-ID, or the student's school login.
import { h } from "../dom.js";
import { deviceKeyPair } from "../store.js";

const KEY_WAIT_MS = 1000;

// The device key pair is made while the reader leaves for the e-ID provider, not after: P-256
// generation and the first IndexedDB write cost ~60 ms (~200 ms on a slow phone) that would
// otherwise sit between a finished e-ID sign-in and the first child on screen.
function prepareDeviceKey(event) {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  const href = event.currentTarget.href;
  const waited = new Promise((resolve) => setTimeout(resolve, KEY_WAIT_MS));
  Promise.race([deviceKeyPair({ fresh: true }), waited])
    .catch(() => null)
    .finally(() => location.assign(href));
}

/** The provider's name in the reader's language if the key service has it, else Swedish
 * (marked so: "Test-e-legitimation (TESTMILJÖ)" must stay left to right in an Arabic page). */
function label(provider, lang) {
  const own = provider.label?.[lang];
  return own ? { text: own, lang: null } : { text: provider.label?.sv ?? provider.id, lang: "sv" };
}

function signInItem(ctx, provider, text) {
  return h(
    "li",
    null,
    h(
      "a",
      {
        class: provider.audience === "student" ? "button secondary" : "button",
        href: `/auth/login?provider=${encodeURIComponent(provider.id)}`,
        onclick: prepareDeviceKey,
      },
      text,
    ),
    h("span", { class: "hint", lang: label(provider, ctx.lang).lang }, label(provider, ctx.lang).text),
  );
}

/** The sign-in buttons for the lock screen: e-ID for guardians, the school login for students. */
export function signInList(ctx, providers) {
  const { t } = ctx;
  return h(
    "ul",
    { class: "signin" },
    providers.filter((p) => p.audience !== "student").map((p) => signInItem(ctx, p, t("signInEid"))),
    providers.filter((p) => p.audience === "student").map((p) => signInItem(ctx, p, t("signInStudent"))),
  );
}

export async function startView(ctx) {
  const { t } = ctx;
  const flash = ctx.flash;
  ctx.flash = null;
  let providers = null;
  try {
    providers = await ctx.providers();
  } catch {
    providers = null;
  }
  const signIn = (provider, text) => signInItem(ctx, provider, text);
  const guardians = (providers ?? []).filter((p) => p.audience !== "student");
  const students = (providers ?? []).filter((p) => p.audience === "student");
  const node = h(
    "section",
    { class: "start" },
    h("h1", null, t("app")),
    flash ? h("p", { class: "notice", role: "status" }, t(flash)) : null,
    h("p", null, t("startIntro")),
    providers === null
      ? h("p", { class: "notice" }, t("providersOffline"))
      : h(
          "ul",
          { class: "signin" },
          guardians.map((p) => signIn(p, t("signInEid"))),
        ),
    // Students have their own sign-in and their own words.
    students.length
      ? h("section", { class: "students", "aria-labelledby": "for-students" },
          h("h2", { id: "for-students" }, t("helpStudents")),
          h("p", null, t("startStudent")),
          h("ul", { class: "signin" }, students.map((p) => signIn(p, t("signInStudent")))),
          h("p", null, h("a", { href: "#/hjalp" }, t("helpStudents"), ": ", t("learnMore").toLowerCase())))
      : null,
    h("p", null, t("startWhy"), " ", h("a", { href: "#/hjalp" }, t("learnMore"))),
  );
  return { title: t("app"), node };
}
