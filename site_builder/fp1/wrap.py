"""Wrapping a reader key to a browser's device key (ECDH P-256 -> HKDF -> AES-256-GCM).

The browser holds a non-extractable ECDH P-256 private key; it derives the same wrapping key and
calls `crypto.subtle.unwrapKey` so the reader key lands straight in a non-extractable CryptoKey.

    Z   = ECDH(ephemeral server key, device public key)            (32 bytes, x coordinate)
    KEK = HKDF-SHA256(IKM=Z, salt=empty, info="fp1 wrap|" + rid + "|" + epoch, L=32)
    ct  = AES-256-GCM(KEK, iv, Kr, aad="fp1|wrap|" + rid + "|" + epoch)
"""

from __future__ import annotations

import os
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from site_builder.fp1.encoding import b64u_decode, b64u_encode

CURVE = ec.SECP256R1()


def public_key_from_jwk(jwk: dict[str, Any]) -> ec.EllipticCurvePublicKey:
    """Parse a P-256 public JWK; raises ValueError on anything else."""
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256" or "d" in jwk:
        raise ValueError("device key must be a public EC P-256 JWK")
    x, y = b64u_decode(str(jwk.get("x", ""))), b64u_decode(str(jwk.get("y", "")))
    if len(x) != 32 or len(y) != 32:
        raise ValueError("device key coordinates must be 32 bytes")
    numbers = ec.EllipticCurvePublicNumbers(
        int.from_bytes(x, "big"), int.from_bytes(y, "big"), CURVE
    )
    return numbers.public_key()  # validates the point is on the curve


def public_key_to_jwk(key: ec.EllipticCurvePublicKey) -> dict[str, str]:
    numbers = key.public_numbers()
    return {
        "kty": "EC",
        "crv": "P-256",
        "x": b64u_encode(numbers.x.to_bytes(32, "big")),
        "y": b64u_encode(numbers.y.to_bytes(32, "big")),
    }


def _context(rid: str, epoch: str) -> str:
    return f"{rid}|{epoch}"


def wrap_reader_key(
    reader_key: bytes,
    *,
    device_jwk: dict[str, Any],
    rid: str,
    epoch: str,
    ephemeral: ec.EllipticCurvePrivateKey | None = None,
    iv: bytes | None = None,
) -> dict[str, Any]:
    """Encrypt Kr to the device key. `ephemeral` and `iv` are fixed only in test vectors."""
    device = public_key_from_jwk(device_jwk)
    eph = ec.generate_private_key(CURVE) if ephemeral is None else ephemeral
    shared = eph.exchange(ec.ECDH(), device)
    ctx = _context(rid, epoch)
    kek = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=("fp1 wrap|" + ctx).encode()
    ).derive(shared)
    nonce = os.urandom(12) if iv is None else iv
    ct = AESGCM(kek).encrypt(nonce, reader_key, ("fp1|wrap|" + ctx).encode())
    return {
        "epk": public_key_to_jwk(eph.public_key()),
        "iv": b64u_encode(nonce),
        "ct": b64u_encode(ct),
    }


def unwrap_reader_key(
    wrapped: dict[str, Any], *, device: ec.EllipticCurvePrivateKey, rid: str, epoch: str
) -> bytes:
    """The Python side of what the browser does; used by tests and support tools."""
    epk = public_key_from_jwk(wrapped["epk"])
    shared = device.exchange(ec.ECDH(), epk)
    ctx = _context(rid, epoch)
    kek = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=("fp1 wrap|" + ctx).encode()
    ).derive(shared)
    return AESGCM(kek).decrypt(
        b64u_decode(wrapped["iv"]), b64u_decode(wrapped["ct"]), ("fp1|wrap|" + ctx).encode()
    )
