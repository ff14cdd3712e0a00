"""The no-op fast path (pipeline/runs/up_to_date.py): a rebuild whose inputs are all as they were is
answered from the stamp without loading the export; any changed input builds again."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from site_builder.export import folders, loader, parse_cache, survey
from site_builder.export.problems import Problem
from site_builder.fp1 import MasterKey
from site_builder.pipeline.build import BuildOptions
from site_builder.pipeline.report import BuildSummary
from site_builder.pipeline.runs import from_export, up_to_date
from site_builder.pipeline.state.keystore import MASTER_FILE, load_keys
from tests.build.conftest import write_test_theme
from tests.export.edit import replace_in
from tests.export.minimal import POST, write_minimal_export

REAL_RACY_NS = parse_cache.RACY_NS


def _trust_stats_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The files of a test are written a moment before the build: trust their stat anyway."""
    for module in (parse_cache, folders, survey, up_to_date):
        monkeypatch.setattr(module, "RACY_NS", 0)


@dataclass
class Builder:
    export: Path
    state: Path
    out: Path
    themes: Path
    sw: Path
    loads: list[Path] = field(default_factory=list)  # export loads (the fast path has none)

    def run(self, **overrides: Any) -> BuildSummary:
        options = BuildOptions(
            out=self.out,
            state_dir=self.state,
            themes_root=self.themes,
            service_worker=self.sw,
            today=overrides.pop("today", date(2026, 11, 28)),
            jobs=1,
        )
        keys = load_keys(self.state)
        summary, skipped = from_export.build_export(
            self.export, options=options, keys=keys, say=lambda _: None
        )
        assert skipped == []
        return summary

    def loaded_since(self, mark: int) -> bool:
        return len(self.loads) > mark


@pytest.fixture
def builder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Builder:
    _trust_stats_at_once(monkeypatch)
    export, state = write_minimal_export(tmp_path / "export"), tmp_path / "state"
    MasterKey.generate().write(state / MASTER_FILE)
    themes, sw = write_test_theme(tmp_path / "src")
    made = Builder(export=export, state=state, out=tmp_path / "out" / "site", themes=themes, sw=sw)
    real_load = from_export.load_export

    def counting_load(root: Path, **kwargs: Any) -> Any:
        made.loads.append(root)
        return real_load(root, **kwargs)

    monkeypatch.setattr(from_export, "load_export", counting_load)
    return made


def test_an_unchanged_rebuild_loads_nothing_and_reports_the_live_snapshot(
    builder: Builder,
) -> None:
    first = builder.run()
    assert first.published and first.blobs_sealed > 0 and len(builder.loads) == 1
    again = builder.run()
    assert len(builder.loads) == 1  # answered from the stamp
    assert not again.published and again.seq == first.seq
    assert (again.children, again.readers, again.term) == (first.children, first.readers, "HT2026")
    assert again.blobs_sealed == again.documents_rendered == again.bytes_written == 0
    assert again.blobs_reused == first.blobs_sealed + first.blobs_reused
    stamp = (builder.state / up_to_date.STAMP_FILE).read_text()
    assert "Provby" not in stamp and "201505129807" not in stamp  # no names, no personnummer
    assert os.stat(builder.state / up_to_date.STAMP_FILE).st_mode & 0o077 == 0


def _edit_post(b: Builder) -> None:
    replace_in(b.export / POST, "med måttband", "med ett långt måttband")


def _touch_post(b: Builder) -> None:
    st = (b.export / POST).stat()
    os.utime(b.export / POST, ns=(st.st_atime_ns, st.st_mtime_ns - 10_000_000_000))


def _edit_theme(b: Builder) -> None:
    (b.themes / "default" / "shell" / "app" / "main.js").write_text("export const ok = 2;\n")


def _replace_state(b: Builder) -> None:
    data = (b.state / "state.bin").read_bytes()
    (b.state / "state.bin").unlink()
    (b.state / "state.bin").write_bytes(data)  # same bytes, another file: not the one stamped


def _break_stamp(b: Builder) -> None:
    (b.state / up_to_date.STAMP_FILE).write_text("{not json")


CHANGES: dict[str, Callable[[Builder], None]] = {
    "an edited post": _edit_post,
    "a touched post": _touch_post,
    "a theme file": _edit_theme,
    "another state file": _replace_state,
    "an unreadable stamp": _break_stamp,
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_any_changed_input_loads_and_builds_again(builder: Builder, change: str) -> None:
    first = builder.run()
    CHANGES[change](builder)
    mark = len(builder.loads)
    again = builder.run()
    assert builder.loaded_since(mark), f"{change}: answered from a stale stamp"
    assert again.published == (change in ("an edited post", "a theme file"))
    mark = len(builder.loads)
    assert not builder.run().published and not builder.loaded_since(mark)  # stamped again
    assert builder.run().seq == again.seq >= first.seq


def test_a_new_day_or_another_published_site_is_not_taken_from_the_stamp(
    builder: Builder,
) -> None:
    builder.run()
    mark = len(builder.loads)
    builder.run(today=date(2026, 11, 29))  # a retention date may have passed overnight
    assert builder.loaded_since(mark)
    latest = builder.out / "latest.json"
    text = latest.read_text()
    latest.write_text(text.replace('"seq": 1', '"seq": 7', 1))  # the live site moved on
    mark = len(builder.loads)
    builder.run(today=date(2026, 11, 29))
    assert builder.loaded_since(mark)


def test_files_changed_within_the_timestamp_granularity_are_never_stamped(
    builder: Builder, monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in (survey, up_to_date):
        monkeypatch.setattr(module, "RACY_NS", REAL_RACY_NS)
    builder.run()  # everything was written a moment ago: stat cannot vouch for it yet
    assert not (builder.state / up_to_date.STAMP_FILE).exists()
    mark = len(builder.loads)
    builder.run()
    assert builder.loaded_since(mark)


def test_invalid_export_raises_and_stamps_nothing(builder: Builder) -> None:
    builder.run()
    replace_in(builder.export / POST, "author:", "writer:")
    with pytest.raises(loader.ExportInvalid) as caught:
        builder.run()
    assert any(isinstance(p, Problem) and p.file == POST for p in caught.value.problems)
    with pytest.raises(loader.ExportInvalid):  # still invalid: not answered from the stamp
        builder.run()
