"""Byte-string encodings used by fp1: base64url without padding, lower-case base32."""

import base64
import binascii


def b64u_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_decode(text: str) -> bytes:
    """Decode base64url without padding; raises ValueError on anything else."""
    if "=" in text or any(c in text for c in "+/ \n"):
        raise ValueError("expected base64url without padding")
    try:
        # validate: a character outside the alphabet is refused (as fp1.js's b64uDecode does),
        # not skipped: base64's default drops it and decodes what is left
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except binascii.Error as exc:
        raise ValueError(f"invalid base64url: {exc}") from None


def b32lower(data: bytes) -> str:
    """RFC 4648 base32, lower-cased, without padding."""
    return base64.b32encode(data).rstrip(b"=").decode("ascii").lower()
