"""POST /auth/reply answer by answer: what the app reads (status, JSON, Cache-Control,
Retry-After), what the spool keeps, and the one access-log line each request leaves
(docs/fp1.md "Posting a reply"; the reasons table in docs/deploy.md)."""

from __future__ import annotations

import hashlib
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from site_builder.fp1 import MasterKey, b64u_decode, b64u_encode
from site_builder.fp1.reply import ReplyContext, seal_reply
from site_builder.keyservice.config import StoreConfig
from site_builder.keyservice.handoff import CookieSealer, cookie_key
from site_builder.keyservice.reply import MAX_BODY_BYTES
from tests.keyservice.harness import Harness, live_harness
from tests.keyservice.processes import redis_server
from tests.keyservice.site import guardian_rid

SCHOOL = ec.generate_private_key(ec.SECP256R1())
FIELDS = {"unit": "91234567", "child": "kid1", "talk": "2026-11-20"}


@pytest.fixture
def harness(tmp_path: Path, master: MasterKey) -> Iterator[Harness]:
    with live_harness(tmp_path, master, spool_dir=tmp_path / "spool") as live:
        yield live


def cap_for(master: MasterKey, rid: str, *, max_age: int = 600, **payload: Any) -> str:
    """A reply capability as /auth/unlock issues it (sealed under the master key's cookie key)."""
    sealer = CookieSealer(cookie_key(master), secure=False)
    return sealer.seal("reply", {"rid": rid, **payload}, max_age=max_age)


def envelope(cap: str, rid: str, *, text: str = "svar") -> dict[str, str]:
    context = ReplyContext(rid=rid, **FIELDS)
    sealed = seal_reply(
        {"v": 1, "answers": [{"q": "Hur?", "a": text}]}, school=SCHOOL.public_key(), context=context
    )
    return {"cap": cap, **FIELDS, "reply": b64u_encode(sealed)}


def post(harness: Harness, body: Any, **headers: str) -> httpx.Response:
    return harness.client.post("/auth/reply", json=body, headers=headers)


def spooled(tmp_path: Path) -> list[Path]:
    return sorted(p for p in (tmp_path / "spool").rglob("*") if p.is_file())


def line(*, outcome: str, reason: str | None = None, rid: str | None = None) -> dict[str, Any]:
    """The access-log record a reply request leaves (without its time)."""
    return {
        "event": "reply",
        "rid": rid,
        "provider": None,
        "acr": None,
        "outcome": outcome,
        "reason": reason,
    }


def logged(harness: Harness, before: int) -> list[dict[str, Any]]:
    """The lines written since `before` lines, without their time."""
    return [{k: v for k, v in r.items() if k != "time"} for r in harness.records()[before:]]


def refused(answer: httpx.Response, status: int, error: str) -> None:
    assert answer.status_code == status, answer.text
    assert answer.json() == {"error": error}
    assert answer.headers["cache-control"] == "no-store"


def test_a_stored_reply_answers_201_with_its_id_and_time_and_the_record_inbox_reads(
    harness: Harness, tmp_path: Path, master: MasterKey
) -> None:
    rid = guardian_rid(master)
    body = envelope(cap_for(master, rid), rid)
    base = str(harness.client.base_url).rstrip("/")
    answer = post(harness, body, origin=base)  # the app's own origin: accepted
    assert answer.status_code == 201, answer.text
    assert answer.headers["cache-control"] == "no-store"
    digest = hashlib.sha256(b64u_decode(body["reply"])).hexdigest()
    [file] = spooled(tmp_path)
    record = json.loads(file.read_text())
    assert file.relative_to(tmp_path / "spool").as_posix() == f"{rid}/{digest}.json"
    assert answer.json() == {"stored": record["received"], "id": digest}
    assert record == {
        "v": 1,
        "rid": rid,
        **FIELDS,
        "reply": body["reply"],
        "received": record["received"],
    }
    assert logged(harness, 0)[-1] == line(outcome="ok", rid=rid)


def test_the_localhost_name_of_a_loopback_service_is_its_own_origin_too(
    harness: Harness, tmp_path: Path, master: MasterKey
) -> None:
    rid = guardian_rid(master)
    port = harness.client.base_url.port
    answer = post(
        harness,
        envelope(cap_for(master, rid), rid),
        origin=f"http://localhost:{port}",
        host=f"localhost:{port}",
    )
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "{base}.evil.net",  # a prefix is not a match
        "null",
        "http://localhost:{port}",  # the other loopback name, while the page is on 127.0.0.1
    ],
)
def test_a_foreign_origin_is_403_and_nothing_is_stored(
    harness: Harness, tmp_path: Path, master: MasterKey, origin: str
) -> None:
    rid = guardian_rid(master)
    base = str(harness.client.base_url).rstrip("/")
    foreign = origin.format(base=base, port=harness.client.base_url.port)
    before = len(harness.records())
    answer = post(harness, envelope(cap_for(master, rid), rid), origin=foreign)
    refused(answer, 403, "forbidden")
    assert logged(harness, before) == [line(outcome="rejected", reason="foreign_origin")]
    assert spooled(tmp_path) == []


def test_without_a_spool_the_route_is_503_unavailable(tmp_path: Path, master: MasterKey) -> None:
    with live_harness(tmp_path, master) as harness:
        rid = guardian_rid(master)
        before = len(harness.records())
        refused(post(harness, envelope(cap_for(master, rid), rid)), 503, "unavailable")
        assert logged(harness, before) == [line(outcome="unavailable", reason="no_spool")]


def exactly(size: int, body: dict[str, str]) -> bytes:
    """`body` as JSON padded with trailing whitespace (still valid JSON) to `size` bytes."""
    raw = json.dumps(body).encode()
    return raw + b" " * (size - len(raw))


def test_a_body_of_exactly_64_kib_is_accepted_with_or_without_a_content_length(
    harness: Harness, tmp_path: Path, master: MasterKey
) -> None:
    rid = guardian_rid(master)
    cap = cap_for(master, rid)
    sized = harness.client.post(
        "/auth/reply",
        content=exactly(MAX_BODY_BYTES, envelope(cap, rid, text="ett")),
        headers={"content-type": "application/json"},
    )
    assert sized.status_code == 201, sized.text
    # Chunked (no Content-Length): the limit is counted while streaming.
    data = exactly(MAX_BODY_BYTES, envelope(cap, rid, text="två"))
    chunked = harness.client.post(
        "/auth/reply",
        content=iter([data[:1000], data[1000:]]),
        headers={"content-type": "application/json"},
    )
    assert "content-length" not in chunked.request.headers
    assert chunked.status_code == 201, chunked.text
    assert len(spooled(tmp_path)) == 2


def test_one_byte_over_64_kib_is_413_declared_or_streamed(
    harness: Harness, tmp_path: Path, master: MasterKey
) -> None:
    rid = guardian_rid(master)
    data = exactly(MAX_BODY_BYTES + 1, envelope(cap_for(master, rid), rid))
    for content in (data, iter([data[:1000], data[1000:]])):
        before = len(harness.records())
        answer = harness.client.post(
            "/auth/reply", content=content, headers={"content-type": "application/json"}
        )
        refused(answer, 413, "too_large")
        assert logged(harness, before) == [line(outcome="rejected", reason="too_large")]
    assert spooled(tmp_path) == []


def test_a_declared_oversize_body_is_refused_before_it_is_sent(
    harness: Harness, tmp_path: Path
) -> None:
    """A client announcing 1 GB gets its 413 at once: the service does not wait for (or read)
    a body it would refuse. The body is never sent here, so a service that waited would hang
    until the socket timeout."""
    url = harness.client.base_url
    with socket.create_connection((url.host, url.port), timeout=5) as sock:
        sock.sendall(
            b"POST /auth/reply HTTP/1.1\r\n"
            + f"Host: {url.host}:{url.port}\r\n".encode()
            + b"Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n"
        )
        received = b""
        while b"\r\n\r\n" not in received or not received.endswith(b"}"):
            chunk = sock.recv(4096)
            assert chunk, received
            received += chunk
    head, _, payload = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 ")
    assert json.loads(payload) == {"error": "too_large"}
    assert logged(harness, 0) == [line(outcome="rejected", reason="too_large")]


def test_bodies_that_are_not_a_reply_are_400_each_with_its_reason(
    harness: Harness, tmp_path: Path, master: MasterKey
) -> None:
    rid = guardian_rid(master)
    cap = cap_for(master, rid)
    good = envelope(cap, rid)
    for bad in [
        b"not json",
        b"\xff\xfe",
        b'["a list"]',
        json.dumps({k: v for k, v in good.items() if k != "talk"}).encode(),
        json.dumps({**good, "unit": 91234567}).encode(),
        json.dumps({**good, "child": "a|b"}).encode(),
    ]:
        before = len(harness.records())
        answer = harness.client.post(
            "/auth/reply", content=bad, headers={"content-type": "application/json"}
        )
        refused(answer, 400, "invalid_reply")
        assert logged(harness, before) == [line(outcome="rejected", reason="invalid_body")], bad
    # The envelope is right and the capability valid, but `reply` is no sealed reply: the
    # line names the reader (the capability's rid).
    for reply in ["not*base64url", b64u_encode(b"garbage" * 60)]:
        before = len(harness.records())
        refused(post(harness, {**good, "reply": reply}), 400, "invalid_reply")
        expected = line(outcome="rejected", reason="not_a_sealed_reply", rid=rid)
        assert logged(harness, before) == [expected], reply
    assert spooled(tmp_path) == []


def test_capabilities_that_do_not_name_a_reader_are_401(
    harness: Harness, tmp_path: Path, master: MasterKey
) -> None:
    rid = guardian_rid(master)
    other = MasterKey.generate()
    for cap in [
        "",
        "garbage",
        cap_for(other, rid),  # another service's key
        cap_for(master, rid, max_age=-10),  # expired
        CookieSealer(cookie_key(master), secure=False).seal("handoff", {"rid": rid}, max_age=60),
        CookieSealer(cookie_key(master), secure=False).seal("reply", {"rid": 7}, max_age=60),
    ]:
        before = len(harness.records())
        refused(post(harness, envelope(cap, rid)), 401, "reply_capability_invalid")
        assert logged(harness, before) == [line(outcome="rejected", reason="capability_invalid")]
    assert spooled(tmp_path) == []


def test_the_hourly_rate_is_per_reader_and_answers_429_with_retry_after(
    harness: Harness, tmp_path: Path, master: MasterKey
) -> None:
    """20 replies an hour per reader, counted apart from the quota: `inbox` has taken every
    reply in (the spool is empty), and the 21st is still refused; another reader is not."""
    rid = guardian_rid(master)
    cap = cap_for(master, rid)
    for i in range(20):
        assert post(harness, envelope(cap, rid, text=f"svar {i}")).status_code == 201
        for file in spooled(tmp_path):
            file.unlink()  # taken in by `inbox`
    before = len(harness.records())
    limited = post(harness, envelope(cap, rid, text="svar 21"))
    assert limited.status_code == 429, limited.text
    retry = limited.json()["retry_after"]
    assert limited.json() == {"error": "rate_limited", "retry_after": retry}
    assert isinstance(retry, int) and 1 <= retry <= 3600
    assert limited.headers["retry-after"] == str(retry)
    assert limited.headers["cache-control"] == "no-store"
    assert logged(harness, before) == [line(outcome="rate_limited", reason="per_reader", rid=rid)]
    assert spooled(tmp_path) == []
    other = "b" * 26
    assert post(harness, envelope(cap_for(master, other), other)).status_code == 201


def test_spool_refusals_answer_with_their_code_and_log_it(
    harness: Harness, tmp_path: Path, master: MasterKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    rid = guardian_rid(master)
    cap = cap_for(master, rid)
    body = envelope(cap, rid)
    assert post(harness, body).status_code == 201
    before = len(harness.records())
    refused(post(harness, body), 409, "duplicate")
    assert logged(harness, before) == [line(outcome="rejected", reason="duplicate", rid=rid)]

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    before = len(harness.records())
    answer = post(harness, envelope(cap, rid, text="andra"))
    monkeypatch.undo()
    refused(answer, 503, "unavailable")
    assert logged(harness, before) == [line(outcome="unavailable", reason="unavailable", rid=rid)]

    folder = tmp_path / "spool" / rid
    for i in range(19):  # with the first: 20 waiting for `inbox`
        (folder / f"{i:064x}.json").write_text("{}")
    before = len(harness.records())
    refused(post(harness, envelope(cap, rid, text="tredje")), 429, "quota_exceeded")
    assert logged(harness, before) == [line(outcome="rejected", reason="quota_exceeded", rid=rid)]


def test_a_store_that_cannot_be_reached_is_503_and_nothing_is_stored(
    tmp_path: Path, master: MasterKey
) -> None:
    rid = guardian_rid(master)
    with (
        redis_server(tmp_path / "redis") as redis,
        live_harness(
            tmp_path,
            master,
            spool_dir=tmp_path / "spool",
            store=StoreConfig(kind="redis", url=redis.url),
        ) as harness,
    ):
        assert post(harness, envelope(cap_for(master, rid), rid)).status_code == 201
        redis.stop()
        before = len(harness.records())
        refused(
            post(harness, envelope(cap_for(master, rid), rid, text="andra")), 503, "unavailable"
        )
        expected = line(outcome="unavailable", reason="store_unavailable", rid=rid)
        assert logged(harness, before) == [expected]
        assert len(spooled(tmp_path)) == 1
