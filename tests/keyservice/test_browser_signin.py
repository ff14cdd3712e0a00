"""End to end in a real Chromium: dev e-ID sign-in, /auth/unlock, the keyring opens."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from site_builder.fp1 import MasterKey
from tests.keyservice.conftest import LiveServer
from tests.keyservice.site import EPOCH, PERSONAL_STRINGS, guardian_rid, keyring_for

pytestmark = pytest.mark.browser


def _sign_in(page: Page, server: LiveServer, persona_label: str) -> dict[str, Any]:
    page.goto(server.base_url + "/auth/login?provider=eid")
    assert "TESTMILJÖ — endast för test" in page.content()
    page.get_by_role("button", name=persona_label).click()
    page.wait_for_url("**/#/unlock")
    result = json.loads(page.locator("#fp-result").text_content(timeout=15_000) or "null")
    assert isinstance(result, dict)
    return result


def test_guardian_signs_in_and_opens_keyring(
    browser: Browser, live_server: LiveServer, master: MasterKey
) -> None:
    context = browser.new_context()
    page = context.new_page()
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    try:
        result = _sign_in(page, live_server, "Annika Testberg — vårdnadshavare")
        rid = guardian_rid(master)
        assert "error" not in result, result
        assert result["unlockStatus"] == 200
        assert result["rid"] == rid and result["provider"] == "eid"
        assert result["epochs"] == [EPOCH, "2025"]
        assert result["extractable"] is False
        assert result["keyring"] == keyring_for(rid)
        assert result["secondUnlockStatus"] == 401  # the answer cleared the single-use cookie
        cookies = {c["name"]: c for c in context.cookies()}
        assert "fp_handoff" not in cookies and "fp_login" not in cookies
        assert rid not in page.url and "code=" not in page.url
        assert csp_errors == []
    finally:
        context.close()
    _assert_access_log_is_clean(live_server, rid=rid)


def test_parent_without_custody_signs_in_and_reads_nothing(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context()
    try:
        result = _sign_in(context.new_page(), live_server, "Bertil Provström — annan ansvarig")
        assert result["unlockStatus"] == 200
        assert result["keyringStatus"] == 404
        assert "keyring" not in result
    finally:
        context.close()


def test_cancel_returns_to_the_app_with_cancelled(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(live_server.base_url + "/auth/login?provider=eid")
        page.get_by_role("button", name="Avbryt / Cancel").click()
        page.wait_for_url("**/#/error/cancelled")
    finally:
        context.close()


def _assert_access_log_is_clean(server: LiveServer, *, rid: str) -> None:
    text = server.access_log.read_text(encoding="utf-8")
    records = [json.loads(line) for line in text.splitlines()]
    assert {(r["event"], r["outcome"], r["rid"]) for r in records} >= {
        ("login", "ok", rid),
        ("unlock", "ok", rid),
    }
    assert any(r["reason"] == "handoff_missing_or_expired" for r in records)
    for personal in PERSONAL_STRINGS:
        assert personal not in text
    assert "eyJ" not in text  # no JWT of any kind
