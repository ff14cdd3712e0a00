"""Real processes for the key-service tests: `site-builder serve --config` instances, a
redis-server of their own, and the fake provider live on loopback so separate processes can
sign in against it. Everything binds 127.0.0.1 and is stopped (by its own pid) when the block
ends."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from site_builder.fp1 import MasterKey
from site_builder.pipeline.state.keystore import MASTER_FILE
from tests.keyservice.fakeidp import CLIENT_ID, CLIENT_SECRET, FakeProvider
from tests.keyservice.harness import handoff_cookie
from tests.keyservice.liveserver import loopback_socket, running
from tests.keyservice.site import seal_site
from tests.serve_cli import ROOT, SITE_BUILDER, free_port

STARTUP_SECONDS = 20
SECRET_ENV = "FP_TEST_CLIENT_SECRET"


@contextlib.contextmanager
def live_provider(fake: FakeProvider) -> Iterator[str]:
    """The fake provider on http://127.0.0.1:<port>; its issuer becomes that URL."""
    sock, url = loopback_socket()
    fake.issuer = url
    with running(fake.app(), sock):
        yield url


def redis_server_path() -> str:
    found = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(found).exists():
        pytest.fail("Debian's redis-server is missing: run `make test` (it apt-get installs it)")
    return found


@dataclass
class RedisServer:
    url: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[RedisServer]:
    """A real redis-server on a free loopback port: its own directory, no persistence."""
    import redis

    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    args = [redis_server_path(), "--port", str(port), "--bind", "127.0.0.1"]
    args += ["--save", "", "--appendonly", "no", "--dir", str(folder), "--daemonize", "no"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = RedisServer(url=f"redis://127.0.0.1:{port}/0", process=process)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                redis.Redis.from_url(server.url, socket_timeout=1).ping()
                break
            except redis.exceptions.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        yield server
    finally:
        server.stop()


def write_config(
    path: Path,
    *,
    base_url: str,
    issuer: str,
    access_log: Path,
    store: dict[str, str] | None = None,
    **rate_limit: int,
) -> Path:
    """A keyservice.toml for the live fake provider (client secret from SECRET_ENV)."""
    lines = [
        f'base_url = "{base_url}"',
        f'access_log = "{access_log}"',
        "[[providers]]",
        'id = "eid"',
        'label = { sv = "E-legitimation", en = "e-ID" }',
        f'issuer = "{issuer}"',
        f'client_id = "{CLIENT_ID}"',
        f'client_secret_env = "{SECRET_ENV}"',
        'algorithms = ["ES256"]',
    ]
    if rate_limit:
        lines += ["[rate_limit]", *(f"{k} = {v}" for k, v in rate_limit.items())]
    if store:
        lines += ["[store]", *(f'{k} = "{v}"' for k, v in store.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class Deployment:
    """The site, master key and state dir every instance shares."""

    root: Path
    master: MasterKey
    site: Path
    state_dir: Path

    @classmethod
    def create(cls, root: Path) -> Deployment:
        master = MasterKey.generate()
        state_dir = root / "state"
        master.write(state_dir / MASTER_FILE)
        return cls(root, master, seal_site(root / "build", master=master), state_dir)


@dataclass
class Instance:
    base_url: str
    process: subprocess.Popen[bytes]
    stderr: Path

    def log_text(self) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")


def _wait_up(instance: Instance) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if instance.process.poll() is not None:
            raise RuntimeError(f"serve exited: {instance.log_text()[-1500:]}")
        try:
            if httpx.get(instance.base_url + "/latest.json", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"serve did not answer within {STARTUP_SECONDS} s")


@contextlib.contextmanager
def serve_instance(
    deployment: Deployment, *, config: Path, port: int | None = None, name: str = "a"
) -> Iterator[Instance]:
    """`site-builder serve --config` as its own process on 127.0.0.1."""
    port = port or free_port()
    stderr = deployment.root / f"serve-{name}.stderr"
    args = [SITE_BUILDER, "serve", "--out", str(deployment.site), "--config", str(config)]
    args += ["--state-dir", str(deployment.state_dir), "--port", str(port)]
    env = {**os.environ, SECRET_ENV: CLIENT_SECRET}
    env.pop("SITE_BUILDER_MASTER_KEY", None)
    with stderr.open("wb") as err:
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=err, stderr=err)
    instance = Instance(f"http://127.0.0.1:{port}", process, stderr)
    try:
        _wait_up(instance)
        yield instance
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def sign_in(
    fake: FakeProvider,
    *,
    start: str,
    finish: str | None = None,
    code: str,
    http: httpx.Client | None = None,
) -> str:
    """A whole e-ID sign-in: /auth/login on `start`, the provider's redirect back to `finish`
    (default the same instance); returns the handoff cookie's value."""
    client = http or httpx.Client(timeout=10)
    try:
        login = client.get(start + "/auth/login", params={"provider": "eid"})
        assert login.status_code == 302, login.text
        query = parse_qs(urlsplit(login.headers["location"]).query)
        fake.grants[code] = (query["code_challenge"][0], query["nonce"][0])
        cookie = login.cookies["fp_login"]
        client.cookies.clear()
        answer = client.get(
            (finish or start) + "/auth/callback",
            params={"code": code, "state": query["state"][0]},
            headers={"cookie": f"fp_login={cookie}"},
        )
        client.cookies.clear()
    finally:
        if http is None:
            client.close()
    assert answer.headers.get("location") == "/#/unlock", answer.headers
    return handoff_cookie(answer)


def unlock(base_url: str, handoff: str, jwk: dict[str, Any]) -> httpx.Response:
    return httpx.post(
        base_url + "/auth/unlock",
        content=json.dumps({"device_key": jwk}),
        headers={"cookie": f"fp_handoff={handoff}", "content-type": "application/json"},
        timeout=10,
    )


def access_log(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
