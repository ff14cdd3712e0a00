"""HTML of the dev provider: plain forms, no script and no inline style, so the CSP holds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from site_builder.devidp.personas import Persona

TEST_BANNER = "TESTMILJÖ — endast för test. Test environment — for testing only."


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} — TESTMILJÖ</title></head><body>"
        f'<p role="alert"><strong>{escape(TEST_BANNER)}</strong></p>'
        f"<h1>{escape(title)}</h1>{body}"
        f"<p><strong>{escape(TEST_BANNER)}</strong></p></body></html>\n"
    )


def _hidden_inputs(values: Mapping[str, str]) -> str:
    return "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in values.items()
    )


def _search_form(action: str, hidden: Mapping[str, str], query: str, shown: int, total: int) -> str:
    note = f"<p>Visar {shown} av {total}. Showing {shown} of {total}.</p>" if shown < total else ""
    return (
        f'<form method="get" action="{escape(action)}">{_hidden_inputs(hidden)}'
        '<p><label for="q">Sök testperson (namn, id eller personnummer) / '
        "Search (name, id or personal identity number)</label> "
        f'<input id="q" name="q" type="search" value="{escape(query)}"> '
        f'<button type="submit">Sök / Search</button></p></form>{note}'
    )


def picker_page(
    *,
    action: str,
    hidden: Mapping[str, str],
    personas: Sequence[Persona],
    client_label: str,
    search: Mapping[str, str] | None = None,
    query: str = "",
    total: int | None = None,
) -> str:
    """`personas` are those shown; with `search` (the GET parameters of this request), a search
    form narrows a register too large to list (`total` personas in all)."""
    buttons = "".join(
        f'<li><button type="submit" name="persona" value="{escape(p.id)}">'
        f"{escape(p.label)}</button></li>"
        for p in personas
    )
    if not personas:
        buttons = "<li>Inga testpersoner hittades. No test personas found.</li>"
    total = len(personas) if total is None else total
    finder = _search_form(action, search, query, len(personas), total) if search else ""
    body = (
        f"<p>Välj en testperson för {escape(client_label)}. "
        "Choose a test persona. No real identification takes place.</p>"
        f"{finder}"
        f'<form method="post" action="{escape(action)}">{_hidden_inputs(hidden)}<ul>{buttons}</ul>'
        '<p><button type="submit" name="persona" value="__cancel__">Avbryt / Cancel</button></p>'
        "</form>"
    )
    return _page("Test-e-legitimation", body)


def error_page(message: str) -> str:
    return _page("Fel i inloggningsbegäran", f"<p>{escape(message)}</p>")
