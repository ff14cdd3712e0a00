"""Find active content in an HTML fragment: elements, attributes and URLs that can run or load.

"Active" is about markup, not text: `&lt;script&gt;` shown as text is inert and allowed, a
`<script>` element is not. The fragment is parsed with html.parser (a tokenizer close to the
browser's), and the raw string is also searched for the opening of a dangerous tag, so a
tokenizer disagreement cannot hide one.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

FORBIDDEN_TAGS = frozenset(
    {
        "script", "svg", "math", "style", "iframe", "frame", "frameset", "object", "embed",
        "form", "input", "button", "textarea", "select", "base", "meta", "link", "template",
        "noscript", "applet", "audio", "video", "source", "track", "portal", "details", "dialog",
    }
)  # fmt: skip
# An opening of a forbidden tag in the raw text (escaped text reads "&lt;script").
_RAW_TAG = re.compile(r"<\s*/?\s*(" + "|".join(sorted(FORBIDDEN_TAGS)) + r")\b", re.IGNORECASE)
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "srcdoc", "xlink:href", "data"})
SAFE_SCHEMES = ("http:", "https:", "mailto:")
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            self._attribute(tag, name, value or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.found.append("<!-- comment -->")  # comments can hide markup from reviewers

    def handle_decl(self, decl: str) -> None:
        self.found.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.found.append(f"<?{data}>")

    def _attribute(self, tag: str, name: str, value: str) -> None:
        if name.startswith("on") or name in {"style", "srcset", "formaction", "http-equiv"}:
            self.found.append(f"<{tag} {name}=>")
        if name in URL_ATTRIBUTES:
            url = _IGNORED_IN_URL.sub("", value).lower()
            # Relative URLs would resolve against the app's origin (or an injected <base>).
            if not url.startswith(SAFE_SCHEMES):
                self.found.append(f"<{tag} {name}={value[:40]!r}>")


def active_content(fragment: str) -> list[str]:
    """Every active element, attribute or URL in `fragment` (empty when it is inert)."""
    scanner = _Scanner()
    scanner.feed(fragment)
    scanner.close()
    raw = [f"raw {m.group(0)!r}" for m in _RAW_TAG.finditer(fragment)]
    return scanner.found + raw


def html_fields(value: object, path: str = "$") -> list[tuple[str, str]]:
    """(JSON path, fragment) of every `html` / `*_html` string inside a decoded bundle."""
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}"
            if isinstance(item, str) and (key == "html" or key.endswith("_html")):
                found.append((where, item))
            else:
                found.extend(html_fields(item, where))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(html_fields(item, f"{path}[{index}]"))
    return found
