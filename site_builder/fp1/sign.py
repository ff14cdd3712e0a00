"""Signed keyrings (docs/fp1.md, "Signatures"): the municipality's Ed25519 key signs a
*statement* per keyring — the keyring without its blob keys — so one check covers every file a
reader opens (each blob's ciphertext and plaintext SHA-256 are in it) and a family archive can
carry the proof without carrying a key.

statement = canonical JSON {"v", "reader", "role", "snapshot", "rev", "signed", "children",
                            "blobs": [entry without "key"]}
signature = Ed25519(private, "fp1|sig|" || statement bytes)
keyring["sig"] = {"kid", "statement": b64u(statement bytes), "sig": b64u(signature)}
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from site_builder.fp1.blob import canonical_json
from site_builder.fp1.encoding import b64u_decode, b64u_encode

SIG_CONTEXT = b"fp1|sig|"
STATEMENT_FIELDS = ("reader", "role", "snapshot", "rev", "children")


class SignatureError(ValueError):
    """A statement or signature that does not verify against the key list; says why."""


def public_bytes(private: Ed25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(public: bytes) -> str:
    """The key id: the first 16 hex digits of SHA-256(raw public key)."""
    return hashlib.sha256(public).hexdigest()[:16]


def fingerprint(public: bytes) -> str:
    """What help shows: the first 128 bits of SHA-256(public key), hex in groups of four."""
    digest = hashlib.sha256(public).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


@dataclass(frozen=True, slots=True)
class Signer:
    """The private signing key, its id, and the date (YYYY-MM-DD, UTC) written as `signed`."""

    private: Ed25519PrivateKey
    today: str

    def __repr__(self) -> str:  # keep the key out of tracebacks and logs
        return f"Signer(kid={self.kid})"

    @property
    def kid(self) -> str:
        return key_id(public_bytes(self.private))


def statement_of(payload: dict[str, Any], *, signed: str) -> dict[str, Any]:
    """The statement of a keyring payload: everything but the blob keys (and any old `sig`)."""
    statement: dict[str, Any] = {"v": 1, "signed": signed}
    for field in STATEMENT_FIELDS:
        statement[field] = payload.get(field, 0 if field == "rev" else None)
    statement["blobs"] = [{k: v for k, v in e.items() if k != "key"} for e in payload["blobs"]]
    return statement


def sign_payload(payload: dict[str, Any], *, signer: Signer) -> dict[str, Any]:
    """The keyring payload with its `sig` member (replacing one an earlier seal wrote: the
    statement never reads `sig`, and the keyring is sealed as canonical JSON, whose key order
    does not depend on where `sig` was)."""
    statement = canonical_json(statement_of(payload, signed=signer.today))
    signature = signer.private.sign(SIG_CONTEXT + statement)
    return {
        **payload,
        "sig": {
            "kid": signer.kid,
            "statement": b64u_encode(statement),
            "sig": b64u_encode(signature),
        },
    }


def _valid_on(entry: dict[str, Any], day: str) -> bool:
    until = entry.get("until")
    return str(entry.get("from", "")) <= day and (until is None or day <= str(until))


def verify_sig(sig: Any, *, key_list: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """(statement, its bytes) when `sig` verifies under a key of `key_list` valid on the
    statement's `signed` date; raises SignatureError naming what is wrong."""
    if not isinstance(sig, dict) or not all(
        isinstance(sig.get(k), str) for k in ("kid", "statement", "sig")
    ):
        raise SignatureError("no signature (kid, statement, sig)")
    entry = next((k for k in key_list.get("keys", []) if k.get("kid") == sig["kid"]), None)
    if entry is None or entry.get("alg") != "Ed25519":
        raise SignatureError(f"signed by key {sig['kid']}, which is not in the key list")
    try:
        statement_bytes = b64u_decode(sig["statement"])
        public = Ed25519PublicKey.from_public_bytes(b64u_decode(entry["public"]))
        public.verify(b64u_decode(sig["sig"]), SIG_CONTEXT + statement_bytes)
        statement = json.loads(statement_bytes.decode("utf-8"))
    except (InvalidSignature, ValueError, KeyError):
        raise SignatureError(f"the signature does not verify under key {sig['kid']}") from None
    if not isinstance(statement, dict) or not _valid_on(entry, str(statement.get("signed"))):
        raise SignatureError(f"key {sig['kid']} was not valid on the date it signed")
    return statement, statement_bytes


def json_objects(value: Any) -> list[dict[str, Any]]:
    """The objects of a JSON list; nothing of anything else (a school's software may have signed
    a broken statement: it reads as naming no one, not as a crash)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def term_list(statement: dict[str, Any], *, child: str) -> list[dict[str, Any]] | None:
    """The signed term list of `child` (docs/fp1.md "Term list"): [{"seq", "term", "until"}],
    newest first, starting with the statement's own snapshot; None when the statement is from
    before term lists. Raises SignatureError when the child is not in it or the list is malformed
    (the browser's `termList` refuses the same)."""
    mine = next((c for c in json_objects(statement.get("children")) if c.get("id") == child), None)
    if mine is None:
        raise SignatureError("the statement does not name this child")
    terms = mine.get("terms")
    if terms is None:
        return None
    snapshot = statement.get("snapshot")
    own = snapshot.get("seq") if isinstance(snapshot, dict) else None
    # Anything but a non-empty list (a number, a string, {}, []) reads as one term without a seq,
    # which the seq check refuses: a number must not end `verify` in a TypeError.
    listed = terms if isinstance(terms, list) and terms else [None]
    seqs: list[Any] = [t.get("seq") if isinstance(t, dict) else None for t in listed]
    if (
        not all(type(s) is int and s > 0 for s in seqs)
        or seqs[0] != own
        or any(a <= b for a, b in itertools.pairwise(seqs))
        or not all(isinstance(t.get("term"), str) for t in terms)
        or not all(t.get("until") is None or isinstance(t.get("until"), str) for t in terms)
    ):
        raise SignatureError("the term list is malformed")
    return [{"seq": t["seq"], "term": t["term"], "until": t.get("until")} for t in terms]
