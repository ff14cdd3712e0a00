"""Incremental builds: unchanged blobs keep their files; edits touch only what they must."""

from __future__ import annotations

from datetime import date

from site_builder.fp1 import pseudonym_key
from site_builder.pipeline.plan import ids
from tests.build.conftest import Workspace


def test_noop_rebuild_renders_nothing_and_reuses_everything(workspace: Workspace) -> None:
    first = workspace.build()
    second = workspace.build()
    assert first.documents_rendered > 0 and first.blobs_sealed > 0
    assert second.documents_rendered == 0
    assert second.blobs_sealed == 0
    assert second.blobs_reused == first.blobs_sealed
    assert not second.published and second.seq == first.seq


def test_editing_one_post_reseals_one_child_bundle_and_its_keyrings(workspace: Workspace) -> None:
    first = workspace.build()
    before = {e["id"]: e["path"] for e in workspace.keyring("berit")["blobs"]}
    workspace.scratch.posts["children/c-asa/larlogg/02.md"] = "Vi läste en ny saga."
    second = workspace.build()
    pkey = pseudonym_key(workspace.keys.master)
    assert second.published and second.patched and second.seq == first.seq
    assert second.sealed_bundles == [ids.child_bundle_id(pkey, "c-asa")]
    assert second.blobs_sealed == 1
    assert second.documents_rendered == 1
    assert sorted(second.keyrings_changed) == sorted([workspace.rid("anna"), workspace.rid("arne")])
    # Bo's family: same blob files and URLs as before.
    assert {e["id"]: e["path"] for e in workspace.keyring("berit")["blobs"]} == before
    bundle = workspace.open_entry(workspace.keyring("anna")["blobs"][0])
    assert any("ny saga" in post["html"] for post in bundle["larlogg"])


def test_revoked_guardian_loses_keyrings_in_every_retained_snapshot(workspace: Workspace) -> None:
    workspace.build()  # HT2026, seq 1
    workspace.scratch.config.update(term="VT2027", published=date(2027, 5, 30))
    workspace.build()  # VT2027, seq 2: HT2026 retained
    arne = workspace.rid("arne")
    assert [s["seq"] for s in workspace.latest()["snapshots"]] == [2, 1]
    assert (workspace.out / f"s/1/k/{arne}.bin").exists()
    old_keys = {e["id"]: e["key"] for e in workspace.keyring("arne")["blobs"]}
    asa = workspace.scratch.register["persons"][0]
    asa["responsibles"] = [r for r in asa["responsibles"] if r["person"]["id"] != "g-arne"]
    summary = workspace.build()
    assert summary.keyrings_revoked == 1  # in HT2026; VT2027's seq 2 is superseded by this build
    assert [s["seq"] for s in workspace.latest()["snapshots"]] == [3, 1]
    for seq in (1, summary.seq):
        assert not (workspace.out / f"s/{seq}/k/{arne}.bin").exists()
        assert (workspace.out / f"s/{seq}/k/{workspace.rid('anna')}.bin").exists()
    # Everything Arne could read got a new key in the new snapshot.
    for entry in workspace.keyring("anna")["blobs"]:
        assert old_keys.get(entry["id"]) != entry["key"]


def test_retention_date_drops_old_snapshots(workspace: Workspace) -> None:
    workspace.scratch.config.update(retention_until=date(2027, 1, 1))
    workspace.build()
    workspace.scratch.config.update(term="VT2027", retention_until=date(2030, 1, 1))
    workspace.build(today=date(2027, 2, 1))
    assert [s["seq"] for s in workspace.latest()["snapshots"]] == [2]
    assert not (workspace.out / "s/1").exists()


def test_parallel_build_matches_serial(workspace: Workspace) -> None:
    summary = workspace.build(jobs=2)
    assert summary.blobs_sealed == 6 and summary.readers == 6
    assert workspace.keyring("dora")["children"][0]["givenName"] == "Danielle"
