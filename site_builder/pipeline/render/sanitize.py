"""The allow-list sanitizer for teachers' HTML (untrusted): nh3, a maintained Rust sanitizer.

No script, style, iframe, form, object, embed or svg; no event handlers or style attributes;
links only to http, https or mailto (with rel="noopener noreferrer"); no relative, `javascript:`
or `data:` URLs. Attachments appear only as `data-fp-blob` references to blob ids the caller
names, which the app resolves through the reader's keyring.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt",
        "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
        "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
    }
)  # fmt: skip
# Removed together with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "template", "noscript"}
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title", "data-fp-blob", "data-fp-name"},
    "img": {"alt", "data-fp-blob"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "time": {"datetime"},
    "*": {"lang", "dir"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
_BLOB_ID = re.compile(r"^[a-z2-7]{26}$")


def _attribute_filter(blob_ids: Collection[str]) -> Callable[[str, str, str], str | None]:
    def keep(element: str, attribute: str, value: str) -> str | None:
        # A data-fp-blob must name one of this document's own attachments, nothing else.
        if attribute == "data-fp-blob":
            return value if _BLOB_ID.match(value) and value in blob_ids else None
        if attribute == "scope":
            return value if value in {"row", "col", "rowgroup", "colgroup"} else None
        return value

    return keep


_TAGS, _DROPPED, _SCHEMES = set(ALLOWED_TAGS), set(DROPPED_WITH_CONTENT), set(URL_SCHEMES)
# The attributes the filter judges; attribute names are ASCII case-insensitive in HTML.
_FILTERED = re.compile(r"data-fp-blob|scope", re.IGNORECASE)


# Cleaning converges in one or two passes; the bound only keeps a pathological input finite.
_MAX_PASSES = 4


def sanitize_html(html: str, *, blob_ids: Collection[str] = ()) -> str:
    """Keep only the allow-listed markup of `html`; `blob_ids` are the attachments it may name.

    The result is a fixpoint: cleaning it again gives it back unchanged.
    """
    # A browser parses our output again. The HTML parser repairs mis-nested markup (an <a> in an
    # <a> across a table) into a tree whose serialisation parses into another tree, so one pass
    # can publish markup that is not what the browser builds. Cleaning until the text stops
    # changing publishes what was checked. Text that comes out as it went in (most teachers'
    # text) is a fixpoint already and costs no second pass.
    clean = html
    for _ in range(_MAX_PASSES):
        previous, clean = clean, _clean_once(clean, blob_ids)
        if clean == previous:
            break
    return clean


def _clean_once(html: str, blob_ids: Collection[str]) -> str:
    # The filter is a Python call per attribute; without the attributes it judges it would
    # keep every value as it is, so it is left out.
    needs_filter = _FILTERED.search(html) is not None
    return nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags=_DROPPED,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter(frozenset(blob_ids)) if needs_filter else None,
        url_schemes=_SCHEMES,
        url_relative="deny",
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
