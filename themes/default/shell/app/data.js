// Loading: public JSON, the reader's keyring for a snapshot, and every bundle it names. The
// decrypted family lives only in the returned object (memory); nothing is written anywhere.
import {
  AlteredError,
  SignatureError,
  openEntryPlain,
  openKeyring,
  parseJson,
  verifySig,
} from "./fp1.js";
import { pinnedKeys } from "./pinned.js";
import { highestSeq, noteRev, noteSeq } from "./store.js";

export class NoKeyringError extends Error {}
export class OfflineError extends Error {}
export class LockedError extends Error {}

async function fetchOk(path) {
  let response;
  try {
    response = await fetch(path, { credentials: "same-origin" });
  } catch {
    throw new OfflineError(path);
  }
  if (response.status === 404) return null;
  if (!response.ok) throw new OfflineError(`${path}: HTTP ${response.status}`);
  return response;
}

export async function fetchJson(path) {
  const response = await fetchOk(path);
  if (!response) throw new OfflineError(`${path}: missing`);
  return response.json();
}

async function fetchBytes(path) {
  const response = await fetchOk(path);
  return response ? new Uint8Array(await response.arrayBuffer()) : null;
}

/** The keyring as its signed statement says (docs/fp1.md "Signatures"): children and blob
 * entries come from the statement, only the keys from the keyring; a keyring whose signature
 * does not verify under a pinned key, or whose statement is another reader's, snapshot's or
 * revision's, throws SignatureError. */
async function signedKeyring(ring, { rid, seq }) {
  const { statement, statementBytes } = await verifySig(ring?.sig, pinnedKeys());
  const rev = Number.isInteger(ring.rev) ? ring.rev : 0;
  if (
    statement.v !== 1 ||
    statement.reader !== rid ||
    statement.snapshot?.seq !== seq ||
    statement.rev !== rev ||
    !Array.isArray(statement.blobs)
  ) {
    throw new SignatureError("the signed statement is not this keyring's");
  }
  const keys = new Map((ring.blobs ?? []).map((entry) => [entry.id, entry.key]));
  const blobs = statement.blobs.map((entry) => {
    if (typeof keys.get(entry.id) !== "string") throw new SignatureError(`no key for ${entry.id}`);
    return { ...entry, key: keys.get(entry.id) };
  });
  return {
    ...ring,
    role: statement.role,
    snapshot: statement.snapshot,
    children: statement.children,
    blobs,
    signed: { kid: ring.sig.kid, sig: ring.sig.sig, statement: statementBytes },
  };
}

function checkKeyring(ring, { rid, seq }) {
  const ok =
    ring &&
    ring.v === 1 &&
    ring.reader === rid &&
    ring.snapshot?.seq === seq &&
    Array.isArray(ring.blobs) &&
    Array.isArray(ring.children);
  if (!ok) throw new AlteredError("keyring does not match its reader or snapshot");
}

/** The family of `session.rid` in snapshot `seq` (all bundles opened), or an error. */
export async function loadFamily({ session, latest, seq }) {
  const snapshot = latest.snapshots.find((s) => s.seq === seq);
  if (!snapshot) throw new NoKeyringError(`no snapshot ${seq}`);
  const readerKey = session.keys[snapshot.epoch];
  if (!readerKey) throw new LockedError(`no key for epoch ${snapshot.epoch}`);
  performance.mark("fp:keyring-request");
  // The rollback checks read and write IndexedDB while the network works: each is awaited
  // before anything is returned, so nothing of a refused snapshot is ever shown.
  const [bytes, highest] = await Promise.all([
    fetchBytes(`/s/${seq}/k/${session.rid}.bin`),
    seq === latest.seq ? highestSeq() : 0,
  ]);
  // A "latest" older than one already seen is a rollback: refuse it.
  if (seq < highest) throw new AlteredError("older than a snapshot already seen");
  if (!bytes) throw new NoKeyringError(`no keyring in ${seq}`);
  const opened = await openKeyring(bytes, { readerKey, rid: session.rid, seq });
  const ring = await signedKeyring(opened, { rid: session.rid, seq });
  performance.mark("fp:keyring-open");
  checkKeyring(ring, { rid: session.rid, seq });
  // A correction patched into a snapshot raises its keyrings' rev: an older one is a rollback.
  const rev = Number.isInteger(ring.rev) ? ring.rev : 0;
  const notSeenNewer = (async () => {
    if (!(await noteRev(session.rid, seq, rev))) {
      throw new AlteredError("older than a keyring already seen");
    }
    if (seq === latest.seq) await noteSeq(seq);
  })();
  const entries = new Map(ring.blobs.map((entry) => [entry.id, entry]));
  const plain = new Map(); // bundle id → its plaintext JSON bytes, for the family archive
  const open = async (id, kind) => {
    const entry = entries.get(id);
    if (!entry || entry.kind !== kind) throw new AlteredError(`keyring lacks ${kind} ${id}`);
    const blob = await fetchBytes(`/${entry.path}`);
    if (!blob) throw new AlteredError(`blob ${entry.path} is missing`);
    const bytes = await openEntryPlain(blob, entry);
    if (kind === "file") return bytes;
    plain.set(id, bytes);
    return parseJson(bytes);
  };
  const [, children] = await Promise.all([
    notSeenNewer,
    Promise.all(ring.children.map(async (c) => {
      const [bundle, plans] = await Promise.all([
        open(c.bundle, "child"),
        Promise.all((c.plans ?? []).map((id) => open(id, "plan"))),
      ]);
      if (bundle.kind !== "child" || bundle.child?.id !== c.id) {
        throw new AlteredError("child bundle does not match the keyring");
      }
      return { id: c.id, givenName: c.givenName, bundle, plans, bundleId: c.bundle, planIds: c.plans ?? [] };
    })),
  ]);
  performance.mark("fp:bundles-open");
  return {
    seq,
    snapshot: ring.snapshot,
    role: ring.role,
    children,
    signed: ring.signed,
    entries,
    plain,
    blobPaths: ring.blobs.map((entry) => `/${entry.path}`),
    openFile: async (id) => ({ bytes: await open(id, "file"), entry: entries.get(id) }),
  };
}
