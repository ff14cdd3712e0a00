"""A hostile export (XSS in every body and free-text field) builds into inert fragments only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from site_builder.pipeline.render.fragments import Renderer
from site_builder.pipeline.shell.theme import THEMES_ROOT, resolve_theme
from tests.export import minimal
from tests.security.active import active_content, html_fields
from tests.security.built import BuiltSite
from tests.security.hostile import BIDI_NAME, MARKDOWN_EXTRA, PAYLOADS

DANGEROUS = [p for p in PAYLOADS if p.startswith(("<", '"'))]


@pytest.mark.parametrize("payload", DANGEROUS)
def test_the_scanner_sees_every_raw_payload(payload: str) -> None:
    # Guards against a vacuous scanner: unsanitized, each payload is active content.
    assert active_content(payload), payload


def _fragments(site: BuiltSite) -> list[tuple[str, str]]:
    rid = site.rid(minimal.GUARDIAN_PNR)
    found: list[tuple[str, str]] = []
    for bundle in site.bundles(rid):
        found.extend((f"{bundle['kind']}{where[1:]}", html) for where, html in html_fields(bundle))
    return found


def test_every_view_of_the_hostile_child_was_rendered(hostile_site: BuiltSite) -> None:
    places = {where.split("[")[0].split(".html")[0] for where, _ in _fragments(hostile_site)}
    assert {"child.larlogg", "child.iup", "child.omdomen", "child.samtal", "plan.plans"} <= places


def test_no_fragment_holds_active_content(hostile_site: BuiltSite) -> None:
    fragments = _fragments(hostile_site)
    assert len(fragments) >= 5
    active = {where: found for where, html in fragments if (found := active_content(html))}
    assert active == {}


def test_payloads_arrive_as_text_and_safe_markup_survives(hostile_site: BuiltSite) -> None:
    # Not vacuous: the payloads reached the fragments (escaped or stripped), and the sanitizer
    # kept the teacher's harmless formatting.
    text = "\n".join(html for _, html in _fragments(hostile_site))
    assert "<strong>hemmet</strong>" in text
    # The body's template syntax as text: a body rendered as a template would say "hemmet. 49".
    assert "<strong>hemmet</strong>. {{ 7*7 }}" in text
    assert "&lt;script&gt;" in text  # front-matter text, autoescaped by the templates
    assert "{{ 7*7 }}" in text and ">49<" not in text  # no template evaluation of teachers' text


def test_public_faq_answer_is_inert(hostile_site: BuiltSite) -> None:
    config = json.loads((hostile_site.out / "config.json").read_text(encoding="utf-8"))
    fragments = html_fields(config)
    assert fragments, "the hostile FAQ answer is missing from config.json"
    assert {where: active_content(html) for where, html in fragments if active_content(html)} == {}


def test_names_are_plain_data_kept_verbatim(hostile_site: BuiltSite) -> None:
    # Names travel as JSON text (the app must insert them as text, see the browser test); the
    # bidi override is kept, not silently changed, so what the school wrote is what is shown.
    rid = hostile_site.rid(minimal.GUARDIAN_PNR)
    ring = hostile_site.keyring(rid)
    assert [child["givenName"] for child in ring["children"]] == [BIDI_NAME]
    child = next(b for b in hostile_site.bundles(rid) if b["kind"] == "child")
    assert child["child"]["givenName"] == BIDI_NAME


@pytest.mark.parametrize("payload", [*PAYLOADS, *MARKDOWN_EXTRA])
def test_each_payload_alone_renders_inert(tmp_path: Path, payload: str) -> None:
    """Each payload through the build's own Markdown and sanitizer, on its own: in the hostile
    body an unclosed `<script>` earlier on swallows what follows, so the later payloads (the data:
    link among them) would otherwise never reach the sanitizer's judgement."""
    theme = resolve_theme(
        export_root=tmp_path, export_theme=None, theme_name=None, themes_root=THEMES_ROOT
    )
    html, _ = Renderer(theme).body_html(f"Hej.\n\n{payload}\n", [])
    assert active_content(html) == [], (payload, html)
