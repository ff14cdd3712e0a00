"""The tamper matrix in Chromium: the host alters what it serves (Playwright rewrites the answer
on the way), and the app shows "Den här kopian har ändrats" with nothing of the documentation;
a rolled-back latest.json (a snapshot older than one already seen) is refused the same way."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route

from site_builder.fp1 import b64u_decode, b64u_encode, keyring_blob_id, seal_json
from site_builder.fp1.sign import sign_payload
from site_builder.pipeline.state.keystore import load_keys
from tests.browser.app_harness import go, settled
from tests.export import minimal
from tests.export.edit import replace_in
from tests.security.browser_site import ALTERED_TITLE, serving, sign_in
from tests.security.built import BuiltSite, built_site
from tests.security.test_browser_at_rest import reading_site  # the benign export, built once

__all__ = ["reading_site"]
pytestmark = pytest.mark.browser
Edit = Callable[[bytes], bytes]


def _flip(at: Callable[[int], int]) -> Edit:
    def edit(data: bytes) -> bytes:
        out = bytearray(data)
        out[at(len(data))] ^= 0x01
        return bytes(out)

    return edit


EDITS: dict[str, Edit] = {
    "magic": _flip(lambda n: 0),
    "version": _flip(lambda n: 4),
    "nonce": _flip(lambda n: 10),
    "ciphertext": _flip(lambda n: n // 2),
    "tag": _flip(lambda n: n - 1),
    "truncated": lambda b: b[:-1],
    "extended": lambda b: b + b"\x00",
}


@pytest.fixture(scope="module")
def tamper_server(reading_site: BuiltSite) -> Iterator[str]:
    with serving(reading_site) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def signed_in(browser: Browser, tamper_server: str) -> Iterator[Page]:
    # Service workers off: every fetch goes through Playwright's routes, not a worker's cache.
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    sign_in(page, tamper_server, minimal.GUARDIAN)
    assert page.locator(".card").count() == 1  # untampered: the family page shows the child
    yield page
    context.close()


def _paths(site: BuiltSite) -> dict[str, str]:
    rid = site.rid(minimal.GUARDIAN_PNR)
    seq = site.latest()["seq"]
    found = {"keyring": f"/s/{seq}/k/{rid}.bin"}
    for entry in site.keyring(rid)["blobs"]:
        found.setdefault(entry["kind"], "/" + entry["path"])
    return found


def _assert_refused(page: Page, route_hash: str) -> None:
    page.reload()
    go(page, route_hash) if route_hash != "#/" else settled(page)
    assert page.locator("main h1").inner_text() == ALTERED_TITLE
    assert page.locator("main .card, main .timeline, main .fp-fragment").count() == 0


def _serve_altered(page: Page, base_url: str, path: str, edit: Edit) -> None:
    def handler(route: Route) -> None:
        answer = route.fetch()
        route.fulfill(response=answer, body=edit(answer.body()))

    page.route(base_url + path, handler)


@pytest.mark.parametrize("edit", list(EDITS))
@pytest.mark.parametrize("kind", ["keyring", "child", "plan", "file"])
def test_altered_file_is_refused(
    signed_in: Page, tamper_server: str, reading_site: BuiltSite, kind: str, edit: str
) -> None:
    path = _paths(reading_site)[kind]
    # Attachments are opened by the child's Lärlogg tab; the rest when the family loads.
    where = "#/" if kind != "file" else _larlogg(reading_site)
    _serve_altered(signed_in, tamper_server, path, EDITS[edit])
    try:
        _assert_refused(signed_in, where)
    finally:
        signed_in.unroute(tamper_server + path)


def _larlogg(site: BuiltSite) -> str:
    child = site.keyring(site.rid(minimal.GUARDIAN_PNR))["children"][0]["id"]
    return f"#/barn/{child}/larlogg"


def test_blob_swapped_for_another_of_the_same_reader(
    signed_in: Page, tamper_server: str, reading_site: BuiltSite
) -> None:
    paths = _paths(reading_site)
    plan = (reading_site.out / paths["plan"].lstrip("/")).read_bytes()
    _serve_altered(signed_in, tamper_server, paths["child"], lambda _: plan)
    try:
        _assert_refused(signed_in, "#/")
    finally:
        signed_in.unroute(tamper_server + paths["child"])


def test_a_keyring_whose_reader_is_not_its_rid_is_refused(
    signed_in: Page, tamper_server: str, reading_site: BuiltSite
) -> None:
    """Authentic under the reader's key and AAD, but naming another reader inside: refused."""
    rid, seq = reading_site.rid(minimal.GUARDIAN_PNR), reading_site.latest()["seq"]
    other = reading_site.rid(minimal.CHILD_PNR)
    ring = {**reading_site.keyring(rid), "reader": other}
    forged = seal_json(
        ring, key=reading_site.reader_key(rid), kind="keyring", blob_id=keyring_blob_id(rid, seq)
    )
    path = f"/s/{seq}/k/{rid}.bin"
    _serve_altered(signed_in, tamper_server, path, lambda _: forged)
    try:
        _assert_refused(signed_in, "#/")
    finally:
        signed_in.unroute(tamper_server + path)
    # The same keyring re-sealed with its own rid opens: the refusal was the reader field.
    honest = seal_json(
        {**ring, "reader": rid},
        key=reading_site.reader_key(rid),
        kind="keyring",
        blob_id=keyring_blob_id(rid, seq),
    )
    _serve_altered(signed_in, tamper_server, path, lambda _: honest)
    try:
        signed_in.reload()
        settled(signed_in)
        go(signed_in, "#/")
        assert signed_in.locator(".card").count() == 1
    finally:
        signed_in.unroute(tamper_server + path)


Forgery = Callable[[BuiltSite, dict[str, Any]], tuple[dict[str, Any], dict[str, bytes]]]


def _own_version(site: BuiltSite, ring: dict[str, Any]) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The keyring's own `v` (outside the signed statement) a version this app does not read."""
    return {**ring, "v": 2}, {}


def _child_renamed(
    site: BuiltSite, ring: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The signed statement names the child by an id its bundle does not carry."""
    return {**ring, "children": [{**ring["children"][0], "id": "c-annan"}]}, {}


def _rebundled(
    site: BuiltSite, ring: dict[str, Any], *, sealed_as: str, says: str
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The child's bundle sealed again under its own key and id, its AAD kind `sealed_as`, its
    JSON's `kind` `says`, and the signed entry's kind and SHA-256 made to match."""
    entry = next(e for e in ring["blobs"] if e["kind"] == "child")
    blob = seal_json(
        {**site.open_entry(entry), "kind": says},
        key=b64u_decode(entry["key"]),
        kind=sealed_as,
        blob_id=entry["id"],
    )
    sha = b64u_encode(hashlib.sha256(blob).digest())
    blobs = [{**e, "kind": sealed_as, "sha256": sha} if e is entry else e for e in ring["blobs"]]
    return {**ring, "blobs": blobs}, {"/" + entry["path"]: blob}


FORGERIES: dict[str, tuple[Forgery, bool]] = {
    "the keyring's own version": (_own_version, False),
    "a child its bundle does not name": (_child_renamed, True),
    "the bundle's entry of another kind": (
        lambda site, ring: _rebundled(site, ring, sealed_as="plan", says="child"),
        True,
    ),
    "a bundle that says it is a plan": (
        lambda site, ring: _rebundled(site, ring, sealed_as="child", says="plan"),
        True,
    ),
}


@pytest.mark.parametrize("forgery", list(FORGERIES))
def test_a_keyring_and_bundle_that_disagree_are_refused_even_when_signed(
    signed_in: Page, tamper_server: str, reading_site: BuiltSite, forgery: str
) -> None:
    """Authentic under the reader key and (where marked) signed with the municipality's own
    key — a build gone wrong, not an outsider: what the keyring says and what its bundle is
    must still agree, or nothing of the child is shown."""
    rid, seq = reading_site.rid(minimal.GUARDIAN_PNR), reading_site.latest()["seq"]
    make, signed = FORGERIES[forgery]
    ring, blobs = make(reading_site, reading_site.keyring(rid))
    if signed:
        signer = load_keys(reading_site.state_dir).signer
        assert signer is not None
        ring = sign_payload({k: v for k, v in ring.items() if k != "sig"}, signer=signer)
    served = {
        f"/s/{seq}/k/{rid}.bin": seal_json(
            ring,
            key=reading_site.reader_key(rid),
            kind="keyring",
            blob_id=keyring_blob_id(rid, seq),
        ),
        **blobs,
    }
    for path, data in served.items():
        _serve_altered(signed_in, tamper_server, path, lambda _, data=data: data)
    try:
        _assert_refused(signed_in, "#/")
    finally:
        for path in served:
            signed_in.unroute(tamper_server + path)


def test_a_bundle_sealed_again_under_its_own_key_is_refused_by_its_sha256(
    signed_in: Page, tamper_server: str, reading_site: BuiltSite
) -> None:
    """The child bundle sealed anew (same key, id and plaintext, another nonce) passes GCM; the
    keyring's SHA-256 does not match it."""
    rid = reading_site.rid(minimal.GUARDIAN_PNR)
    entry = next(e for e in reading_site.keyring(rid)["blobs"] if e["kind"] == "child")
    again = seal_json(
        reading_site.open_entry(entry),
        key=b64u_decode(entry["key"]),
        kind="child",
        blob_id=entry["id"],
    )
    path = "/" + entry["path"]
    _serve_altered(signed_in, tamper_server, path, lambda _: again)
    try:
        _assert_refused(signed_in, "#/")
    finally:
        signed_in.unroute(tamper_server + path)


def test_rolled_back_latest_is_refused(
    signed_in: Page, tamper_server: str, reading_site: BuiltSite
) -> None:
    latest = reading_site.latest()
    older = dict(latest["snapshots"][0], seq=latest["seq"] - 1)
    rolled_back = {**latest, "seq": older["seq"], "snapshots": [older]}
    _serve_altered(
        signed_in, tamper_server, "/latest.json", lambda _: json.dumps(rolled_back).encode()
    )
    try:
        _assert_refused(signed_in, "#/")
    finally:
        signed_in.unroute(tamper_server + "/latest.json")


def test_a_patched_correction_shows_and_its_older_keyring_is_refused(
    browser: Browser, tmp_path: Path
) -> None:
    """A correction keeps the snapshot's seq and raises its keyrings' rev: the app shows the new
    text at once, and a host serving the keyring from before the correction is refused."""
    export = minimal.write_minimal_export(tmp_path / "export")
    site = built_site(tmp_path, export)
    rid, seq = site.rid(minimal.GUARDIAN_PNR), site.latest()["seq"]
    before = site.keyring_path(rid, seq).read_bytes()
    with serving(site) as base_url:
        context = browser.new_context(service_workers="block")
        try:
            page = context.new_page()
            sign_in(page, base_url, minimal.GUARDIAN)
            go(page, _larlogg(site))
            assert "med måttband" in page.locator("main").inner_text()
            replace_in(export / minimal.POST, "med måttband", "med tumstock")
            site.build()
            assert site.latest()["seq"] == seq and site.keyring(rid)["rev"] == 1
            page.reload()
            go(page, _larlogg(site))
            assert "med tumstock" in page.locator("main").inner_text()
            path = f"/s/{seq}/k/{rid}.bin"
            _serve_altered(page, base_url, path, lambda _: before)
            _assert_refused(page, "#/")
        finally:
            context.close()
