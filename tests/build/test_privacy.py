"""No byte of the published site reveals a name, number, email, school or sentence of the export."""

from __future__ import annotations

import contextlib
import gzip
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.build.conftest import Workspace
from tests.build.scratch import DANI_EPPN, POST_SENTENCE, register_data


def _views(data: bytes) -> Iterator[bytes]:
    """The bytes themselves and whatever inflates from them (raw deflate, zlib, gzip)."""
    yield data
    for wbits in (-15, 15, 31):
        with contextlib.suppress(zlib.error):
            yield zlib.decompressobj(wbits=wbits).decompress(data)
    with contextlib.suppress(OSError, EOFError, zlib.error):
        yield gzip.decompress(data)


def _secrets() -> list[bytes]:
    register = register_data()
    words: set[str] = {POST_SENTENCE, DANI_EPPN, "Ekbackeskolan", "Klass 2B Ekbacken"}
    words |= {"Lärarinna Larsdotter", "Fokus på läsförståelse", "Sal Uggleboet", "glasspinnar"}
    for person in register["persons"]:
        words |= {
            person["givenName"],
            person["familyName"],
            person["civicNo"]["value"],
            person["id"],
        }
        words |= {e["value"] for e in person.get("emails", [])}
    encoded = set()
    for word in words:
        encoded |= {word.encode("utf-8"), word.lower().encode("utf-8")}
        encoded.add(word.encode("utf-16-le"))
    return sorted(encoded)


def test_no_personal_data_in_any_published_byte(
    workspace: Workspace, site_files: Callable[[Path], dict[str, bytes]]
) -> None:
    workspace.build()
    files = site_files(workspace.out)
    assert any(name.startswith("b/") for name in files) and "latest.json" in files
    secrets = _secrets()
    for name, data in files.items():
        for view in _views(data):
            for secret in secrets:
                assert secret not in view, f"{secret!r} found in {name}"
        for secret in secrets:
            assert secret not in name.encode()
