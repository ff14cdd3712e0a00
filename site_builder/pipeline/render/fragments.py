"""Render: Markdown → HTML → sanitize → the theme's jinja2 fragments, with a cache.

Each fragment is cached under a key made of the document's sha256, the theme's fingerprint, the
template name and every other input of the fragment (attachment ids, headings...), so an unchanged
document is never rendered twice and a no-op rebuild renders nothing.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from dataclasses import asdict
from typing import Any

import jinja2
from markupsafe import Markup

from site_builder.pipeline.render.converters import AttachmentView as AttachmentView  # re-exported
from site_builder.pipeline.render.converters import Converters
from site_builder.pipeline.render.sanitize import sanitize_html
from site_builder.pipeline.shell.theme import Theme, make_environment


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
        self.converters = Converters()

    def body_html(self, text: str, views: list[AttachmentView]) -> tuple[str, set[str]]:
        """Markdown → sanitized HTML; also which attachments the text shows inline."""
        md, refs = self.converters.for_text(text)
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
