"""The key service when its provider misbehaves or clocks disagree (loopback only, bounded).

Documented behaviour (docs/fp1.md, docs/threat-model.md): a provider that is down or slow gives
the generic `unavailable` error within the client timeout; a rotated signing key is fetched and
accepted; ID token times are accepted within 60 s of leeway and refused beyond it.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from joserfc.jwk import ECKey

from site_builder.fp1 import MasterKey
from site_builder.keyservice import oidc
from site_builder.keyservice.idtoken import LEEWAY_SECONDS
from tests.keyservice.fakeidp import FakeProvider
from tests.keyservice.harness import Harness, Txn, live_harness

CLIENT_TIMEOUT_SECONDS = 10.0  # the provider client's timeout (site_builder/keyservice/oidc.py)


class _JwksFault(httpx.AsyncBaseTransport):
    """The fake provider, except that its JWKS endpoint is broken in the given way."""

    def __init__(self, fake: FakeProvider, fault: Callable[[httpx.Request], httpx.Response]):
        self.inner = httpx.ASGITransport(app=fake.app())
        self.fault = fault

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/jwks":
            return self.fault(request)
        return await self.inner.handle_async_request(request)


def _refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def _server_error(request: httpx.Request) -> httpx.Response:
    return httpx.Response(503, request=request)


class _Silent(httpx.AsyncBaseTransport):
    """JWKS requests go over real loopback TCP to a socket that accepts and never answers, so the
    provider client's own timeout (not the test) decides when to give up."""

    def __init__(self, fake: FakeProvider, silent_port: int):
        self.inner = httpx.ASGITransport(app=fake.app())
        self.network = httpx.AsyncHTTPTransport()
        self.port = silent_port

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != "/jwks":
            return await self.inner.handle_async_request(request)
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self.port)
        return await self.network.handle_async_request(request)

    async def aclose(self) -> None:
        await self.network.aclose()


def _assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 302
    assert response.headers["location"] == "/#/error/unavailable"
    assert response.text == ""


@pytest.mark.parametrize("fault", [_refused, _server_error], ids=["refused", "http-503"])
def test_jwks_down_gives_unavailable(
    tmp_path: Path, master: MasterKey, fault: Callable[[httpx.Request], httpx.Response]
) -> None:
    fake = FakeProvider(pnr="198112289874")
    with live_harness(tmp_path, master, transport=_JwksFault(fake, fault)) as harness:
        _assert_unavailable(_callback_via(harness, fake, harness.login()))
    record = harness.records()[-1]
    assert (record["outcome"], record["reason"]) == ("unavailable", "jwks_unreachable")


@pytest.fixture
def silent_port() -> Iterator[int]:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # connections complete in the backlog; nothing ever reads or answers
    yield listener.getsockname()[1]
    listener.close()


def test_jwks_silent_gives_unavailable_within_the_client_timeout(
    tmp_path: Path, master: MasterKey, silent_port: int
) -> None:
    fake = FakeProvider(pnr="198112289874")
    with live_harness(tmp_path, master, transport=_Silent(fake, silent_port)) as harness:
        harness.client.timeout = httpx.Timeout(CLIENT_TIMEOUT_SECONDS * 3)
        txn = harness.login()
        started = time.monotonic()
        response = _callback_via(harness, fake, txn)
        waited = time.monotonic() - started
    print(f"\nsilent JWKS endpoint: answered after {waited:.1f} s")
    _assert_unavailable(response)
    assert waited < CLIENT_TIMEOUT_SECONDS * 2  # bounded by the client timeout, not a hang


def _callback_via(harness: Harness, fake: FakeProvider, txn: Txn) -> httpx.Response:
    """Like Harness.callback, but the grant goes to `fake`, the provider behind the transport."""
    fake.grants["code-1"] = (txn.challenge, txn.nonce)
    harness.client.cookies.clear()
    return harness.client.get(
        "/auth/callback",
        params={"code": "code-1", "state": txn.state},
        headers={"cookie": f"fp_login={txn.cookie}"},
    )


@pytest.fixture
def harness(tmp_path: Path, master: MasterKey) -> Iterator[Harness]:
    with live_harness(tmp_path, master) as built:
        yield built


def test_provider_key_rotation_is_fetched_and_accepted(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    offset = [0.0]  # the provider client's clock only: refetch limits are in monotonic time
    clock = SimpleNamespace(monotonic=lambda: time.monotonic() + offset[0], time=time.time)
    monkeypatch.setattr(oidc, "time", clock)
    assert harness.callback(harness.login(), code="a").headers["location"] == "/#/unlock"
    assert harness.fake.jwks_fetches == 1
    harness.fake.key = ECKey.generate_key("P-256", parameters={"kid": "k2"})  # rotated
    # Right after a fetch, an unknown kid is not refetched (forged kids cannot hammer the IdP).
    refused = harness.callback(harness.login(), code="b")
    assert refused.headers["location"] == "/#/error/failed"
    assert harness.last_reason() == "unknown_kid"
    offset[0] = oidc.JWKS_REFETCH_INTERVAL_SECONDS + 1
    accepted = harness.callback(harness.login(), code="c")
    assert accepted.headers["location"] == "/#/unlock"
    assert harness.fake.jwks_fetches == 2
    # The cached new key serves further sign-ins without another fetch.
    assert harness.callback(harness.login(), code="d").headers["location"] == "/#/unlock"
    assert harness.fake.jwks_fetches == 2


SKEWS = {
    "exp just inside the leeway": ({"exp": -(LEEWAY_SECONDS - 20)}, None),
    "exp beyond the leeway": ({"exp": -(LEEWAY_SECONDS + 30)}, "expired"),
    "iat just inside the leeway": ({"iat": LEEWAY_SECONDS - 20}, None),
    "iat beyond the leeway": ({"iat": LEEWAY_SECONDS + 30}, "iat_in_future"),
}


@pytest.mark.parametrize("name", list(SKEWS))
def test_clock_skew_within_leeway_only(harness: Harness, name: str) -> None:
    shifts, reason = SKEWS[name]

    def mint(fake: FakeProvider, nonce: str) -> str:
        claims = fake.claims(nonce)
        now = int(time.time())
        if "exp" in shifts:
            claims.update(exp=now + shifts["exp"], iat=now + shifts["exp"] - 300)
        if "iat" in shifts:
            claims.update(iat=now + shifts["iat"], exp=now + shifts["iat"] + 300)
        return fake.sign(claims)

    harness.fake.mint = mint
    response = harness.callback(harness.login())
    if reason is None:
        assert response.headers["location"] == "/#/unlock"
        assert harness.records()[-1]["outcome"] == "ok"
    else:
        assert response.headers["location"] == "/#/error/failed"
        assert harness.last_reason() == reason
