"""export.toml's [privacy] and [accessibility]: `validate` (and so `build`) refuses an export
without any fact the privacy notice or the accessibility statement needs, naming the field and
the fix; the facts are published in config.json, and nothing else is added there."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from site_builder.export.config import ExportConfig
from site_builder.export.legal import Accessibility, Privacy
from site_builder.fp1 import MasterKey
from site_builder.pipeline.publish.public import config_json
from tests.export.conftest import EXAMPLE, run_cli
from tests.export.edit import replace_in
from tests.export.minimal import EXPORT_TOML, LEGAL_TOML

ExpectProblem = Callable[..., dict[str, str]]
REQUIRED = {
    "privacy": [
        "controller",
        "controller_email",
        "purpose",
        "legal_basis",
        "dpo_email",
        "retention_policy",
        "log_retention_days",
        "imy_url",
        "reviewed",
    ],
    "accessibility": [
        "compliance",
        "contact_email",
        "evaluation",
        "assessed",
        "digg_url",
        "reviewed",
    ],
}


def _drop_line(export_dir: Path, table: str, field: str) -> None:
    """Remove `field = …` from `[table]` only (both tables have a `reviewed`)."""
    path = export_dir / "export.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"\n[{table}]\n")
    end = text.find("\n[", start + 1)
    end = len(text) if end == -1 else end
    section = text[start:end]
    changed = re.sub(rf"\n{field} = [^\n]*", "", section, count=1)
    assert changed != section, f"{field} not in [{table}]"
    path.write_text(text[:start] + changed + text[end:], encoding="utf-8")


@pytest.mark.parametrize(
    ("table", "field"), [(table, field) for table, fields in REQUIRED.items() for field in fields]
)
def test_a_missing_legal_field_is_refused_by_name(
    export_dir: Path, expect_problem: ExpectProblem, table: str, field: str
) -> None:
    _drop_line(export_dir, table, field)
    problem = expect_problem(file="export.toml", field=f"{table}.{field}")
    # The message says what the page needs it for: the field's description in the model.
    need = (Privacy if table == "privacy" else Accessibility).model_fields[field].description
    assert need and problem["message"] == f"Field required: {need}"
    assert f"`{field} = …` under [{table}]" in problem["fix"]


def test_known_issues_must_be_listed_even_when_none(
    export_dir: Path, expect_problem: ExpectProblem
) -> None:
    replace_in(export_dir / "export.toml", "[[accessibility.known_issues]]\n", "")
    replace_in(
        export_dir / "export.toml", 'description = "Inskannade PDF-bilagor saknar text."\n', ""
    )
    replace_in(export_dir / "export.toml", 'wcag = "1.1.1"\n', "")
    problem = expect_problem(file="export.toml", field="accessibility.known_issues")
    assert "known_issues" in problem["fix"]
    # An explicit empty list is an answer: "we know of none".
    replace_in(
        export_dir / "export.toml", "[accessibility]\n", "[accessibility]\nknown_issues = []\n"
    )
    assert run_cli("validate", str(export_dir))[0] == 0


@pytest.mark.parametrize("table", ["privacy", "accessibility"])
def test_a_missing_table_says_what_goes_in_it(
    export_dir: Path, expect_problem: ExpectProblem, table: str
) -> None:
    split = LEGAL_TOML.index("[accessibility]")
    kept = LEGAL_TOML[split:] if table == "privacy" else LEGAL_TOML[:split]
    (export_dir / "export.toml").write_text(EXPORT_TOML + kept, encoding="utf-8")
    problem = expect_problem(file="export.toml", field=table)
    assert f"[{table}]" in problem["fix"]
    assert "docs/export-format.md#privacy-and-accessibility" in problem["fix"]
    for field in REQUIRED[table]:
        assert field in problem["fix"], field


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('dpo_email = "dataskyddsombud@provby.example"', 'dpo_email = "dso"', "privacy.dpo_email"),
        ('compliance = "partial"', 'compliance = "delvis"', "accessibility.compliance"),
        ("log_retention_days = 90", "log_retention_days = 0", "privacy.log_retention_days"),
        ('wcag = "1.1.1"', 'wcag = "alt-text"', "accessibility.known_issues[0].wcag"),
        ('digg_url = "https://www.digg.se/tdosanmalan"', 'digg_url = "digg"', "digg_url"),
    ],
)
def test_a_malformed_legal_field_is_refused(
    export_dir: Path, expect_problem: ExpectProblem, old: str, new: str, field: str
) -> None:
    replace_in(export_dir / "export.toml", old, new)
    expect_problem(file="export.toml", field=field)


def test_build_refuses_without_them_and_publishes_nothing(
    export_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITE_BUILDER_MASTER_KEY", MasterKey.generate().to_b64u())
    _drop_line(export_dir, "privacy", "dpo_email")
    out = tmp_path / "site"
    code, text = run_cli("build", str(export_dir), "--out", str(out), "--state-dir", str(tmp_path))
    assert code != 0 and "privacy.dpo_email" in text
    assert not out.exists()


def test_the_example_publishes_its_legal_facts_in_config_json() -> None:
    data = tomllib.loads((EXAMPLE / "export.toml").read_text(encoding="utf-8"))
    published = json.loads(config_json(ExportConfig.model_validate(data)))
    privacy, a11y = published["legal"]["privacy"], published["legal"]["accessibility"]
    assert privacy["controller"]["sv"].startswith("Barn- och utbildningsnämnden")
    assert privacy["controller"]["en"]  # the example gives English too
    assert privacy["dpo_email"] == data["privacy"]["dpo_email"]
    assert privacy["term"] == "HT2026" and privacy["retention_until"] == "2028-06-30"
    assert a11y["digg_url"] == "https://www.digg.se/tdosanmalan"
    assert [i["description"]["sv"] for i in a11y["known_issues"]] == [
        i["description"]["sv"] for i in data["accessibility"]["known_issues"]
    ]
    # A plain string is the Swedish text; no English is invented for it.
    data["privacy"]["purpose"] = "Bara svenska."
    plain = json.loads(config_json(ExportConfig.model_validate(data)))
    assert plain["legal"]["privacy"]["purpose"] == {"sv": "Bara svenska."}


def _set_reviewed(export_dir: Path, *, privacy: date, accessibility: date) -> None:
    for table, when in (("privacy", privacy), ("accessibility", accessibility)):
        _drop_line(export_dir, table, "reviewed")
        replace_in(export_dir / "export.toml", f"[{table}]\n", f'[{table}]\nreviewed = "{when}"\n')


def test_validate_reminds_of_a_review_over_a_year_old(export_dir: Path) -> None:
    _set_reviewed(export_dir, privacy=date.today(), accessibility=date.today())
    code, text = run_cli("validate", str(export_dir))
    assert code == 0 and "note:" not in text
    _set_reviewed(export_dir, privacy=date.today(), accessibility=date(2020, 1, 31))
    code, text = run_cli("validate", str(export_dir))
    assert code == 0  # a reminder, not a refusal
    assert "note: export.toml: accessibility.reviewed is 2020-01-31, over a year ago" in text
    assert "privacy.reviewed" not in text
    code, out = run_cli("validate", str(export_dir), "--format", "json")
    assert [n.split(" is ")[0] for n in json.loads(out)["notes"]] == [
        "export.toml: accessibility.reviewed"
    ]
