"""The browser fixture works: Debian's Chromium loads a page served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


def test_chromium_loads_a_loopback_page(
    browser: Browser, static_server: Callable[[Path], str], tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>Röktest</title><p id=x>Hej då</p>",
        encoding="utf-8",
    )
    base = static_server(tmp_path)
    page = browser.new_page()
    page.goto(base + "/index.html")
    assert page.title() == "Röktest"
    assert page.text_content("#x") == "Hej då"
    assert page.evaluate("typeof crypto.subtle.unwrapKey") == "function"
    page.close()
