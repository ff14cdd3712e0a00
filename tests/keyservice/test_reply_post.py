"""POST /auth/reply on the live key service: stored durably only with a valid capability, and
every bad input refused with a clear 4xx (503 for a spool it cannot write), nothing lost."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from site_builder.fp1 import MasterKey, b64u_encode
from site_builder.fp1.reply import ReplyContext, open_reply, seal_reply
from site_builder.keyservice.handoff import CookieSealer, cookie_key
from site_builder.keyservice.spool import Spool, SpoolRefused, write_durably
from tests.keyservice.harness import Harness, live_harness
from tests.keyservice.site import PERSONAL_STRINGS, guardian_rid

SCHOOL = ec.generate_private_key(ec.SECP256R1())
SECRET_ANSWER = "Hemligt svar om Åsas läsning 4711"


@pytest.fixture
def harness(tmp_path: Path, master: MasterKey) -> Iterator[Harness]:
    with live_harness(tmp_path, master, spool_dir=tmp_path / "spool") as live:
        yield live


def capability(harness: Harness, code: str = "c1") -> str:
    return str(harness.unlocked(code=code)["reply"])


def envelope(cap: str, rid: str, *, text: str = SECRET_ANSWER, **extra: Any) -> dict[str, Any]:
    context = ReplyContext(unit="91234567", rid=rid, child="kid1", talk="2026-11-20")
    sealed = seal_reply(
        {"v": 1, "answers": [{"q": "Hur går det?", "a": text}]},
        school=SCHOOL.public_key(),
        context=context,
    )
    return {
        "cap": cap,
        "unit": "91234567",
        "child": "kid1",
        "talk": "2026-11-20",
        "reply": b64u_encode(sealed),
        **extra,
    }


def spooled(tmp_path: Path) -> list[Path]:
    return sorted(p for p in (tmp_path / "spool").rglob("*") if p.is_file())


def test_reply_is_stored_durably_and_opens_only_with_the_school_key(
    harness: Harness, tmp_path: Path, master: MasterKey
) -> None:
    rid = guardian_rid(master)
    body = envelope(capability(harness), rid)
    answer = harness.client.post("/auth/reply", json=body)
    assert answer.status_code == 201, answer.text
    assert answer.headers["cache-control"] == "no-store"
    files = spooled(tmp_path)
    assert [f.parent.name for f in files] == [rid]
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"
    record = json.loads(files[0].read_text())
    assert record["rid"] == rid and record["reply"] == body["reply"]
    context = ReplyContext(unit="91234567", rid=rid, child="kid1", talk="2026-11-20")
    from site_builder.fp1 import b64u_decode

    opened = open_reply(b64u_decode(record["reply"]), school=SCHOOL, context=context)
    assert opened["answers"][0]["a"] == SECRET_ANSWER
    # The spool and the log never hold the answer's text or a person's data.
    stored = b"".join(p.read_bytes() for p in files) + harness.log.getvalue().encode()
    for needle in [SECRET_ANSWER, "Åsa", "läsning", *PERSONAL_STRINGS]:
        assert needle.encode() not in stored, needle
    assert harness.records()[-1] == {**harness.records()[-1], "event": "reply", "outcome": "ok"}


def test_replay_of_the_same_reply_is_refused_and_the_first_kept(
    harness: Harness, tmp_path: Path, master: MasterKey
) -> None:
    body = envelope(capability(harness), guardian_rid(master))
    assert harness.client.post("/auth/reply", json=body).status_code == 201
    before = [p.read_bytes() for p in spooled(tmp_path)]
    again = harness.client.post("/auth/reply", json=body)
    assert again.status_code == 409 and again.json() == {"error": "duplicate"}
    assert [p.read_bytes() for p in spooled(tmp_path)] == before
    assert harness.last_reason() == "duplicate"


def test_forged_expired_and_missing_capabilities_are_refused(
    harness: Harness, tmp_path: Path, master: MasterKey
) -> None:
    rid = guardian_rid(master)
    other_master = CookieSealer(cookie_key(MasterKey.generate()), secure=False)
    expired = CookieSealer(cookie_key(master), secure=False).seal(
        "reply", {"rid": rid}, max_age=-10
    )
    handoff_purpose = CookieSealer(cookie_key(master), secure=False).seal(
        "handoff", {"rid": rid}, max_age=60
    )
    for cap in [
        "",
        "garbage",
        other_master.seal("reply", {"rid": rid}, max_age=60),
        expired,
        handoff_purpose,
    ]:
        answer = harness.client.post("/auth/reply", json=envelope(cap, rid))
        assert answer.status_code == 401, cap
        assert answer.json() == {"error": "reply_capability_invalid"}
        assert harness.last_reason() == "capability_invalid"
    assert spooled(tmp_path) == []


def test_another_readers_capability_stores_under_its_own_rid_and_cannot_be_opened_as_mine(
    harness: Harness, tmp_path: Path, master: MasterKey
) -> None:
    """A capability names its rid; a body sealed for another rid is stored under the
    capability's rid, so `inbox` (which binds the AAD to that rid) refuses it."""
    cap = capability(harness)
    victim = "a" * 26
    body = envelope(cap, victim)
    assert harness.client.post("/auth/reply", json=body).status_code == 201
    [file] = spooled(tmp_path)
    record = json.loads(file.read_text())
    assert record["rid"] == guardian_rid(master) != victim
    from site_builder.fp1 import b64u_decode
    from site_builder.fp1.reply import ReplyError

    with pytest.raises(ReplyError):
        open_reply(
            b64u_decode(record["reply"]),
            school=SCHOOL,
            context=ReplyContext(
                unit="91234567", rid=record["rid"], child="kid1", talk="2026-11-20"
            ),
        )


def test_oversize_and_garbage_bodies_are_refused(
    harness: Harness, tmp_path: Path, master: MasterKey
) -> None:
    cap, rid = capability(harness), guardian_rid(master)
    big = harness.client.post("/auth/reply", json=envelope(cap, rid, text="x" * 70_000))
    assert big.status_code == 413 and big.json() == {"error": "too_large"}
    for bad in [
        b"not json",
        b"[]",
        json.dumps({"cap": cap}).encode(),
        json.dumps({**envelope(cap, rid), "reply": b64u_encode(b"garbage" * 60)}).encode(),
        json.dumps({**envelope(cap, rid), "child": "a|b"}).encode(),
    ]:
        answer = harness.client.post(
            "/auth/reply", content=bad, headers={"content-type": "application/json"}
        )
        assert answer.status_code == 400, bad[:40]
        assert answer.json() == {"error": "invalid_reply"}
    assert spooled(tmp_path) == []


def test_rate_limit_and_quota_per_reader(tmp_path: Path, master: MasterKey) -> None:
    with live_harness(tmp_path, master, spool_dir=tmp_path / "spool") as harness:
        cap, rid = capability(harness), guardian_rid(master)
        codes = [
            harness.client.post(
                "/auth/reply", json=envelope(cap, rid, text=f"svar {i}")
            ).status_code
            for i in range(21)
        ]
        # The quota (20 waiting for inbox) and the hourly rate (20) both stop the 21st.
        assert codes[:20] == [201] * 20 and codes[20] == 429
        assert len(spooled(tmp_path)) == 20


def test_quota_refuses_with_its_own_code(tmp_path: Path, master: MasterKey) -> None:
    with live_harness(tmp_path, master, spool_dir=tmp_path / "spool") as harness:
        cap, rid = capability(harness), guardian_rid(master)
        folder = tmp_path / "spool" / rid
        folder.mkdir(parents=True)
        for i in range(20):
            (folder / f"{i:064x}.json").write_text("{}")
        answer = harness.client.post("/auth/reply", json=envelope(cap, rid))
        assert answer.status_code == 429 and answer.json() == {"error": "quota_exceeded"}


def test_full_spool_disk_is_503_nothing_half_written_nothing_lost(
    harness: Harness, tmp_path: Path, master: MasterKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk, injected as ENOSPC from fsync (the test runs as root, so a read-only folder
    would not stop it, and a tiny tmpfs needs privileges the test machine may not grant)."""
    cap, rid = capability(harness), guardian_rid(master)
    assert harness.client.post("/auth/reply", json=envelope(cap, rid)).status_code == 201
    before = {p: p.read_bytes() for p in spooled(tmp_path)}

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    answer = harness.client.post("/auth/reply", json=envelope(cap, rid, text="andra"))
    monkeypatch.undo()
    assert answer.status_code == 503 and answer.json() == {"error": "unavailable"}
    assert {p: p.read_bytes() for p in spooled(tmp_path)} == before  # no temp file left
    assert harness.last_reason() == "unavailable"
    again = harness.client.post("/auth/reply", json=envelope(cap, rid, text="andra"))
    assert again.status_code == 201


def test_the_spool_record_is_the_format_inbox_reads_in_folders_of_the_service(
    tmp_path: Path,
) -> None:
    # The record is the interface between the key service and `inbox` (which may be another
    # release, reading a copied spool): its fields, version and UTC time are fixed.
    spool = Spool(tmp_path / "spool", quota=2)
    fields = {"unit": "91234567", "child": "kid1", "talk": "2026-11-20", "reply": "c2VhbGVk"}
    received = spool.store(rid="rid1", digest="d1", **fields)
    assert datetime.fromisoformat(received).utcoffset() == timedelta(0)
    file = tmp_path / "spool" / "rid1" / "d1.json"
    assert json.loads(file.read_bytes()) == {"v": 1, "rid": "rid1", **fields, "received": received}
    assert oct(file.parent.stat().st_mode & 0o777) == "0o700"
    # Each refusal carries the API's error code, also as the exception's text.
    with pytest.raises(SpoolRefused, match=r"^duplicate$") as refused:
        spool.store(rid="rid1", digest="d1", **fields)
    assert refused.value.code == "duplicate"
    spool.store(rid="rid1", digest="d2", **fields)
    with pytest.raises(SpoolRefused, match=r"^quota_exceeded$"):
        spool.store(rid="rid1", digest="d3", **fields)


def test_a_temp_file_that_cannot_be_made_gives_its_own_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Out of file handles (EMFILE, injected: the test runs as root, and lowering the process's
    limit would hit pytest too): the error says so, not "no such file" about a temp file that
    was never made; nothing is left behind."""

    def no_handles(*args: object) -> int:
        raise OSError(errno.EMFILE, "Too many open files")

    monkeypatch.setattr(os, "open", no_handles)
    with pytest.raises(OSError) as failed:
        write_durably(tmp_path / "reply.md", b"svar")
    monkeypatch.undo()
    assert failed.value.errno == errno.EMFILE
    assert list(tmp_path.iterdir()) == []
