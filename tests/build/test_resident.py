"""The resident builder (pipeline/runs/resident.py): after an edit in one child's folder it reads
that folder alone and re-does only the work that depends on it (build memo,
pipeline/incremental/memo.py), and what it publishes is exactly what a one-shot build would: a
one-shot build afterwards finds nothing to do."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from site_builder.export import folders, parse_cache, survey
from site_builder.export.problems import ExportInvalid
from site_builder.fp1 import (
    MasterKey,
    b64u_decode,
    keyring_blob_id,
    open_json,
    reader_id,
    reader_key,
    subject_for_pnr,
)
from site_builder.pipeline.build import BuildOptions
from site_builder.pipeline.incremental import memo
from site_builder.pipeline.publish import release
from site_builder.pipeline.runs import from_export, up_to_date
from site_builder.pipeline.runs.resident import ResidentBuilder
from site_builder.pipeline.state.keystore import MASTER_FILE, load_keys
from tests.build.conftest import write_test_theme
from tests.export.edit import edit_register, person, replace_in

REPO = Path(__file__).resolve().parents[2]
NOAH_POST = "children/p-barn-02/larlogg/2026-09-04-01.md"
SARA_PNR = "198509219849"  # Noah's (and Astrid's) only guardian
ANNA_PNR = "198403129821"  # Alva's and Hugo's guardian


@dataclass
class Resident:
    export: Path
    options: BuildOptions
    builder: ResidentBuilder
    calls: dict[str, list[Any]] = field(default_factory=dict)

    def build(self, *changed: str) -> Any:
        return self.builder.build({self.export / c for c in changed})[0]

    def one_shot(self) -> Any:
        keys = load_keys(self.options.state_dir)
        return from_export.build_export(
            self.export, options=self.options, keys=keys, say=lambda _: None
        )[0]

    def keyring(self, pnr: str) -> dict[str, Any]:
        master = load_keys(self.options.state_dir).master
        rid = reader_id(master, subject_for_pnr(pnr))
        seq = int(_latest_seq(self.options.out))
        data = (self.options.out / "s" / str(seq) / "k" / f"{rid}.bin").read_bytes()
        key = reader_key(master, epoch="2026", rid=rid)
        return dict(open_json(data, key=key, kind="keyring", blob_id=keyring_blob_id(rid, seq)))

    def texts(self, pnr: str) -> str:
        """Every post's HTML in the reader's bundles, as one string."""
        ring, found = self.keyring(pnr), []
        for child in ring["children"]:
            entry = next(e for e in ring["blobs"] if e["id"] == child["bundle"])
            data = (self.options.out / entry["path"]).read_bytes()
            bundle = open_json(
                data, key=b64u_decode(entry["key"]), kind=entry["kind"], blob_id=entry["id"]
            )
            found += [post["html"] for post in bundle["larlogg"]]
        return "\n".join(found)

    def rid(self, pnr: str) -> str:
        return reader_id(load_keys(self.options.state_dir).master, subject_for_pnr(pnr))


def _latest_seq(out: Path) -> str:
    return str(json.loads((out / "latest.json").read_text())["seq"])


def _count(
    monkeypatch: pytest.MonkeyPatch, calls: dict[str, list[Any]], module: Any, name: str
) -> None:
    real = getattr(module, name)
    calls[name] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[name].append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)


@pytest.fixture
def res(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Resident:
    for module in (parse_cache, folders, survey, up_to_date):  # trust stats written just now
        monkeypatch.setattr(module, "RACY_NS", 0)
    export = Path(shutil.copytree(REPO / "content" / "example", tmp_path / "export"))
    state = tmp_path / "state"
    MasterKey.generate().write(state / MASTER_FILE)
    themes, sw = write_test_theme(tmp_path / "src")
    options = BuildOptions(
        out=tmp_path / "out" / "site",
        state_dir=state,
        themes_root=themes,
        service_worker=sw,
        today=date(2026, 11, 28),
        jobs=1,
    )
    builder = ResidentBuilder(
        export_root=export, options=options, keys=load_keys(state), say=lambda _: None
    )
    made = Resident(export=export, options=options, builder=builder)
    _count(monkeypatch, made.calls, memo, "load_state")
    _count(monkeypatch, made.calls, memo, "plan_readers")
    _count(monkeypatch, made.calls, release, "keyring_contents")
    return made


def test_an_edit_reloads_one_folder_and_publishes_what_a_one_shot_build_would(
    res: Resident,
) -> None:
    first = res.build()
    assert first.published and res.builder.loads == 1
    replace_in(res.export / NOAH_POST, "tre olika sorters löv", "fyra olika sorters löv")
    edited = res.build(NOAH_POST)
    assert edited.patched and edited.seq == first.seq
    assert res.builder.loads == 1  # one folder read again, not the export
    assert len(res.calls["load_state"]) == 1  # the state stays in memory
    assert len(res.calls["plan_readers"]) == 1  # the plan too
    assert res.calls["keyring_contents"][-1]["only"] == {res.rid(SARA_PNR)}  # Noah's readers
    assert edited.keyrings_changed == [res.rid(SARA_PNR)] and edited.documents_rendered > 0
    assert "fyra olika sorters löv" in res.texts(SARA_PNR)
    assert res.keyring(SARA_PNR)["rev"] == 1
    again = res.one_shot()  # a build from nothing agrees, to the byte of every keyring hash
    assert not again.published and again.seq == first.seq


def test_a_second_edit_builds_on_the_first(res: Resident) -> None:
    res.build()
    for old, new in (("tre olika", "fyra olika"), ("fyra olika", "fem olika")):
        replace_in(res.export / NOAH_POST, old, new)
        assert res.build(NOAH_POST).patched
    assert "fem olika sorters löv" in res.texts(SARA_PNR) and res.keyring(SARA_PNR)["rev"] == 2
    assert res.keyring(ANNA_PNR)["rev"] == 0  # not touched
    assert res.builder.loads == 1 and len(res.calls["load_state"]) == 1
    assert not res.one_shot().published


def test_a_change_outside_the_childrens_folders_loads_the_whole_export(res: Resident) -> None:
    first = res.build()
    edit_register(res.export, lambda d: person(d, "p-barn-02").update(givenName="Noa"))
    renamed = res.build("register.json")
    assert res.builder.loads == 2 and len(res.calls["plan_readers"]) == 2
    assert renamed.published and renamed.seq == first.seq  # a name in a keyring: patched
    assert "Noa" in [c["givenName"] for c in res.keyring(SARA_PNR)["children"]]
    assert not res.one_shot().published


def test_a_build_by_another_process_is_noticed(res: Resident) -> None:
    res.build()
    replace_in(res.export / NOAH_POST, "tre olika", "sju olika")
    assert res.one_shot().patched  # state.bin is not the one the resident builder wrote
    replace_in(res.export / NOAH_POST, "sju olika", "åtta olika")
    assert res.build(NOAH_POST).patched
    # the first build, the one-shot build, and again: the memo's state was not the file's
    assert len(res.calls["load_state"]) == 3
    assert "åtta olika" in res.texts(SARA_PNR) and res.keyring(SARA_PNR)["rev"] == 2
    assert not res.one_shot().published


def test_a_broken_edit_publishes_nothing_and_its_fix_publishes(
    res: Resident, site_files: Any
) -> None:
    res.build()
    before = site_files(res.options.out)
    replace_in(res.export / NOAH_POST, 'date: "2026-09-04"', 'date: "den fjärde"')
    with pytest.raises(ExportInvalid) as raised:
        res.build(NOAH_POST)
    assert any(p.file == NOAH_POST and "date" in p.location for p in raised.value.problems)
    assert site_files(res.options.out) == before
    replace_in(res.export / NOAH_POST, 'date: "den fjärde"', 'date: "2026-09-05"')
    fixed = res.build(NOAH_POST)
    assert fixed.patched and res.builder.loads == 2  # after a failure: the whole export
    assert not res.one_shot().published


def test_a_theme_change_rebuilds_without_reading_the_export_again(res: Resident) -> None:
    first = res.build()
    main_js = res.options.themes_root / "default" / "shell" / "app" / "main.js"
    main_js.write_text("export const ok = 2;\n")
    themed = res.builder.build({main_js})[0]
    assert themed.published and themed.seq == first.seq + 1 and res.builder.loads == 1
    assert not res.one_shot().published


def test_lost_file_events_load_the_whole_export(res: Resident) -> None:
    res.build()
    replace_in(res.export / NOAH_POST, "tre olika", "nio olika")
    lost = res.builder.build({res.export})[0]  # the watcher's word for "events were lost"
    assert lost.patched and res.builder.loads == 2
    assert "nio olika" in res.texts(SARA_PNR)


def test_a_childs_folder_going_loads_the_whole_export(res: Resident) -> None:
    first = res.build()
    shutil.rmtree(res.export / "children" / "p-barn-13")
    gone = res.build("children/p-barn-13/larlogg/2026-09-04-01.md")
    assert gone.published and res.builder.loads == 2 and gone.children == first.children - 1
    assert not res.one_shot().published


def test_with_skip_broken_a_broken_child_is_left_out_and_comes_back(res: Resident) -> None:
    builder = ResidentBuilder(
        export_root=res.export,
        options=res.options,
        keys=load_keys(res.options.state_dir),
        skip_broken=True,
        say=lambda _: None,
    )
    first, skipped = builder.build()
    assert skipped == []
    replace_in(res.export / NOAH_POST, 'date: "2026-09-04"', 'date: "den fjärde"')
    broken, skipped = builder.build({res.export / NOAH_POST})
    assert broken.children == first.children - 1 and builder.loads == 2  # listed in full
    assert [p.file for p in skipped] == [NOAH_POST]
    assert all(c["givenName"] != "Noah" for c in res.keyring(SARA_PNR)["children"])
    replace_in(res.export / NOAH_POST, 'date: "den fjärde"', 'date: "2026-09-04"')
    fixed, skipped = builder.build({res.export / NOAH_POST})
    assert fixed.children == first.children and skipped == [] and builder.loads == 3
    assert "Noah" in [c["givenName"] for c in res.keyring(SARA_PNR)["children"]]
    assert not res.one_shot().published
