"""The per-feature Markdown converters give exactly the HTML of the full converter."""

from __future__ import annotations

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.pipeline.render.converters import AttachmentView, Converters, _AttachmentExtension

PIECES = [
    "*a*", "**b**", "_c_", "[l](https://x.se)", "![i](bild.jpg)", "![i](x.png)", "<b>h</b>",
    "&amp;", "&#169;", "`code`", "\\*", "a | b\n--|--\n1 | 2\n", "<https://x.se>", "<a@b.se>",
    "  \n", "[ref]\n\n[ref]: https://r.se", "- x\n- y\n", "1. a\n2. b\n", "    kod\n",
    "<div>x</div>\n\n", "__s__", " * ", "[x]", "&", "<", "|", "`", "\\", "Åsa läser.", "\n\n",
]  # fmt: skip
VIEW = AttachmentView("bild.jpg", "a" * 26, "image", "bild.webp", "Bron", None)


def _full() -> tuple[markdown.Markdown, list[object]]:
    holder: list[object] = []
    converter = markdown.Markdown(
        extensions=["tables", "sane_lists", _AttachmentExtension(holder)],  # type: ignore[arg-type]
        output_format="html",
    )
    return converter, holder


FULL, FULL_REFS = _full()
CONVERTERS = Converters()


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map(" ".join))
def test_same_html_and_same_inline_attachments(text: str) -> None:
    refs = FULL_REFS[0]
    refs.views, refs.used = {"bild.jpg": VIEW}, set()  # type: ignore[attr-defined]
    expected = FULL.reset().convert(text), set(refs.used)  # type: ignore[attr-defined]
    converter, own = CONVERTERS.for_text(text)
    own.views, own.used = {"bild.jpg": VIEW}, set()
    assert (converter.reset().convert(text), set(own.used)) == expected


def test_a_text_without_markers_gets_a_trimmed_converter() -> None:
    converter, _ = CONVERTERS.for_text("Vi *läste* en saga.")
    assert "link" not in converter.inlinePatterns and "html" not in converter.inlinePatterns
    assert "em_strong" in converter.inlinePatterns
    linked, _ = CONVERTERS.for_text("Se [sidan](https://x.se) | och `kod`.")
    assert "link" in linked.inlinePatterns and "backtick" in linked.inlinePatterns
