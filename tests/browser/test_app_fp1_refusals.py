"""fp1.js refuses what Python's site_builder.fp1 refuses, with the same reason: base64url outside
its alphabet, blobs shorter than header + tag, and authentic blobs (GCM passes) whose padding,
deflate stream or JSON is malformed. The blobs are sealed with the real AES-GCM and AAD
(tests/security/padded.py), only the plaintext inside is wrong."""

from __future__ import annotations

import zlib

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from playwright.sync_api import Page

from site_builder.fp1 import BLOB_MAGIC, BlobError, b64u_decode, b64u_encode, blob_aad, open_blob
from site_builder.fp1.blob import open_json, pad
from tests.security.padded import KEY, NONCE, sealed_padded

pytestmark = pytest.mark.browser

OPEN_EACH = """async ({blobs, key}) => {
  const fp1 = await import("/app/fp1.js");
  const cryptoKey = await fp1.importBlobKey(fp1.b64uDecode(key));
  const out = {};
  for (const [name, {blob, kind, json}] of Object.entries(blobs)) {
    const options = {key: cryptoKey, kind, blobId: "blob-1"};
    try {
      const bytes = fp1.b64uDecode(blob);
      out[name] = json ? ["json", await fp1.openJson(bytes, options)]
                       : ["bytes", fp1.b64uEncode(await fp1.openBlob(bytes, options))];
    } catch (error) {
      out[name] = `${error.name}: ${error.message}`;
    }
  }
  return out;
}"""


def open_in_browser(page: Page, blobs: dict[str, tuple[str, bytes, bool]]) -> dict[str, object]:
    """Each name → (kind, blob file, parse as JSON?); returns what fp1.js made of each: the
    plaintext (["bytes", b64u] or ["json", value]) or "ErrorName: message"."""
    arg = {
        name: {"kind": kind, "blob": b64u_encode(data), "json": as_json}
        for name, (kind, data, as_json) in blobs.items()
    }
    got: dict[str, object] = page.evaluate(OPEN_EACH, {"blobs": arg, "key": b64u_encode(KEY)})
    return got


def deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(level=6, wbits=-15)
    return compressor.compress(data) + compressor.flush()


NOT_BASE64URL = ["ab*cd", "ab=", "ab+/", "a b", "QQ==", "+w", "/w", "-w\n", "-w\t", "-_.8", "é"]

DECODE_EACH = """async (texts) => {
  const fp1 = await import("/app/fp1.js");
  return texts.map((text) => {
    try { return fp1.b64uEncode(fp1.b64uDecode(text)); }
    catch (error) { return `${error.name}: ${error.message}`; }
  });
}"""


def test_base64url_outside_its_alphabet_is_refused_in_the_browser_as_in_python(
    fp1_page: Page,
) -> None:
    """atob alone would read "ab=", "ab+/" and "a b" (padding, the other alphabet, whitespace);
    b64uDecode refuses them as b64u_decode does (tests/test_fp1_vectors.py)."""
    got = fp1_page.evaluate(DECODE_EACH, [*NOT_BASE64URL, "-_-_", "AQID"])
    assert got[:-2] == ["AlteredError: fp1: bad base64url"] * len(NOT_BASE64URL)
    assert got[-2:] == ["-_-_", "AQID"]
    for text in NOT_BASE64URL:
        with pytest.raises(ValueError):
            b64u_decode(text)
    assert b64u_decode("-_-_") == b"\xfb\xff\xbf"


def test_a_blob_shorter_than_header_and_tag_is_not_an_fp1_blob(fp1_page: Page) -> None:
    """Magic and version right, but fewer than 17 + 16 bytes: refused before any decryption, as
    "not an fp1 blob" on both sides (not as a failed tag). 33 bytes — an authentic seal of an
    empty plaintext — passes that check and GCM, and is refused for its missing padding."""
    header = BLOB_MAGIC + b"\x01" + NONCE
    short = {f"{n} bytes": header + bytes(range(n)) for n in (0, 1, 8, 15)}
    empty = header + AESGCM(KEY).encrypt(NONCE, b"", blob_aad("file", "blob-1"))
    assert len(empty) == 33
    got = open_in_browser(
        fp1_page,
        {name: ("file", data, False) for name, data in {**short, "33 bytes": empty}.items()},
    )
    assert got == {
        **dict.fromkeys(short, "AlteredError: fp1: not an fp1 blob"),
        "33 bytes": "AlteredError: fp1: bad padding",
    }
    for data in short.values():
        with pytest.raises(BlobError, match=r"^not an fp1 blob$"):
            open_blob(data, key=KEY, kind="file", blob_id="blob-1")
    with pytest.raises(BlobError, match=r"^bad padding$"):
        open_blob(empty, key=KEY, kind="file", blob_id="blob-1")


EDGE_PADDINGS = {
    "all zeros": (b"\x00" * 256, None),
    "one zero": (b"\x00", None),
    "marker at 0, zeros after": (b"\x80" + b"\x00" * 255, b""),
    "marker only": (b"\x80", b""),
    "zero, marker, zeros": (b"\x00\x80" + b"\x00" * 254, b"\x00"),
}


def test_padding_down_to_the_first_byte_is_read_as_python_reads_it(fp1_page: Page) -> None:
    """The padding scan at its lower end: zeros to index 0 are no padding at all; a marker at
    index 0 (or 1) leaves an empty (or one-zero) body. Authentic "file" blobs, both sides."""
    got = open_in_browser(
        fp1_page,
        {
            name: ("file", sealed_padded("file", padded), False)
            for name, (padded, _) in EDGE_PADDINGS.items()
        },
    )
    for name, (padded, body) in EDGE_PADDINGS.items():
        blob = sealed_padded("file", padded)
        if body is None:
            assert got[name] == "AlteredError: fp1: bad padding", name
            with pytest.raises(BlobError, match=r"^bad padding$"):
                open_blob(blob, key=KEY, kind="file", blob_id="blob-1")
        else:
            assert got[name] == ["bytes", b64u_encode(body)], name
            assert open_blob(blob, key=KEY, kind="file", blob_id="blob-1") == body


NOT_DEFLATE = {
    "reserved block type": b"\xff\xff\xff\xff",
    "stored block, wrong length check": b"\x01\x05\x00\x00\x00hello",
    "half a stream": deflated(b'{"v":1,"text":"' + b"Bron h\xc3\xb6ll. " * 40 + b'"}')[:20],
}


def test_an_authentic_blob_whose_deflate_stream_is_broken_is_refused(fp1_page: Page) -> None:
    """GCM passes and the padding is right, but the body is no complete raw-deflate stream: each
    compressed kind refuses it ("bad deflate"), never reads it as empty. Python agrees."""
    blobs = {
        f"{kind}/{name}": (kind, sealed_padded(kind, pad(body)), False)
        for kind in ("keyring", "child", "plan")
        for name, body in NOT_DEFLATE.items()
    }
    got = open_in_browser(fp1_page, blobs)
    assert got == dict.fromkeys(blobs, "AlteredError: fp1: bad deflate")
    for kind, blob, _ in blobs.values():
        with pytest.raises(BlobError, match=r"^bad deflate stream"):
            open_blob(blob, key=KEY, kind=kind, blob_id="blob-1")


NOT_UTF8 = {
    "lone 0xff": b'{"text":"\xff"}',
    "overlong slash": b'{"text":"\xc0\xaf"}',
    "surrogate": b'{"text":"\xed\xa0\x80"}',
    "cut sequence": b'{"text":"h\xc3"}',
}


def test_an_authentic_json_blob_that_is_not_utf8_is_refused(fp1_page: Page) -> None:
    """Deflated and padded right, so openBlob gives the bytes; openJson refuses them ("bad
    JSON") rather than reading U+FFFD in place of the bad bytes. Python's open_json agrees."""
    blobs = {
        name: ("child", sealed_padded("child", pad(deflated(raw))), True)
        for name, raw in NOT_UTF8.items()
    }
    good = ("child", sealed_padded("child", pad(deflated('{"text":"Bron höll."}'.encode()))), True)
    got = open_in_browser(fp1_page, {**blobs, "good": good})
    assert got == {
        **dict.fromkeys(blobs, "AlteredError: fp1: bad JSON"),
        "good": ["json", {"text": "Bron höll."}],
    }
    for name, (kind, blob, _) in blobs.items():
        assert open_blob(blob, key=KEY, kind=kind, blob_id="blob-1") == NOT_UTF8[name]
        with pytest.raises(BlobError, match=r"^bad JSON inside blob"):
            open_json(blob, key=KEY, kind=kind, blob_id="blob-1")
