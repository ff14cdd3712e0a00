"""Stored children (export/stored.py): a child whose folder the survey finds unchanged is kept as
a reference to its shard; its documents are made only when something reads them."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from site_builder.export import folders, parse_cache, stored, survey
from site_builder.export.loader import ExportInvalid, LoadResult, load_export
from site_builder.export.stored import StoredChild
from site_builder.export.survey import survey_export
from tests.export.edit import replace_in
from tests.export.minimal import CHILD, POST, write_minimal_export


@pytest.fixture
def export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for module in (parse_cache, folders, survey):
        monkeypatch.setattr(module, "RACY_NS", 0)  # trust the stat of files just written
    return write_minimal_export(tmp_path / "export")


def load(export: Path, state: Path) -> LoadResult:
    return load_export(export, cache_dir=state, jobs=1, survey=survey_export(export, jobs=1))


def _docs(result: LoadResult) -> list[tuple[str, str, str]]:
    child = result.export.children[CHILD]
    found = [*child.posts, *child.assessments, child.iup, child.talk]
    return [(d.rel, d.sha256, d.front.model_dump_json()) for d in found if d is not None]


def test_an_unchanged_child_is_a_reference_read_only_when_used(
    export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state"
    first = load(export, state)
    # Parsed, checked and stored by the task that parsed it: a reference from the start.
    assert isinstance(first.export.children[CHILD], StoredChild)
    reads: list[str] = []
    real = stored.load_shard

    def counting(cache_dir: Path | None, rel: str) -> parse_cache.FolderCache:
        reads.append(rel)
        return real(cache_dir, rel)

    monkeypatch.setattr(stored, "load_shard", counting)
    monkeypatch.setattr(folders, "_parse_child", lambda *a, **k: pytest.fail("parsed again"))
    second = load(export, state)
    child = second.export.children[CHILD]
    assert isinstance(child, StoredChild) and child.sig is not None
    assert reads == []  # nothing read yet
    assert reads == [] and _docs(second) == _docs(first)
    assert reads == [f"children/{CHILD}"] * 2  # read when used, once per load
    assert load(export, state).export.children[CHILD].sig == child.sig  # its shard was kept


def test_a_stored_child_travels_to_a_worker_as_a_reference(export: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    first = load(export, state)
    child = load(export, state).export.children[CHILD]
    assert isinstance(child, StoredChild)
    sent = pickle.dumps(child)
    assert b"m\xc3\xa5ttband" not in sent and len(sent) < 2_000  # no documents inside
    arrived = pickle.loads(sent)  # noqa: S301 -- our own bytes, as the process pool does
    assert [p.rel for p in arrived.posts] == [p.rel for p in first.export.children[CHILD].posts]


def _stored_child_without_its_shard(export: Path, state: Path) -> StoredChild:
    """A reference to the child, then its shard replaced, as another build could have done."""
    load(export, state)
    child = load(export, state).export.children[CHILD]
    assert isinstance(child, StoredChild)
    for shard in (state / parse_cache.CACHE_DIR).glob("*.json"):
        if shard.name != parse_cache.INDEX_FILE:
            shard.write_text("{}")
    return child


def test_a_shard_rewritten_meanwhile_is_not_trusted(export: Path, tmp_path: Path) -> None:
    child = _stored_child_without_its_shard(export, tmp_path / "state")
    replace_in(export / POST, "med måttband", "med tumstock")
    assert "tumstock" in child.posts[0].body  # read from the folder itself


def test_a_folder_broken_meanwhile_reports_its_problems(export: Path, tmp_path: Path) -> None:
    child = _stored_child_without_its_shard(export, tmp_path / "state")
    replace_in(export / POST, "author:", "writer:")
    with pytest.raises(ExportInvalid) as caught:
        child.docs()
    assert any(p.file == POST for p in caught.value.problems)


def test_a_changed_folder_is_parsed_and_the_index_follows(export: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    load(export, state)
    before = parse_cache.load_index(state)[f"children/{CHILD}"]
    replace_in(export / POST, "med måttband", "med tumstock")
    changed = load(export, state)
    assert "tumstock" in changed.export.children[CHILD].posts[0].body
    after = parse_cache.load_index(state)[f"children/{CHILD}"]
    assert after != before and changed.export.children[CHILD].sig == after
