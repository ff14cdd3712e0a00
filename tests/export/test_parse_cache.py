"""The sharded parse cache and the folder signature: unchanged folders are not parsed again,
and every kind of change is still picked up."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from site_builder.export import fingerprint, folders, parse_cache
from site_builder.export.loader import ExportInvalid, LoadResult, load_export
from tests.export.edit import replace_in
from tests.export.minimal import ASSESSMENT, ATTACHMENT, CHILD, POST, TALK

SHARDS = parse_cache.CACHE_DIR


def load(root: Path, state: Path) -> LoadResult:
    return load_export(root, cache_dir=state, jobs=1)


def shards(state: Path) -> list[Path]:
    return [p for p in (state / SHARDS).iterdir() if p.name != parse_cache.INDEX_FILE]


def shard_heads(state: Path) -> list[dict[str, Any]]:
    """The first line of every shard: folder, signature and entries (texts follow)."""
    return [json.loads(p.read_text().split("\n")[0]) for p in shards(state)]


def post_front(result: LoadResult) -> Any:
    return result.export.children[CHILD].posts[0].front


@pytest.fixture
def trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust stats at once: the files of a test are written a moment before they are loaded."""
    monkeypatch.setattr(parse_cache, "RACY_NS", 0)
    monkeypatch.setattr(folders, "RACY_NS", 0)


def test_unchanged_folder_is_made_from_its_shard_without_parsing(
    export_dir: Path, tmp_path: Path, trusted: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state"
    first = load(export_dir, state)
    assert len(shards(state)) == 2  # one child, one group
    monkeypatch.setattr(folders, "_parse_child", lambda *a, **k: pytest.fail("parsed again"))
    second = load(export_dir, state)
    old, new = first.export.children[CHILD], second.export.children[CHILD]
    assert new.posts[0]._front is None  # not validated until read
    for a, b in zip(
        [*old.posts, *old.assessments, old.iup, old.talk],
        [*new.posts, *new.assessments, new.iup, new.talk],
        strict=True,
    ):
        assert a is not None and b is not None
        assert (b.rel, b.sha256, b.body_line, b.attachment_files) == (
            a.rel,
            a.sha256,
            a.body_line,
            a.attachment_files,
        )
        assert b.front == a.front and b.body == a.body


def test_edited_added_and_removed_files_are_picked_up(
    export_dir: Path, tmp_path: Path, trusted: None
) -> None:
    state = tmp_path / "state"
    load(export_dir, state)
    replace_in(export_dir / POST, "Vi mäter skolgården", "Vi mäter hela skolgården")
    assert post_front(load(export_dir, state)).title == "Vi mäter hela skolgården"
    extra = export_dir / POST.replace("2026-09-04", "2026-09-05")
    extra.write_text((export_dir / POST).read_text(encoding="utf-8"), encoding="utf-8")
    assert len(load(export_dir, state).export.children[CHILD].posts) == 2
    extra.unlink()
    (export_dir / TALK).unlink()
    child = load(export_dir, state).export.children[CHILD]
    assert len(child.posts) == 1 and child.talk is None


def test_removed_attachment_is_reported(export_dir: Path, tmp_path: Path, trusted: None) -> None:
    state = tmp_path / "state"
    load(export_dir, state)
    (export_dir / ATTACHMENT).unlink()
    with pytest.raises(ExportInvalid) as caught:
        load(export_dir, state)
    assert any(p.file == POST and "attachments[0]" in p.location for p in caught.value.problems)


def test_config_change_rechecks_unchanged_files(
    export_dir: Path, tmp_path: Path, trusted: None
) -> None:
    """A scale losing the level an unchanged assessment uses: the folder is checked again."""
    state = tmp_path / "state"
    load(export_dir, state)
    replace_in(export_dir / "export.toml", '{ code = "3", label = "Gott" }, ', "")
    with pytest.raises(ExportInvalid) as caught:
        load(export_dir, state)
    problem = next(p for p in caught.value.problems if p.file == ASSESSMENT)
    assert "level" in problem.location and problem.fix


def test_invalid_edit_is_reported_with_field_and_fix_and_not_cached(
    export_dir: Path, tmp_path: Path, trusted: None
) -> None:
    state = tmp_path / "state"
    load(export_dir, state)
    replace_in(export_dir / POST, "author: Lärare Lo", "author: ''")
    for _ in range(2):  # the second time from the cache: still reported
        with pytest.raises(ExportInvalid) as caught:
            load(export_dir, state)
        problem = next(p for p in caught.value.problems if p.file == POST)
        assert "author" in problem.location and problem.fix


def test_recently_changed_folder_gets_no_signature(export_dir: Path, tmp_path: Path) -> None:
    """With the real racy window, files written a moment ago are not trusted by stat."""
    state = tmp_path / "state"
    load(export_dir, state)
    shards = shard_heads(state)
    assert not [
        s for s in shards if s["folder"] == f"children/{CHILD}" and (s["sig"] or s["entries"])
    ]


def _coarse_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stats as a coarse clock gives them: ctime and inode equal whatever was rewritten."""

    def stat_key(st: os.stat_result) -> list[int]:
        return [st.st_size, st.st_mtime_ns, 0, 0]

    def line(name: str, st: os.stat_result) -> str:
        return f"{name}\0{st.st_mode}\0{st.st_size}\0{st.st_mtime_ns}\n"

    monkeypatch.setattr(parse_cache, "stat_key", stat_key)
    monkeypatch.setattr(fingerprint, "stat_line", line)


def _same_size_edit(path: Path) -> None:
    st = path.stat()
    replace_in(path, "Vi mäter skolgården", "Vi mäter skolgårdar")  # same byte length
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size


def test_same_size_edit_within_the_timestamp_granularity_is_picked_up(
    export_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A same-size rewrite in the same clock tick as the walk keeps the stat: the racy rule."""
    _coarse_clock(monkeypatch)
    state = tmp_path / "state"
    load(export_dir, state)  # the files were written just now: racy, stats not trusted
    _same_size_edit(export_dir / POST)
    assert post_front(load(export_dir, state)).title == "Vi mäter skolgårdar"


def test_without_the_racy_rule_a_same_size_edit_would_be_missed(
    export_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trusted: None
) -> None:
    """What the racy rule is for (and what a stat signature cannot see on its own)."""
    _coarse_clock(monkeypatch)
    state = tmp_path / "state"
    load(export_dir, state)
    _same_size_edit(export_dir / POST)
    assert post_front(load(export_dir, state)).title == "Vi mäter skolgården"


def test_shards_of_removed_folders_and_the_old_cache_file_go(
    export_dir: Path, tmp_path: Path, trusted: None
) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / parse_cache.OLD_CACHE_FILE).write_text("{}")
    load(export_dir, state)
    assert not (state / parse_cache.OLD_CACHE_FILE).exists()
    for path in (export_dir / "groups").rglob("*"):
        if path.is_file():
            path.unlink()
    for path in sorted((export_dir / "groups").rglob("*"), reverse=True):
        path.rmdir()
    load(export_dir, state)
    names = {head["folder"] for head in shard_heads(state)}
    assert names == {f"children/{CHILD}"}


def test_loaded_documents_hold_front_matter_as_text(export_dir: Path, tmp_path: Path) -> None:
    """After its checks a child's front matter is kept as JSON text, validated when read."""
    post = load(export_dir, tmp_path / "state").export.children[CHILD].posts[0]
    assert post._front is None and post.front.title == "Vi mäter skolgården"
    assert post.attachment_files == ("bild.png",)
