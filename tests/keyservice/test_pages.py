"""The key service's own HTML pages (pages.py), in-process: the language an Accept-Language
picks, each block's lang/dir and heading, the texts with {n} in the language's plural form, the
link home or the one-click unsubscribe form, the head a browser reads, escaping, and a page that
still answers (never a 500) when a site's catalogue lacks messages or no catalogue is found."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
from starlette.requests import Request
from starlette.responses import HTMLResponse

from site_builder.keyservice.pages import DEFAULT_LOCALES, Pages
from site_builder.keyservice.ratelimit import too_many_page

EN_RATE = "There have been many sign-in attempts from your network in a short time."
SV_RATE = "Det har gjorts många inloggningsförsök från ditt nätverk på kort tid."


def _request(accept_language: str | None = None) -> Request:
    headers = [(b"accept", b"text/html")]
    if accept_language is not None:
        headers.append((b"accept-language", accept_language.encode()))
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers})


@dataclass
class Section:
    lang: str
    dir: str
    heading: tuple[str, str]  # (tag, text)
    text: str
    action: list[tuple[str, dict[str, str | None], str]] = field(default_factory=list)


@dataclass
class Shown:
    """What a browser makes of the page: <html>'s attributes, the head's elements, the title,
    the brand, the sections in order, and any text outside the elements that should hold text."""

    html: dict[str, str | None] = field(default_factory=dict)
    head: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    title: str = ""
    brand: str = ""
    sections: list[Section] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.shown = Shown()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.shown.html = found
        elif tag in ("meta", "link"):
            self.shown.head.append((tag, found))
        elif tag == "section":
            self.shown.sections.append(
                Section(lang=found["lang"] or "", dir=found["dir"] or "", heading=("", ""), text="")
            )
        elif tag in ("h1", "h2"):
            self.shown.sections[-1].heading = (tag, "")
        elif tag in ("a", "form", "input", "button"):
            self.shown.sections[-1].action.append((tag, found, ""))
        if tag not in ("meta", "link", "input"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, (self.open, tag)
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if not data.strip():
            return
        where = self.open[-1] if self.open else ""
        if where == "title":
            self.shown.title += data
        elif where == "span":
            self.shown.brand += data
        elif where in ("h1", "h2"):
            tag, text = self.shown.sections[-1].heading
            self.shown.sections[-1].heading = (tag, text + data)
        elif where == "p":
            self.shown.sections[-1].text += data
        elif where in ("a", "button"):
            tag, attrs, text = self.shown.sections[-1].action[-1]
            self.shown.sections[-1].action[-1] = (tag, attrs, text + data)
        else:
            self.shown.stray.append(data)


def _read(response: HTMLResponse) -> Shown:
    reader = _Reader()
    reader.feed(bytes(response.body).decode("utf-8"))
    reader.close()
    assert reader.open == []
    return reader.shown


HEAD = [
    ("meta", {"charset": "utf-8"}),
    ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
    ("meta", {"name": "color-scheme", "content": "light dark"}),
    ("meta", {"name": "referrer", "content": "no-referrer"}),
    ("link", {"rel": "stylesheet", "href": "/app/app.css"}),
]
HOME = {"class": "button", "href": "/"}


@pytest.mark.parametrize(
    ("accept", "wanted"),
    [
        (None, ["sv", "en"]),
        ("", ["sv", "en"]),
        ("sv", ["sv", "en"]),
        ("en", ["en", "sv"]),
        ("SV-fi", ["sv", "en"]),
        ("en-GB,en;q=0.9", ["en", "sv"]),
        ("ar-SE,ar;q=0.9,sv;q=0.5", ["ar", "sv", "en"]),
        ("prs-AF", ["fa", "sv", "en"]),
        ("prs", ["fa", "sv", "en"]),
        ("fa-AF", ["fa", "sv", "en"]),
        ("de-DE,fi;q=0.8", ["fi", "sv", "en"]),
        ("de, tlh, x, *, so", ["so", "sv", "en"]),
        ("fi;q=0.5, en;q=0.9", ["en", "sv"]),  # the higher q wins, not the first
        ("fi;q=1, en", ["fi", "sv", "en"]),  # no q is q=1: equal, so the first wins
        ("fi;q=1.2.3, en;q=0.5", ["en", "sv"]),  # an unreadable q counts as 0
        ("fi;q=0", ["sv", "en"]),  # q=0 is "not this one"
        ("fi;q=0, ti;q=0.1", ["ti", "sv", "en"]),
        (",".join(["de"] * 20 + ["en"]), ["sv", "en"]),  # only the first 20 are read
        (",".join(["de"] * 19 + ["en"]), ["en", "sv"]),
    ],
)
def test_accept_language_picks_the_first_language(accept: str | None, wanted: list[str]) -> None:
    """Which language a page is in first (then Swedish, then English, each once); unknown
    languages and region subtags fall back to Swedish."""
    pages = Pages()
    assert pages.languages(accept if accept is not None else "") == wanted
    shown = _read(
        pages.page(_request(accept), title="svcDoneTitle", text="svcDoneText", status=200)
    )
    assert [s.lang for s in shown.sections] == wanted
    assert shown.html == {"lang": wanted[0], "dir": "rtl" if wanted[0] in ("ar", "fa") else "ltr"}
    assert [s.dir for s in shown.sections] == [shown.html["dir"], "ltr", "ltr"][: len(wanted)]


def test_the_rate_limited_page_in_english_then_swedish() -> None:
    """Everything a person sees on the 429 page, English first: the head, title, brand, one h1
    then h2s, the wait in whole minutes filled in, and a link home in each language."""
    answer = too_many_page(_request("en-US,en;q=0.9"), 290, pages=Pages())
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "290"
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    shown = _read(answer)
    assert shown.html == {"lang": "en", "dir": "ltr"}
    assert shown.head == HEAD
    assert shown.title == "Too many attempts right now – School documentation"
    assert shown.brand == "School documentation"
    assert shown.stray == []
    assert shown.sections == [
        Section(
            lang="en",
            dir="ltr",
            heading=("h1", "Too many attempts right now"),
            text=f"{EN_RATE} Wait 5 minutes and try again.",
            action=[("a", HOME, "Go to the start page")],
        ),
        Section(
            lang="sv",
            dir="ltr",
            heading=("h2", "För många försök just nu"),
            text=f"{SV_RATE} Vänta 5 minuter och försök igen.",
            action=[("a", HOME, "Till startsidan")],
        ),
    ]


def test_a_right_to_left_language_first() -> None:
    """Arabic first: the page and its block right to left, Swedish and English left to right;
    one h1, then h2; Arabic's own plural form for two minutes."""
    answer = too_many_page(_request("ar"), 120, pages=Pages())
    shown = _read(answer)
    assert shown.html == {"lang": "ar", "dir": "rtl"}
    assert shown.title == "محاولات كثيرة جدًا الآن – الوثائق المدرسية"
    assert [(s.lang, s.dir, s.heading[0]) for s in shown.sections] == [
        ("ar", "rtl", "h1"),
        ("sv", "ltr", "h2"),
        ("en", "ltr", "h2"),
    ]
    assert "انتظر دقيقتين" in shown.sections[0].text  # CLDR "two"
    assert shown.sections[2].text == f"{EN_RATE} Wait 2 minutes and try again."


def test_the_unsubscribe_page_posts_the_one_click_body() -> None:
    """The unsubscribe link's page: no link home, one form per language that a browser posts to
    the link's address (escaped in the page, intact when posted) with exactly the RFC 8058
    body "List-Unsubscribe=One-Click"."""
    action = '/auth/unsubscribe?t=ab.c&x="><script>alert(1)</script>'
    answer = Pages().page(
        _request("fi"),
        title="svcUnsubTitle",
        text="svcUnsubText",
        status=200,
        form_action=action,
        button="svcUnsubButton",
        headers={"Cache-Control": "no-store"},
    )
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    assert b"<script>" not in answer.body
    shown = _read(answer)
    assert shown.stray == []
    assert [s.heading for s in shown.sections] == [
        ("h1", "Lopetetaanko sähköpostit Familjeportalenilta?"),
        ("h2", "Sluta få e-post från Familjeportalen?"),
        ("h2", "Stop e-mail from Familjeportalen?"),
    ]
    buttons = ["Poista sähköposti käytöstä", "Stäng av e-post", "Turn off e-mail"]
    for section, button in zip(shown.sections, buttons, strict=True):
        form, hidden, submit = section.action
        assert form == ("form", {"method": "post", "action": action}, "")
        assert submit == ("button", {"type": "submit"}, button)
        assert hidden[0] == "input" and hidden[1]["type"] == "hidden"
        assert urlencode({hidden[1]["name"]: hidden[1]["value"]}) == "List-Unsubscribe=One-Click"


def test_a_page_with_neither_link_nor_form() -> None:
    """The unsubscribe result pages: heading and text only (a form needs both an address and a
    button), the status as given."""
    for form_action, button in ((None, None), ("/auth/unsubscribe?t=x", None)):
        answer = Pages().page(
            _request("sv"),
            title="svcLaterTitle",
            text="svcLaterText",
            status=503,
            form_action=form_action,
            button=button,
        )
        assert answer.status_code == 503
        shown = _read(answer)
        assert shown.stray == []
        assert shown.sections == [
            Section(
                "sv", "ltr", ("h1", "Försök igen senare"), "Tjänsten är inte tillgänglig just nu."
            ),
            Section(
                "en", "ltr", ("h2", "Try again later"), "The service is not available right now."
            ),
        ]


def _site(tmp_path: Path, **catalogues: dict[str, str]) -> Pages:
    (tmp_path / "locales").mkdir(exist_ok=True)
    for code, messages in catalogues.items():
        (tmp_path / "locales" / f"{code}.json").write_text(json.dumps(messages), encoding="utf-8")
    return Pages.for_site(tmp_path)


def test_a_site_built_before_a_message_existed_shows_the_default_text(tmp_path: Path) -> None:
    """The service upgraded, the site not yet rebuilt: the site's own messages win, and each it
    lacks comes from the default theme's catalogue of that language — never the key."""
    pages = _site(tmp_path, en={"svcRateText": "Wait {n} minutes.", "svcDoneTitle": "Done"})
    shown = _read(too_many_page(_request("en"), 120, pages=pages))
    assert shown.title == "Too many attempts right now – School documentation"
    assert shown.sections[0].heading == ("h1", "Too many attempts right now")
    assert shown.sections[0].text == "Wait 2 minutes."  # the site's own text
    done = _read(pages.page(_request("en"), title="svcDoneTitle", text="svcDoneText", status=200))
    assert done.sections[0].heading == ("h1", "Done")


def test_a_catalogue_lacking_messages_still_gives_the_page(tmp_path: Path) -> None:
    """Messages no catalogue has: the page still answers with its status (never a 500), each
    missing message shown as its key, the missing link text as "/", the missing app name as
    the Swedish one, a missing plural form as the base message."""
    _site(tmp_path, en={"svcRateText": "Wait {n} minutes.", "svcDoneTitle": "Done"})
    (tmp_path / "only-sv").mkdir()
    (tmp_path / "only-sv" / "sv.json").write_text(
        (DEFAULT_LOCALES / "sv.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    pages = Pages(folders=(tmp_path / "locales", tmp_path / "only-sv"))
    answer = too_many_page(_request("en"), 60, pages=pages)
    assert answer.status_code == 429
    shown = _read(answer)
    assert shown.title == "svcRateTitle – Skoldokumentation"
    assert shown.brand == "Skoldokumentation"
    assert shown.sections[0] == Section(
        "en", "ltr", ("h1", "svcRateTitle"), "Wait 1 minutes.", [("a", HOME, "/")]
    )
    assert shown.sections[1].text == f"{SV_RATE} Vänta en minut och försök igen."  # default sv
    form = pages.page(
        _request("en"),
        title="svcUnsubTitle",
        text="svcUnsubText",
        status=200,
        form_action="/auth/unsubscribe?t=x",
        button="svcUnsubButton",
    )
    first = _read(form).sections[0]
    assert (first.heading, first.text, first.action[-1][2]) == (
        ("h1", "svcUnsubTitle"),
        "svcUnsubText",
        "svcUnsubButton",
    )


def test_a_corrected_catalogue_is_read_again(tmp_path: Path) -> None:
    """A rebuild that corrects a message: the next page shows the new text (the cache is per
    version of the file, not per path)."""
    pages = _site(tmp_path, en={"svcDoneTitle": "Done", "svcDoneText": "Old text."})
    shown = _read(pages.page(_request("en"), title="svcDoneTitle", text="svcDoneText", status=200))
    assert shown.sections[0].text == "Old text."
    path = tmp_path / "locales" / "en.json"
    path.write_text(json.dumps({"svcDoneTitle": "Done", "svcDoneText": "New text."}))
    later = path.stat().st_mtime + 10
    os.utime(path, (later, later))
    shown = _read(pages.page(_request("en"), title="svcDoneTitle", text="svcDoneText", status=200))
    assert shown.sections[0].text == "New text."


def test_a_language_no_folder_has_is_no_catalogue(tmp_path: Path) -> None:
    assert Pages(folders=(tmp_path / "nothing",)).catalogue("en") is None
    assert Pages.for_site(tmp_path).catalogue("xx") is None


def test_no_catalogue_at_all_still_answers(tmp_path: Path) -> None:
    """An install without its catalogues: a bare Swedish page with the status, never a 500."""
    pages = Pages(folders=(tmp_path / "nothing",))
    answer = pages.page(_request("en"), title="svcDoneTitle", text="svcDoneText", status=429)
    assert answer.status_code == 429
    shown = _read(answer)
    assert shown.html == {"lang": "sv", "dir": "ltr"}
    assert (shown.title, shown.brand, shown.sections) == (
        "svcDoneTitle – Skoldokumentation",
        "Skoldokumentation",
        [],
    )


def test_a_key_service_without_a_site_uses_the_default_catalogues() -> None:
    """`serve` without a published site (or before the first build): the default theme's texts."""
    pages = Pages.for_site(None)
    shown = _read(pages.page(_request("fi"), title="svcDoneTitle", text="svcDoneText", status=200))
    assert [(s.lang, s.heading[1]) for s in shown.sections] == [
        ("fi", "Valmis"),
        ("sv", "Klart"),
        ("en", "Done"),
    ]
