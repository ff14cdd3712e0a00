"""The export survey: one stat walk whose digest changes with any entry under the export, and
whose per-folder walks give the loader the same signatures it would have walked for itself."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from site_builder.export import folders, parse_cache, survey
from site_builder.export.loader import load_export
from site_builder.export.survey import survey_export
from tests.export.edit import replace_in
from tests.export.minimal import ASSESSMENT, CHILD, GROUP, POST, write_minimal_export
from tests.export.test_parse_cache import shard_heads

REAL_RACY_NS = parse_cache.RACY_NS


@pytest.fixture
def export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for module in (parse_cache, folders, survey):
        monkeypatch.setattr(module, "RACY_NS", 0)  # trust the stat of files just written
    return write_minimal_export(tmp_path / "export")


def test_two_surveys_of_an_unchanged_export_agree(export: Path) -> None:
    first, second = survey_export(export, jobs=1), survey_export(export, jobs=1)
    assert first.digest is not None and first.digest == second.digest
    assert {f"children/{CHILD}", f"groups/{GROUP}"} <= set(first.folders)
    assert first.tree(f"children/{CHILD}") is not None


def test_worker_processes_walk_the_same_as_one(
    export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):
        shutil.copytree(export / "children" / CHILD, export / "children" / f"{CHILD}-{i}")
    alone = survey_export(export, jobs=1)
    monkeypatch.setattr(survey, "PARALLEL_FROM", 0)
    together = survey_export(export, jobs=2)
    assert together.digest == alone.digest and together.folders == alone.folders


CHANGES = ["edit a post", "touch an assessment", "add a file at the top", "add to a theme folder"]


@pytest.mark.parametrize("change", [*CHANGES, "remove a post"])
def test_any_change_under_the_export_changes_the_digest(export: Path, change: str) -> None:
    before = survey_export(export, jobs=1).digest
    if change == "edit a post":
        replace_in(export / POST, "med måttband", "med tumstock")
    elif change == "touch an assessment":
        st = (export / ASSESSMENT).stat()
        os.utime(export / ASSESSMENT, ns=(st.st_atime_ns, st.st_mtime_ns - 10**9))
    elif change == "add a file at the top":
        (export / "README.txt").write_text("hej")
    elif change == "add to a theme folder":
        (export / "tema" / "templates").mkdir(parents=True)
        (export / "tema" / "templates" / "child.html").write_text("x")
    else:
        (export / POST).unlink()
    after = survey_export(export, jobs=1).digest
    assert after is not None and after != before


def test_linked_folders_and_fresh_files_leave_no_digest(
    export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(export / "children" / CHILD, elsewhere)
    (export / "children" / "p-linked").symlink_to(elsewhere, target_is_directory=True)
    assert survey_export(export, jobs=1).digest is None  # the target can change unseen
    (export / "children" / "p-linked").unlink()
    assert survey_export(export, jobs=1).digest is not None
    monkeypatch.setattr(survey, "RACY_NS", REAL_RACY_NS)
    assert survey_export(export, jobs=1).digest is None  # written within the last two seconds
    assert survey_export(tmp_path / "missing", jobs=1).digest is None
    real_scandir = os.scandir

    def unreadable_children(path: str) -> object:
        if str(path).endswith("children"):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(survey.os, "scandir", unreadable_children)
    assert survey_export(export, jobs=1).digest is None  # and no error either


def test_the_loader_signs_a_surveyed_folder_as_it_would_have_walked_it(
    export: Path, tmp_path: Path
) -> None:
    with_survey, without = tmp_path / "state-a", tmp_path / "state-b"
    load_export(export, cache_dir=with_survey, jobs=1, survey=survey_export(export, jobs=1))
    load_export(export, cache_dir=without, jobs=1)
    signed = {s["folder"]: s["sig"] for s in shard_heads(with_survey)}
    assert signed[f"children/{CHILD}"] is not None
    assert signed == {s["folder"]: s["sig"] for s in shard_heads(without)}
