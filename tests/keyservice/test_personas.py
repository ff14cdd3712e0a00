"""The dev provider offers a persona for every reader the build seals a keyring for."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_builder.devidp.devconfig import dev_setup
from site_builder.devidp.personas import load_personas
from site_builder.devidp.provider import DevProvider
from site_builder.export.loader import load_export
from site_builder.fp1 import subject_for_eppn, subject_for_pnr
from site_builder.pipeline.plan.readers import plan_readers
from tests.export.conftest import EXAMPLE

NORA_YEAR_8_WITHOUT_SCHOOL_LOGIN = "p-barn-13"


def _pickable_subjects(export_dir: Path) -> tuple[set[str], set[str]]:
    """(subjects the e-ID client can present, subjects the school-login client can present)."""
    _, clients = dev_setup(base_url="http://127.0.0.1:8000")
    provider = DevProvider(
        issuer="http://127.0.0.1:8000/dev-idp", personas=load_personas(export_dir), clients=clients
    )
    eid = {subject_for_pnr(p.civic_no or "") for p in provider.personas_for(clients["fp-eid"])}
    skola = {subject_for_eppn(p.eppn or "") for p in provider.personas_for(clients["fp-skola"])}
    return eid, skola


def test_every_reader_of_the_example_can_sign_in() -> None:
    export = load_export(EXAMPLE).export
    assert export is not None
    readers = plan_readers(export, rid_of=lambda subject: subject).readers
    eid, skola = _pickable_subjects(EXAMPLE)
    missing = {subject for subject in readers if subject not in eid | skola}
    assert missing == set()
    assert any(r.role == "student" and s.startswith("pnr:") for s, r in readers.items())
    assert any(s.startswith("eppn:") for s in skola)


@pytest.mark.parametrize(("reads_from", "listed"), [(7, True), (9, False)])
def test_students_reading_with_e_id_follow_export_toml(
    tmp_path: Path, reads_from: int, listed: bool
) -> None:
    shutil.copy(EXAMPLE / "register.json", tmp_path / "register.json")
    (tmp_path / "export.toml").write_text(
        f"[access]\nstudent_reads_from_school_year = {reads_from}\n", encoding="utf-8"
    )
    ids = {p.id for p in load_personas(tmp_path)}
    assert (NORA_YEAR_8_WITHOUT_SCHOOL_LOGIN in ids) is listed


def test_bad_access_policy_names_file_and_field(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE / "register.json", tmp_path / "register.json")
    (tmp_path / "export.toml").write_text(
        "[access]\nstudent_reads_from_school_year = 40\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"export\.toml: access\.student_reads_from_school_year"):
        load_personas(tmp_path)
