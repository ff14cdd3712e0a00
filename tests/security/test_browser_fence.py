"""The app's own fence (dom.js `fragment`) is a second fence behind the build's sanitizer: fed each
hostile payload raw, as if the sanitizer had let it through, it leaves nothing that runs or loads.
The page has no CSP (a plain static server), so whatever the fence missed would run here.

test_browser_hostile.py cannot see this fence: the sanitized fragments hold nothing for it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Route

from tests.security.hostile import MARKDOWN_EXTRA, PAYLOADS

pytestmark = pytest.mark.browser

SHELL = Path(__file__).resolve().parents[2] / "themes" / "default" / "shell"
RAW = [*PAYLOADS, MARKDOWN_EXTRA[-1]]  # the last Markdown extra is raw HTML (a data: link)

FENCE_EACH = """async (payloads) => {
  const dom = await import("/app/dom.js");
  const options = { resolveFile: async () => ({ missing: true }), t: (k) => k, lang: "sv" };
  for (const html of payloads) document.body.append(await dom.fragment(html, options));
  await new Promise((ok) => setTimeout(ok, 300));  // let a delayed handler (onload...) fire
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (name.startsWith("on") || name === "style" || name === "srcset" || name === "srcdoc")
        found.push(`${el.tagName} ${name}`);
      if ((name === "href" || name === "src") && !/^(https?:|mailto:|tel:|#)/.test(value))
        found.push(`${el.tagName} ${name}=${value.slice(0, 30)}`);
    }
  }
  const dropped = "script, style, iframe, object, embed, link, meta, base, form, input, button";
  for (const el of document.body.querySelectorAll(dropped)) found.push(el.tagName);
  return { found, shown: document.body.textContent };
}"""


def test_the_app_fences_raw_hostile_html(
    browser: Browser, static_server: Callable[[Path], str]
) -> None:
    page = browser.new_page()
    dialogs: list[str] = []
    errors: list[str] = []

    def dialog(opened: Dialog) -> None:
        dialogs.append(opened.message)
        opened.dismiss()

    page.on("dialog", dialog)
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = static_server(SHELL)
    off_origin: list[str] = []  # refused here: the tests reach nothing but loopback

    def only_ours(route: Route) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            off_origin.append(route.request.url)
            route.abort()

    page.route("**/*", only_ours)
    try:
        page.goto(base + "/manifest.webmanifest")
        result = page.evaluate(FENCE_EACH, RAW)
    finally:
        page.close()
    assert result["found"] == []
    assert "klick" in result["shown"]  # not vacuous: the harmless parts of the payloads arrived
    assert dialogs == [] and errors == [] and off_origin == []
