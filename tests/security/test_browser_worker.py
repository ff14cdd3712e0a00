"""What the service worker keeps, in Chromium with the real app, server and worker: nothing
comes back into Cache Storage after "Glöm den här enheten", and a reader whose keyrings were
withdrawn cannot read an older term's cached copy offline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.app_harness import go, settled
from tests.export import minimal
from tests.export.edit import replace_in
from tests.security.browser_site import serving, sign_in
from tests.security.built import BuiltSite, built_site

pytestmark = pytest.mark.browser
CHILD_NAME = "Elsa Elev"  # minimal.register_data()
CONTROLLED = "() => navigator.serviceWorker.controller !== null"
OUR_CACHES = "async () => (await caches.keys()).filter((name) => name.startsWith('fp-'))"
CACHED_KEYRINGS = """async (rid) => {
  if (!(await caches.has("fp-data"))) return [];
  const cache = await caches.open("fp-data");
  return (await cache.keys()).map((r) => new URL(r.url).pathname)
    .filter((path) => path.endsWith(`/k/${rid}.bin`)).sort();
}"""


def _installed(page: Page, base_url: str) -> None:
    """Signed in as the guardian, every fetch of the page going through the worker."""
    sign_in(page, base_url, minimal.GUARDIAN)
    page.wait_for_function(CONTROLLED, timeout=20_000)
    page.reload()
    settled(page)


def test_a_forgotten_device_is_not_filled_again_by_a_tab_the_worker_still_serves(
    browser: Browser, tmp_path: Path
) -> None:
    """A second tab keeps the (unregistered) worker serving it; Chromium stops an idle worker
    and starts it again for that tab's next request — with its in-memory "forgotten" flag
    reset. Nothing it fetches then may land in Cache Storage again."""
    site = built_site(tmp_path, minimal.write_minimal_export(tmp_path / "export"))
    blob = "/" + site.keyring(site.rid(minimal.GUARDIAN_PNR))["blobs"][0]["path"]
    with serving(site) as base_url:
        context = browser.new_context()  # service workers allowed: an installed app
        try:
            page = context.new_page()
            _installed(page, base_url)
            other = context.new_page()
            other.goto(base_url + "/")
            settled(other)
            other.wait_for_function(CONTROLLED, timeout=20_000)

            go(page, "#/glom")
            page.get_by_role("button", name="Ja, glöm den här enheten").click()
            page.wait_for_url("**/#/glomd", timeout=20_000)
            settled(page)
            assert page.evaluate(OUR_CACHES) == []

            cdp = context.new_cdp_session(page)
            cdp.send("ServiceWorker.enable")
            cdp.send("ServiceWorker.stopAllWorkers")
            through_worker: list[bool] = []
            other.on("response", lambda r: through_worker.append(r.from_service_worker))
            other.evaluate(
                "async (paths) => { for (const p of paths) await (await fetch(p)).arrayBuffer(); }",
                ["/latest.json", "/config.json", blob],
            )
            assert through_worker and all(through_worker)  # the restarted worker answered
            other.wait_for_timeout(1500)  # its cache writes run behind the responses
            assert page.evaluate(OUR_CACHES) == []
        finally:
            context.close()


def _lose_custody(site: BuiltSite) -> None:
    """The guardian is replaced by another: the build withdraws their keyrings everywhere."""
    register = minimal.register_data()
    guardian, child = register["persons"]
    other = {**guardian, "id": "p-vh-02", "civicNo": {"value": "198112289874"}}
    register["persons"] = [other, child]
    child["responsibles"] = [{"person": {"id": "p-vh-02"}, "relationType": "Vårdnadshavare"}]
    minimal.write_register(site.export, register)


def test_a_withdrawn_reader_cannot_read_an_older_terms_cached_keyring_offline(
    browser: Browser, tmp_path: Path
) -> None:
    export = minimal.write_minimal_export(tmp_path / "export")
    site = built_site(tmp_path, export)  # HT2026, seq 1
    replace_in(export / "export.toml", 'term = "HT2026"', 'term = "VT2027"')
    site.build(today=date(2027, 2, 1))  # VT2027, seq 2; HT2026 retained
    rid = site.rid(minimal.GUARDIAN_PNR)
    with serving(site) as base_url:
        context = browser.new_context()
        try:
            page = context.new_page()
            _installed(page, base_url)
            assert CHILD_NAME in page.locator("main").inner_text()
            go(page, "#/term/1/")
            assert CHILD_NAME in page.locator("main").inner_text()
            assert page.evaluate(CACHED_KEYRINGS, rid) == [f"/s/1/k/{rid}.bin", f"/s/2/k/{rid}.bin"]

            _lose_custody(site)
            site.build(today=date(2027, 2, 2))  # VT2027, seq 3; HT2026 without the reader
            assert not site.keyring_path(rid, 1).exists()
            go(page, "#/")
            page.reload()  # online: the newest keyring answers 404
            settled(page)
            assert CHILD_NAME not in page.locator("main").inner_text()
            page.wait_for_timeout(500)  # the worker's cache clean-up runs behind the response
            assert page.evaluate(CACHED_KEYRINGS, rid) == []

            context.set_offline(True)
            go(page, "#/term/1/")
            assert CHILD_NAME not in page.locator("main").inner_text()
        finally:
            context.close()
