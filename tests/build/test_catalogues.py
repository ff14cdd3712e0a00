"""The translation catalogues (pipeline/shell/catalogues.py): the shipped ones pass the check,
each kind of mistake is refused naming the file, the key and the fix, and a municipality's own
catalogue corrects a message or adds a language through the theme chain."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_builder.cli import main
from site_builder.pipeline.publish.public import shell_contents
from site_builder.pipeline.shell.catalogues import (
    CatalogueError,
    build_catalogues,
    check_catalogue,
    plural_bases,
    read_catalogue,
)
from site_builder.pipeline.shell.theme import THEMES_ROOT, resolve_theme

LOCALES = THEMES_ROOT / "default" / "shell" / "locales"
SV = read_catalogue(LOCALES / "sv.json")
EXAMPLE = Path(__file__).resolve().parents[2] / "content" / "example"
SHIPPED = sorted(path.stem for path in LOCALES.glob("*.json"))


def default_theme(export_root: Path = THEMES_ROOT, export_theme: str | None = None):  # type: ignore[no-untyped-def]
    return resolve_theme(
        export_root=export_root,
        export_theme=export_theme,
        theme_name=None,
        themes_root=THEMES_ROOT,
    )


def problems_of(messages: dict[str, str], code: str = "en") -> list[str]:
    return check_catalogue(messages, code=code, reference=SV, path=Path(f"{code}.json"))


@pytest.mark.parametrize("code", SHIPPED)
def test_every_shipped_catalogue_has_every_message_placeholder_and_plural(code: str) -> None:
    assert problems_of(read_catalogue(LOCALES / f"{code}.json"), code) == []


def test_the_app_offers_the_shipped_languages_named_in_their_own_script() -> None:
    catalogues, languages = build_catalogues(default_theme())
    assert [x.code for x in languages] == ["sv", *sorted(set(SHIPPED) - {"sv"})]
    named = {x.code: (x.name, x.dir) for x in languages}
    assert named["sv"] == ("Svenska", "ltr") and named["en"] == ("English", "ltr")
    assert named["ar"] == ("العربية", "rtl") and named["fa"] == ("فارسی", "rtl")
    assert named["fi"] == ("Suomi", "ltr") and named["so"] == ("Soomaali", "ltr")
    assert named["ti"] == ("ትግርኛ", "ltr")
    assert set(catalogues["ar"]) >= {f"newCount_{c}" for c in ("zero", "one", "two", "few", "many")}
    assert catalogues["sv"] == SV


def test_a_missing_message_is_named_with_the_swedish_text_to_translate() -> None:
    english = read_catalogue(LOCALES / "en.json")
    del english["unlockButton"]
    (problem,) = problems_of(english)
    assert 'en.json: the message "unlockButton" is missing' in problem
    assert SV["unlockButton"] in problem


def test_a_dropped_or_unknown_placeholder_is_refused() -> None:
    english = read_catalogue(LOCALES / "en.json")
    english["pinHint"] = "At least some digits."  # {n} dropped
    english["lockErrPinFormat"] = "The PIN has {count} digits."  # {n} renamed
    problems = problems_of(english)
    assert any('"pinHint" lacks the placeholder {n}' in p for p in problems), problems
    assert any('"lockErrPinFormat" has the placeholder {count}' in p for p in problems), problems
    assert any('"lockErrPinFormat" lacks the placeholder {n}' in p for p in problems), problems


def test_a_missing_plural_category_of_the_language_is_refused() -> None:
    arabic = read_catalogue(LOCALES / "en.json")  # Arabic has six plural categories
    for base in plural_bases(SV):  # newCount, svcRateText
        arabic.update({f"{base}_{c}": "{n}" for c in ("zero", "two", "many")})
        assert problems_of(arabic, "ar") != []
        arabic[f"{base}_few"] = "{n}"
    assert problems_of(arabic, "ar") == []
    del arabic["newCount_few"]
    (problem,) = problems_of(arabic, "ar")
    assert 'ar.json: the plural form "newCount_few" is missing' in problem
    assert 'needs the category "few"' in problem


def test_a_plural_category_the_language_lacks_and_an_unknown_key_are_refused() -> None:
    english = read_catalogue(LOCALES / "en.json")
    english["newCount_few"] = "{n} new entries"
    english["unlockButon"] = "Unlock"
    problems = problems_of(english)
    assert any('"newCount_few": en has no plural category "few"' in p for p in problems)
    assert any('unknown key "unlockButon"' in p for p in problems)


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "fi.json"
    path.write_text('{\n "app": "Koulu",\n "help": Apua\n}\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"fi.json: not valid JSON \(line 3"):
        read_catalogue(path)
    path.write_text('{"app": ["Koulu"]}', encoding="utf-8")
    with pytest.raises(CatalogueError, match='"app" must be a text in quotes'):
        read_catalogue(path)


def export_with_theme(tmp_path: Path, catalogues: dict[str, object]) -> Path:
    """A copy of the example export whose own theme folder holds `catalogues` (code → data)."""
    export = tmp_path / "export"
    shutil.copytree(EXAMPLE, export)
    toml = export / "export.toml"
    toml.write_text('theme = "kommun"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    locales = export / "kommun" / "shell" / "locales"
    locales.mkdir(parents=True)
    for code, data in catalogues.items():
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
        (locales / f"{code}.json").write_text(text, encoding="utf-8")
    return export


def test_a_municipality_corrects_a_text_and_adds_a_language_without_code(tmp_path: Path) -> None:
    german = {k: f"[de] {v}" for k, v in read_catalogue(LOCALES / "en.json").items()}
    german["languageName"] = "Deutsch"
    export = export_with_theme(tmp_path, {"sv": {"help": "Hjälp och frågor"}, "de": german})
    contents = shell_contents(default_theme(export, "kommun"))
    swedish = json.loads(contents["locales/sv.json"])
    assert swedish["help"] == "Hjälp och frågor" and swedish["lock"] == SV["lock"]
    assert json.loads(contents["locales/de.json"])["languageName"] == "Deutsch"
    bundle = contents["app/main.bundle.js"].decode()
    assert '{"code":"de","name":"Deutsch","dir":"ltr"}' in bundle
    assert '"__FP_LANGUAGES__"' not in bundle


def test_a_wrong_correction_stops_the_build_before_anything_is_written(tmp_path: Path) -> None:
    export = export_with_theme(tmp_path, {"en": {"pinHint": "At least six digits."}, "de": {}})
    out, state = tmp_path / "site", tmp_path / "state"
    runner = CliRunner()
    assert runner.invoke(main, ["keys", "init", "--state-dir", str(state)]).exit_code == 0
    result = runner.invoke(
        main, ["build", str(export), "--out", str(out), "--state-dir", str(state)]
    )
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    shown = str(Path("kommun") / "shell" / "locales" / "en.json")
    assert shown in result.output and '"pinHint" lacks the placeholder {n}' in result.output
    assert 'de.json: the message "app" is missing' in result.output
    assert not (out / "latest.json").exists() and not (out / "index.html").exists()
