"""End to end: children made from the parse cache (not parsed, not validated) still rebuild
when a file or the register changes (the theme and config are in every task's key)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from site_builder.export import folders, parse_cache
from site_builder.export.loader import load_export
from site_builder.fp1 import MasterKey, pseudonym_key
from site_builder.pipeline.build import BuildOptions, build
from site_builder.pipeline.plan import ids
from site_builder.pipeline.report import BuildSummary
from site_builder.pipeline.state.keystore import MASTER_FILE, load_keys
from tests.build.conftest import write_test_theme
from tests.export.edit import edit_register, person, replace_in
from tests.export.minimal import CHILD, POST, write_minimal_export


def test_cached_children_rebuild_on_every_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parse_cache, "RACY_NS", 0)  # trust the stats of files just written
    monkeypatch.setattr(folders, "RACY_NS", 0)
    export, state = write_minimal_export(tmp_path / "export"), tmp_path / "state"
    MasterKey.generate().write(state / MASTER_FILE)
    themes, sw = write_test_theme(tmp_path / "src")

    def run() -> BuildSummary:
        loaded = load_export(export, cache_dir=state, jobs=1).export
        options = BuildOptions(
            out=tmp_path / "out" / "site",
            state_dir=state,
            themes_root=themes,
            service_worker=sw,
            today=date(2026, 11, 28),
        )
        return build(loaded, options=options, keys=load_keys(state), say=lambda _: None)

    child_bundle = ids.child_bundle_id(pseudonym_key(load_keys(state).master), CHILD)
    assert run().published
    noop = run()
    assert not noop.published and noop.blobs_sealed == 0 and noop.documents_rendered == 0
    assert load_export(export, cache_dir=state).export.children[CHILD].posts[0]._front is None

    edit_register(export, lambda data: person(data, CHILD).update(givenName="Elsie"))
    renamed = run()
    assert renamed.published and renamed.sealed_bundles == [child_bundle]

    replace_in(export / POST, "med måttband", "med ett långt måttband")
    edited = run()
    assert edited.sealed_bundles == [child_bundle] and edited.documents_rendered == 1

    assert run().blobs_sealed == 0
