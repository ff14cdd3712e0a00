"""Start `site-builder serve` (app + key release + development e-ID) on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _site_builder() -> str:
    beside = Path(sys.executable).parent / "site-builder"
    return str(beside) if beside.exists() else "site-builder"


@contextmanager
def serving(*, site: Path, export: Path, state: Path, env: dict[str, str]) -> Iterator[str]:
    """Yield the base URL of a running server; stop it (by its own pid) afterwards.

    `state`: the build's own state dir, never the working directory's `.site-builder` (after
    `make demo` that holds another master key, which serve rightly refuses beside the env key).
    """
    port = free_port()
    command = [
        _site_builder(), "serve", "--out", str(site), "--dev-idp", str(export),
        "--state-dir", str(state), "--host", "127.0.0.1", "--port", str(port),
    ]  # fmt: skip
    process = subprocess.Popen(command, env={**os.environ, **env}, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                stderr = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"site-builder serve exited: {stderr[-1500:]}")
            try:
                httpx.get(f"{base}/latest.json", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise RuntimeError("site-builder serve did not answer in time") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


def guardian_provider(base: str) -> str:
    """Id of the sign-in provider for guardians, from the key service's /auth/providers."""
    providers = httpx.get(f"{base}/auth/providers", timeout=10).json()["providers"]
    for provider in providers:
        if provider.get("audience") == "guardian":
            return str(provider["id"])
    return str(providers[0]["id"])
