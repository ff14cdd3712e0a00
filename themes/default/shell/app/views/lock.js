// The device lock's screens: the lock screen ("Lås upp" with the passkey or the PIN, offline),
// setting a lock up after an e-ID sign-in, and "Lås" when no lock is set up (e-ID again).
import { LockError, MAX_PIN_FAILURES, PIN_MIN_DIGITS, passkeyPossible, setUpPasskey, setUpPin, unlockLocally, validPin } from "../devicelock.js";
import { h } from "../dom.js";
import { hasLockedDrafts } from "../store.js";
import { signInList } from "./start.js";

const ERRORS = {
  cancelled: "lockErrCancelled",
  noprf: "lockErrNoPrf",
  mismatch: "lockErrMismatch",
  pin_format: "lockErrPinFormat",
  pin_mismatch: "lockErrPinMismatch",
  wrong_pin: "lockErrWrongPin",
  wiped: "lockErrWiped",
  expired: "flashExpired",
  expired_kept: "flashExpiredDraftsKept",
  gone: "lockErrGone",
};

function errorText(ctx, error, { unlocking = false } = {}) {
  if (!(error instanceof LockError)) console.error(error);
  let code = error instanceof LockError ? error.code : "gone";
  if (unlocking && code === "noprf") code = "mismatch"; // a PIN can only be chosen after e-ID
  return ctx.t(ERRORS[code] ?? "lockErrGone", { left: error.left ?? 0, n: PIN_MIN_DIGITS });
}

// The PIN fields say autocomplete="off": a password manager keeping the PIN beside the wrapped
// keys would undo the lock.
function pinField(ctx, { id, label, autocomplete, hint = true }) {
  return [
    h("label", { for: id }, label),
    h("input", {
      id,
      name: id,
      type: "password",
      inputmode: "numeric",
      autocomplete,
      pattern: `[0-9]{${PIN_MIN_DIGITS},32}`,
      minlength: String(PIN_MIN_DIGITS),
      maxlength: "32",
      required: "",
      "aria-describedby": hint ? `${id}-hint` : null,
    }),
    hint ? h("p", { class: "hint", id: `${id}-hint` }, ctx.t("pinHint", { n: PIN_MIN_DIGITS })) : null,
  ];
}

// One in-flight attempt per screen: a double click must not count two PIN attempts.
function busyButton(button, work) {
  return async (event) => {
    event?.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    try {
      await work();
    } finally {
      button.disabled = false;
    }
  };
}

/** The lock screen: why it is locked, "Lås upp", and e-ID as the way out. */
export async function lockedView(ctx, { lock, reason, onUnlocked }) {
  const { t } = ctx;
  const alert = h("p", { class: "alert", role: "alert", hidden: "" });
  const fail = (error) => {
    alert.textContent = errorText(ctx, error, { unlocking: true });
    alert.hidden = false;
    if (error instanceof LockError && ["wiped", "expired", "expired_kept", "gone"].includes(error.code)) {
      ctx.flash = ERRORS[error.code]; // nothing left to unlock: the start page (e-ID) says why
      onUnlocked();
    }
  };
  const button = h("button", { type: "submit", "data-action": "local-unlock" }, t("unlockButton"));
  let form;
  if (lock.kind === "pin") {
    form = h("form", { class: "pin", novalidate: "" },
      pinField(ctx, { id: "pin", label: t("pinLabel"), autocomplete: "off", hint: false }), button);
    form.addEventListener("submit", busyButton(button, async () => {
      const pin = form.querySelector("input").value;
      try {
        await unlockLocally({ pin });
        onUnlocked();
      } catch (error) {
        const input = form.querySelector("input");
        input.value = "";
        fail(error);
        input.focus();
      }
    }));
  } else {
    form = h("form", { class: "pin" }, button);
    form.addEventListener("submit", busyButton(button, async () => {
      try {
        await unlockLocally();
        onUnlocked();
      } catch (error) {
        fail(error);
      }
    }));
  }
  const [providers, drafts] = await Promise.all([
    ctx.providers().catch(() => null),
    hasLockedDrafts(),
  ]);
  // Expired with drafts under the lock: one more unlock carries them out, then e-ID.
  const why = lock.expired ? "expired" : (reason?.reason ?? "reopened");
  const node = h(
    "section",
    { class: "locked" },
    h("h1", null, t("lockedTitle")),
    h("p", { class: "notice", role: "status", "data-reason": why },
      t(`lockReason_${why}`, { minutes: reason?.minutes ?? "" })),
    h("p", null, t(lock.kind === "pin" ? "lockedPinText" : "lockedPasskeyText")),
    form,
    alert,
    h("h2", null, t("lockedEidTitle")),
    h("p", null, t("lockedEidText")),
    // Before anything is lost: a new e-ID sign-in replaces the lock, and its key with it.
    drafts ? h("p", { class: "alert", "data-drafts": "locked" }, t("lockedEidDrafts")) : null,
    providers === null ? h("p", { class: "notice" }, t("providersOffline")) : signInList(ctx, providers),
  );
  return { title: t("lockedTitle"), node };
}

/** Set up a passkey or a PIN while the sign-in's extractable device key is in memory. */
export async function setupView(ctx, { onDone }) {
  const { t } = ctx;
  const privateKey = ctx.setupKey;
  if (!privateKey) {
    return { title: t("setupTitle"), node: h("section", { class: "setup" },
      h("h1", null, t("setupTitle")), h("p", null, t("setupLater")),
      h("p", null, h("a", { class: "button", href: "#/" }, t("toStart")))) };
  }
  const alert = h("p", { class: "alert", role: "alert", hidden: "" });
  const fail = (error) => {
    alert.textContent = errorText(ctx, error);
    alert.hidden = false;
  };
  const done = () => {
    ctx.setupKey = null;
    onDone();
  };
  const withPasskey = await passkeyPossible();
  const passkeyButton = h("button", { type: "button", "data-action": "setup-passkey" }, t("setupPasskey"));
  passkeyButton.addEventListener("click", busyButton(passkeyButton, async () => {
    try {
      await setUpPasskey({ privateKey, name: t("app") });
      done();
    } catch (error) {
      fail(error);
    }
  }));
  const pinButton = h("button", { type: "submit", class: withPasskey ? "secondary" : null, "data-action": "setup-pin" }, t("setupPin"));
  const pinForm = h("form", { class: "pin", novalidate: "" },
    pinField(ctx, { id: "new-pin", label: t("pinNew"), autocomplete: "off" }),
    pinField(ctx, { id: "new-pin-again", label: t("pinAgain"), autocomplete: "off", hint: false }),
    pinButton);
  pinForm.addEventListener("submit", busyButton(pinButton, async () => {
    const [first, again] = [...pinForm.querySelectorAll("input")].map((input) => input.value);
    if (!validPin(first)) return fail(new LockError("pin_format"));
    if (first !== again) return fail(new LockError("pin_mismatch"));
    try {
      await setUpPin({ privateKey, pin: first });
      done();
    } catch (error) {
      fail(error);
    }
  }));
  const node = h(
    "section",
    { class: "setup" },
    h("h1", null, t("setupTitle")),
    h("p", null, t("setupIntro")),
    withPasskey ? [h("h2", null, t("setupPasskeyTitle")), h("p", null, t("setupPasskeyText")), h("p", null, passkeyButton)] : null,
    h("h2", null, t("setupPinTitle")),
    h("p", null, t("setupPinText", { n: MAX_PIN_FAILURES })),
    pinForm,
    alert,
    h("p", null, h("a", { href: "#/", "data-action": "setup-skip", onclick: () => { ctx.offerDismissed = true; } }, t("setupSkip"))),
  );
  return { title: t("setupTitle"), node };
}

/** "Lås" without a device lock: say that reading again needs e-ID and the network. */
export function lockConfirmView(ctx, { onLock, back }) {
  const { t } = ctx;
  const node = h(
    "section",
    { class: "message" },
    h("h1", null, t("lockConfirmTitle")),
    h("p", null, t("lockConfirmText")),
    h("p", null, h("button", { type: "button", "data-action": "lock-anyway", onclick: onLock }, t("lockAnyway"))),
    ctx.setupKey ? h("p", null, h("a", { href: "#/skydd" }, t("offerSetup"))) : null,
    h("p", null, h("a", { href: back }, t("cancel"))),
  );
  return { title: t("lockConfirmTitle"), node };
}

/** On the family view right after an e-ID sign-in: the offer to set a lock up. */
export function setupOffer(ctx) {
  if (!ctx.setupKey || ctx.offerDismissed) return null;
  const { t } = ctx;
  return h("aside", { class: "offer", "aria-labelledby": "offer-title" },
    h("h2", { id: "offer-title" }, t("offerTitle")),
    h("p", null, t("offerText")),
    h("p", null, h("a", { class: "button", href: "#/skydd", "data-action": "offer-setup" }, t("offerSetup"))));
}
