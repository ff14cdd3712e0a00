"""Bad input in the files themselves: syntax, encoding, missing and unknown fields, dates."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.export.edit import edit_register, person, replace_in
from tests.export.minimal import CHILD, POST, TALK

ExpectProblem = Callable[..., dict[str, str]]


def test_invalid_toml(export_dir: Path, expect_problem: ExpectProblem) -> None:
    replace_in(export_dir / "export.toml", 'term = "HT2026"', 'term = "HT2026')
    problem = expect_problem(file="export.toml", field="line 2")
    assert "TOML" in problem["message"]


def test_invalid_yaml_front_matter(export_dir: Path, expect_problem: ExpectProblem) -> None:
    replace_in(export_dir / POST, "subjects: [Matematik]", "subjects: [Matematik")
    problem = expect_problem(file=POST, field="line")
    assert "YAML" in problem["message"]


def test_front_matter_never_closed(export_dir: Path, expect_problem: ExpectProblem) -> None:
    text = (export_dir / TALK).read_text(encoding="utf-8")
    (export_dir / TALK).write_text(text.replace("---\nVi pratar", "Vi pratar"), encoding="utf-8")
    problem = expect_problem(file=TALK, field="line 1")
    assert "never closed" in problem["message"]


def test_invalid_json(export_dir: Path, expect_problem: ExpectProblem) -> None:
    path = export_dir / "register.json"
    path.write_text(path.read_text(encoding="utf-8")[:-1], encoding="utf-8")  # drop the last }
    problem = expect_problem(file="register.json", field="line 1, column")
    assert "JSON" in problem["message"]


def test_missing_field_in_front_matter(export_dir: Path, expect_problem: ExpectProblem) -> None:
    replace_in(export_dir / POST, "author: Lärare Lo\n", "")
    problem = expect_problem(file=POST, field="author")
    assert "author" in problem["fix"]


def test_missing_field_in_export_toml(export_dir: Path, expect_problem: ExpectProblem) -> None:
    replace_in(export_dir / "export.toml", 'retention_until = "2028-06-30"\n', "")
    expect_problem(file="export.toml", field="retention_until")


def test_missing_field_in_register(export_dir: Path, expect_problem: ExpectProblem) -> None:
    edit_register(export_dir, lambda data: person(data, CHILD).pop("givenName"))
    expect_problem(file="register.json", field="persons[1].givenName")


def test_unknown_field_in_export_toml(export_dir: Path, expect_problem: ExpectProblem) -> None:
    replace_in(export_dir / "export.toml", "term =", 'kommun = "Provby"\nterm =')
    problem = expect_problem(file="export.toml", field="kommun")
    assert "line 2" in problem["location"]


def test_unknown_field_in_front_matter(export_dir: Path, expect_problem: ExpectProblem) -> None:
    replace_in(export_dir / POST, "title:", "titel: Stavfel\ntitle:")
    problem = expect_problem(file=POST, field="titel")
    assert "line 4" in problem["location"]


def test_bad_date_in_front_matter(export_dir: Path, expect_problem: ExpectProblem) -> None:
    replace_in(export_dir / POST, "date: 2026-09-04", "date: 2026-13-40")
    problem = expect_problem(file=POST, field="date")
    assert "YYYY-MM-DD" in problem["fix"] + problem["message"]


def test_bad_date_in_export_toml(export_dir: Path, expect_problem: ExpectProblem) -> None:
    replace_in(export_dir / "export.toml", '"2028-06-30"', '"30/6 2028"')
    problem = expect_problem(file="export.toml", field="retention_until")
    assert "YYYY-MM-DD" in problem["fix"]


def test_bad_time_of_talk(export_dir: Path, expect_problem: ExpectProblem) -> None:
    replace_in(export_dir / TALK, 'time: "14:30"', 'time: "kl 14"')
    expect_problem(file=TALK, field="time")


def test_non_utf8_markdown(export_dir: Path, expect_problem: ExpectProblem) -> None:
    text = (export_dir / POST).read_text(encoding="utf-8")
    (export_dir / POST).write_bytes(text.encode("cp1252"))  # what an old Windows editor saves
    problem = expect_problem(file=POST, field="line 3")  # "Lärare": the first non-ASCII byte
    assert "UTF-8" in problem["message"]


def test_non_utf8_register(export_dir: Path, expect_problem: ExpectProblem) -> None:
    text = (export_dir / "register.json").read_text(encoding="utf-8")
    (export_dir / "register.json").write_bytes(text.encode("latin-1"))
    problem = expect_problem(file="register.json", field="line 1")
    assert "UTF-8" in problem["message"]


def test_file_over_the_size_limit(export_dir: Path, expect_problem: ExpectProblem) -> None:
    big = f"children/{CHILD}/larlogg/stor.md"
    body = "Lång text. " * (2 * 1024 * 1024 // 11 + 1)  # just over 2 MB
    (export_dir / big).write_text(
        "---\ndate: 2026-09-05\nauthor: Lo\ntitle: Stor\n---\n" + body, encoding="utf-8"
    )
    problem = expect_problem(file=big, field="", options=("--max-file-mb", "1"))
    assert "limit" in problem["message"]
    assert "max_file_mb" in problem["fix"]


def test_size_limit_from_export_toml(export_dir: Path, expect_problem: ExpectProblem) -> None:
    replace_in(export_dir / "export.toml", "term =", "max_file_mb = 1\nterm =")
    big = f"children/{CHILD}/larlogg/stor.png"
    (export_dir / big).write_bytes(b"\x89PNG" + bytes(2 * 1024 * 1024))
    replace_in(export_dir / POST, "file: bild.png", "file: stor.png")
    problem = expect_problem(file=big, field="")
    assert "limit" in problem["message"]


def test_date_written_in_words(export_dir: Path, expect_problem: ExpectProblem) -> None:
    replace_in(export_dir / POST, "date: 2026-09-04", "date: 4 september 2026")
    problem = expect_problem(file=POST, field="date")
    assert "YYYY-MM-DD" in problem["fix"]


def test_lock_grace_out_of_range(export_dir: Path, expect_problem: ExpectProblem) -> None:
    replace_in(export_dir / "export.toml", "term =", "lock_grace_minutes = 600\nterm =")
    problem = expect_problem(file="export.toml", field="lock_grace_minutes")
    assert "60" in problem["message"] + problem["fix"]
