"""The key service's consent calls (/auth/notify) and one-click unsubscribe (/auth/unsubscribe),
live on loopback: the capability from unlock, what is stored (a rid and a flag, nothing else),
and forged or malformed requests answered 4xx, never 500."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from site_builder.fp1 import MasterKey
from site_builder.fp1.encoding import b64u_encode
from site_builder.fp1.wrap import public_key_to_jwk
from site_builder.notify.consent import ConsentStore
from site_builder.notify.tokens import issue, token_key, unsubscribe_token, verify
from site_builder.notify.vapid import vapid_public_b64u
from tests.keyservice.harness import Harness, handoff_cookie
from tests.keyservice.site import guardian_rid
from tests.notify.conftest import EXAMPLE
from tests.serve_cli import SITE_BUILDER, free_port


def _signed_in(harness: Harness) -> str:
    """Sign in and unlock like the app; the consent token the unlock answer carries."""
    response = harness.callback(harness.login())
    jwk = public_key_to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key())
    answer = harness.unlock(handoff_cookie(response), jwk)
    assert answer.status_code == 200
    token = answer.json()["notify"]
    assert isinstance(token, str)
    return token


def _rows(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT * FROM consent").fetchall()


def test_unlock_gives_a_token_that_turns_email_on_and_off(harness: Harness, db: Path) -> None:
    token = _signed_in(harness)
    rid = guardian_rid(harness.master)
    auth = {"Authorization": f"Bearer {token}"}
    first = harness.client.get("/auth/notify", headers=auth)
    assert first.status_code == 200 and first.headers["cache-control"] == "no-store"
    assert first.json() == {
        "email": False,
        "push": False,
        "vapid": vapid_public_b64u(harness.master),
    }
    on = harness.client.put("/auth/notify/email", json={"on": True}, headers=auth)
    assert on.status_code == 200 and on.json()["email"] is True
    (row,) = _rows(db)
    assert row[0] == rid and row[1] == 1 and len(row) == 3  # a rid, a flag, a time: nothing else
    assert harness.client.get("/auth/notify", headers=auth).json()["email"] is True
    off = harness.client.put("/auth/notify/email", json={"on": False}, headers=auth)
    assert off.status_code == 200 and off.json()["email"] is False
    assert _rows(db) == []
    assert [r["event"] for r in harness.records()][-2:] == ["notify", "notify"]
    assert "pnr" not in harness.log.getvalue() and "1980" not in harness.log.getvalue()


def test_forged_expired_or_foreign_tokens_are_refused(harness: Harness, db: Path) -> None:
    token = _signed_in(harness)
    key = token_key(harness.master)
    rid = guardian_rid(harness.master)
    body, mac = token.split(".")
    forged = body + "." + ("A" if mac[0] != "A" else "B") + mac[1:]
    other_key = token_key(MasterKey.generate())
    cases = {
        "missing": {},
        "forged": {"Authorization": f"Bearer {forged}"},
        "other master": {
            "Authorization": "Bearer "
            + issue(key=other_key, rid=rid, purpose="consent", expires=time.time() + 60)
        },
        "expired": {
            "Authorization": "Bearer "
            + issue(key=key, rid=rid, purpose="consent", expires=time.time() - 1)
        },
        "unsubscribe token": {"Authorization": f"Bearer {unsubscribe_token(key=key, rids=[rid])}"},
        "not bearer": {"Authorization": f"Basic {token}"},
    }
    for name, headers in cases.items():
        answer = harness.client.put("/auth/notify/email", json={"on": True}, headers=headers)
        assert answer.status_code == 401, name
    assert _rows(db) == []


def test_bad_requests_are_4xx(harness: Harness) -> None:
    auth = {"Authorization": f"Bearer {_signed_in(harness)}"}
    client = harness.client
    assert client.put("/auth/notify/email", content=b"{", headers=auth).status_code == 400
    assert client.put("/auth/notify/email", json={"on": "yes"}, headers=auth).status_code == 400
    assert client.put("/auth/notify/email", json=[1], headers=auth).status_code == 400
    big = {"on": True, "pad": "x" * 5000}
    assert client.put("/auth/notify/email", json=big, headers=auth).status_code == 400
    assert client.put("/auth/notify/sms", json={"on": True}, headers=auth).status_code == 400
    foreign = {**auth, "Origin": "https://evil.example"}
    assert client.put("/auth/notify/email", json={"on": True}, headers=foreign).status_code == 403


def _browser_subscription(endpoint: str) -> dict[str, object]:
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return {
        "endpoint": endpoint,
        "keys": {"p256dh": b64u_encode(point), "auth": b64u_encode(os.urandom(16))},
    }


def test_push_subscription_is_checked_and_stored_by_rid(harness: Harness, db: Path) -> None:
    auth = {"Authorization": f"Bearer {_signed_in(harness)}"}
    client = harness.client
    good = _browser_subscription("https://push.example/send/abc")
    bad_endpoint = _browser_subscription("http://push.example/send/abc")  # not https
    short_auth = _browser_subscription("https://push.example/x")
    short_auth["keys"] = {**short_auth["keys"], "auth": b64u_encode(b"short")}  # type: ignore[dict-item]
    for bad in (bad_endpoint, short_auth, {"endpoint": 3}):
        answer = client.put("/auth/notify/push", json={"subscription": bad}, headers=auth)
        assert answer.status_code == 400
    answer = client.put("/auth/notify/push", json={"subscription": good}, headers=auth)
    assert answer.status_code == 200 and answer.json()["push"] is True
    store = ConsentStore.open(db)
    (sub,) = store.push_subscriptions({guardian_rid(harness.master)})
    assert sub.endpoint == "https://push.example/send/abc"
    off = client.put("/auth/notify/push", json={"on": False}, headers=auth)
    assert off.json()["push"] is False
    assert store.push_subscriptions({guardian_rid(harness.master)}) == []


def test_unsubscribe_link_get_asks_post_turns_off_forged_is_400(harness: Harness, db: Path) -> None:
    token = _signed_in(harness)
    auth = {"Authorization": f"Bearer {token}"}
    harness.client.put("/auth/notify/email", json={"on": True}, headers=auth)
    rid = guardian_rid(harness.master)
    link = unsubscribe_token(key=token_key(harness.master), rids=[rid])
    page = harness.client.get("/auth/unsubscribe", params={"t": link})
    assert page.status_code == 200 and 'method="post"' in page.text
    assert _rows(db) != []  # a GET (a link scanner) changes nothing
    for forged in (link[:-2] + "AA", token, "", "x" * 500):
        answer = harness.client.post(
            "/auth/unsubscribe", params={"t": forged}, content=b"List-Unsubscribe=One-Click"
        )
        assert answer.status_code == 400 and "Länken fungerar inte" in answer.text
    assert _rows(db) != []
    done = harness.client.post(
        "/auth/unsubscribe",
        params={"t": link},
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert done.status_code == 200 and "Klart" in done.text
    assert _rows(db) == []
    assert verify(key=token_key(harness.master), token=link, purpose="unsubscribe") == rid


def test_a_locked_consent_database_is_503_then_works_again(harness: Harness, db: Path) -> None:
    auth = {"Authorization": f"Bearer {_signed_in(harness)}"}
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing and not letting go
    try:  # the service waits up to 5 s for the lock: this client waits longer
        answer = harness.client.put(
            "/auth/notify/email", json={"on": True}, headers=auth, timeout=20
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert answer.status_code == 503 and answer.json() == {"error": "unavailable"}
    assert harness.records()[-1]["reason"] == "consent_db_error"
    again = harness.client.put("/auth/notify/email", json={"on": True}, headers=auth)
    assert again.status_code == 200 and again.json()["email"] is True


def test_serve_refuses_a_corrupt_consent_database_with_a_clear_message(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "notify.sqlite").write_bytes(b"not sqlite at all " * 200)
    env = {**os.environ, "SITE_BUILDER_MASTER_KEY": MasterKey.generate().to_b64u()}
    done = subprocess.run(
        [
            SITE_BUILDER,
            "serve",
            "--out",
            str(tmp_path / "site"),
            "--state-dir",
            str(state),
            "--dev-idp",
            str(EXAMPLE),
            "--port",
            str(free_port()),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "notify.sqlite: not a readable SQLite database" in done.stderr
    assert "Traceback" not in done.stderr
