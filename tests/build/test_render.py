"""Markdown image references: attachments become data-fp-blob, other sources are dropped."""

from __future__ import annotations

from site_builder.pipeline.render.fragments import AttachmentView, RenderCache, Renderer
from site_builder.pipeline.shell.theme import THEMES_ROOT, resolve_theme

BLOB = "k" * 26


def _renderer() -> Renderer:
    theme = resolve_theme(
        export_root=THEMES_ROOT, export_theme=None, theme_name=None, themes_root=THEMES_ROOT
    )
    return Renderer(theme)


def test_attachment_images_become_blob_refs_and_foreign_images_go() -> None:
    view = AttachmentView("bild.jpg", BLOB, "image", "bild.webp", "En bro", None)
    html, inline = _renderer().body_html(
        "![En bro](bild.jpg)\n\n![spår](https://tracker.example/p.gif)\n\n<script>x()</script>",
        [view],
    )
    assert f'data-fp-blob="{BLOB}"' in html
    assert "tracker" not in html and "src=" not in html and "<script" not in html
    assert inline == {"bild.jpg"}


def test_cache_renders_an_unchanged_document_once() -> None:
    renderer = _renderer()
    cache = RenderCache({})
    for _ in range(3):
        renderer.fragment(
            "omdome.html.j2", doc_sha256="a" * 64, body="Bra.", views=[], cache=cache, context={}
        )
    assert cache.rendered == 1
    again = RenderCache(cache.current)
    renderer.fragment(
        "omdome.html.j2", doc_sha256="a" * 64, body="Bra.", views=[], cache=again, context={}
    )
    assert again.rendered == 0


def test_matrix_is_an_accessible_table() -> None:
    from datetime import date

    from site_builder.export.documents import UnitPlan

    plan = UnitPlan(
        title="Broar",
        subject="Teknik",
        start=date(2026, 9, 1),
        end=date(2026, 10, 1),
        matrix_levels=["Nivå 1", "Nivå 2"],
        matrix=[{"criterion": "Bygga", "levels": ["Med stöd", "Själv"]}],
    )
    html = _renderer().fragment(
        "plan.html.j2",
        doc_sha256="b" * 64,
        body="Text",
        views=[],
        cache=RenderCache({}),
        context={"plan": plan},
    )
    assert '<th scope="col">Nivå 2</th>' in html
    assert '<th scope="row">Bygga</th>' in html
    assert "<caption>" in html
