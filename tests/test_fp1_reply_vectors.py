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


@pytest.mark.parametrize(
    "broken",
    [b"garbage", b"[]", b'"jwk"', b'{"kty": "EC", "crv": "P-256"}', b"\xff\xfe"],
    ids=["not JSON", "a list", "a string", "no coordinates", "not UTF-8"],
)
def test_a_broken_public_key_file_skips_only_its_own_unit(tmp_path: Path, broken: bytes) -> None:
    """The build reads every unit's public key; one damaged file (sorted first here) takes
    sending away from its own unit only, never from the units after it, and never stops the
    build."""
    from site_builder.fp1.schoolkeys import create_school_key, key_paths, load_public_keys
    from site_builder.fp1.wrap import public_key_to_jwk

    keys_dir = tmp_path / "school-keys"
    for unit in ("11111111", "22222222"):
        create_school_key(keys_dir, unit)
    key_paths(keys_dir, "11111111")[1].write_bytes(broken)
    expected = public_key_to_jwk(_load_private(keys_dir, "22222222").public_key())
    assert load_public_keys(keys_dir) == {"22222222": expected}


def _load_private(keys_dir: Path, unit: str) -> ec.EllipticCurvePrivateKey:
    from site_builder.fp1.schoolkeys import load_private_key

    return load_private_key(keys_dir, unit)


def test_keys_school_writes_a_missing_or_damaged_public_key_again(tmp_path: Path) -> None:
    """`keys school` keeps an existing private key and writes its public JWK again when that
    file is gone, broken or holds another key — else the unit has no sending until someone
    notices; a private key that cannot be used stops it with the fix, not a traceback."""
    from click.testing import CliRunner

    from site_builder.cli import main
    from site_builder.fp1.schoolkeys import key_paths, load_public_keys
    from site_builder.fp1.wrap import public_key_to_jwk

    state = tmp_path / "state"
    keys_dir = state / "school-keys"

    def keys_school() -> str:
        result = CliRunner().invoke(
            main, ["keys", "school", "--state-dir", str(state), "--unit", "12345678"]
        )
        assert result.exit_code == 0, result.output
        return result.output

    assert keys_school().startswith("created ")
    private, public = key_paths(keys_dir, "12345678")
    pem, jwk = private.read_bytes(), public.read_bytes()
    own = public_key_to_jwk(_load_private(keys_dir, "12345678").public_key())
    assert json.loads(jwk) == own
    other = public_key_to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key())
    for damage in (b"garbage", json.dumps(other).encode(), None):
        if damage is None:
            public.unlink()
        else:
            public.write_bytes(damage)
        assert keys_school().startswith("kept existing ")
        assert private.read_bytes() == pem  # the key replies are sealed to stays
        assert public.read_bytes() == jwk
        assert load_public_keys(keys_dir) == {"12345678": own}
    assert sorted(p.name for p in keys_dir.iterdir()) == ["12345678.key", "12345678.pub.json"]
    private.chmod(0o644)
    refused = CliRunner().invoke(
        main, ["keys", "school", "--state-dir", str(state), "--unit", "12345678"]
    )
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert f"error: {private}: readable by others; fix: chmod 600 {private}\n" in refused.output
