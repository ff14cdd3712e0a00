"""`site-builder serve --dev-idp` as a subprocess on 127.0.0.1:<free port>, for browser tests:
up when /latest.json answers, stopped (terminate, then kill) when the block ends."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

SITE_BUILDER = str(Path(sys.executable).with_name("site-builder"))
ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 20


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(base_url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"site-builder serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(base_url + "/latest.json", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"site-builder serve did not answer within {STARTUP_SECONDS} s")


@contextlib.contextmanager
def site_builder_serve(
    *,
    out: Path,
    state_dir: Path,
    export: Path,
    env: dict[str, str] | None = None,
    port: int | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Yield the base URL and the process (a test may stop it to go offline). `port`: a
    restart on the same origin (the browser's storage is per origin)."""
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    args = ["serve", "--out", str(out), "--state-dir", str(state_dir)]
    args += ["--dev-idp", str(export), "--port", str(port)]
    process = subprocess.Popen(
        [SITE_BUILDER, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(base_url, process)
        yield base_url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
