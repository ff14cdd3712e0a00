"""The few HTML pages the key service itself shows (too many attempts, the e-mail unsubscribe
link), in the reader's language as well as Swedish and English.

In: the request's Accept-Language and a message's catalogue keys (`svc*` in the app's
catalogues, docs/languages.md). The catalogues are the published site's `locales/` (with the
municipality's corrections) when the key service serves one, else the default theme's. Out: a
complete page in the app's style (its stylesheet, no script): the best language first, then
Swedish, then English, each block marked with its lang and dir. Nothing personal goes in.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

from babel import Locale, UnknownLocaleError
from starlette.requests import Request
from starlette.responses import HTMLResponse

from site_builder.pipeline.shell.theme import THEMES_ROOT

DEFAULT_LOCALES = THEMES_ROOT / "default" / "shell" / "locales"
RTL = {"ar", "fa", "he", "ps", "ur", "ckb", "yi"}
ALIASES = {"prs": "fa", "fa-af": "fa"}  # Dari is served by the Persian catalogue
# Pages stay small: at most the reader's language, Swedish and English.
FALLBACKS = ("sv", "en")


@lru_cache(maxsize=64)
def _catalogue(path: Path, mtime: float) -> dict[str, str]:
    """One catalogue, read once per version of the file (`mtime` is the cache key)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}


@dataclass(frozen=True)
class Pages:
    """Where the catalogues are: the site's first, then the default theme's."""

    folders: tuple[Path, ...] = (DEFAULT_LOCALES,)

    @classmethod
    def for_site(cls, site_dir: Path | None) -> Pages:
        site = (site_dir / "locales",) if site_dir is not None else ()
        return cls(folders=(*site, DEFAULT_LOCALES))

    def catalogue(self, code: str) -> dict[str, str] | None:
        """The messages of `code`, the site's over the default theme's: a site built before a
        message existed (the service was upgraded, the site not yet rebuilt) shows the
        default's text, not the message's key. None when no folder has the language."""
        found: dict[str, str] | None = None
        for folder in reversed(self.folders):
            path = folder / f"{code}.json"
            try:
                messages = _catalogue(path, path.stat().st_mtime)
            except (OSError, ValueError):
                continue
            found = {**(found or {}), **messages}
        return found

    def languages(self, accept_language: str) -> list[str]:
        """The reader's best language (Accept-Language, q-values honoured) and the fallbacks."""
        wanted: list[tuple[float, int, str]] = []
        for i, part in enumerate(accept_language.split(",")[:20]):
            tag, _, params = part.strip().partition(";")
            match = re.search(r"q=([0-9.]+)", params)
            try:
                q = float(match[1]) if match else 1.0
            except ValueError:
                q = 0.0
            if tag and q > 0:
                wanted.append((-q, i, tag.strip().lower()))
        best = None
        for _, _, tag in sorted(wanted):
            primary = tag.split("-")[0]
            for code in (ALIASES.get(tag), ALIASES.get(primary), primary):
                if code and re.fullmatch(r"[a-z]{2,3}", code) and self.catalogue(code):
                    best = code
                    break
            if best:
                break
        ordered = [best, *FALLBACKS] if best else list(FALLBACKS)
        return [c for i, c in enumerate(ordered) if c and c not in ordered[:i]]

    def page(
        self,
        request: Request,
        *,
        title: str,
        text: str,
        status: int,
        n: int | None = None,
        link_home: bool = False,
        form_action: str | None = None,
        button: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> HTMLResponse:
        """A page whose heading and text are the catalogue messages `title` and `text` (with
        `{n}` and its plural form), an optional link home or one POST button, per language."""
        wanted = self.languages(request.headers.get("accept-language", ""))
        found = [(code, self.catalogue(code)) for code in wanted]
        shown = [(code, messages) for code, messages in found if messages]
        blocks = []
        for i, (code, messages) in enumerate(shown):
            action = ""
            if link_home:
                home = escape(messages.get("svcHome", "/"))
                action = f'<p><a class="button" href="/">{home}</a></p>'
            if form_action and button:
                action = (
                    f'<form method="post" action="{escape(form_action)}">'
                    '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
                    f'<button type="submit">{escape(messages.get(button, button))}</button></form>'
                )
            tag = "h2" if i else "h1"
            heading = escape(messages.get(title, title))
            body = escape(_message(messages, text, code=code, n=n))
            blocks.append(
                f'<section lang="{code}" dir="{_dir(code)}"><{tag}>{heading}</{tag}>'
                f"<p>{body}</p>{action}</section>"
            )
        lang, first = shown[0] if shown else ("sv", {})
        app = escape(first.get("app", "Skoldokumentation"))
        html = (
            f'<!doctype html>\n<html lang="{lang}" dir="{_dir(lang)}">\n'
            '<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="color-scheme" content="light dark">\n'
            '<meta name="referrer" content="no-referrer">\n'
            f"<title>{escape(first.get(title, title))} – {app}</title>\n"
            '<link rel="stylesheet" href="/app/app.css">\n</head>\n<body>\n'
            f'<header class="bar"><div class="bar-inner"><span class="brand">{app}</span>'
            "</div></header>\n"
            f'<main id="main">\n{"".join(blocks)}\n</main>\n</body>\n</html>\n'
        )
        return HTMLResponse(html, status_code=status, headers=headers)


def _dir(code: str) -> str:
    return "rtl" if code in RTL else "ltr"


def _message(messages: dict[str, str], key: str, *, code: str, n: int | None) -> str:
    """`key` with `{n}` filled in, in the plural form the language uses for `n` (CLDR)."""
    text = messages.get(key, key)
    if n is not None:
        try:
            form = Locale.parse(code).plural_form(n)
        except (ValueError, LookupError, UnknownLocaleError):
            form = "other"
        text = messages.get(f"{key}_{form}", text) if form != "other" else text
        text = text.replace("{n}", str(n))
    return text
