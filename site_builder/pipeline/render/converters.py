"""Markdown converters for teachers' text, and the processor that resolves attachment references.

Images a text names that are attachments become `<img data-fp-blob>`; any other image is dropped.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


@dataclass(frozen=True, slots=True)
class AttachmentView:
    """An attachment as a fragment shows it: its blob id and how to present it."""

    file: str  # as written in the front matter, relative to the Markdown file
    blob: str
    kind: str  # "image" or "pdf"
    name: str
    alt: str
    caption: str | None


class _AttachmentRefs(Treeprocessor):
    """`![alt](bild.jpg)` naming an attachment becomes `<img data-fp-blob>`; other images go."""

    def __init__(self, md: markdown.Markdown, views: dict[str, AttachmentView]) -> None:
        super().__init__(md)
        self.views = views
        self.used: set[str] = set()

    def _lookup(self, reference: str | None) -> AttachmentView | None:
        if not reference:
            return None
        return self.views.get(posixpath.normpath(reference.removeprefix("./")))

    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            for element in list(parent):
                if element.tag == "img":
                    view = self._lookup(element.get("src"))
                    if view is None or view.kind != "image":
                        parent.remove(element)  # a foreign or unknown image source: dropped
                        continue
                    element.attrib = {"data-fp-blob": view.blob, "alt": element.get("alt", "")}
                    self.used.add(view.file)
                elif element.tag == "a":
                    view = self._lookup(element.get("href"))
                    if view is not None:
                        element.attrib = {"data-fp-blob": view.blob, "data-fp-name": view.name}
                        self.used.add(view.file)


class _AttachmentExtension(Extension):
    def __init__(self, processor_holder: list[_AttachmentRefs]) -> None:
        super().__init__()
        self.holder = processor_holder

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        processor = _AttachmentRefs(md, {})
        self.holder.append(processor)
        md.treeprocessors.register(processor, "fp_attachments", 1)


# Inline patterns that cannot match a text without their marker character. Python-Markdown
# tries every inline pattern on every text node, so a text without any "[" or "<" pays for
# ten patterns that cannot apply; each feature set gets its own converter, without them.
_MARKERS: dict[str, tuple[str, ...]] = {
    "`": ("backtick",),
    "\\": ("escape",),
    "[": (
        "reference",
        "link",
        "image_link",
        "image_reference",
        "short_reference",
        "short_image_ref",
    ),
    "<": ("autolink", "automail", "html"),
    "&": ("entity",),
}


class Converters:
    """Markdown converters per feature set of a text, each with its attachment processor.

    `tables` tests every block for a table and changes nothing in a text without "|"; the
    inline patterns above need their marker. Leaving out what cannot apply gives the same HTML.
    """

    def __init__(self) -> None:
        self._made: dict[tuple[bool, ...], tuple[markdown.Markdown, _AttachmentRefs]] = {}

    def for_text(self, text: str) -> tuple[markdown.Markdown, _AttachmentRefs]:
        features = ("|" in text, *(marker in text for marker in _MARKERS))
        found = self._made.get(features)
        if found is None:
            found = self._made[features] = _converter(features)
        return found


def _converter(features: tuple[bool, ...]) -> tuple[markdown.Markdown, _AttachmentRefs]:
    holder: list[_AttachmentRefs] = []
    extensions: list[str | Extension] = ["tables"] if features[0] else []
    converter = markdown.Markdown(
        extensions=[*extensions, "sane_lists", _AttachmentExtension(holder)],
        output_format="html",
    )
    for present, names in zip(features[1:], _MARKERS.values(), strict=True):
        for name in names if not present else ():
            converter.inlinePatterns.deregister(name)
    return converter, holder[0]
