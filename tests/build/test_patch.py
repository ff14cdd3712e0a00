"""A correction is patched into the live snapshot (pipeline/publish/patch.py): new blobs, the
changed keyrings with a higher rev, every other keyring the same file; anything more publishes
anew."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from site_builder.pipeline.publish import patch
from tests.build.conftest import Workspace

ASA_POST = "children/c-asa/larlogg/02.md"


def _keyring_file(workspace: Workspace, who: str) -> Path:
    seq = workspace.latest()["seq"]
    return workspace.out / "s" / str(seq) / "k" / f"{workspace.rid(who)}.bin"


def _blob_files(workspace: Workspace) -> set[str]:
    site = workspace.out.resolve()
    return {p.relative_to(site).as_posix() for p in site.glob("b/*/*.bin")}


def test_a_correction_is_patched_in_with_a_higher_rev(workspace: Workspace) -> None:
    first = workspace.build()
    tree = workspace.out.resolve()
    berit = os.stat(_keyring_file(workspace, "berit")).st_ino
    assert workspace.keyring("anna")["rev"] == 0
    workspace.scratch.posts[ASA_POST] = "Vi läste en ny saga."
    second = workspace.build()
    assert second.patched and second.published and second.seq == first.seq
    assert workspace.out.resolve() == tree  # the same tree, patched
    assert second.keyrings_written == 2  # Åsa's two guardians
    assert workspace.keyring("anna")["rev"] == workspace.keyring("arne")["rev"] == 1
    assert workspace.keyring("berit")["rev"] == 0  # unchanged: the same file, untouched
    assert os.stat(_keyring_file(workspace, "berit")).st_ino == berit
    bundle = workspace.open_entry(workspace.keyring("anna")["blobs"][0])
    assert any("ny saga" in post["html"] for post in bundle["larlogg"])
    assert workspace.latest()["seq"] == first.seq

    workspace.scratch.posts[ASA_POST] = "Vi läste en tredje saga."
    third = workspace.build()
    assert third.patched and workspace.keyring("anna")["rev"] == 2
    assert workspace.keyring("berit")["rev"] == 0
    assert os.stat(_keyring_file(workspace, "berit")).st_ino == berit
    assert sorted(p.name for p in (workspace.out / f"s/{first.seq}").iterdir()) == ["k"]
    assert not workspace.build().published  # and then nothing is left to do


def test_a_full_build_drops_the_blobs_corrections_superseded(workspace: Workspace) -> None:
    workspace.build()
    for text in ("Första rättelsen.", "Andra rättelsen."):
        workspace.scratch.posts[ASA_POST] = text
        assert workspace.build().patched
    named = {
        e["path"]
        for who in ("anna", "arne", "berit", "dora")
        for e in workspace.keyring(who)["blobs"]
    }
    assert named < _blob_files(workspace)  # two superseded bundles of Åsa's are still there
    workspace.scratch.posts[ASA_POST] = "Tredje rättelsen."
    full = workspace.build(patch=False)
    assert full.published and not full.patched and workspace.keyring("anna")["rev"] == 0
    named = {
        e["path"]
        for who in ("anna", "arne", "berit", "dora")
        for e in workspace.keyring(who)["blobs"]
    }
    assert named == _blob_files(workspace)


def test_more_than_blobs_and_keyring_contents_publishes_a_new_snapshot(
    workspace: Workspace,
) -> None:
    first = workspace.build()
    workspace.scratch.config.update(municipality="Nya kommunen")  # config.json changes
    changed_config = workspace.build()
    assert changed_config.published and not changed_config.patched
    assert changed_config.seq == first.seq + 1
    workspace.scratch.config.update(term="VT2027", published=date(2027, 5, 30))
    new_term = workspace.build()
    assert not new_term.patched and new_term.seq == changed_config.seq + 1
    asa = workspace.scratch.register["persons"][0]
    asa["responsibles"] = [r for r in asa["responsibles"] if r["person"]["id"] != "g-arne"]
    revoked = workspace.build()  # a reader goes: a new snapshot, and new keys for what they read
    assert revoked.published and not revoked.patched and revoked.seq == new_term.seq + 1


def _named(workspace: Workspace, *, seq: int | None = None) -> set[str]:
    return {
        e["path"]
        for who in ("anna", "arne", "berit", "dora")
        for e in workspace.keyring(who, seq=seq)["blobs"]
    }


def test_blobs_a_correction_replaced_go_once_past_the_grace(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace.build()
    workspace.scratch.posts[ASA_POST] = "Första rättelsen."
    assert workspace.build().patched
    kept = _blob_files(workspace) - _named(workspace)
    assert len(kept) == 1  # Åsa's bundle before the correction, for readers mid-load
    monkeypatch.setattr(patch, "SUPERSEDED_GRACE_SECONDS", 0)
    workspace.scratch.posts[ASA_POST] = "Andra rättelsen."
    assert workspace.build().patched
    assert _blob_files(workspace) == _named(workspace)  # both older versions are gone
    for who in ("anna", "arne", "berit", "dora"):  # and every reader still opens everything
        for entry in workspace.keyring(who)["blobs"]:
            workspace.open_entry(entry)


def test_a_blob_an_earlier_snapshot_names_is_never_removed(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = workspace.build()
    workspace.scratch.config.update(term="VT2027", published=date(2027, 5, 30))
    second = workspace.build()
    earlier = _named(workspace, seq=first.seq)
    shared = earlier & _named(workspace)
    assert shared  # unchanged blobs are shared between the two snapshots
    monkeypatch.setattr(patch, "SUPERSEDED_GRACE_SECONDS", 0)
    for text in ("Rättelse i vårterminen.", "Och en till."):
        workspace.scratch.posts[ASA_POST] = text
        fixed = workspace.build()
        assert fixed.patched and fixed.seq == second.seq
    assert earlier <= _blob_files(workspace)  # the autumn term still opens whole
    for who in ("anna", "arne", "berit", "dora"):
        for entry in workspace.keyring(who, seq=first.seq)["blobs"]:
            workspace.open_entry(entry)


def test_a_correction_lands_beside_existing_blobs_and_survives_a_missing_old_one(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every b/<xx>/ folder exists already (a large site's case): the new blob goes in beside
    the others. A superseded blob someone already deleted is no reason to fail the next patch."""
    workspace.build()
    live = workspace.out.resolve()
    for first in "0123456789abcdef":
        for second in "0123456789abcdef":
            (live / "b" / f"{first}{second}").mkdir(parents=True, exist_ok=True)
    workspace.scratch.posts[ASA_POST] = "Första rättelsen."
    assert workspace.build().patched
    kept = _blob_files(workspace) - _named(workspace)
    assert len(kept) == 1
    (live / kept.pop()).unlink()  # gone before its grace ran out
    monkeypatch.setattr(patch, "SUPERSEDED_GRACE_SECONDS", 0)
    workspace.scratch.posts[ASA_POST] = "Andra rättelsen."
    assert workspace.build().patched
    assert _blob_files(workspace) == _named(workspace)
    bundle = workspace.open_entry(workspace.keyring("anna")["blobs"][0])
    assert any("Andra rättelsen" in post["html"] for post in bundle["larlogg"])
