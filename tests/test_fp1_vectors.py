"""Python reproduces every byte of the committed fp1 test vectors, and rejects alterations."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from site_builder.fp1 import (
    BlobError,
    MasterKey,
    b32lower,
    b64u_decode,
    b64u_encode,
    open_blob,
    padme,
    pseudonym_key,
    reader_id,
    reader_key,
    seal,
)
from site_builder.fp1.blob import canonical_json
from site_builder.fp1.sign import SignatureError, term_list
from site_builder.fp1.wrap import (
    public_key_from_jwk,
    public_key_to_jwk,
    unwrap_reader_key,
    wrap_reader_key,
)

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "vectors" / "fp1.json").read_text(encoding="utf-8")
)
MASTER = MasterKey.from_b64u(VECTORS["master_key"])


def test_pseudonym_key_matches() -> None:
    assert b64u_encode(pseudonym_key(MASTER)) == VECTORS["pseudonym_key"]


@pytest.mark.parametrize("reader", VECTORS["readers"], ids=lambda r: r["subject"][:4])
def test_reader_id_and_key_match(reader: dict[str, str]) -> None:
    rid = reader_id(MASTER, reader["subject"])
    assert rid == reader["rid"]
    assert len(rid) == 26 and rid.islower()
    key = reader_key(MASTER, epoch=reader["epoch"], rid=rid)
    assert b64u_encode(key) == reader["reader_key"]


@pytest.mark.parametrize("vec", VECTORS["blobs"], ids=lambda v: v["kind"])
def test_blob_seals_byte_identical_and_opens(vec: dict[str, str]) -> None:
    key = b64u_decode(vec["key"])
    plain = (
        vec["plaintext_json"].encode() if "plaintext_json" in vec else b64u_decode(vec["plaintext"])
    )
    if "plaintext_json" in vec:
        assert canonical_json(json.loads(plain)) == plain
    blob = seal(
        plain, key=key, kind=vec["kind"], blob_id=vec["id"], nonce=b64u_decode(vec["nonce"])
    )
    assert b64u_encode(blob) == vec["blob"]
    assert b64u_encode(hashlib.sha256(blob).digest()) == vec["sha256"]
    assert open_blob(blob, key=key, kind=vec["kind"], blob_id=vec["id"]) == plain


@pytest.mark.parametrize("vec", VECTORS["blobs"], ids=lambda v: v["kind"])
def test_every_flipped_byte_is_rejected(vec: dict[str, str]) -> None:
    blob = b64u_decode(vec["blob"])
    key = b64u_decode(vec["key"])
    for i in range(len(blob)):
        altered = bytearray(blob)
        altered[i] ^= 0x01
        with pytest.raises(BlobError):
            open_blob(bytes(altered), key=key, kind=vec["kind"], blob_id=vec["id"])


def test_wrong_context_truncation_and_extension_are_rejected() -> None:
    vec = VECTORS["blobs"][0]
    blob, key = b64u_decode(vec["blob"]), b64u_decode(vec["key"])
    for kwargs in ({"kind": "plan", "blob_id": vec["id"]}, {"kind": "child", "blob_id": "other"}):
        with pytest.raises(BlobError):
            open_blob(blob, key=key, **kwargs)
    for data in (blob[:-1], blob + b"\x00", blob[:20], b""):
        with pytest.raises(BlobError):
            open_blob(data, key=key, kind="child", blob_id=vec["id"])
    with pytest.raises(BlobError):
        open_blob(blob, key=bytes(32), kind="child", blob_id=vec["id"])


def test_wrap_vector_unwraps_to_the_reader_key() -> None:
    wrap = VECTORS["wrap"]
    d = int.from_bytes(b64u_decode(wrap["device_private_jwk"]["d"]), "big")
    device = ec.derive_private_key(d, ec.SECP256R1())
    key = unwrap_reader_key(wrap["wrapped"], device=device, rid=wrap["rid"], epoch=wrap["epoch"])
    assert b64u_encode(key) == wrap["reader_key"]
    other = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(InvalidTag):
        unwrap_reader_key(wrap["wrapped"], device=other, rid=wrap["rid"], epoch=wrap["epoch"])


def test_padme_sizes() -> None:
    for length, padded in VECTORS["padme"]:
        assert padme(length) == padded
        assert padded >= max(length, 256)
        assert padded <= max(256, length) * 1.125 + 1


@pytest.mark.parametrize(
    ("data", "text"),
    [(b"", ""), (b"\xfb", "-w"), (b"\xfb\xff", "-_8"), (b"\xfb\xff\xbf", "-_-_"), (b"ABC", "QUJD")],
)
def test_base64url_without_padding_round_trips(data: bytes, text: str) -> None:
    """docs/fp1.md: every byte string in JSON is base64url without padding, both ways."""
    assert b64u_encode(data) == text
    assert b64u_decode(text) == data


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("QQ==", "expected base64url without padding"),
        ("QQ=", "expected base64url without padding"),
        ("+w", "expected base64url without padding"),
        ("/w", "expected base64url without padding"),
        ("-w ", "expected base64url without padding"),
        ("-w\n", "expected base64url without padding"),
        ("a", "invalid base64url: .*1 more than a multiple of 4"),
        ("abcde", "invalid base64url: .*1 more than a multiple of 4"),
        ("ab*cd", "invalid base64url: Only base64 data is allowed"),
        ("-_.8", "invalid base64url: Only base64 data is allowed"),
        ("-w\t", "invalid base64url: Only base64 data is allowed"),
    ],
)
def test_anything_but_base64url_without_padding_is_refused(text: str, message: str) -> None:
    """As fp1.js's b64uDecode: padding, the other alphabet, whitespace and any character outside
    the alphabet are refused, never skipped (a skipped "*" would decode what is left)."""
    with pytest.raises(ValueError, match=f"^{message}$"):
        b64u_decode(text)


def test_base32_lower_has_no_padding_and_keeps_every_letter() -> None:
    """The rid's alphabet (docs/fp1.md "Keys"): RFC 4648 base32, lower case, no "=" at either
    end, and a final "x" is a letter like any other."""
    assert b32lower(b"\x00") == "aa"
    assert b32lower(b"\xff\xff") == "777q"
    assert b32lower(bytes(4) + b"\x17") == "aaaaaaax"
    assert b32lower(bytes(range(32))) == "aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dypq"


def test_device_lock_vectors_reproduce() -> None:
    """Python derives the same bytes as the committed device-lock vectors (docs/fp1.md)."""
    from tests.vectors.make_vectors import device_lock_vectors

    jwk = VECTORS["wrap"]["device_private_jwk"]
    device = ec.derive_private_key(int.from_bytes(b64u_decode(jwk["d"]), "big"), ec.SECP256R1())
    assert device_lock_vectors(device) == VECTORS["device_lock"]


def test_lock_cover_vectors_reproduce_and_open() -> None:
    """The lock key L (ECDH of the device key with itself, HKDF "fp draft v1"), the draft and
    the capabilities sealed under it (docs/fp1.md "What the lock covers"), byte for byte; the
    draft does not open under another id, nor the capabilities under another rid."""
    from tests.vectors.make_vectors import lock_cover_vectors

    jwk = VECTORS["wrap"]["device_private_jwk"]
    device = ec.derive_private_key(int.from_bytes(b64u_decode(jwk["d"]), "big"), ec.SECP256R1())
    vec = VECTORS["lock_cover"]
    assert lock_cover_vectors(device, rid=VECTORS["wrap"]["rid"]) == vec
    aesgcm = AESGCM(b64u_decode(vec["lock_key"]))
    record = vec["draft"]["record"]
    with pytest.raises(InvalidTag):
        aesgcm.decrypt(
            b64u_decode(record["iv"]),
            b64u_decode(record["ct"]),
            f"fp draft|{vec['draft']['id']}x".encode(),
        )
    sealed = vec["caps"]["sealed"]
    with pytest.raises(InvalidTag):
        aesgcm.decrypt(b64u_decode(sealed["iv"]), b64u_decode(sealed["ct"]), b"fp caps|other")


SIGNATURE: dict[str, Any] = VECTORS["signature"]


def test_signature_vector_is_reproduced_byte_for_byte() -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from site_builder.fp1.sign import Signer, sign_payload

    private = Ed25519PrivateKey.from_private_bytes(b64u_decode(SIGNATURE["seed"]))
    signed = sign_payload(SIGNATURE["payload"], signer=Signer(private=private, today="2026-11-28"))
    assert signed["sig"] == SIGNATURE["sig"]
    assert b64u_decode(signed["sig"]["statement"]).decode() == SIGNATURE["statement_json"]
    statement = json.loads(SIGNATURE["statement_json"])
    assert "key" not in json.dumps(statement["blobs"])  # no blob key is ever in a statement
    assert canonical_json(statement).decode() == SIGNATURE["statement_json"]


def test_signature_vector_verifies_and_alterations_are_refused() -> None:
    from site_builder.fp1.sign import SignatureError, verify_sig

    statement, _ = verify_sig(SIGNATURE["sig"], key_list=SIGNATURE["key_list"])
    assert statement["reader"] == SIGNATURE["payload"]["reader"]
    flipped = dict(SIGNATURE["sig"])
    raw = bytearray(b64u_decode(flipped["statement"]))
    raw[10] ^= 1
    flipped["statement"] = b64u_encode(bytes(raw))
    cases = {
        "forged": (SIGNATURE["forged_sig"], SIGNATURE["key_list"], "not in the key list"),
        "flipped": (flipped, SIGNATURE["key_list"], "does not verify"),
        "expired": (SIGNATURE["sig"], SIGNATURE["expired_key_list"], "not valid on the date"),
        "absent": (None, SIGNATURE["key_list"], r"^no signature \(kid, statement, sig\)$"),
    }
    for name, (sig, key_list, message) in cases.items():
        with pytest.raises(SignatureError, match=message):
            verify_sig(sig, key_list=key_list)
        assert name


TERM_LIST: dict[str, Any] = VECTORS["term_list"]


def test_term_list_vector_verifies_and_gives_each_childs_terms() -> None:
    from site_builder.fp1.sign import verify_sig

    statement, raw = verify_sig(TERM_LIST["sig"], key_list=SIGNATURE["key_list"])
    assert raw.decode() == TERM_LIST["statement_json"]
    for child, expected in TERM_LIST["expected"].items():
        assert term_list(statement, child=child) == expected
    assert term_list(json.loads(TERM_LIST["before_term_lists"]), child="c1") is None
    # `site-builder verify` prints these messages as the term's problem (fp1/archive.py).
    with pytest.raises(SignatureError, match=r"^the statement does not name this child$"):
        term_list(statement, child="c3")


@pytest.mark.parametrize("case", list(TERM_LIST["refused"]))
def test_a_malformed_term_list_is_refused(case: str) -> None:
    with pytest.raises(SignatureError, match=r"^the term list is malformed$"):
        term_list(json.loads(TERM_LIST["refused"][case]), child="c1")


@pytest.mark.parametrize("case", list(TERM_LIST["not_named"]))
def test_a_statement_whose_children_are_broken_names_no_one(case: str) -> None:
    with pytest.raises(SignatureError, match=r"^the statement does not name this child$"):
        term_list(json.loads(TERM_LIST["not_named"][case]), child="c1")


@pytest.mark.parametrize("case", list(TERM_LIST["accepted"]))
def test_a_term_without_a_retention_date_is_listed_with_until_null(case: str) -> None:
    vec = TERM_LIST["accepted"][case]
    assert term_list(json.loads(vec["statement_json"]), child="c1") == vec["expected"]


def test_a_keyring_without_rev_is_signed_as_rev_0_and_missing_members_as_null() -> None:
    """docs/fp1.md: "A keyring without `rev` counts as 0" — the app (data.js) compares
    `statement.rev` with the keyring's rev read that way, so the statement must say 0, not
    null or 1; a member the payload lacks is null in the statement, not made up."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from site_builder.fp1.sign import Signer, sign_payload

    private = Ed25519PrivateKey.from_private_bytes(b64u_decode(SIGNATURE["seed"]))
    payload = {k: v for k, v in SIGNATURE["payload"].items() if k != "rev"}
    signed = sign_payload(payload, signer=Signer(private=private, today="2026-11-28"))
    statement = json.loads(b64u_decode(signed["sig"]["statement"]))
    assert statement["rev"] == 0 and statement["reader"] == payload["reader"]
    bare = sign_payload({"blobs": []}, signer=Signer(private=private, today="2026-11-28"))
    assert b64u_decode(bare["sig"]["statement"]) == canonical_json(
        {
            "v": 1,
            "signed": "2026-11-28",
            "reader": None,
            "role": None,
            "snapshot": None,
            "rev": 0,
            "children": None,
            "blobs": [],
        }
    )


def test_signature_key_validity_is_inclusive_at_both_ends_and_from_is_checked() -> None:
    """A key signs from its `from` day to its `until` day, both included; a statement dated
    before `from` is refused; no `from` (or no `until`) leaves that side open — as in fp1.js."""
    from site_builder.fp1.sign import SignatureError, verify_sig

    signed = json.loads(SIGNATURE["statement_json"])["signed"]
    (key,) = SIGNATURE["key_list"]["keys"]

    def key_list(**dates: str | None) -> dict[str, Any]:
        entry = {k: v for k, v in key.items() if k not in ("from", "until")}
        return {"v": 1, "keys": [{**entry, **{k: v for k, v in dates.items() if v}}]}

    verify_sig(SIGNATURE["sig"], key_list=key_list(**{"from": signed, "until": signed}))
    verify_sig(SIGNATURE["sig"], key_list=key_list())
    verify_sig(SIGNATURE["sig"], key_list=key_list(until="2999-12-31"))
    for dates in ({"from": "2026-11-29"}, {"from": "2026-11-29", "until": "2999-12-31"}):
        with pytest.raises(SignatureError, match="not valid on the date"):
            verify_sig(SIGNATURE["sig"], key_list=key_list(**dates))
    with pytest.raises(SignatureError, match="not valid on the date"):
        verify_sig(SIGNATURE["sig"], key_list=key_list(until="2026-11-27"))


def test_the_signing_key_fingerprint_is_the_first_128_bits_in_groups_of_four() -> None:
    """What help shows a person comparing keys by eye (and the key id is its first 16 digits)."""
    from site_builder.fp1.sign import fingerprint, key_id

    (key,) = SIGNATURE["key_list"]["keys"]
    public = b64u_decode(key["public"])
    assert fingerprint(public) == "fe81 2c12 f3ab 4ce6 ac5d b69a c352 f906"
    assert key_id(public) == key["kid"] == "fe812c12f3ab4ce6"


def test_a_key_list_without_keys_refuses_every_signature() -> None:
    from site_builder.fp1.sign import SignatureError, verify_sig

    for key_list in ({"v": 1}, {"v": 1, "keys": []}):
        with pytest.raises(SignatureError, match="not in the key list"):
            verify_sig(SIGNATURE["sig"], key_list=key_list)


def _private_key(jwk: dict[str, str]) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(int.from_bytes(b64u_decode(jwk["d"]), "big"), ec.SECP256R1())


def _public(jwk: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in jwk.items() if k != "d"}


def test_the_wrap_vector_is_reproduced_byte_for_byte() -> None:
    """What /auth/unlock answers, given the vector's ephemeral key and iv: the same epk, iv and
    ct the browser's fp1 tests unwrap (docs/fp1.md "Wrapping")."""
    wrap = VECTORS["wrap"]
    wrapped = wrap_reader_key(
        b64u_decode(wrap["reader_key"]),
        device_jwk=_public(wrap["device_private_jwk"]),
        rid=wrap["rid"],
        epoch=wrap["epoch"],
        ephemeral=_private_key(wrap["ephemeral_private_jwk"]),
        iv=b64u_decode(wrap["iv"]),
    )
    assert wrapped == wrap["wrapped"]


def test_a_fresh_wrap_has_its_own_ephemeral_key_and_a_12_byte_iv_and_unwraps() -> None:
    """Without the vector's fixed inputs every wrap draws a new ephemeral key and iv; the device
    unwraps it to the reader key only under the same rid and epoch."""
    wrap = VECTORS["wrap"]
    device = _private_key(wrap["device_private_jwk"])
    reader = b64u_decode(wrap["reader_key"])
    args = {"device_jwk": _public(wrap["device_private_jwk"]), "rid": wrap["rid"], "epoch": "2026"}
    first, second = wrap_reader_key(reader, **args), wrap_reader_key(reader, **args)
    assert sorted(first) == ["ct", "epk", "iv"]
    assert first["epk"] != second["epk"] and first["iv"] != second["iv"]
    assert first["epk"] != wrap["wrapped"]["epk"]
    assert len(b64u_decode(first["iv"])) == 12
    for wrapped in (first, second):
        assert unwrap_reader_key(wrapped, device=device, rid=wrap["rid"], epoch="2026") == reader
    for rid, epoch in ((wrap["rid"], "2027"), ("a" * 26, "2026")):
        with pytest.raises(InvalidTag):
            unwrap_reader_key(first, device=device, rid=rid, epoch=epoch)


def _device_jwk(**changes: Any) -> dict[str, Any]:
    jwk: dict[str, Any] = {**_public(VECTORS["wrap"]["device_private_jwk"]), **changes}
    return {k: v for k, v in jwk.items() if v is not None}


NOT_PUBLIC_P256 = "device key must be a public EC P-256 JWK"
NOT_32_BYTES = "device key coordinates must be 32 bytes"


@pytest.mark.parametrize(
    ("jwk", "message"),
    [
        pytest.param(VECTORS["wrap"]["device_private_jwk"], NOT_PUBLIC_P256, id="private"),
        pytest.param(_device_jwk(d="AAAA"), NOT_PUBLIC_P256, id="d"),
        pytest.param(_device_jwk(kty="OKP"), NOT_PUBLIC_P256, id="kty-okp"),
        pytest.param(_device_jwk(kty=None), NOT_PUBLIC_P256, id="no-kty"),
        pytest.param(_device_jwk(crv="P-384"), NOT_PUBLIC_P256, id="crv-p384"),
        pytest.param(_device_jwk(crv=None), NOT_PUBLIC_P256, id="no-crv"),
        pytest.param(_device_jwk(x=None), NOT_32_BYTES, id="no-x"),
        pytest.param(_device_jwk(y=None), NOT_32_BYTES, id="no-y"),
        pytest.param(_device_jwk(y=b64u_encode(bytes(31))), NOT_32_BYTES, id="y-31"),
        pytest.param(_device_jwk(x=b64u_encode(bytes(33))), NOT_32_BYTES, id="x-33"),
        pytest.param(_device_jwk(y=b64u_encode(bytes(32))), "Invalid EC key.*", id="off-curve"),
    ],
)
def test_a_device_key_that_is_not_a_public_p256_point_is_refused(
    jwk: dict[str, Any], message: str
) -> None:
    """/auth/unlock answers these with 400 invalid_device_key (tests/keyservice); here the reason
    each is refused, so a private key, another curve or a short coordinate never gets a wrap."""
    wrap = VECTORS["wrap"]
    with pytest.raises(ValueError, match=f"^{message}$"):
        public_key_from_jwk(jwk)
    with pytest.raises(ValueError, match=f"^{message}$"):
        wrap_reader_key(bytes(32), device_jwk=jwk, rid=wrap["rid"], epoch="2026")


def test_a_device_key_round_trips_through_its_jwk() -> None:
    """Coordinates are 32 big-endian bytes each way, as WebCrypto exports them."""
    jwk = _public(VECTORS["wrap"]["device_private_jwk"])
    key = public_key_from_jwk(jwk)
    assert public_key_to_jwk(key) == jwk
    numbers = key.public_numbers()
    assert numbers.x == int.from_bytes(b64u_decode(jwk["x"]), "big")
    assert numbers.y == int.from_bytes(b64u_decode(jwk["y"]), "big")
