"""A child marked protected (Skyddad folkbokföring) after a term was published vanishes from
every retained snapshot's keyrings at the next build — bundle, files and all — while the
guardian keeps reading their other children there (issue 18)."""

from __future__ import annotations

from datetime import date
from typing import Any

from click.testing import CliRunner

from site_builder.cli import main
from site_builder.fp1 import pseudonym_key
from site_builder.pipeline.plan import ids
from site_builder.pipeline.seal.keyrings import SnapshotInfo
from tests.build.conftest import Workspace
from tests.build.scratch import PNR


def _person(workspace: Workspace, pid: str) -> dict[str, Any]:
    persons: list[dict[str, Any]] = workspace.scratch.register["persons"]
    return next(p for p in persons if p["id"] == pid)


def _blob_ids(keyring: dict[str, Any]) -> set[str]:
    return {e["id"] for e in keyring["blobs"]}


def test_a_child_protected_after_publication_leaves_every_retained_keyring(
    workspace: Workspace,
) -> None:
    # Anna has custody of Åsa and (here) of Bo too.
    _person(workspace, "c-bo")["responsibles"].append(
        {"person": {"id": "g-anna"}, "relationType": "Vårdnadshavare"}
    )
    workspace.build()
    before = workspace.keyring("anna", seq=1)
    asa_id = ids.child_id(pseudonym_key(workspace.keys.master), "c-asa")
    asa = next(c for c in before["children"] if c["id"] == asa_id)
    asa_bundle = workspace.open_entry(next(e for e in before["blobs"] if e["id"] == asa["bundle"]))
    asa_blobs = {asa["bundle"]} | {
        e["id"] for e in before["blobs"] if e["kind"] == "file" and e["id"] in str(asa_bundle)
    }
    assert len(asa_blobs) > 1  # her bundle and at least one file of hers

    _person(workspace, "c-asa")["securityMarking"] = "Skyddad folkbokföring"
    workspace.scratch.config.update(term="VT2027", published=date(2027, 1, 10))
    summary = workspace.build()
    assert summary.snapshots == [2, 1]

    after = workspace.keyring("anna", seq=1)
    assert [c["givenName"] for c in after["children"]] == ["Bosse"]
    assert not asa_blobs & _blob_ids(after)
    assert after["rev"] == before["rev"] + 1
    bo = after["children"][0]
    opened = workspace.open_entry(next(e for e in after["blobs"] if e["id"] == bo["bundle"]))
    assert opened["child"]["givenName"] == "Bosse"  # the rest still reads
    assert all(p in _blob_ids(after) for p in bo["plans"])  # the class plan Bo shares stays
    # Arne's only child was Åsa: no keyring anywhere.
    assert not list((workspace.out / "s").glob(f"*/k/{workspace.rid('arne')}.bin"))

    args = ["--out", str(workspace.out), "--state-dir", str(workspace.state_dir)]
    shown = CliRunner().invoke(main, ["inspect", "--pnr", PNR["anna"], *args]).output
    assert "Åsa" not in shown and "Bosse" in shown

    again = workspace.build()  # recorded: the next build opens no keyring for it again
    assert again.snapshots == [2, 1] and workspace.keyring("anna", seq=1)["rev"] == after["rev"]


def test_a_snapshot_made_without_a_protected_child_records_it(workspace: Workspace) -> None:
    """Cilla is protected from the start: her term's record says so, and when that term is an
    earlier one no build opens its keyrings to withdraw her."""
    from site_builder.pipeline.publish.retained import carry_snapshots
    from site_builder.pipeline.state.build_state import load_state

    workspace.build()
    state = load_state(workspace.state_dir, keys=workspace.keys.all)
    assert state.snapshots[0].withdrawn == ["c-cilla"]
    workspace.scratch.config.update(term="VT2027", published=date(2027, 1, 10))
    from site_builder.fp1 import reader_id
    from site_builder.pipeline.plan.readers import plan_readers

    master = workspace.keys.master
    plan = plan_readers(workspace.scratch.load(), rid_of=lambda s: reader_id(master, s))
    carried = carry_snapshots(
        state=state,
        live=workspace.out.resolve(),
        plan=plan,
        keys=workspace.keys,
        today=date(2027, 1, 10),
        current=SnapshotInfo(2, "2026", "VT2027", "2027-01-10"),
    )
    assert carried.withdrawals == 0 and len(carried.snapshots) == 1
