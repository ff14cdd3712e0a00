"""fp1.js in the browser opens the committed test vectors exactly as pytest does."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from site_builder.fp1 import b64u_decode

pytestmark = pytest.mark.browser

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[1] / "vectors" / "fp1.json").read_text(encoding="utf-8")
)


OPEN_ALL = """async (vectors) => {
  const fp1 = await import("/app/fp1.js");
  const out = [];
  for (const vec of vectors.blobs) {
    const bytes = fp1.b64uDecode(vec.blob);
    const entry = {id: vec.id, kind: vec.kind, key: vec.key, sha256: vec.sha256};
    const plain = await fp1.openBlob(bytes, {
      key: await fp1.importBlobKey(fp1.b64uDecode(vec.key)), kind: vec.kind, blobId: vec.id});
    const viaEntry = await fp1.openEntry(bytes, entry);
    out.push({
      plain: fp1.b64uEncode(plain),
      sha256: await fp1.sha256b64u(bytes),
      entryJson: vec.kind === "file" ? null : viaEntry,
      entryBytes: vec.kind === "file" ? fp1.b64uEncode(viaEntry) : null,
    });
  }
  return out;
}"""


def test_every_blob_vector_opens_to_the_same_plaintext(fp1_page: Page) -> None:
    results = fp1_page.evaluate(OPEN_ALL, VECTORS)
    assert len(results) == len(VECTORS["blobs"])
    for vec, got in zip(VECTORS["blobs"], results, strict=True):
        expected = (
            vec["plaintext_json"].encode()
            if "plaintext_json" in vec
            else b64u_decode(vec["plaintext"])
        )
        assert base64.urlsafe_b64decode(got["plain"] + "==") == expected
        assert got["sha256"] == vec["sha256"]
        if "plaintext_json" in vec:
            assert got["entryJson"] == json.loads(vec["plaintext_json"])
        else:
            assert b64u_decode(got["entryBytes"]) == expected


WRAP_THEN_KEYRING = """async (vectors) => {
  const fp1 = await import("/app/fp1.js");
  const wrap = vectors.wrap;
  const device = await crypto.subtle.importKey("jwk", wrap.device_private_jwk,
    {name: "ECDH", namedCurve: "P-256"}, false, ["deriveBits"]);
  const readerKey = await fp1.unwrapReaderKey(wrap.wrapped,
    {device, rid: wrap.rid, epoch: wrap.epoch});
  const vec = vectors.blobs.find((b) => b.kind === "keyring");
  const [rid, seq] = vec.id.split("|");
  const ring = await fp1.openKeyring(fp1.b64uDecode(vec.blob), {readerKey, rid, seq: Number(seq)});
  let wrongSeq = null;
  try {
    await fp1.openKeyring(fp1.b64uDecode(vec.blob), {readerKey, rid, seq: Number(seq) + 1});
  } catch (e) { wrongSeq = e.name; }
  const other = await crypto.subtle.generateKey({name: "ECDH", namedCurve: "P-256"}, false,
    ["deriveBits"]);
  let otherDevice = null;
  try {
    await fp1.unwrapReaderKey(wrap.wrapped, {device: other.privateKey, rid: wrap.rid,
      epoch: wrap.epoch});
  } catch (e) { otherDevice = e.name; }
  return {ring, extractable: readerKey.extractable, usages: readerKey.usages,
          algorithm: readerKey.algorithm, wrongSeq, otherDevice};
}"""


def test_wrap_vector_unwraps_to_a_non_extractable_key_that_opens_the_keyring(
    fp1_page: Page,
) -> None:
    got = fp1_page.evaluate(WRAP_THEN_KEYRING, VECTORS)
    keyring = next(v for v in VECTORS["blobs"] if v["kind"] == "keyring")
    assert keyring["key"] == VECTORS["wrap"]["reader_key"]
    assert got["ring"] == json.loads(keyring["plaintext_json"])
    assert got["extractable"] is False
    assert got["usages"] == ["decrypt"]
    assert got["algorithm"] == {"name": "AES-GCM", "length": 256}
    assert got["wrongSeq"] == "AlteredError"
    assert got["otherDevice"] == "OperationError"


FLIP_EVERY_BYTE = """async (vectors) => {
  const fp1 = await import("/app/fp1.js");
  const out = {};
  for (const vec of vectors.blobs) {
    const blob = fp1.b64uDecode(vec.blob);
    const key = await fp1.importBlobKey(fp1.b64uDecode(vec.key));
    const names = new Set();
    let opened = 0;
    for (let i = 0; i < blob.length; i++) {
      const altered = blob.slice();
      altered[i] ^= 0x01;
      try {
        await fp1.openBlob(altered, {key, kind: vec.kind, blobId: vec.id});
        opened += 1;
      } catch (e) { names.add(e.name); }
      try {
        await fp1.openEntry(altered, {id: vec.id, kind: vec.kind, key: vec.key,
          sha256: vec.sha256});
        opened += 1;
      } catch (e) { names.add(e.name); }
    }
    const context = [];
    for (const [kind, blobId] of [["plan", vec.id], [vec.kind, "other"]]) {
      try { await fp1.openBlob(blob, {key, kind, blobId}); context.push("opened"); }
      catch (e) { context.push(e.name); }
    }
    for (const data of [blob.slice(0, -1), new Uint8Array([...blob, 0]), blob.slice(0, 20)]) {
      try { await fp1.openBlob(data, {key, kind: vec.kind, blobId: vec.id});
        context.push("opened"); }
      catch (e) { context.push(e.name); }
    }
    out[vec.kind] = {opened, names: [...names], context};
  }
  return out;
}"""


def test_every_flipped_byte_and_wrong_context_is_rejected(fp1_page: Page) -> None:
    got = fp1_page.evaluate(FLIP_EVERY_BYTE, VECTORS)
    assert set(got) == {v["kind"] for v in VECTORS["blobs"]}
    for kind, result in got.items():
        assert result["opened"] == 0, kind
        assert result["names"] == ["AlteredError"], kind
        assert result["context"] == ["AlteredError"] * 5, kind


DEVICE_LOCK = """async (vectors) => {
  const fp1 = await import("/app/fp1.js");
  const lock = await import("/app/devicelock.js");
  const vec = vectors.device_lock;
  const wrap = vectors.wrap;
  const pinKey = await lock.keyFromPin(vec.pin.pin, fp1.b64uDecode(vec.pin.guard.salt),
    vec.pin.guard.iterations);
  const prfKey = await lock.keyFromPrf(fp1.b64uDecode(vec.passkey.prf_output));
  const out = {};
  for (const [name, guard, key] of [["pin", vec.pin.guard, pinKey],
                                    ["passkey", vec.passkey.guard, prfKey]]) {
    const device = await lock.openDeviceKey(guard, key);
    const readerKey = await fp1.unwrapReaderKey(wrap.wrapped,
      {device, rid: wrap.rid, epoch: wrap.epoch});
    out[name] = {extractable: device.extractable, readerKey: readerKey.type};
  }
  const wrongPin = await lock.keyFromPin("000000", fp1.b64uDecode(vec.pin.guard.salt),
    vec.pin.guard.iterations);
  try { await lock.openDeviceKey(vec.pin.guard, wrongPin); out.wrongPin = "opened"; }
  catch (e) { out.wrongPin = e.name; }
  try { await lock.openDeviceKey({...vec.passkey.guard, kind: "pin"}, prfKey);
        out.wrongKind = "opened"; }
  catch (e) { out.wrongKind = e.name; }
  return out;
}"""


def test_device_lock_vectors_open_the_device_key(fp1_page: Page) -> None:
    """The PIN and PRF vectors (docs/fp1.md "Device lock") give the device key of the wrap
    vector, non-extractable; a wrong PIN and a wrong kind (AAD) fail the tag."""
    got = fp1_page.evaluate(DEVICE_LOCK, VECTORS)
    for kind in ("pin", "passkey"):
        assert got[kind] == {"extractable": False, "readerKey": "secret"}
    assert got["wrongPin"] == "OperationError"
    assert got["wrongKind"] == "OperationError"


LOCK_COVER = """async (vectors) => {
  const fp1 = await import("/app/fp1.js");
  const cover = await import("/app/lockcover.js");
  const vec = vectors.lock_cover;
  const {d, ...pub} = vectors.wrap.device_private_jwk;
  const device = await crypto.subtle.importKey("jwk", vectors.wrap.device_private_jwk,
    {name: "ECDH", namedCurve: "P-256"}, false, ["deriveBits"]);
  const key = await cover.lockKey(device, {x: pub.x, y: pub.y});
  const draft = await cover.openDraft(key, vec.draft.id, vec.draft.record);
  const caps = await cover.openCaps(key, vec.caps.rid, vec.caps.sealed);
  const resealed = await cover.sealDraft(key, vec.draft.id, JSON.parse(vec.draft.plaintext_json),
    {lock: true, iv: fp1.b64uDecode(vec.draft.record.iv)});
  const capsAgain = await cover.sealCaps(key, vec.caps.rid, JSON.parse(vec.caps.plaintext_json),
    fp1.b64uDecode(vec.caps.sealed.iv));
  let otherId;
  try { await cover.openDraft(key, vec.draft.id + "x", vec.draft.record); otherId = "opened"; }
  catch (e) { otherId = e.name; }
  return {draft, caps, resealed, capsAgain, otherId, extractable: key.extractable};
}"""


def test_lock_cover_vectors_derive_the_same_lock_key(fp1_page: Page) -> None:
    """WebCrypto derives Python's lock key L from the device key alone (docs/fp1.md "What the
    lock covers"): it opens the draft and capability vectors and seals them to the same bytes."""
    got = fp1_page.evaluate(LOCK_COVER, VECTORS)
    vec = VECTORS["lock_cover"]
    assert got["draft"] == json.loads(vec["draft"]["plaintext_json"])
    assert got["caps"] == json.loads(vec["caps"]["plaintext_json"])
    assert got["resealed"] == vec["draft"]["record"]
    assert got["capsAgain"] == vec["caps"]["sealed"]
    assert got["otherId"] == "OperationError"
    assert got["extractable"] is False


SEAL_REPLY = """async (vectors) => {
  const fp1 = await import("/app/fp1.js");
  const r = vectors.reply;
  const ecdh = {name: "ECDH", namedCurve: "P-256"};
  const priv = await crypto.subtle.importKey("jwk", r.ephemeral_private_jwk, ecdh, false,
    ["deriveBits"]);
  const {d, ...pub} = r.ephemeral_private_jwk;
  const publicKey = await crypto.subtle.importKey("jwk", pub, ecdh, true, []);
  const {d: _, ...schoolJwk} = r.school_private_jwk;
  const sealed = await fp1.sealReply(JSON.parse(r.plaintext_json), {schoolJwk,
    context: r.context, ephemeral: {privateKey: priv, publicKey}, nonce: fp1.b64uDecode(r.nonce)});
  const fresh = await fp1.sealReply(JSON.parse(r.plaintext_json), {schoolJwk, context: r.context});
  return {sealed: fp1.b64uEncode(sealed), fresh: fp1.b64uEncode(fresh),
          canonical: fp1.canonicalJson(JSON.parse(r.plaintext_json)),
          padme: vectors.padme.map(([n]) => fp1.padme(n))};
}"""


def test_reply_vector_seals_byte_identical_in_the_browser(fp1_page: Page) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    from site_builder.fp1.reply import ReplyContext, open_reply

    got = fp1_page.evaluate(SEAL_REPLY, VECTORS)
    reply = VECTORS["reply"]
    assert got["canonical"] == reply["plaintext_json"]
    assert got["sealed"] == reply["reply"]
    assert got["padme"] == [padded for _, padded in VECTORS["padme"]]
    # A fresh seal (random ephemeral key and nonce) differs yet opens in Python.
    assert got["fresh"] != reply["reply"]
    school = ec.derive_private_key(
        int.from_bytes(b64u_decode(reply["school_private_jwk"]["d"]), "big"), ec.SECP256R1()
    )
    opened = open_reply(
        b64u_decode(got["fresh"]), school=school, context=ReplyContext(**reply["context"])
    )
    assert opened == json.loads(reply["plaintext_json"])


OPEN_EACH = """async ({blobs, key}) => {
  const fp1 = await import("/app/fp1.js");
  const cryptoKey = await fp1.importBlobKey(fp1.b64uDecode(key));
  const out = {};
  for (const [name, blob] of Object.entries(blobs)) {
    const [kind] = name.split("/");
    try {
      const options = {key: cryptoKey, kind, blobId: "blob-1"};
      const plain = await fp1.openBlob(fp1.b64uDecode(blob), options);
      out[name] = "opened " + fp1.b64uEncode(plain);
    } catch (error) {
      out[name] = `${error.name}: ${error.message}`;
    }
  }
  return out;
}"""


def test_a_blob_without_its_padding_marker_is_refused_in_the_browser(fp1_page: Page) -> None:
    """GCM passes on each of these; only the inner padding is wrong (tests/security/padded.py)."""
    from site_builder.fp1 import b64u_encode
    from tests.security.padded import KEY, KINDS, PAYLOAD, bad_paddings, good

    blobs = {
        f"{kind}/{name}": b64u_encode(data)
        for kind in KINDS
        for name, data in bad_paddings(kind).items()
    }
    blobs.update({f"{kind}/good": b64u_encode(good(kind)) for kind in KINDS})
    got = fp1_page.evaluate(OPEN_EACH, {"blobs": blobs, "key": b64u_encode(KEY)})
    for name, outcome in got.items():
        if name.endswith("/good"):
            assert outcome == "opened " + b64u_encode(PAYLOAD), name
        else:
            assert outcome == "AlteredError: fp1: bad padding", name


CHECK_HASH = """async ({blob, entry}) => {
  const fp1 = await import("/app/fp1.js");
  try {
    await fp1.openEntry(fp1.b64uDecode(blob), entry);
    return "opened";
  } catch (error) {
    return `${error.name}: ${error.message}`;
  }
}"""


def test_a_file_whose_sha256_differs_from_the_keyring_is_refused_where_gcm_passes(
    fp1_page: Page,
) -> None:
    """The same plaintext sealed again under the same key and id (a fresh nonce) passes GCM;
    the keyring's SHA-256 names the file it was built with, and nothing else opens."""
    from site_builder.fp1 import b64u_encode, seal
    from tests.security.padded import KEY

    for kind in ("child", "file"):
        payload = b'{"kind":"child"}' if kind == "child" else b"%PDF-1.4"
        first = seal(payload, key=KEY, kind=kind, blob_id="blob-1")
        again = seal(payload, key=KEY, kind=kind, blob_id="blob-1")
        entry = {
            "id": "blob-1",
            "kind": kind,
            "key": b64u_encode(KEY),
            "sha256": b64u_encode(hashlib.sha256(first).digest()),
        }
        opened = fp1_page.evaluate(CHECK_HASH, {"blob": b64u_encode(first), "entry": entry})
        assert opened == "opened", kind
        refused = fp1_page.evaluate(CHECK_HASH, {"blob": b64u_encode(again), "entry": entry})
        assert refused == "AlteredError: fp1: hash mismatch", kind


VERIFY_SIGNATURE = """async (sig) => {
  const fp1 = await import("/app/fp1.js");
  const flip = (text) => {
    const raw = fp1.b64uDecode(text);
    raw[10] ^= 1;
    return fp1.b64uEncode(raw);
  };
  const outcome = async (s, keys) => {
    try { await fp1.verifySig(s, keys); return "verified"; }
    catch (e) { return `${e.name}: ${e.message}`; }
  };
  const good = await fp1.verifySig(sig.sig, sig.key_list.keys);
  return {
    statement: new TextDecoder().decode(good.statementBytes),
    forged: await outcome(sig.forged_sig, sig.key_list.keys),
    flipped: await outcome({...sig.sig, statement: flip(sig.sig.statement)}, sig.key_list.keys),
    flippedSig: await outcome({...sig.sig, sig: flip(sig.sig.sig)}, sig.key_list.keys),
    expired: await outcome(sig.sig, sig.expired_key_list.keys),
    absent: await outcome(undefined, sig.key_list.keys),
  };
}"""


def test_signature_vector_verifies_with_webcrypto_ed25519(fp1_page: Page) -> None:
    got = fp1_page.evaluate(VERIFY_SIGNATURE, VECTORS["signature"])
    assert got["statement"] == VECTORS["signature"]["statement_json"]
    assert got["forged"].startswith("SignatureError: fp1: signed by an unknown key")
    assert got["flipped"] == "SignatureError: fp1: signature does not verify"
    assert got["flippedSig"] == "SignatureError: fp1: signature does not verify"
    assert got["expired"] == "SignatureError: fp1: key not valid on the signing date"
    assert got["absent"] == "SignatureError: fp1: not signed"


TERM_LIST = """async ([vec, keys]) => {
  const fp1 = await import("/app/fp1.js");
  const lazy = await import("/lazy/archive.js");
  const { statement, statementBytes } = await fp1.verifySig(vec.sig, keys);
  const outcome = (text, child) => {
    try { return lazy.termList(JSON.parse(text), child); }
    catch (e) { return e.message; }
  };
  return {
    bytes: new TextDecoder().decode(statementBytes),
    lists: Object.fromEntries(
      Object.keys(vec.expected).map((c) => [c, lazy.termList(statement, c)])),
    before: outcome(vec.before_term_lists, "c1"),
    other: outcome(vec.statement_json, "c3"),
    refused: Object.fromEntries(Object.entries(vec.refused).map(([k, t]) => [k, outcome(t, "c1")])),
    notNamed: Object.fromEntries(
      Object.entries(vec.not_named).map(([k, t]) => [k, outcome(t, "c1")])),
    accepted: Object.fromEntries(
      Object.entries(vec.accepted).map(([k, a]) => [k, outcome(a.statement_json, "c1")])),
  };
}"""


def test_term_list_vector_reads_the_same_in_the_browser(fp1_page: Page) -> None:
    vec = VECTORS["term_list"]
    got = fp1_page.evaluate(TERM_LIST, [vec, VECTORS["signature"]["key_list"]["keys"]])
    assert got["bytes"] == vec["statement_json"]
    assert got["lists"] == vec["expected"]
    assert got["before"] is None
    assert got["other"] == "fp1: the statement does not name this child"
    assert got["refused"] == {k: "fp1: the term list is malformed" for k in vec["refused"]}
    not_named = "fp1: the statement does not name this child"
    assert got["notNamed"] == {k: not_named for k in vec["not_named"]}
    assert got["accepted"] == {k: a["expected"] for k, a in vec["accepted"].items()}
