// Hash routes: #/, #/barn/<id>/<tab>, #/hjalp, #/error/<code>, #/unlock, #/glom, #/glomd, the
// legal pages (#/tillganglighet, #/integritet, #/lagring), #/skydd (set up the device lock),
// #/las ("Lås" without one) and an optional #/term/<seq> prefix for earlier snapshots.
import { LEGAL_ROUTES } from "./views/legal.js";

export const TABS = ["larlogg", "iup", "omdomen", "planeringar", "samtal", "kontakt"];

/** The tabs a child's bundle has (by school form); older bundles name none: all but contact. */
export function childTabs(bundle) {
  return Array.isArray(bundle.tabs) ? bundle.tabs.filter((t) => TABS.includes(t)) : TABS.slice(0, 5);
}

export function parseRoute(hash) {
  const parts = hash
    .replace(/^#\/?/, "")
    .split("/")
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return "";
      }
    });
  let seq = null;
  if (parts[0] === "term" && /^\d{1,9}$/.test(parts[1] ?? "")) {
    seq = Number(parts[1]);
    parts.splice(0, 2);
  }
  const [first, ...rest] = parts;
  if (!first) return { name: "home", seq };
  if (first === "barn" && rest[0]) {
    return { name: "child", seq, childId: rest[0], tab: TABS.includes(rest[1]) ? rest[1] : "larlogg" };
  }
  const simple = {
    hjalp: "help",
    unlock: "unlock",
    glom: "forget",
    glomd: "forgotten",
    skydd: "setup",
    las: "lockconfirm",
    ...LEGAL_ROUTES,
  };
  if (simple[first]) return { name: simple[first], seq: null };
  if (first === "error") return { name: "error", code: rest[0] || "failed", seq: null };
  return { name: "notfound", seq: null };
}

export function termPrefix(seq) {
  return seq === null || seq === undefined ? "#/" : `#/term/${seq}/`;
}

export function childHref({ seq, childId, tab }) {
  return `${termPrefix(seq)}barn/${encodeURIComponent(childId)}/${tab}`;
}
