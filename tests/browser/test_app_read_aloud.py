"""Read-aloud (issue #22, "Läs upp") through the real build and server, with the device's speech
synthesis replaced by a recording fake (an init script): the text and the voice and language
handed to it, pause/resume/stop, one text at a time, stopping when the view changes, and the
messages where there is no voice (or no speech synthesis at all)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.app_harness import (
    CASES,
    DESKTOP,
    PHONE,
    Server,
    assert_accessible,
    child_href,
    family_context,
    go,
    screenshot,
    settled,
    sign_in,
    watch_errors,
)

pytestmark = pytest.mark.browser


def _voice(name: str, lang: str, *, local: bool, default: bool = False) -> dict[str, Any]:
    return {"name": name, "lang": lang, "localService": local, "default": default}


SWEDISH_LOCAL = _voice("Alva", "sv-SE", local=True)
SWEDISH_NETWORK = _voice("Google svenska", "sv-SE", local=False)
ENGLISH = _voice("Daniel", "en-GB", local=True, default=True)
US_ENGLISH = _voice("Google US English", "en-US", local=False, default=True)
FINNISH = _voice("Satu", "fi-FI", local=True)

# window.speechSynthesis and SpeechSynthesisUtterance as a recording fake. Utterances end only
# when the test says so (window.__finish()), as a real voice would after speaking.
FAKE_SPEECH = """
((voices) => {
  const log = { spoken: [], calls: [] };
  const queue = [];
  class FakeUtterance {
    constructor(text) {
      Object.assign(this, { text, lang: "", voice: null, onend: null, onerror: null });
    }
  }
  const list = voices.map((v) => Object.freeze({ ...v, voiceURI: v.name }));
  const synth = {
    getVoices: () => list,
    speak(u) {
      log.calls.push("speak");
      log.spoken.push({ text: u.text, lang: u.lang, voice: u.voice?.name ?? null });
      queue.push(u);
    },
    pause() { log.calls.push("pause"); },
    resume() { log.calls.push("resume"); },
    cancel() { log.calls.push("cancel"); queue.splice(0); },
    addEventListener() {},
    removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = FakeUtterance;
  window.__speech = log;
  window.__finish = () => { const u = queue.shift(); if (u && u.onend) u.onend(); return !!u; };
})(%s);
"""
NO_SPEECH = """
delete Window.prototype.speechSynthesis; delete window.speechSynthesis;
delete window.SpeechSynthesisUtterance;
"""


def _device(browser: Browser, voices: list[dict[str, Any]] | None) -> BrowserContext:
    context = family_context(browser, viewport=PHONE)
    context.add_init_script(NO_SPEECH if voices is None else FAKE_SPEECH % json.dumps(voices))
    return context


def _speech(page: Page) -> dict[str, list[Any]]:
    log: dict[str, list[Any]] = page.evaluate("() => window.__speech")
    return log


def _year8(page: Page, server: Server, tab: str) -> None:
    parent = next(g for g, kids in CASES["children_of"].items() if CASES["year8_child"] in kids)
    sign_in(page, server, parent)
    go(page, child_href(page, CASES["year8_child"]) + "/" + tab)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_a_post_is_read_in_swedish_with_pause_resume_and_stop(
    browser: Browser, app_server: Server
) -> None:
    context = _device(browser, [US_ENGLISH, SWEDISH_NETWORK, SWEDISH_LOCAL, ENGLISH])
    try:
        page = context.new_page()
        errors = watch_errors(page)
        _year8(page, app_server, "larlogg")
        first = page.locator(".entry").first
        button = first.locator(".readaloud button.read")
        assert button.inner_text() == "Läs upp"
        button.click()
        page.wait_for_function("() => window.__speech.spoken.length > 0")
        spoken = _speech(page)["spoken"]
        # The Swedish teacher's text with a Swedish voice (the device's own before a network one).
        assert {(s["lang"], s["voice"]) for s in spoken} == {("sv-SE", "Alva")}
        title = first.locator("h3 span[lang=sv]").inner_text()
        body = _flat(first.locator(".fp-fragment").inner_text())
        assert spoken[0]["text"].startswith(title)
        while page.evaluate("() => window.__finish()"):
            pass
        said = _flat(" ".join(s["text"] for s in _speech(page)["spoken"]))
        assert said == _flat(f"{title} {body}")  # the text on screen, no markup, nothing else
        assert "<" not in said and "Läs upp" not in said
        status = first.locator(".read-status")
        assert status.inner_text() == "Uppläsningen är klar."
        assert status.get_attribute("role") == "status"

        button.click()
        page.wait_for_function("() => window.__speech.spoken.length > 1")
        assert button.inner_text() == "Pausa"
        assert status.inner_text() == "Läser upp …"
        stop = first.locator(".readaloud button.read-stop")
        assert stop.is_visible()
        assert_accessible(page, "lärlogg while reading aloud")
        screenshot(page, "read-aloud-reading")
        for size, name in (({"width": 320, "height": 700}, "320"), (DESKTOP, "desktop")):
            page.set_viewport_size(size)
            assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth + 1")
            screenshot(page, f"read-aloud-reading-{name}")
        page.set_viewport_size(PHONE)
        button.click()
        assert _speech(page)["calls"][-1] == "pause"
        assert button.inner_text() == "Fortsätt"
        assert status.inner_text() == "Uppläsningen är pausad."
        button.click()
        assert _speech(page)["calls"][-1] == "resume"
        assert button.inner_text() == "Pausa"
        stop.click()
        assert _speech(page)["calls"][-1] == "cancel"
        assert button.inner_text() == "Läs upp" and not stop.is_visible()
        assert status.inner_text() == "Uppläsningen är stoppad."
        # A stopped text says nothing more when its utterance's end arrives late.
        count = len(_speech(page)["spoken"])
        page.evaluate("() => window.__finish()")
        assert len(_speech(page)["spoken"]) == count
        assert errors == []
    finally:
        context.close()


def test_one_text_at_a_time_long_texts_in_sentences_and_a_new_view_stops(
    browser: Browser, app_server: Server
) -> None:
    context = _device(browser, [SWEDISH_LOCAL, ENGLISH])
    try:
        page = context.new_page()
        errors = watch_errors(page)
        _year8(page, app_server, "omdomen")
        first, second = page.locator(".omdome").nth(0), page.locator(".omdome").nth(1)
        first.locator("button.read").click()
        page.wait_for_function("() => window.__speech.spoken.length > 0")
        second.locator("button.read").click()
        page.wait_for_function(
            "() => window.__speech.spoken.at(-1).text.startsWith("
            "document.querySelectorAll('.omdome h3')[1].textContent)"
        )
        # Starting the second stopped the first: its button reads "Läs upp" again.
        assert first.locator("button.read").inner_text() == "Läs upp"
        assert second.locator("button.read").inner_text() == "Pausa"
        assert "cancel" in _speech(page)["calls"]
        # The IUP (headings, goals, agreements): one utterance per block or sentence, none long.
        go(page, page.evaluate("() => location.hash").rsplit("/", 1)[0] + "/iup")
        calls = _speech(page)["calls"]
        assert calls[-1] == "cancel", "changing the view did not stop the reading"
        page.locator("main button.read").click()
        page.wait_for_function("() => window.__speech.spoken.length > 2")
        while page.evaluate("() => window.__finish()"):
            pass
        texts = [s["text"] for s in _speech(page)["spoken"]]
        iup = _flat(page.locator("main .fp-fragment").inner_text())
        start = next(i for i, t in enumerate(texts) if iup.startswith(t))
        chunks = texts[start:]
        assert len(chunks) > 3 and all(len(c) <= 200 for c in chunks)
        assert _flat(" ".join(chunks)) == iup
        assert errors == []
    finally:
        context.close()


def test_no_swedish_voice_offline_and_no_speech_synthesis_are_said(
    browser: Browser, app_server: Server
) -> None:
    # Only a network Swedish voice: fine online, none offline (it cannot speak without a network).
    context = _device(browser, [US_ENGLISH, SWEDISH_NETWORK])
    try:
        page = context.new_page()
        _year8(page, app_server, "larlogg")
        first = page.locator(".entry").first
        first.locator("button.read").click()
        page.wait_for_function("() => window.__speech.spoken.length > 0")
        assert _speech(page)["spoken"][0]["voice"] == "Google svenska"
        first.locator("button.read-stop").click()
        context.set_offline(True)
        count = len(_speech(page)["spoken"])
        first.locator("button.read").click()
        status = first.locator(".read-status")
        status.filter(has_text="Ingen svensk röst").wait_for()
        assert "Lägg till en röst" in status.inner_text()
        assert len(_speech(page)["spoken"]) == count
        assert first.locator("button.read").inner_text() == "Läs upp"
        assert_accessible(page, "no Swedish voice")
        screenshot(page, "read-aloud-no-voice")
    finally:
        context.close()
    context = _device(browser, None)
    try:
        page = context.new_page()
        errors = watch_errors(page)
        _year8(page, app_server, "larlogg")
        assert page.evaluate("() => 'speechSynthesis' in window") is False
        first = page.locator(".entry").first
        first.locator("button.read").click()
        first.locator(".read-status", has_text="kan inte läsa upp").wait_for()
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize(
    ("locale", "lang", "voice", "label"),
    [("en-GB", "en-GB", "Daniel", "Read aloud"), ("fi-FI", "fi-FI", "Satu", "Lue ääneen")],
)
def test_an_faq_answer_in_the_readers_language_is_read_in_that_language(
    browser: Browser, app_server: Server, locale: str, lang: str, voice: str, label: str
) -> None:
    """The municipality's own text in the reader's language (a browser preferring English or
    Finnish gets that app language on its first visit) is read with a voice for it."""
    context = browser.new_context(viewport=PHONE, locale=locale)
    context.add_init_script(FAKE_SPEECH % json.dumps([SWEDISH_LOCAL, US_ENGLISH, ENGLISH, FINNISH]))
    try:
        page = context.new_page()
        page.goto(app_server.base_url + "/#/hjalp")
        settled(page)
        faq = page.locator(".faq").first
        faq.locator("button.read", has_text=label).click()
        page.wait_for_function("() => window.__speech.spoken.length > 0")
        first = _speech(page)["spoken"][0]
        assert (first["lang"], first["voice"]) == (lang, voice)
        assert first["text"].startswith(faq.locator("h3").inner_text())
    finally:
        context.close()
