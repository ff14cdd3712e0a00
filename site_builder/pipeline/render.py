"""Stage 3, render: Markdown → HTML → sanitize → the theme's jinja2 fragments, with a cache.

Each fragment is cached under a key made of the document's sha256, the theme's fingerprint, the
template name and every other input of the fragment (attachment ids, headings...), so an unchanged
document is never rendered twice and a no-op rebuild renders nothing.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass
from typing import Any

import jinja2
import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from site_builder.pipeline.sanitize import sanitize_html
from site_builder.pipeline.theme import Theme, make_environment


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


def _markdown(*, tables: bool) -> tuple[markdown.Markdown, _AttachmentRefs]:
    holder: list[_AttachmentRefs] = []
    extensions: list[str | Extension] = ["tables"] if tables else []
    converter = markdown.Markdown(
        extensions=[*extensions, "sane_lists", _AttachmentExtension(holder)],
        output_format="html",
    )
    return converter, holder[0]


class RenderCache:
    """Fragments by cache key: `previous` from the state dir, `current` what this build used."""

    def __init__(self, previous: dict[str, str]) -> None:
        self.previous = previous
        self.current: dict[str, str] = {}
        self.rendered = 0


class Renderer:
    """One per worker process: a jinja2 Environment and a Markdown converter."""

    def __init__(self, theme: Theme) -> None:
        self.env: jinja2.Environment = make_environment(theme)
        self.theme_hash = theme.fingerprint()
        self.md, self._refs = _markdown(tables=True)
        # `tables` tests every block for a table (~40 % of the Markdown time) and changes
        # nothing in a text without "|": such texts use a converter without it.
        self.md_plain, self._refs_plain = _markdown(tables=False)

    def body_html(self, text: str, views: list[AttachmentView]) -> tuple[str, set[str]]:
        """Markdown → sanitized HTML; also which attachments the text shows inline."""
        md, refs = (self.md, self._refs) if "|" in text else (self.md_plain, self._refs_plain)
        refs.views = {posixpath.normpath(v.file): v for v in views}
        refs.used = set()
        html = md.reset().convert(text)
        return sanitize_html(html, blob_ids={v.blob for v in views}), set(refs.used)

    def fragment(
        self,
        template: str,
        *,
        doc_sha256: str,
        body: str,
        views: list[AttachmentView],
        cache: RenderCache,
        context: dict[str, Any],
    ) -> str:
        key = self._cache_key(template, doc_sha256, views, context)
        html = cache.current.get(key) or cache.previous.get(key)
        if html is None:
            body_html, inline = self.body_html(body, views)
            figures = [v for v in views if v.file not in inline]
            html = self.env.get_template(template).render(
                body=Markup(body_html),  # noqa: S704 (sanitized just above)
                figures=figures,
                **context,
            )
            cache.rendered += 1
        cache.current[key] = html
        return html

    def _cache_key(
        self, template: str, doc_sha256: str, views: list[AttachmentView], context: dict[str, Any]
    ) -> str:
        material = {
            "doc": doc_sha256,
            "theme": self.theme_hash,
            "template": template,
            "views": [asdict(v) for v in views],
            "context": context,
        }
        encoded = json.dumps(material, sort_keys=True, default=_jsonable).encode()
        return hashlib.sha256(encoded).hexdigest()


def _jsonable(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot key the render cache on {type(value).__name__}")
