"""The consent calls' (/auth/notify) and the unsubscribe link's (/auth/unsubscribe) whole answers:
the status, the JSON the app reads or the page a reader sees, the access-log line
(docs/operations.md) and what is stored — for each change, each refusal, a reader over the
address budget, the rate limits' store (Redis) down and the consent database failing.

Live on loopback (tests/keyservice/harness.py). The consent token is issued here with the
service's own key, as unlock does (test_consent_api.py checks that unlock hands it out), so each
test starts without a sign-in."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from site_builder.fp1 import MasterKey, reader_id, subject_for_pnr
from site_builder.fp1.encoding import b64u_encode
from site_builder.keyservice.config import StoreConfig
from site_builder.notify.consent import ConsentStore
from site_builder.notify.tokens import issue, token_key, unsubscribe_token
from site_builder.notify.vapid import vapid_public_b64u
from tests.keyservice.harness import Harness, live_harness
from tests.keyservice.site import OTHER_PARENT_PNR, guardian_rid

INVALID = {"error": "invalid_request"}


def _bearer(harness: Harness, rid: str | None = None) -> dict[str, str]:
    """The Authorization header the app sends: the consent token unlock gave it."""
    token = issue(
        key=token_key(harness.master),
        rid=rid or guardian_rid(harness.master),
        purpose="consent",
        expires=time.time() + 600,
    )
    return {"Authorization": f"Bearer {token}"}


def _logged(harness: Harness) -> dict[str, Any]:
    """The last access-log line without its time."""
    record = harness.records()[-1]
    del record["time"]
    return record


def _line(event: str, outcome: str, *, rid: str | None = None, reason: str | None = None) -> dict:
    return {
        "event": event,
        "rid": rid,
        "provider": None,
        "acr": None,
        "outcome": outcome,
        "reason": reason,
    }


def _subscription(endpoint: str, *, point: bytes | None = None, auth: bytes | None = None) -> dict:
    """A browser's PushSubscription.toJSON(): a fresh P-256 point and auth secret by default."""
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = point or key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return {
        "endpoint": endpoint,
        "keys": {"p256dh": b64u_encode(point), "auth": b64u_encode(auth or os.urandom(16))},
    }


def _endpoints(db: Path, rid: str) -> list[str]:
    store = ConsentStore.open(db)
    try:
        return sorted(s.endpoint for s in store.push_subscriptions({rid}))
    finally:
        store.close()


def test_each_change_answers_the_new_state_and_logs_one_line(harness: Harness, db: Path) -> None:
    auth, rid, client = _bearer(harness), guardian_rid(harness.master), harness.client
    vapid = vapid_public_b64u(harness.master)
    both = {"email": True, "push": True}
    steps: list[tuple[str, dict[str, Any], dict[str, bool], str]] = [
        ("email", {"on": True}, {"email": True, "push": False}, "email_on"),
        ("push", {"subscription": _subscription("https://push.example/a")}, both, "push_on"),
        ("push", {"on": False}, {"email": True, "push": False}, "push_off"),
        ("email", {"on": False}, {"email": False, "push": False}, "email_off"),
    ]
    for kind, body, state, reason in steps:
        answer = client.put(f"/auth/notify/{kind}", json=body, headers=auth)
        assert answer.status_code == 200, reason
        assert answer.json() == {**state, "vapid": vapid}
        assert _logged(harness) == _line("notify", "ok", rid=rid, reason=reason)
    lines = len(harness.records())
    assert client.get("/auth/notify", headers=auth).json()["email"] is False
    assert len(harness.records()) == lines  # a read is not logged


def test_refusals_are_json_errors_and_change_nothing(harness: Harness, db: Path) -> None:
    auth, client = _bearer(harness), harness.client
    base = str(client.base_url).rstrip("/")
    answer = client.put("/auth/notify/email", json={"on": True})
    assert (answer.status_code, answer.json()) == (401, {"error": "signin_required"})
    assert _logged(harness) == _line("notify", "rejected", reason="token_missing_or_invalid")
    foreign = {**auth, "Origin": "https://evil.example"}
    answer = client.put("/auth/notify/email", json={"on": True}, headers=foreign)
    assert (answer.status_code, answer.json()) == (403, {"error": "forbidden"})
    for kind, content in [
        ("email", b"{"),  # not JSON
        ("email", b"[true]"),  # JSON, not an object
        ("email", b'{"on": "yes"}'),
        ("sms", b'{"on": true}'),  # no such kind
        ("push", b'{"on": true}'),  # push is turned on with a subscription
    ]:
        answer = client.put(f"/auth/notify/{kind}", content=content, headers=auth)
        assert (answer.status_code, answer.json()) == (400, INVALID), content
    for method, path in [
        ("POST", "/auth/notify"),
        ("PUT", "/auth/notify"),
        ("GET", "/auth/notify/email"),
        ("POST", "/auth/notify/email"),
        ("DELETE", "/auth/notify/email"),
        ("PUT", "/auth/unsubscribe"),
    ]:
        # refused before the handler (the /auth mount behind these routes answers 404)
        refused = client.request(method, path, headers=auth, json={"on": True})
        assert refused.status_code in (404, 405), (method, path)
    assert client.get("/auth/notify", headers=auth).json()["email"] is False
    same_site = {**auth, "Origin": base}  # the app's own origin is welcome
    assert client.put("/auth/notify/email", json={"on": True}, headers=same_site).status_code == 200


def test_a_bearer_token_after_several_spaces_is_read(harness: Harness) -> None:
    """RFC 7235: credentials = auth-scheme 1*SP token68 — more than one space is allowed."""
    (token,) = _bearer(harness).values()
    spaced = {"Authorization": token.replace("Bearer ", "Bearer   ")}
    answer = harness.client.put("/auth/notify/email", json={"on": True}, headers=spaced)
    assert answer.status_code == 200 and answer.json()["email"] is True


def test_a_body_of_4096_bytes_is_read_one_byte_more_is_refused(harness: Harness) -> None:
    auth = {**_bearer(harness), "Content-Type": "application/json"}

    def body(size: int, on: bool) -> bytes:
        start = json.dumps({"on": on, "pad": ""}).encode()
        padded = json.dumps({"on": on, "pad": "x" * (size - len(start))}).encode()
        assert len(padded) == size
        return padded

    answer = harness.client.put("/auth/notify/email", content=body(4096, True), headers=auth)
    assert answer.status_code == 200 and answer.json()["email"] is True
    answer = harness.client.put("/auth/notify/email", content=body(4097, False), headers=auth)
    assert (answer.status_code, answer.json()) == (400, INVALID)
    assert harness.client.get("/auth/notify", headers=auth).json()["email"] is True


def test_push_subscriptions_are_checked_field_by_field(harness: Harness, db: Path) -> None:
    auth, rid = _bearer(harness), guardian_rid(harness.master)
    long_https = "https://push.example/" + "a" * (1000 - len("https://push.example/"))
    accepted = [  # http only to a push service on this machine (the test push service)
        "http://127.0.0.1:8080/push/1",
        "http://localhost/push/2",
        "http://[::1]:9/push/3",
        long_https,  # 1000 characters: the longest taken
    ]
    for endpoint in accepted:
        answer = harness.client.put(
            "/auth/notify/push", json={"subscription": _subscription(endpoint)}, headers=auth
        )
        assert answer.status_code == 200 and answer.json()["push"] is True, endpoint
    assert _endpoints(db, rid) == sorted(accepted)
    good = _subscription("https://push.example/b")
    keys = good["keys"]
    compressed = ec.generate_private_key(ec.SECP256R1()).public_key()
    refused: dict[str, object] = {
        "1001 characters": _subscription(long_https + "a"),
        "http elsewhere": _subscription("http://push.example/x"),
        "http to a look-alike": _subscription("http://127.0.0.1.evil.example/x"),
        "ftp": _subscription("ftp://push.example/x"),
        "no host": _subscription("https:///x"),
        "endpoint not a string": {**good, "endpoint": 3},
        "keys not an object": {**good, "keys": "p256dh"},
        "p256dh missing": {**good, "keys": {"auth": keys["auth"]}},
        "auth a number": {**good, "keys": {**keys, "auth": 16}},
        "p256dh not base64url": {**good, "keys": {**keys, "p256dh": "+/" * 44}},
        "point not uncompressed (02…, 65 bytes)": _subscription(
            "https://push.example/c", point=b"\x02" + os.urandom(64)
        ),
        "point compressed (33 bytes)": _subscription(
            "https://push.example/c",
            point=compressed.public_bytes(Encoding.X962, PublicFormat.CompressedPoint),
        ),
        "point 64 bytes": _subscription("https://push.example/c", point=b"\x04" + os.urandom(63)),
        "auth 15 bytes": _subscription("https://push.example/c", auth=os.urandom(15)),
        "auth 17 bytes": _subscription("https://push.example/c", auth=os.urandom(17)),
        "not an object": "https://push.example/x",
    }
    for name, subscription in refused.items():
        answer = harness.client.put(
            "/auth/notify/push", json={"subscription": subscription}, headers=auth
        )
        assert (answer.status_code, answer.json()) == (400, INVALID), name
    assert _endpoints(db, rid) == sorted(accepted)


def test_over_the_address_budget_both_routes_say_when_to_retry(tmp_path: Path, db: Path) -> None:
    with live_harness(tmp_path, MasterKey.generate(), notify_db=db, per_address=2) as harness:
        auth = _bearer(harness)
        link = unsubscribe_token(key=token_key(harness.master), rids=[guardian_rid(harness.master)])
        assert harness.client.get("/auth/notify", headers=auth).status_code == 200
        assert harness.client.get("/auth/unsubscribe", params={"t": link}).status_code == 200
        answer = harness.client.get("/auth/notify", headers=auth)
        assert answer.status_code == 429
        retry = answer.json()["retry_after"]
        assert answer.json() == {"error": "rate_limited", "retry_after": retry}
        assert isinstance(retry, int) and 1 <= retry <= 60
        assert answer.headers["retry-after"] == str(retry)
        # The unsubscribe link is a person's navigation from a mail: a page in their language.
        page = harness.client.post(
            "/auth/unsubscribe", params={"t": link}, headers={"accept-language": "en"}
        )
        assert page.status_code == 429 and page.headers["content-type"].startswith("text/html")
        assert "Try again later" in page.text and 1 <= int(page.headers["retry-after"]) <= 60
        assert "The service is not available right now." in page.text
        assert page.headers["cache-control"] == "no-store"
        assert harness.records()[-1] == {
            **harness.records()[-1],
            "event": "unsubscribe",
            "outcome": "rate_limited",
            "reason": "per_address",
        }


@pytest.fixture
def redis_down() -> Iterator[StoreConfig]:
    """A Redis URL whose port refuses connections: bound on loopback, never listening."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield StoreConfig(kind="redis", url=f"redis://127.0.0.1:{sock.getsockname()[1]}/0")


def test_with_the_rate_limit_store_down_consent_calls_are_503_but_unsubscribe_works(
    tmp_path: Path, db: Path, redis_down: StoreConfig
) -> None:
    master = MasterKey.generate()
    rid = guardian_rid(master)
    store = ConsentStore.open(db)
    store.set_email(rid, on=True)
    store.close()
    with live_harness(tmp_path, master, notify_db=db, store=redis_down) as harness:
        answer = harness.client.put(
            "/auth/notify/email", json={"on": False}, headers=_bearer(harness)
        )
        assert (answer.status_code, answer.json()) == (503, {"error": "unavailable"})
        assert _logged(harness) == _line("notify", "unavailable", reason="store_unavailable")
        link = unsubscribe_token(key=token_key(master), rids=[rid])
        done = harness.client.post("/auth/unsubscribe", params={"t": link})
        assert done.status_code == 200 and "Du får inte längre e-post" in done.text
        assert _logged(harness) == _line("unsubscribe", "ok", rid=rid)
    store = ConsentStore.open(db)
    assert store.choices(rid) == {"email": False, "push": False}
    store.close()


def _break(db: Path) -> None:
    """The consent database fails under the running service (its tables gone): every statement
    the service runs now raises, at once — unlike a write lock, which it waits out for 5 s."""
    with sqlite3.connect(db) as other:
        other.executescript("DROP TABLE consent; DROP TABLE push;")


def test_a_failing_consent_database_is_503_and_logged(harness: Harness, db: Path) -> None:
    rid = guardian_rid(harness.master)
    _break(db)
    answer = harness.client.put("/auth/notify/email", json={"on": True}, headers=_bearer(harness))
    assert (answer.status_code, answer.json()) == (503, {"error": "unavailable"})
    assert _logged(harness) == _line("notify", "unavailable", rid=rid, reason="consent_db_error")
    link = unsubscribe_token(key=token_key(harness.master), rids=[rid])
    later = harness.client.post("/auth/unsubscribe", params={"t": link})
    assert later.status_code == 503
    for text in (
        "Försök igen senare",
        "Tjänsten är inte tillgänglig just nu.",
        "Try again later",
        "The service is not available right now.",
    ):
        assert text in later.text
    assert _logged(harness) == _line(
        "unsubscribe", "unavailable", rid=rid, reason="consent_db_error"
    )


def test_the_unsubscribe_link_asks_then_turns_off_every_rid_it_names(
    harness: Harness, db: Path
) -> None:
    client, master = harness.client, harness.master
    rids = [guardian_rid(master), reader_id(master, subject_for_pnr(OTHER_PARENT_PNR))]
    for n, rid in enumerate(rids):  # one person reading as two rids, each with mail and push on
        auth = _bearer(harness, rid)
        assert client.put("/auth/notify/email", json={"on": True}, headers=auth).status_code == 200
        push = {"subscription": _subscription(f"https://push.example/{n}")}
        assert client.put("/auth/notify/push", json=push, headers=auth).status_code == 200
    link = unsubscribe_token(key=token_key(master), rids=rids)
    ask = client.get("/auth/unsubscribe", params={"t": link})
    assert ask.status_code == 200
    assert f'<form method="post" action="/auth/unsubscribe?t={link}">' in ask.text
    for text in ("Stäng av e-post</button>", "Turn off e-mail</button>"):
        assert text in ask.text
    bad = client.post("/auth/unsubscribe", params={"t": link[:-2] + "AA"})
    assert bad.status_code == 400
    for text in ("Länken är ogiltig eller för gammal.", "The link is invalid or too old."):
        assert text in bad.text
    assert _logged(harness) == _line("unsubscribe", "rejected", reason="token_invalid")
    store = ConsentStore.open(db)
    assert all(store.choices(rid) == {"email": True, "push": True} for rid in rids)
    done = client.post("/auth/unsubscribe", params={"t": link})
    assert done.status_code == 200
    for text in (
        "Du får inte längre e-post när något nytt publiceras.",
        "You will no longer get e-mail when something new is published.",
    ):
        assert text in done.text
    assert _logged(harness) == _line("unsubscribe", "ok", rid=",".join(rids))
    assert all(store.choices(rid) == {"email": False, "push": False} for rid in rids)
    store.close()
