// The municipality's public signing keys (docs/fp1.md "Signatures"), written here by the build
// (publish/public.py replaces the placeholder); the app trusts no other key.
const PINNED = "__FP_SIGNING_KEYS__";

export function pinnedKeys() {
  return typeof PINNED === "object" && PINNED && Array.isArray(PINNED.keys) ? PINNED.keys : [];
}
