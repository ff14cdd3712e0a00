"""The VAPID key pair (RFC 8292) of this site, derived from the master key, so the key service
(which hands the public key to browsers) and `notify` (which signs with the private key) agree
without another secret file. Rotating the master key rotates it: browsers subscribe again."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from site_builder.fp1 import MasterKey
from site_builder.fp1.encoding import b64u_encode

# Order of the P-256 group (SEC 2): the derived scalar must lie in [1, n - 1].
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def vapid_private_key(master: MasterKey) -> ec.EllipticCurvePrivateKey:
    # 48 bytes reduced mod n - 1: the bias is below 2^-128 (FIPS 186-5 A.2.1's method).
    seed = HKDF(algorithm=hashes.SHA256(), length=48, salt=None, info=b"fp1 vapid").derive(
        master.secret
    )
    scalar = int.from_bytes(seed, "big") % (P256_ORDER - 1) + 1
    return ec.derive_private_key(scalar, ec.SECP256R1())


def vapid_public_b64u(master: MasterKey) -> str:
    """The applicationServerKey the browser subscribes with: uncompressed point, b64u."""
    point = (
        vapid_private_key(master)
        .public_key()
        .public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    )
    return b64u_encode(point)
