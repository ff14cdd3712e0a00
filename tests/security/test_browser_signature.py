"""A host that serves a keyring signed by another key (or not signed) is refused in Chromium:
the app shows "Inte signerad av kommunen" and nothing of the documentation. The host here even
knows the reader key (the test re-seals with the master key), so only the signature stops it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from playwright.sync_api import Browser, Page, Route

from site_builder.fp1.sign import Signer
from site_builder.pipeline.seal.keyrings import SnapshotInfo, seal_keyring
from site_builder.pipeline.state.keystore import utc_today
from site_builder.pipeline.state.signing import load_signer
from tests.browser.app_harness import settled
from tests.export import minimal
from tests.security.browser_site import serving, sign_in
from tests.security.built import BuiltSite
from tests.security.test_browser_at_rest import reading_site  # the benign export, built once

__all__ = ["reading_site"]
pytestmark = pytest.mark.browser
UNSIGNED_TITLE = "Inte signerad av kommunen"


def _resealed(site: BuiltSite, signer: Signer | None) -> bytes:
    """The reader's current keyring sealed again under the real reader key, signed by `signer`."""
    rid = site.rid(minimal.GUARDIAN_PNR)
    payload = site.keyring(rid)
    contents = {k: v for k, v in payload.items() if k not in ("snapshot", "rev", "sig")}
    return seal_keyring(
        contents,
        master=site.master,
        snapshot=SnapshotInfo(**payload["snapshot"]),
        rid=rid,
        rev=int(payload.get("rev", 0)),
        signer=signer,
    )


@pytest.fixture(scope="module")
def page(browser: Browser, reading_site: BuiltSite) -> Iterator[Page]:
    with serving(reading_site) as base_url:
        context = browser.new_context(service_workers="block")
        page = context.new_page()
        sign_in(page, base_url, minimal.GUARDIAN)
        assert page.locator(".card").count() == 1
        yield page
        context.close()


def _serve_keyring(page: Page, site: BuiltSite, data: bytes) -> None:
    seq = site.latest()["seq"]
    path = f"/s/{seq}/k/{site.rid(minimal.GUARDIAN_PNR)}.bin"

    def handler(route: Route) -> None:
        route.fulfill(status=200, body=data, content_type="application/octet-stream")

    page.unroute("**/k/*.bin")
    page.route(f"**{path}", handler)
    page.reload()
    settled(page)


def test_keyring_signed_with_the_municipality_key_is_shown(
    page: Page, reading_site: BuiltSite
) -> None:
    signer, _ = load_signer(reading_site.state_dir, today=utc_today(), create=False)
    _serve_keyring(page, reading_site, _resealed(reading_site, signer))
    assert page.locator(".card").count() == 1


@pytest.mark.parametrize("case", ["other key", "unsigned"])
def test_keyring_not_signed_by_the_pinned_key_is_refused(
    page: Page, reading_site: BuiltSite, case: str
) -> None:
    other = Signer(private=Ed25519PrivateKey.generate(), today=utc_today())
    data = _resealed(reading_site, other if case == "other key" else None)
    _serve_keyring(page, reading_site, data)
    assert page.locator("main h1").inner_text() == UNSIGNED_TITLE
    assert page.locator("[data-fp-unsigned]").count() == 1
    assert page.locator("main .card, main .timeline, main .fp-fragment").count() == 0
