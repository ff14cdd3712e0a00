"""A small site sealed for the key-service tests, plus the register its personas come from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from site_builder.fp1 import (
    MasterKey,
    keyring_blob_id,
    reader_id,
    reader_key,
    seal_json,
    subject_for_pnr,
)
from site_builder.keyservice.sitekey import key_id

EPOCH = "2026"
SEQ = 3
GUARDIAN_PNR = "198112289874"
OTHER_PARENT_PNR = "197503152388"
STUDENT_EPPN = "sara.student@skola.example"

REGISTER: dict[str, Any] = {
    "persons": [
        {
            "id": "child-1",
            "givenName": "Åsa",
            "familyName": "Exempelsdotter",
            "civicNo": {"value": "201801012380"},
            "responsibles": [
                {"person": {"id": "guardian-1"}, "relationType": "Vårdnadshavare"},
                {"person": {"id": "parent-2"}, "relationType": "Annan ansvarig"},
            ],
        },
        {
            "id": "guardian-1",
            "givenName": "Annika",
            "familyName": "Testberg",
            "civicNo": {"value": GUARDIAN_PNR},
        },
        {
            "id": "parent-2",
            "givenName": "Bertil",
            "familyName": "Provström",
            "civicNo": {"value": OTHER_PARENT_PNR},
        },
        {
            "id": "student-1",
            "givenName": "Sara",
            "familyName": "Elevsson",
            "civicNo": {"value": "201001011116"},
            "eduPersonPrincipalNames": [STUDENT_EPPN],
        },
    ]
}
PERSONAL_STRINGS = [
    "201801012380",
    GUARDIAN_PNR,
    OTHER_PARENT_PNR,
    "201001011116",
    "Annika",
    "Testberg",
    "Bertil",
    "Provström",
    "Sara",
    "Elevsson",
    "Exempelsdotter",
    STUDENT_EPPN,
]


def guardian_rid(master: MasterKey) -> str:
    return reader_id(master, subject_for_pnr(GUARDIAN_PNR))


def keyring_for(rid: str) -> dict[str, Any]:
    snapshot = {"seq": SEQ, "epoch": EPOCH, "term": "HT2026", "published": "2026-11-28"}
    return {
        "v": 1,
        "snapshot": snapshot,
        "reader": rid,
        "role": "guardian",
        "blobs": [],
        "children": [{"id": "c-stable", "givenName": "Åsa", "bundle": "b1", "plans": []}],
    }


def write_register(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "register.json"
    path.write_text(json.dumps(REGISTER, ensure_ascii=False), encoding="utf-8")
    return path


def seal_site(root: Path, *, master: MasterKey, page_script: Path | None = None) -> Path:
    """latest.json, one keyring for the guardian; the live dir is reached through a symlink."""
    live = root / ".site-1"
    rid = guardian_rid(master)
    keyring_path = live / "s" / str(SEQ) / "k" / f"{rid}.bin"
    keyring_path.parent.mkdir(parents=True)
    keyring_path.write_bytes(
        seal_json(
            keyring_for(rid),
            key=reader_key(master, epoch=EPOCH, rid=rid),
            kind="keyring",
            blob_id=keyring_blob_id(rid, SEQ),
        )
    )
    snapshot = {"seq": SEQ, "epoch": EPOCH, "term": "HT2026", "published": "2026-11-28"}
    earlier = {"seq": 2, "epoch": "2025", "term": "VT2026", "published": "2026-05-30"}
    latest = {
        **snapshot,
        "v": 1,
        "snapshots": [snapshot, earlier],
        "shell": "test",
        "key_id": key_id(master),
    }
    (live / "latest.json").write_text(json.dumps(latest), encoding="utf-8")
    if page_script is not None:
        (live / "unlock-test.js").write_bytes(page_script.read_bytes())
        (live / "index.html").write_text(
            '<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>test</title>'
            '<script type="module" src="/unlock-test.js"></script></head>'
            "<body><p>key release test page</p></body></html>",
            encoding="utf-8",
        )
    link = root / "site"
    link.symlink_to(live.name)
    return link
