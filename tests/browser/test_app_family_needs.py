"""What a family needs from the app (issue #14), through the real build and server: the grade
letter on a year-8 assessment, a preschool's own tabs and group, contact details without any
protected person, the samtal facts once, "1 nytt inlägg", the student's own start, the English
FAQ and axe on every view in both languages and colour schemes (phone and offline cases:
test_app_phone_offline.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.app_harness import (
    CASES,
    DESKTOP,
    NAMES,
    PHONE,
    Server,
    assert_accessible,
    child_href,
    choose_language,
    family_context,
    go,
    screenshot,
    settled,
    sign_in,
    watch_errors,
)

pytestmark = pytest.mark.browser


def _tab_names(page: Page) -> list[str]:
    return [t.strip() for t in page.locator(".tabs a").all_inner_texts()]


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """A phone with its own client address (the key service limits sign-ins per address)."""
    context = family_context(browser, viewport=PHONE)
    yield context
    context.close()


def test_year8_assessment_shows_the_grade_letter_with_its_label(
    phone: BrowserContext, app_server: Server
) -> None:
    page = phone.new_page()
    errors = watch_errors(page)
    guardian = CASES["children_of"]
    parent = next(g for g, kids in guardian.items() if CASES["year8_child"] in kids)
    sign_in(page, app_server, parent)
    go(page, child_href(page, CASES["year8_child"]) + "/omdomen")
    grades = page.locator(".omdome .grade").all_inner_texts()
    assert grades, "no grade shown"
    labels = {"A": "Mycket gott", "B": "Mellan C och A", "C": "Gott", "D": "Mellan E och C",
              "E": "Godtagbart", "F": "Underkänt"}  # fmt: skip
    for text in grades:
        code = text.split()[0]
        assert code in labels and labels[code] in text, text
    current = page.locator(".scale [aria-current=step] .step-code").all_inner_texts()
    assert current == [g.split()[0] for g in grades]
    assert_accessible(page, "year 8 assessments")
    screenshot(page, "year8-omdomen")
    # On a wide screen the six steps stand in one row, equally wide.
    page.set_viewport_size(DESKTOP)
    steps = [b for b in page.locator(".scale").first.locator(".step").all()]
    boxes = [s.bounding_box() for s in steps]
    assert len({round(b["y"]) for b in boxes if b}) == 1
    assert len({round(b["width"]) for b in boxes if b}) == 1
    screenshot(page, "year8-omdomen-desktop")
    page.set_viewport_size(PHONE)
    choose_language(page, "English")
    page.get_by_role("heading", name="Assessments", level=2).wait_for()
    english = page.locator(".omdome .grade").all_inner_texts()
    assert any(re.match(r"^[A-F]\s+(Very good|Good|Acceptable|Fail|Between)", g) for g in english)
    assert "Betygsskalan" not in page.locator(".omdome").first.inner_text()
    assert_accessible(page, "year 8 assessments (en)")
    assert errors == []


def test_preschool_child_has_its_own_tabs_and_group(
    phone: BrowserContext, app_server: Server
) -> None:
    page = phone.new_page()
    sign_in(page, app_server, CASES["guardian_two_children"])
    card = page.locator(".card", has_text=NAMES[CASES["preschool_child"]])
    assert "Humlan" in card.locator(".meta").inner_text()
    assert card.locator(".quick a").all_inner_texts() == [
        "Lärlogg",
        "Planeringar",
        "Utvecklingssamtal",
        "Kontakt",
    ]
    href = child_href(page, CASES["preschool_child"])
    go(page, href + "/larlogg")
    assert _tab_names(page) == ["Lärlogg", "Planeringar", "Utvecklingssamtal", "Kontakt"]
    assert "Humlan" in page.locator("main .meta").first.inner_text()
    # An IUP link from elsewhere lands on a tab the preschool has.
    go(page, href + "/iup")
    assert page.locator("h2#tab-title").inner_text() == "Lärlogg"
    # The school child of the same family keeps all five and the contact tab.
    go(page, "#/")
    go(page, child_href(page, "p-barn-07") + "/larlogg")
    assert len(_tab_names(page)) == 6


def test_contact_tab_names_school_and_mentor_and_no_protected_person(
    phone: BrowserContext, app_server: Server
) -> None:
    page = phone.new_page()
    parent = next(g for g, k in CASES["children_of"].items() if CASES["year8_child"] in k)
    sign_in(page, app_server, parent)
    go(page, child_href(page, CASES["year8_child"]) + "/kontakt")
    main = page.locator("main")
    text = main.inner_text()
    assert "Ekskolan" in text and "08-465 004 10" in text and "ekskolan@exempelby.se" in text
    assert "Skolgatan 10" in text
    first = page.locator(".staff li").first.inner_text()
    assert "Ylva Åkesson" in first and "Mentor" in first and "ylva.akesson@exempelby.se" in first
    assert page.locator("a[href^='tel:']").first.get_attribute("href") == "tel:084650041" + "0"
    for staff in CASES["staff_of"]["g-8c"]:
        protected = staff == "Tove Hed"
        assert (staff in text) != protected, staff
    assert page.get_by_role("link", name="Ändra kontaktuppgifter").is_visible()
    assert_accessible(page, "contact")
    screenshot(page, "contact")
    # Preschool: förskollärare and barnskötare of the group.
    go(page, "#/")
    go(page, child_href(page, "p-barn-02") + "/kontakt")
    roles = page.locator(".staff .roles").all_inner_texts()
    assert any("Förskollärare" in r for r in roles) and any("Barnskötare" in r for r in roles)


def test_the_no_documentation_page_gives_the_municipalitys_contact(
    phone: BrowserContext, app_server: Server
) -> None:
    page = phone.new_page()
    sign_in(page, app_server, CASES["no_custody_parent"])
    text = page.locator("main").inner_text()
    assert "expedition" not in text
    assert "08-465 004 00" in text and "kontaktcenter@exempelby.se" in text
    assert_accessible(page, "no documentation with contact")


# Drops the newest seen entry of every child from IndexedDB, as if it had come after the visit.
FORGET_ONE_SEEN = """async () => {
  const db = await new Promise((ok) => {
    const r = indexedDB.open("fp-app"); r.onsuccess = () => ok(r.result); });
  const read = db.transaction("kv").objectStore("kv").get("seen");
  const seen = await new Promise((ok) => { read.onsuccess = () => ok(read.result); });
  for (const id of Object.keys(seen)) seen[id] = seen[id].slice(1);
  const tx = db.transaction("kv", "readwrite");
  tx.objectStore("kv").put(seen, "seen");
  await new Promise((ok) => { tx.oncomplete = ok; });
  db.close();
}"""


def test_samtal_facts_once_and_new_entries_counted_in_good_swedish(
    phone: BrowserContext, app_server: Server
) -> None:
    page = phone.new_page()
    sign_in(page, app_server, CASES["guardian_two_children"])
    href = child_href(page, "p-barn-07")
    go(page, href + "/samtal")
    talk = page.locator("section.tab").inner_text()
    date = page.locator(".facts time").inner_text()
    assert talk.count(date) == 1 and talk.count("45 min") == 1
    # Forget one seen entry: the card says "1 nytt inlägg", the post's badge stands apart.
    page.evaluate(FORGET_ONE_SEEN)
    page.reload()
    settled(page)
    go(page, "#/")
    badges = page.locator(".card .badge").all_inner_texts()
    assert badges == ["1 nytt inlägg sedan ditt senaste besök"] * 2
    go(page, href + "/larlogg")
    heading = page.locator(".entry h3", has=page.locator(".badge")).first
    assert re.search(r"\S Nytt$", heading.inner_text())
    title, badge = (heading.locator("span").nth(i).bounding_box() for i in range(2))
    assert title and badge and badge["x"] >= title["x"] + title["width"] + 4
    screenshot(page, "larlogg-new")


def test_forget_is_not_offered_on_a_first_visit_and_the_title_is_not_doubled(
    phone: BrowserContext, app_server: Server
) -> None:
    page = phone.new_page()
    page.goto(app_server.base_url + "/")
    settled(page)
    assert page.title() == "Skoldokumentation"
    assert page.get_by_role("link", name="Glöm den här enheten").count() == 0
    # Installed first: the worker's install makes its (empty) caches, which are not the family's.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
    go(page, "#/hjalp")
    assert page.get_by_role("link", name="Glöm den här enheten").count() == 0
    assert page.title() == "Hjälp — Skoldokumentation"
    sign_in(page, app_server, CASES["guardian_two_children"])
    assert page.get_by_role("link", name="Glöm den här enheten").count() == 1


def test_a_student_lands_on_their_own_documentation(
    phone: BrowserContext, app_server: Server
) -> None:
    page = phone.new_page()
    errors = watch_errors(page)
    page.goto(app_server.base_url + "/")
    settled(page)
    students = page.locator("section.students")
    assert "årskurs 7" in students.inner_text()
    assert students.get_by_role("link", name="Elev? Logga in med skolkontot").is_visible()
    sign_in(page, app_server, CASES["student"], student=True)
    page.wait_for_url("**/barn/**/larlogg")
    settled(page)
    assert page.locator("main h1").inner_text() == NAMES[CASES["student"]]
    assert page.locator(".back").count() == 0
    assert "din dokumentation" in page.locator("main").inner_text()
    assert page.locator("[data-action=save-offline]").count() == 1
    assert_accessible(page, "student start")
    screenshot(page, "student-start")
    go(page, "#/hjalp")
    assert "Jag är elev och kan inte logga in" in page.locator("main").inner_text()
    assert errors == []


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_english_help_is_english_and_focus_stays_on_the_language_button(
    browser: Browser, app_server: Server, size: str
) -> None:
    context = family_context(browser, viewport=PHONE if size == "phone" else DESKTOP)
    try:
        page = context.new_page()
        page.goto(app_server.base_url + "/#/hjalp")
        settled(page)
        page.locator("#top [data-action=language]").focus()
        page.keyboard.press("Enter")  # opens the picker
        for _ in range(8):  # through the list, by keyboard, to English
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.dataset.lang") == "en":
                break
        page.keyboard.press("Enter")
        page.get_by_role("heading", name="Help", level=1).wait_for()
        settled(page)
        focused = page.evaluate("() => document.activeElement.dataset.action")
        assert focused == "language"
        ring = page.evaluate("() => getComputedStyle(document.activeElement).outlineColor")
        assert ring == "rgb(255, 213, 74)"  # visible on the blue header
        questions = page.locator(".faq h3").all_inner_texts()
        assert "Do I need an e-ID, and which ones work?" in questions
        assert "I am a student and cannot sign in. What do I do?" in questions
        assert not [q for q in questions if re.search(r"[åäö]", q)]
        text = page.locator("main").inner_text()
        for word in (
            "BankID on card",
            "Freja+",
            "co-ordination number",
            "private",
            "08-465 004 00",
        ):
            assert word in text, word
        assert page.locator(".help ul a", has_text="Change contact details").is_visible()
        assert_accessible(page, f"help (en, {size})")
        screenshot(page, f"help-en-{size}")
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_view_is_accessible_in_both_languages_and_schemes(
    browser: Browser, app_server: Server, scheme: str, lang: str
) -> None:
    context = family_context(browser, viewport=PHONE)
    try:
        page = context.new_page()
        page.emulate_media(color_scheme=scheme)
        parent = next(g for g, k in CASES["children_of"].items() if CASES["year8_child"] in k)
        sign_in(page, app_server, parent)
        if lang == "en":
            choose_language(page, "English")
            page.get_by_role("heading", name="Family", level=1).wait_for()
        assert_accessible(page, f"family {lang} {scheme}")
        hrefs = page.locator(".card h2 a").evaluate_all("(as) => as.map((a) => a.hash)")
        for href in hrefs:
            go(page, href)
            for tab in page.locator(".tabs a").evaluate_all("(as) => as.map((a) => a.hash)"):
                go(page, tab)
                assert_accessible(page, f"{tab} {lang} {scheme}")
                if tab.endswith("omdomen") or tab.endswith("kontakt") or tab.endswith("iup"):
                    screenshot(page, f"{lang}-{scheme}-{tab.rsplit('/', 1)[1]}-{hrefs.index(href)}")
        for route in ("#/hjalp", "#/nowhere"):
            go(page, route)
            assert_accessible(page, f"{route} {lang} {scheme}")
        if lang == "en":
            go(page, hrefs[-1].rsplit("/", 1)[0] + "/samtal")
            talk = page.locator("main").inner_text()
            assert not re.search(r"Det här kom vi|Att fundera|Hur upplever ni", talk)
            assert "How do you feel your child is getting on at school?" in talk
            go(page, hrefs[-1].rsplit("/", 1)[0] + "/planeringar")
            caption = page.locator("caption").first.inner_text()
            assert caption.startswith("Assessment matrix") and "Bedömningsmatris" not in caption
            assert page.locator("thead th").first.inner_text() == "Ability"
        page.get_by_role("button", name="Lock" if lang == "en" else "Lås").click()
        # No device lock set up: the app says first that e-ID is needed again (issue #13).
        page.locator("[data-action=lock-anyway]").wait_for()
        settled(page)
        assert_accessible(page, f"lock without a device lock {lang} {scheme}")
        page.locator("[data-action=lock-anyway]").click()
        page.locator("section.start").wait_for()
        settled(page)
        assert_accessible(page, f"start {lang} {scheme}")
        for route in ("#/error/failed", "#/error/expired", "#/glom", "#/hjalp"):
            go(page, route)
            assert_accessible(page, f"locked {route} {lang} {scheme}")
    finally:
        context.close()
