"""Drive the key service's login flow by hand against the fake provider (Starlette TestClient)."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from cryptography.hazmat.primitives.asymmetric import ec

from site_builder.fp1 import MasterKey
from site_builder.fp1.wrap import public_key_to_jwk
from site_builder.keyservice.accesslog import AccessLog
from site_builder.keyservice.config import StoreConfig
from site_builder.serve import create_app
from tests.keyservice.fakeidp import FakeProvider, fake_config
from tests.keyservice.liveserver import loopback_socket, running
from tests.keyservice.site import GUARDIAN_PNR, seal_site


@dataclass
class Txn:
    state: str
    nonce: str
    challenge: str
    cookie: str


@dataclass
class Harness:
    client: httpx.Client
    fake: FakeProvider
    log: io.StringIO
    master: MasterKey

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.log.getvalue().splitlines()]

    def last_reason(self) -> str | None:
        reason = self.records()[-1]["reason"]
        return str(reason) if reason is not None else None

    def login(self) -> Txn:
        response = self.client.get("/auth/login", params={"provider": "eid"})
        assert response.status_code == 302, response.text
        query = parse_qs(urlsplit(response.headers["location"]).query)
        assert query["code_challenge_method"] == ["S256"]
        cookie = self.client.cookies.get("fp_login")
        assert cookie
        return Txn(query["state"][0], query["nonce"][0], query["code_challenge"][0], cookie)

    def callback(
        self,
        txn: Txn,
        *,
        code: str = "code-1",
        state: str | None = None,
        challenge: str | None = None,
    ) -> httpx.Response:
        """The provider's redirect back: `challenge` other than the txn's = an injected code."""
        self.fake.grants[code] = (challenge or txn.challenge, txn.nonce)
        self.client.cookies.clear()
        return self.client.get(
            "/auth/callback",
            params={"code": code, "state": txn.state if state is None else state},
            headers={"cookie": f"fp_login={txn.cookie}"},
        )

    def unlocked(self, *, code: str = "c1") -> dict[str, Any]:
        """A whole sign-in and unlock by the guardian on a fresh device key: the unlock's JSON."""
        device = public_key_to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key())
        answer = self.unlock(handoff_cookie(self.callback(self.login(), code=code)), device)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    def unlock(self, handoff: str, device_jwk: dict[str, Any]) -> httpx.Response:
        self.client.cookies.clear()
        return self.client.post(
            "/auth/unlock",
            json={"device_key": device_jwk},
            headers={"cookie": f"fp_handoff={handoff}"},
        )


@contextlib.contextmanager
def live_harness(
    tmp_path: Path,
    master: MasterKey,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    retired: MasterKey | None = None,
    spool_dir: Path | None = None,
    public_url: str | None = None,
    notify_db: Path | None = None,
    store: StoreConfig | None = None,
    epochs: list[str] | None = None,
    fake: FakeProvider | None = None,
    **rate_limit: int,
) -> Iterator[Harness]:
    """The whole server live on loopback; provider calls go to the fake, in-process. The site
    is sealed under `retired` when given (the rotation overlap), else under `master`.

    `public_url`: the deployment's origin in the config (e.g. https://…), while the test still
    talks to the loopback socket: what the service derives from it (Secure cookies, the Origin
    it accepts) is then that of an https deployment. `store`: the config's [store] (e.g. a
    redis-server of the test's own), else the in-process one. `epochs`: the config's fixed
    epochs, else the site's. `fake`: the provider, when a test shapes it."""
    fake = fake or FakeProvider(pnr=GUARDIAN_PNR)
    log = io.StringIO()
    sock, base_url = loopback_socket()
    app = create_app(
        site_dir=seal_site(tmp_path / "build", master=retired or master),
        master=master,
        retired=retired,
        base_url=base_url,
        config=fake_config(
            base_url=public_url or base_url, store=store, epochs=epochs, **rate_limit
        ),
        access_log=AccessLog(log),
        http_transport=transport or httpx.ASGITransport(app=fake.app()),
        spool_dir=spool_dir,
        notify_db=notify_db,
    )
    with running(app, sock), httpx.Client(base_url=base_url, follow_redirects=False) as client:
        yield Harness(client=client, fake=fake, log=log, master=master)


def handoff_cookie(response: httpx.Response) -> str:
    for header in response.headers.get_list("set-cookie"):
        if header.startswith("fp_handoff=") and "Max-Age=0" not in header:
            return header.split(";", 1)[0].split("=", 1)[1]
    raise AssertionError("no handoff cookie was set")
