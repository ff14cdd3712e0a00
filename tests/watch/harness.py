"""`site-builder watch` as a subprocess on 127.0.0.1:<free port> over a scratch copy of the
example, with its log in a file the tests read; stopped (SIGTERM, then kill) at teardown."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "content" / "example"
SITE_BUILDER = str(Path(sys.executable).with_name("site-builder"))
POST = Path("children/p-barn-07/larlogg/2026-09-04-01.md")  # Hugo's first Lärlogg post


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(check: Callable[[], bool], *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under `root` (symlinks followed) → sha256; plus each symlink's target."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            found[key + " ->"] = os.readlink(path)
        if path.is_file():
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@dataclass
class Watcher:
    base_url: str
    export: Path
    out: Path
    state: Path
    log_path: Path
    process: subprocess.Popen[bytes]

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def status(self) -> dict[str, Any]:
        with urllib.request.urlopen(self.base_url + "/__preview__/status", timeout=5) as answer:
            data: dict[str, Any] = json.loads(answer.read())
        return data

    def answers(self) -> bool:
        try:
            self.status()
        except OSError:
            return False
        return True

    def rebuild_lines(self) -> list[str]:
        return [line for line in self.log.splitlines() if line.startswith("watch: rebuild #")]

    def wait_idle(self, *, after: int, seconds: float = 30) -> None:
        """Until at least `after` builds ran and none started for a second."""
        wait_for(lambda: self.status()["builds"] >= after, seconds=seconds, what="a rebuild")
        quiet_since, builds = time.monotonic(), self.status()["builds"]
        while time.monotonic() - quiet_since < 1.0:
            time.sleep(0.1)
            now = self.status()["builds"]
            if now != builds:
                quiet_since, builds = time.monotonic(), now
        wait_for(lambda: self._finished(builds), seconds=seconds, what="the build to finish")

    def _finished(self, builds: int) -> bool:
        lines = self.log.splitlines()
        starts = [
            n for n, line in enumerate(lines) if line.startswith(f"watch: rebuild #{builds} ")
        ]
        return bool(starts) and any(
            line.startswith(
                (
                    "watch: published",
                    "watch: patched",
                    "watch: nothing changed",
                    f"watch: rebuild #{builds}:",
                )
            )
            for line in lines[starts[-1] + 1 :]
        )

    def edit(self, relative: Path, change: Callable[[str], str]) -> None:
        path = self.export / relative
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    def stop(self) -> int:
        self.process.terminate()
        try:
            return self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise


def scratch_export(tmp_path: Path) -> Path:
    """A copy of content/example the test may edit (the example itself stays untouched)."""
    export = tmp_path / "export"
    shutil.copytree(EXAMPLE, export)
    return export


@contextlib.contextmanager
def watching(
    tmp_path: Path, *, export: Path, env: dict[str, str] | None = None, extra: tuple[str, ...] = ()
) -> Iterator[Watcher]:
    port = free_port()
    out, state, log_path = tmp_path / "preview", tmp_path / "preview-state", tmp_path / "watch.log"
    args = [SITE_BUILDER, "watch", str(export), "--out", str(out), "--state-dir", str(state)]
    args += ["--port", str(port), *extra]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            args, cwd=tmp_path, env=env or dict(os.environ), stdout=log, stderr=subprocess.STDOUT
        )
    watcher = Watcher(
        base_url=f"http://127.0.0.1:{port}",
        export=export,
        out=out,
        state=state,
        log_path=log_path,
        process=process,
    )
    try:

        def up() -> bool:
            assert process.poll() is None, f"watch exited early:\n{watcher.log}"
            return "watch: preview on" in watcher.log

        wait_for(up, seconds=90, what="the first preview build")
        wait_for(watcher.answers, seconds=20, what="the preview server")
        yield watcher
    finally:
        if process.poll() is None:
            watcher.stop()
