// "Meddela mig via e-post när något nytt publiceras" (docs/notify.md): the reader's choice is
// kept by the key service under the rid only; the app proves the rid with the `notify` token it
// got at unlock. Web Push is offered where the browser has a push service.
import { h } from "./dom.js";

async function call(token, method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    credentials: "same-origin",
    cache: "no-store",
  });
  if (!response.ok) throw Object.assign(new Error(`notify ${response.status}`), { status: response.status });
  return response.json();
}

function b64uToBytes(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "=");
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

function toggle({ id, label, checked, onChange }) {
  const input = h("input", { type: "checkbox", id, checked, "data-notify": id });
  input.addEventListener("change", () => onChange(input));
  return h("p", { class: "toggle" }, input, " ", h("label", { for: id }, label));
}

async function pushToggle(ctx, token, state, status) {
  const { t } = ctx;
  const supported = "PushManager" in window && "serviceWorker" in navigator && state.vapid;
  if (!supported) return h("p", { class: "meta" }, t("notifyPushUnsupported"));
  return toggle({
    id: "notify-push",
    label: t("notifyPush"),
    checked: state.push,
    onChange: async (input) => {
      const on = input.checked;
      input.disabled = true;
      try {
        const registration = await navigator.serviceWorker.ready;
        if (on) {
          const subscription = await registration.pushManager.subscribe({
            userVisibleOnly: true,
            applicationServerKey: b64uToBytes(state.vapid),
          });
          await call(token, "PUT", "/auth/notify/push", { subscription: subscription.toJSON() });
        } else {
          await (await registration.pushManager.getSubscription())?.unsubscribe();
          await call(token, "PUT", "/auth/notify/push", { on: false });
        }
        status.textContent = t(on ? "notifyPushOn" : "notifyPushOff");
      } catch {
        input.checked = !on;
        status.textContent = t("notifyPushFailed");
      }
      input.disabled = false;
    },
  });
}

/** The "Meddelanden" section of the help view, or null when signed out. */
export async function notifySection(ctx) {
  const { t } = ctx;
  const session = await ctx.session();
  if (!session) return null;
  const heading = h("h2", { id: "notify-title" }, t("notifyTitle"));
  const status = h("p", { role: "status", class: "saved", "data-notify-status": "" });
  const section = (...body) =>
    h("section", { class: "notify", "aria-labelledby": "notify-title" }, heading, ...body, status);
  if (!session.notify) return section(h("p", null, t("notifySignInAgain")));
  let state;
  try {
    state = await call(session.notify, "GET", "/auth/notify");
  } catch (error) {
    if (error.status === 404) return null; // this server offers no notices (e.g. the preview)
    return section(h("p", null, t("notifyUnavailable")));
  }
  const email = toggle({
    id: "notify-email",
    label: t("notifyEmail"),
    checked: state.email,
    onChange: async (input) => {
      const on = input.checked;
      input.disabled = true;
      try {
        const answer = await call(session.notify, "PUT", "/auth/notify/email", { on });
        input.checked = answer.email;
        status.textContent = t(answer.email ? "notifyEmailOn" : "notifyEmailOff");
      } catch {
        input.checked = !on;
        status.textContent = t("notifyFailed");
      }
      input.disabled = false;
    },
  });
  return section(
    h("p", null, t("notifyText")),
    email,
    await pushToggle(ctx, session.notify, state, status),
  );
}
