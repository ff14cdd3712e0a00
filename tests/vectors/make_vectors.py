"""Regenerate tests/vectors/fp1.json : python tests/vectors/make_vectors.py

The vectors are committed; tests/test_fp1_vectors.py checks that Python reproduces every byte, and
the browser tests check that WebCrypto opens them with the same results.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from site_builder.fp1 import (
    MasterKey,
    b64u_decode,
    b64u_encode,
    keyring_blob_id,
    padme,
    pseudonym_key,
    reader_id,
    reader_key,
    seal,
    seal_json,
    subject_for_eppn,
    subject_for_pnr,
)
from site_builder.fp1.blob import canonical_json
from site_builder.fp1.reply import ReplyContext, seal_reply
from site_builder.fp1.sign import Signer, key_id, public_bytes, sign_payload
from site_builder.fp1.wrap import public_key_to_jwk, wrap_reader_key

HERE = Path(__file__).parent
LOCK_PIN = "482913"
LOCK_ITERATIONS = 1000  # the app stores its count with the lock (600,000); small here for speed


def device_lock_vectors(device: ec.EllipticCurvePrivateKey) -> dict[str, Any]:
    """The device lock (docs/fp1.md "Device lock"): the device key wrapped under a PIN and under
    a fixed PRF output. Browser-only at run time; here so both sides agree on the bytes."""
    pkcs8 = device.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    pin_salt, prf_output = bytes([4] * 16), bytes([5] * 32)
    pin_key = PBKDF2HMAC(
        algorithm=hashes.SHA256(), length=32, salt=pin_salt, iterations=LOCK_ITERATIONS
    ).derive(LOCK_PIN.encode())
    prf_key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"fp-lock|passkey|v1"
    ).derive(prf_output)
    iv = bytes([6] * 12)
    return {
        "pin": {
            "pin": LOCK_PIN,
            "guard": {
                "v": 1,
                "kind": "pin",
                "salt": b64u_encode(pin_salt),
                "iterations": LOCK_ITERATIONS,
                "iv": b64u_encode(iv),
                "ct": b64u_encode(AESGCM(pin_key).encrypt(iv, pkcs8, b"fp-lock|pin|v1")),
                "failures": 0,
            },
        },
        "passkey": {
            "prf_output": b64u_encode(prf_output),
            "guard": {
                "v": 1,
                "kind": "passkey",
                "credentialId": b64u_encode(bytes([7] * 16)),
                "salt": b64u_encode(bytes([8] * 32)),
                "iv": b64u_encode(iv),
                "ct": b64u_encode(AESGCM(prf_key).encrypt(iv, pkcs8, b"fp-lock|passkey|v1")),
                "failures": 0,
            },
        },
    }


def lock_cover_vectors(device: ec.EllipticCurvePrivateKey, *, rid: str) -> dict[str, Any]:
    """What the device lock covers (docs/fp1.md "What the lock covers"): the lock key L from the
    device key alone, a talk draft and the key service's capabilities sealed under it."""
    z = device.exchange(ec.ECDH(), device.public_key())  # ECDH with its own public key
    lock_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"fp draft v1").derive(z)
    draft_id = f"{rid}|c1|2026-11-20"
    draft = '{"answers":["Läsningen går bra"],"notes":"Fråga om matten 😀"}'
    caps = '{"reply":"cap-reply-example","notify":"cap-notify-example"}'
    draft_iv, caps_iv = bytes([9] * 12), bytes([10] * 12)
    aesgcm = AESGCM(lock_key)
    return {
        "lock_key": b64u_encode(lock_key),
        "draft": {
            "id": draft_id,
            "plaintext_json": draft,
            "record": {
                "iv": b64u_encode(draft_iv),
                "ct": b64u_encode(
                    aesgcm.encrypt(draft_iv, draft.encode(), f"fp draft|{draft_id}".encode())
                ),
                "lock": 1,
            },
        },
        "caps": {
            "rid": rid,
            "plaintext_json": caps,
            "sealed": {
                "iv": b64u_encode(caps_iv),
                "ct": b64u_encode(
                    aesgcm.encrypt(caps_iv, caps.encode(), f"fp caps|{rid}".encode())
                ),
            },
        },
    }


def _private_jwk(key: ec.EllipticCurvePrivateKey) -> dict[str, str]:
    jwk = public_key_to_jwk(key.public_key())
    jwk["d"] = b64u_encode(key.private_numbers().private_value.to_bytes(32, "big"))
    return jwk


def build_vectors() -> dict[str, Any]:
    master = MasterKey(bytes(range(32)))
    subjects = [
        subject_for_pnr("191212121212"),
        subject_for_pnr("199001622391"),  # samordningsnummer (day + 60)
        subject_for_eppn("Elev.Exempel@skola.example"),
    ]
    readers = []
    for subject in subjects:
        rid = reader_id(master, subject)
        readers.append(
            {
                "subject": subject,
                "rid": rid,
                "epoch": "2026",
                "reader_key": b64u_encode(reader_key(master, epoch="2026", rid=rid)),
            }
        )
    blobs = []
    blob_key = bytes([0x42] * 32)
    child = {"v": 1, "kind": "child", "child": {"givenName": "Åsa"}, "text": "Hej på dig! " * 20}
    blob = seal_json(child, key=blob_key, kind="child", blob_id="c1", nonce=bytes(12))
    blobs.append(
        {
            "kind": "child",
            "id": "c1",
            "key": b64u_encode(blob_key),
            "nonce": b64u_encode(bytes(12)),
            "plaintext_json": canonical_json(child).decode(),
            "blob": b64u_encode(blob),
            "sha256": b64u_encode(hashlib.sha256(blob).digest()),
        }
    )
    file_bytes = bytes(range(256)) * 3
    fblob = seal(file_bytes, key=blob_key, kind="file", blob_id="f1", nonce=bytes([1] * 12))
    blobs.append(
        {
            "kind": "file",
            "id": "f1",
            "key": b64u_encode(blob_key),
            "nonce": b64u_encode(bytes([1] * 12)),
            "plaintext": b64u_encode(file_bytes),
            "blob": b64u_encode(fblob),
            "sha256": b64u_encode(hashlib.sha256(fblob).digest()),
        }
    )
    rid0 = readers[0]["rid"]
    kr0 = reader_key(master, epoch="2026", rid=rid0)
    ring = {
        "v": 1,
        "snapshot": {"seq": 3, "epoch": "2026", "term": "HT2026", "published": "2026-11-28"},
        "reader": rid0,
        "blobs": [
            {
                "id": "c1",
                "kind": "child",
                "path": "b/xx/c1.bin",
                "key": b64u_encode(blob_key),
                "sha256": blobs[0]["sha256"],
            },
        ],
        "children": [{"id": "c1", "givenName": "Åsa", "bundle": "c1"}],
    }
    kblob = seal_json(
        ring, key=kr0, kind="keyring", blob_id=keyring_blob_id(rid0, 3), nonce=bytes([2] * 12)
    )
    blobs.append(
        {
            "kind": "keyring",
            "id": keyring_blob_id(rid0, 3),
            "key": readers[0]["reader_key"],
            "nonce": b64u_encode(bytes([2] * 12)),
            "plaintext_json": canonical_json(ring).decode(),
            "blob": b64u_encode(kblob),
            "sha256": b64u_encode(hashlib.sha256(kblob).digest()),
        }
    )
    device = ec.derive_private_key(0x1234567890ABCDEF << 64, ec.SECP256R1())
    ephemeral = ec.derive_private_key(0xFEDCBA0987654321 << 64, ec.SECP256R1())
    wrapped = wrap_reader_key(
        kr0,
        device_jwk=public_key_to_jwk(device.public_key()),
        rid=rid0,
        epoch="2026",
        ephemeral=ephemeral,
        iv=bytes([3] * 12),
    )
    school = ec.derive_private_key(0x5C4001 << 128, ec.SECP256R1())
    reply_eph = ec.derive_private_key(0xE9E9E9 << 96, ec.SECP256R1())
    context = ReplyContext(unit="12345678", rid=rid0, child="c1", talk="2026-11-20")
    answers = {
        "v": 1,
        "role": "guardian",
        "answers": [{"q": "Vad är du stolt över?", "a": 'Läsningen — "stolt"\n<b>ja</b> 😀'}],
    }
    sealed_reply = seal_reply(
        answers,
        school=school.public_key(),
        context=context,
        ephemeral=reply_eph,
        nonce=bytes([4] * 12),
    )
    return {
        "signature": _signature_vector(ring),
        "term_list": _term_list_vector(ring),
        "format": "fp1",
        "note": "Fixed keys and nonces for tests only. Regenerate with make_vectors.py.",
        "master_key": MasterKey(bytes(range(32))).to_b64u(),
        "pseudonym_key": b64u_encode(pseudonym_key(master)),
        "readers": readers,
        "blobs": blobs,
        "wrap": {
            "rid": rid0,
            "epoch": "2026",
            "device_private_jwk": _private_jwk(device),
            "ephemeral_private_jwk": _private_jwk(ephemeral),
            "iv": b64u_encode(bytes([3] * 12)),
            "wrapped": wrapped,
            "reader_key": readers[0]["reader_key"],
        },
        "device_lock": device_lock_vectors(device),
        "lock_cover": lock_cover_vectors(device, rid=rid0),
        "reply": {
            "context": {
                "unit": context.unit,
                "rid": context.rid,
                "child": context.child,
                "talk": context.talk,
            },
            "school_private_jwk": _private_jwk(school),
            "ephemeral_private_jwk": _private_jwk(reply_eph),
            "nonce": b64u_encode(bytes([4] * 12)),
            "plaintext_json": canonical_json(answers).decode(),
            "reply": b64u_encode(sealed_reply),
        },
        "padme": [[n, padme(n)] for n in (0, 1, 255, 256, 257, 1000, 4097, 65536, 1_000_001)],
    }


def _signature_vector(ring: dict[str, Any]) -> dict[str, Any]:
    """A keyring signed by a fixed Ed25519 seed (RFC 8032 signatures are deterministic)."""
    private = Ed25519PrivateKey.from_private_bytes(bytes([7] * 32))
    other = Ed25519PrivateKey.from_private_bytes(bytes([8] * 32))
    public = public_bytes(private)
    payload = {**ring, "role": "guardian", "rev": 0}
    payload["blobs"] = [{**ring["blobs"][0], "plain": "AAAA"}]
    signed = sign_payload(payload, signer=Signer(private=private, today="2026-11-28"))
    forged = sign_payload(payload, signer=Signer(private=other, today="2026-11-28"))
    key = {"kid": key_id(public), "alg": "Ed25519", "public": b64u_encode(public)}
    return {
        "seed": b64u_encode(bytes([7] * 32)),
        "key_list": {"v": 1, "keys": [{**key, "from": "2026-01-01", "until": None}]},
        "expired_key_list": {
            "v": 1,
            "keys": [{**key, "from": "2025-01-01", "until": "2026-06-30"}],
        },
        "payload": payload,
        "statement_json": b64u_decode(signed["sig"]["statement"]).decode(),
        "sig": signed["sig"],
        "forged_sig": forged["sig"],
    }


def _term_list_vector(ring: dict[str, Any]) -> dict[str, Any]:
    """A signed statement whose children carry term lists (docs/fp1.md "Term list"), the list
    each child's id gives, statements whose list a reader must refuse, and one it must accept
    (terms without a retention date). The refused and accepted statements are not signed:
    `term_list` reads a statement `verify_sig` has already checked."""
    private = Ed25519PrivateKey.from_private_bytes(bytes([7] * 32))
    seq = ring["snapshot"]["seq"]
    lists = {
        "c1": [
            {"seq": seq, "term": "HT2026", "until": "2028-06-30"},
            {"seq": 1, "term": "VT2026", "until": "2027-12-31"},
        ],
        "c2": [{"seq": seq, "term": "HT2026", "until": "2028-06-30"}],
    }
    children = [
        {"id": cid, "givenName": name, "bundle": cid, "terms": lists[cid]}
        for cid, name in (("c1", "Åsa"), ("c2", "Örjan"))
    ]
    payload = {**ring, "role": "guardian", "rev": 1, "children": children}
    payload["blobs"] = [{**ring["blobs"][0], "plain": "AAAA"}]
    signed = sign_payload(payload, signer=Signer(private=private, today="2026-11-28"))
    statement = json.loads(b64u_decode(signed["sig"]["statement"]))

    def with_terms(terms: Any) -> str:
        altered = {**statement, "children": [{**children[0], "terms": terms}]}
        return canonical_json(altered).decode()

    first = lists["c1"][0]
    return {
        "statement_json": b64u_decode(signed["sig"]["statement"]).decode(),
        "sig": signed["sig"],
        "expected": lists,
        "before_term_lists": canonical_json(
            {**statement, "children": [{"id": "c1", "givenName": "Åsa", "bundle": "c1"}]}
        ).decode(),
        "refused": {
            "not this snapshot first": with_terms([{**first, "seq": seq + 1}]),
            "not newest first": with_terms([lists["c1"][1], first]),
            "a term twice": with_terms([first, first]),
            "empty": with_terms([]),
            "seq not an integer": with_terms([{**first, "seq": str(seq)}]),
            "no term name": with_terms([{"seq": seq, "until": None}]),
            "seq zero": with_terms([first, {**lists["c1"][1], "seq": 0}]),
            "until not a string": with_terms([{**first, "until": 20280630}]),
            "terms not a list": with_terms(seq),
            "snapshot not an object": canonical_json(
                {**statement, "snapshot": [seq], "children": [children[0]]}
            ).decode(),
        },
        # A broken statement's children (signed by a school's faulty software): read as naming
        # no one, never a crash.
        "not_named": {
            "children not a list": canonical_json({**statement, "children": 5}).decode(),
            "children not objects": canonical_json(
                {**statement, "children": [7, "c1", None, ["c1"]]}
            ).decode(),
        },
        # A term without a retention date: `until` null or left out, both read as null.
        "accepted": {
            "until null or absent": {
                "statement_json": with_terms(
                    [{**first, "until": None}, {"seq": 1, "term": "VT2026"}]
                ),
                "expected": [
                    {"seq": seq, "term": "HT2026", "until": None},
                    {"seq": 1, "term": "VT2026", "until": None},
                ],
            },
            "after entries that are not objects": {
                "statement_json": canonical_json(
                    {**statement, "children": [None, "c1", 7, children[0]]}
                ).decode(),
                "expected": lists["c1"],
            },
        },
    }


if __name__ == "__main__":
    out = HERE / "fp1.json"
    out.write_text(json.dumps(build_vectors(), ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {out}")
