"""Sealed replies: a family's answers, sealed in the browser to the school unit's P-256 key.

    file  = "FP1R" || 0x01 || epk(65, SEC1 uncompressed) || nonce(12) || AES-256-GCM ct || tag(16)
    Z     = ECDH(ephemeral, school unit key)                  (32 bytes, x coordinate)
    K     = HKDF-SHA256(IKM=Z, salt=epk, info="fp1 reply|" + ctx, L=32)
    ctx   = unit + "|" + rid + "|" + child + "|" + talk
    aad   = "fp1|reply|" + ctx
    plain = pad(canonical JSON)            (the padding of blob.py; no compression)

Only the holder of the unit's private key opens it; the key service stores it without a key.
The rid in the context is the one the key service vouched for (the reply capability), so a
reply cannot be opened as another reader's, another child's or another talk's.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from site_builder.fp1.blob import BlobError, canonical_json, pad, unpad

REPLY_MAGIC = b"FP1R"
REPLY_VERSION = 0x01
EPK_LENGTH = 65
NONCE_LENGTH = 12
HEADER_LENGTH = 4 + 1 + EPK_LENGTH + NONCE_LENGTH  # 82
MIN_LENGTH = HEADER_LENGTH + 256 + 16  # the padding makes every plaintext at least 256 bytes
CURVE = ec.SECP256R1()


class ReplyError(ValueError):
    """A reply could not be opened: not a reply, wrong key or context, or altered."""


@dataclass(frozen=True, slots=True)
class ReplyContext:
    unit: str  # the school unit code whose key it is sealed to
    rid: str  # the sender, as the key service's capability named them
    child: str  # the child's stable pseudonym (bundle `child.id`)
    talk: str  # the talk's id (bundle `samtal.id`)

    def text(self) -> str:
        for part in (self.unit, self.rid, self.child, self.talk):
            if not part or "|" in part:
                raise ValueError("reply context parts must be non-empty and without '|'")
        return f"{self.unit}|{self.rid}|{self.child}|{self.talk}"


def _key(shared: bytes, epk: bytes, ctx: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=epk, info=("fp1 reply|" + ctx).encode()
    ).derive(shared)


def _point(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


def check_shape(data: bytes) -> None:
    """What the key service can check without a key: magic, version, a point on the curve, a
    length the padding allows. Raises ReplyError."""
    if len(data) < MIN_LENGTH or data[:4] != REPLY_MAGIC or data[4] != REPLY_VERSION:
        raise ReplyError("not an fp1 reply")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(CURVE, data[5 : 5 + EPK_LENGTH])
    except ValueError:
        raise ReplyError("the ephemeral key is not a P-256 point") from None


def seal_reply(
    value: Any,
    *,
    school: ec.EllipticCurvePublicKey,
    context: ReplyContext,
    ephemeral: ec.EllipticCurvePrivateKey | None = None,
    nonce: bytes | None = None,
) -> bytes:
    """Seal `value` (JSON) to the school key. `ephemeral` and `nonce` fixed only in vectors."""
    ctx = context.text()
    eph = ec.generate_private_key(CURVE) if ephemeral is None else ephemeral
    epk = _point(eph.public_key())
    iv = os.urandom(NONCE_LENGTH) if nonce is None else nonce
    key = _key(eph.exchange(ec.ECDH(), school), epk, ctx)
    ct = AESGCM(key).encrypt(iv, pad(canonical_json(value)), ("fp1|reply|" + ctx).encode())
    return REPLY_MAGIC + bytes([REPLY_VERSION]) + epk + iv + ct


def open_reply(data: bytes, *, school: ec.EllipticCurvePrivateKey, context: ReplyContext) -> Any:
    """The reply's JSON, or ReplyError; never partial."""
    check_shape(data)
    ctx = context.text()
    epk = data[5 : 5 + EPK_LENGTH]
    peer = ec.EllipticCurvePublicKey.from_encoded_point(CURVE, epk)
    key = _key(school.exchange(ec.ECDH(), peer), epk, ctx)
    try:
        padded = AESGCM(key).decrypt(
            data[5 + EPK_LENGTH : HEADER_LENGTH],
            data[HEADER_LENGTH:],
            ("fp1|reply|" + ctx).encode(),
        )
        return json.loads(unpad(padded).decode("utf-8"))
    except (InvalidTag, BlobError, UnicodeDecodeError, json.JSONDecodeError):
        raise ReplyError("the reply does not open with this key and context") from None
