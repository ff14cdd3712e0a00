"""The municipality's own texts in the app's languages (issue #22): `{ sv = "…", ar = "…" }` on
every text export.toml shows families; a wrong language, an empty text or a translation without
its Swedish text is refused naming file, field and fix; the older `*_en` fields keep working and
publish exactly what the new shape does."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from site_builder.export.config import ExportConfig, IupTemplate
from site_builder.pipeline.publish.public import config_json
from site_builder.pipeline.render.iup_headings import iup_headings
from tests.export.edit import replace_in
from tests.export.minimal import EXPORT_TOML, LEGAL_TOML

ExpectProblem = Callable[..., dict[str, str]]
SCALE_NAME = 'name = "Fyrgradig skala"'


@pytest.mark.parametrize(
    ("new", "field", "message", "fix"),
    [
        (
            'name = { sv = "Fyrgradig skala", xx = "Four steps" }',
            "scales[0].name",
            "unknown language code 'xx'",
            "sv, en, ar, fa, so, ti, fi",
        ),
        (
            'name = { sv = "Fyrgradig skala", ar = " " }',
            "scales[0].name",
            "the ar text is empty",
            'leave out `ar = ""`',
        ),
        (
            'name = { en = "Four steps", fi = "Neliportainen" }',
            "scales[0].name",
            "(en, fi) without the Swedish text",
            'add sv = "…"',
        ),
        (
            'name = "Fyrgradig skala"\nname_en = "Four steps"\n'
            'levels = [{ code = "1", label = { sv = "På väg", en = "On the way" }, en = "Going" },'
            ' { code = "2", label = "Gott" }]\n[[scales]]\nid = "x"\nname = "X"',
            "scales[0].levels[0]",
            "label is given in en twice",
            "remove `en`",
        ),
    ],
)
def test_a_wrong_text_is_refused_naming_field_and_fix(
    export_dir: Path, expect_problem: ExpectProblem, new: str, field: str, message: str, fix: str
) -> None:
    replace_in(export_dir / "export.toml", SCALE_NAME, new)
    problem = expect_problem(file="export.toml", field=field)
    assert message in problem["message"], problem
    assert fix in problem["fix"], problem


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ('\n[contact]\nname = "Kontaktcenter"\nhours_en = "Weekdays 8–17"\n', "contact.hours"),
        ('\n[[faq]]\nlang = "de"\nquestion = "Frage?"\nanswer = "Antwort."\n', "faq[0].lang"),
        (
            '\n[[service_links]]\nkind = "absence"\nlabel = { ar = "الغياب" }\n'
            'url = "https://e.example/franvaro"\n',
            "service_links[0].label",
        ),
    ],
)
def test_a_translation_without_swedish_or_an_unknown_faq_language_is_refused(
    export_dir: Path, expect_problem: ExpectProblem, extra: str, field: str
) -> None:
    path = export_dir / "export.toml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    problem = expect_problem(file="export.toml", field=field)
    assert "Traceback" not in problem["message"]


OLD = """
[[iup_templates]]
id = "iup"
goals_heading = "Mina mål"
en = { goals_heading = "My goals" }

[[talk_templates]]
id = "talk"
guardian_questions = ["Hur trivs ert barn?"]
guardian_questions_en = ["How is your child getting on?"]

[[service_links]]
kind = "absence"
label = "Anmäl frånvaro"
label_en = "Report absence"
url = "https://e.example/franvaro"

[contact]
name = "Kontaktcenter"
hours = "Vardagar 8–17"
hours_en = "Weekdays 8–17"
"""
NEW = """
[[iup_templates]]
id = "iup"
goals_heading = { sv = "Mina mål", en = "My goals" }

[[talk_templates]]
id = "talk"
guardian_questions = [{ sv = "Hur trivs ert barn?", en = "How is your child getting on?" }]

[[service_links]]
kind = "absence"
label = { sv = "Anmäl frånvaro", en = "Report absence" }
url = "https://e.example/franvaro"

[contact]
name = "Kontaktcenter"
hours = { sv = "Vardagar 8–17", en = "Weekdays 8–17" }
"""


def _config(extra: str) -> ExportConfig:
    scale = EXPORT_TOML.replace(SCALE_NAME, 'name = "Fyrgradig skala"\nname_en = "Four steps"')
    if extra is NEW:
        scale = EXPORT_TOML.replace(
            SCALE_NAME, 'name = { sv = "Fyrgradig skala", en = "Four steps" }'
        )
    return ExportConfig.model_validate(tomllib.loads(scale + LEGAL_TOML + extra))


def test_the_older_english_fields_publish_what_the_new_shape_does() -> None:
    old, new = _config(OLD), _config(NEW)
    assert old == new
    assert config_json(old) == config_json(new)
    published = json.loads(config_json(new))
    assert published["service_links"][0]["label"] == {
        "sv": "Anmäl frånvaro",
        "en": "Report absence",
    }
    assert published["contact"]["hours"] == {"sv": "Vardagar 8–17", "en": "Weekdays 8–17"}
    assert new.scales[0].name.as_dict() == {"sv": "Fyrgradig skala", "en": "Four steps"}
    assert new.talk_templates[0].guardian_questions[0].get("en") == "How is your child getting on?"


def test_every_language_is_kept_and_iup_defaults_are_translated() -> None:
    config = _config(
        NEW.replace(
            'en = "My goals" }', 'en = "My goals", ar = "أهدافي", fi = "Omat tavoitteeni" }'
        )
    )
    headings = iup_headings(config.iup_templates[0])
    # The municipality's own heading: exactly the languages it gave (the app falls back to sv).
    assert headings["goals_heading"] == {
        "sv": "Mina mål",
        "en": "My goals",
        "ar": "أهدافي",
        "fi": "Omat tavoitteeni",
    }
    # A heading left at its Swedish default: the app's translation in every language.
    assert set(headings["home_heading"]) == {"sv", "en", "ar", "fa", "so", "ti", "fi"}
    assert iup_headings(IupTemplate(id="x"))["goals_heading"]["fi"] == "Tavoitteet"
    faq = ExportConfig.model_validate(
        tomllib.loads(
            EXPORT_TOML
            + LEGAL_TOML
            + '\n[[faq]]\nlang = "so"\nquestion = "Su\'aal?"\nanswer = "Jawaab."\n'
        )
    ).faq
    assert faq[0].lang == "so"
