"""The municipality's own texts per language (issue #22, item 3) through the real build of
content/example (some texts in Arabic and Finnish, some only in Swedish): the reader's language
where the municipality gave it, else the Swedish text marked lang="sv" dir="ltr" with one note
"Texten finns bara på svenska" (in the reader's language) per block; axe clean, no sideways
scrolling at 320 px right to left."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page

from tests.browser.app_harness import (
    CASES,
    Server,
    assert_accessible,
    child_href,
    go,
    screenshot,
    settled,
    watch_errors,
)

pytestmark = pytest.mark.browser

NOTE = {
    "en": "This text is only available in Swedish.",
    "ar": "هذا النص متوفر باللغة السويدية فقط.",
    "fi": "Teksti on saatavilla vain ruotsiksi.",
}


@pytest.fixture
def device(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    """A phone (375 px) whose browser prefers `request.param` (first visit picks it)."""
    octets = ".".join(str(secrets.randbelow(250) + 1) for _ in range(3))
    context = browser.new_context(
        viewport={"width": 375, "height": 812},
        locale=request.param,
        extra_http_headers={"X-Forwarded-For": f"10.{octets}", "Accept-Language": request.param},
    )
    yield context
    context.close()


def _notes(scope: Page | Locator) -> list[str]:
    return [n.strip() for n in scope.locator(".only-sv").all_inner_texts()]


def _swedish(el: Locator) -> None:
    assert el.get_attribute("lang") == "sv" and el.get_attribute("dir") == "ltr"


def _sign_in_year8(page: Page, server: Server) -> None:
    """Sign in whatever the interface language (the sign-in link by its address)."""
    parent = next(g for g, kids in CASES["children_of"].items() if CASES["year8_child"] in kids)
    page.goto(server.base_url + "/")
    settled(page)
    page.locator("a[href^='/auth/login']").first.click()
    page.locator(f"button[name=persona][value='{parent}']").click()
    page.wait_for_url("**/#/", timeout=20_000)
    settled(page)


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth + 1")


@pytest.mark.parametrize("device", ["ar"], indirect=True)
def test_arabic_reader_sees_arabic_texts_and_swedish_ones_marked_with_one_note(
    device: BrowserContext, app_server: Server
) -> None:
    page = device.new_page()
    errors = watch_errors(page)
    page.goto(app_server.base_url + "/#/hjalp")
    settled(page)
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == [
        "ar",
        "rtl",
    ]
    main = page.locator("main")
    # No FAQ entry in Arabic: the Swedish ones, each marked, with one note per list.
    faq = main.locator(".faq")
    assert faq.count() > 3
    _swedish(faq.first.locator("h3"))
    _swedish(faq.first.locator(".fp-fragment"))
    # Service links: Arabic where given; "Ändra kontaktuppgifter" has none (Swedish + one note).
    links = main.locator(".help ul a[href^='https://e-tjanster']")
    texts = links.all_inner_texts()
    assert "الإبلاغ عن الغياب" in texts and "Ändra kontaktuppgifter" in texts
    _swedish(links.filter(has_text="Ändra kontaktuppgifter"))
    assert links.filter(has_text="الإبلاغ عن الغياب").get_attribute("lang") is None
    # Contact: the hours in Arabic, the name only in Swedish.
    contact = main.locator(".contact-municipality")
    assert "أيام العمل من 8 إلى 17" in contact.inner_text()
    _swedish(contact.locator("strong"))
    # One note per block (guardians' FAQ, students' FAQ, links, contact), in Arabic, not per text.
    assert _notes(main) == [NOTE["ar"]] * 4
    assert main.locator(".only-sv[role=note]").count() == 4
    assert_accessible(page, "help (ar)")
    screenshot(page, "help-ar-375")
    page.set_viewport_size({"width": 320, "height": 700})
    _no_sideways_scroll(page)
    screenshot(page, "help-ar-320")

    # The A–F scale is in Arabic (no note); Ekskolan's own scale has no Arabic: Swedish + a note.
    page.set_viewport_size({"width": 375, "height": 812})
    _sign_in_year8(page, app_server)
    child = child_href(page, CASES["year8_child"])
    go(page, child + "/omdomen")
    levels = page.locator(".omdome .level")
    assert levels.count() > 0
    by_scale = {
        "Betygsskalan": [lv for lv in levels.all() if "سلّم الدرجات" in lv.inner_text()],
        "Ekskolan": [lv for lv in levels.all() if "Ekskolans kunskapsskala" in lv.inner_text()],
    }
    assert by_scale["Betygsskalan"], "no assessment on the A–F scale shown in Arabic"
    for level in by_scale["Betygsskalan"]:
        assert _notes(level) == []
        assert level.locator("[lang=sv]").count() == 0
    for level in by_scale["Ekskolan"]:
        assert _notes(level) == [NOTE["ar"]]
    # Read-aloud and the note mirror with the page: the button starts at the right edge.
    button = page.locator(".omdome button.read").first
    box, article = button.bounding_box(), page.locator(".omdome").first.bounding_box()
    assert box and article and box["x"] + box["width"] > article["x"] + article["width"] - 40
    assert_accessible(page, "assessments (ar)")
    screenshot(page, "omdomen-ar-375")
    page.set_viewport_size({"width": 320, "height": 700})
    _no_sideways_scroll(page)
    screenshot(page, "omdomen-ar-320")
    # The talk's guardian questions are given in Arabic: the answer fields are labelled in it.
    page.set_viewport_size({"width": 375, "height": 812})
    go(page, child + "/samtal")
    answers = page.locator(".talk-answers")
    labels = answers.locator("label[for^=q]")
    assert labels.first.inner_text() == "كيف ترون أن طفلكم مرتاح في المدرسة؟"
    assert labels.first.get_attribute("lang") is None
    assert _notes(answers) == []
    # The fragment's own headings come in every language; the student's questions only in Swedish.
    student = page.locator(".fp-talk-student")
    assert student.locator("h3").inner_text() == "للتفكير فيه من قِبل التلميذ"
    assert student.locator("li [lang=sv]").count() == 3
    assert_accessible(page, "talk (ar)")
    screenshot(page, "samtal-ar-375")
    assert errors == []


@pytest.mark.parametrize("device", ["fi"], indirect=True)
def test_finnish_reader_sees_the_finnish_faq_and_no_note_where_all_is_finnish(
    device: BrowserContext, app_server: Server
) -> None:
    page = device.new_page()
    page.goto(app_server.base_url + "/#/hjalp")
    settled(page)
    main = page.locator("main")
    questions = main.locator(".faq h3").all_inner_texts()
    assert "Miten muutan yhteystietojani?" in questions
    assert not [q for q in questions if "jag" in q.lower()]  # no Swedish entry beside them
    links = main.locator(".help ul a[href^='https://e-tjanster']").all_inner_texts()
    assert links == ["Muuta yhteystietoja", "Ilmoita poissaolosta", "Hae paikkaa tai vaihda koulua"]
    assert _notes(main) == []
    contact = main.locator(".contact-municipality")
    assert "Exempelbyn kunnan asiakaspalvelu" in contact.inner_text()
    assert _notes(contact) == []
    assert_accessible(page, "help (fi)")
    screenshot(page, "help-fi-375")


@pytest.mark.parametrize("device", ["sv-SE", "en-GB", "ar"], indirect=True)
def test_the_privacy_notice_marks_each_swedish_only_text_once(
    device: BrowserContext, app_server: Server
) -> None:
    page = device.new_page()
    page.goto(app_server.base_url + "/#/integritet")
    settled(page)
    lang = page.evaluate("() => document.documentElement.lang")
    main = page.locator("main")
    if lang in ("sv", "en"):  # the example gives every privacy text in Swedish and English
        assert _notes(main) == []
        assert main.locator("p[lang=sv]").count() == 0
        return
    # Controller, purpose, legal basis and retention: Swedish only, each with its own note.
    notes = main.locator(".only-sv")
    assert _notes(main) == [NOTE["ar"]] * 4
    for i in range(4):
        _swedish(notes.nth(i).locator("xpath=preceding-sibling::p[1]"))
    assert_accessible(page, "privacy (ar)")
