"""A guardian dropped by one mistaken export and back in the next gets their earlier terms'
keyrings back at that build (issue 18); kept revoked keyrings are never published and go when
their snapshot's retention ends."""

from __future__ import annotations

import copy
from datetime import date

from click.testing import CliRunner

from site_builder.cli import main
from tests.build.conftest import Workspace
from tests.build.scratch import PNR


def test_a_restored_reader_gets_earlier_terms_back(workspace: Workspace) -> None:
    workspace.build()  # HT2026, seq 1
    workspace.scratch.config.update(term="VT2027", published=date(2027, 1, 10))
    workspace.build()  # VT2027, seq 2: HT2026 retained
    arne = workspace.rid("arne")
    before = workspace.keyring("arne", seq=1)
    good = copy.deepcopy(workspace.scratch.register)
    asa = workspace.scratch.register["persons"][0]
    asa["responsibles"] = [r for r in asa["responsibles"] if r["person"]["id"] != "g-arne"]
    workspace.build()  # the mistaken export: Arne revoked everywhere
    assert not list(workspace.out.resolve().glob(f"s/*/k/{arne}.bin"))
    args = ["--out", str(workspace.out), "--state-dir", str(workspace.state_dir)]
    said = CliRunner().invoke(main, ["inspect", "--pnr", PNR["arne"], *args]).output
    assert "kept unpublished, it returns at the next build" in said
    kept = workspace.state_dir / "revoked" / "1" / f"{arne}.bin"
    assert kept.is_file()  # kept, unpublished
    assert not any(arne in str(p) for p in workspace.out.resolve().rglob("*"))

    workspace.scratch.register = good  # the next, corrected export
    summary = workspace.build()
    assert summary.snapshots[-1] == 1
    restored = workspace.keyring("arne", seq=1)
    assert restored["children"] == before["children"] and restored["blobs"] == before["blobs"]
    assert workspace.open_entry(restored["blobs"][0])["child"]["givenName"] == "Åsa"

    shown = CliRunner().invoke(main, ["inspect", "--pnr", PNR["arne"], *args]).output
    assert "no keyring" not in shown and shown.count("Åsa") == 2  # both terms


def test_kept_keyrings_go_with_their_snapshot(workspace: Workspace) -> None:
    workspace.scratch.config.update(retention_until=date(2027, 1, 1))
    workspace.build()
    workspace.scratch.config.update(term="VT2027", retention_until=date(2030, 1, 1))
    workspace.build()
    asa = workspace.scratch.register["persons"][0]
    asa["responsibles"] = [r for r in asa["responsibles"] if r["person"]["id"] != "g-arne"]
    workspace.build()
    assert (workspace.state_dir / "revoked" / "1").is_dir()
    workspace.scratch.config.update(term="HT2027")
    workspace.build(today=date(2027, 2, 1))  # HT2026 past its retention date
    assert not (workspace.state_dir / "revoked" / "1").exists()


def test_a_restored_keyring_comes_back_without_a_child_protected_meanwhile(
    workspace: Workspace,
) -> None:
    persons = workspace.scratch.register["persons"]
    bo = next(p for p in persons if p["id"] == "c-bo")
    bo["responsibles"].append({"person": {"id": "g-anna"}, "relationType": "Vårdnadshavare"})
    workspace.build()
    workspace.scratch.config.update(term="VT2027", published=date(2027, 1, 10))
    workspace.build()
    good = copy.deepcopy(workspace.scratch.register)
    for child in workspace.scratch.register["persons"][:2]:  # Anna dropped from Åsa and Bo
        child["responsibles"] = [r for r in child["responsibles"] if r["person"]["id"] != "g-anna"]
    workspace.build()
    workspace.scratch.register["persons"][0]["securityMarking"] = "Skyddad folkbokföring"
    workspace.build()  # Åsa protected while Anna is out: her kept keyring still names Åsa
    good["persons"][0]["securityMarking"] = "Skyddad folkbokföring"
    workspace.scratch.register = good
    workspace.build()
    restored = workspace.keyring("anna", seq=1)
    assert [c["givenName"] for c in restored["children"]] == ["Bosse"]
