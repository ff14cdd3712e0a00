"""Python reproduces the committed sealed-reply vector byte for byte and rejects alterations."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from site_builder.fp1 import b64u_decode, b64u_encode
from site_builder.fp1.reply import ReplyContext, ReplyError, check_shape, open_reply, seal_reply

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "vectors" / "fp1.json").read_text(encoding="utf-8")
)
REPLY = VECTORS["reply"]
CONTEXT = ReplyContext(**REPLY["context"])


def _private(jwk: dict[str, str]) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(int.from_bytes(b64u_decode(jwk["d"]), "big"), ec.SECP256R1())


SCHOOL = _private(REPLY["school_private_jwk"])


def _exactly(message: str) -> str:
    """A `match` pattern for the whole message (a changed word or an added prefix fails)."""
    return f"^{re.escape(message)}$"


def test_reply_seals_byte_identical_and_opens() -> None:
    sealed = seal_reply(
        json.loads(REPLY["plaintext_json"]),
        school=SCHOOL.public_key(),
        context=CONTEXT,
        ephemeral=_private(REPLY["ephemeral_private_jwk"]),
        nonce=b64u_decode(REPLY["nonce"]),
    )
    assert b64u_encode(sealed) == REPLY["reply"]
    assert open_reply(sealed, school=SCHOOL, context=CONTEXT) == json.loads(REPLY["plaintext_json"])


def test_every_flipped_byte_is_rejected() -> None:
    sealed = b64u_decode(REPLY["reply"])
    for i in range(len(sealed)):
        altered = bytearray(sealed)
        altered[i] ^= 0x01
        with pytest.raises(ReplyError):
            open_reply(bytes(altered), school=SCHOOL, context=CONTEXT)


@pytest.mark.parametrize("field", ["unit", "rid", "child", "talk"])
def test_another_context_is_rejected(field: str) -> None:
    other = ReplyContext(**{**REPLY["context"], field: "other"})
    with pytest.raises(ReplyError):
        open_reply(b64u_decode(REPLY["reply"]), school=SCHOOL, context=other)


def test_another_school_key_and_garbage_are_rejected() -> None:
    """Each refusal says which check failed: not a reply at all (length, magic, version), an
    ephemeral key off the curve, or a reply that does not open (key, context, tag)."""
    sealed = b64u_decode(REPLY["reply"])
    does_not_open = _exactly("the reply does not open with this key and context")
    with pytest.raises(ReplyError, match=does_not_open):
        open_reply(sealed, school=ec.generate_private_key(ec.SECP256R1()), context=CONTEXT)
    not_a_reply = (b"", b"FP1R", sealed[:100], b"x" * 400, b"FP1R\x02" + sealed[5:])
    for garbage in not_a_reply:
        with pytest.raises(ReplyError, match=_exactly("not an fp1 reply")):
            check_shape(garbage)
    with pytest.raises(ReplyError, match=_exactly("the ephemeral key is not a P-256 point")):
        check_shape(b"FP1R\x01" + b"\x04" * 400)


@pytest.mark.parametrize("part", ["", "9234|5678"])
@pytest.mark.parametrize("field", ["unit", "rid", "child", "talk"])
def test_a_context_part_that_is_empty_or_holds_the_separator_is_refused(
    field: str, part: str
) -> None:
    """The separator "|" joins the parts of the HKDF info and AAD: unit "a|b" with rid "c"
    would give the context of unit "a" with rid "b|c", so a reply could be opened as another
    sender's."""
    context = ReplyContext(**{**REPLY["context"], field: part})
    message = _exactly("reply context parts must be non-empty and without '|'")
    with pytest.raises(ValueError, match=message):
        context.text()
    with pytest.raises(ValueError, match=message):
        seal_reply({"v": 1}, school=SCHOOL.public_key(), context=context)


def test_a_school_key_is_made_once_private_and_refused_when_others_can_read_it(
    tmp_path: Path,
) -> None:
    import stat

    from site_builder.fp1.schoolkeys import (
        SchoolKeyError,
        create_school_key,
        key_paths,
        load_private_key,
    )

    keys_dir = tmp_path / "school-keys"
    assert create_school_key(keys_dir, "12345678") is True
    private, _ = key_paths(keys_dir, "12345678")
    first = private.read_bytes()
    assert create_school_key(keys_dir, "12345678") is False  # never replaced: replies need it
    assert private.read_bytes() == first
    assert stat.S_IMODE(keys_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    load_private_key(keys_dir, "12345678")
    for mode in (0o640, 0o604, 0o610, 0o601):
        private.chmod(mode)
        with pytest.raises(SchoolKeyError, match="readable by others; fix: chmod 600"):
            load_private_key(keys_dir, "12345678")
