"""`site-builder build --watch` as a subprocess: it publishes a saved correction, reports a broken
save without touching the live site and publishes its fix, and stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.export.edit import replace_in
from tests.serve_cli import SITE_BUILDER

REPO = Path(__file__).resolve().parents[2]
NOAH_POST = "children/p-barn-02/larlogg/2026-09-04-01.md"


class Running:
    def __init__(self, process: subprocess.Popen[bytes], log: Path) -> None:
        self.process, self.log, self.seen = process, log, 0

    def next_line(self, containing: str, *, timeout: float = 60) -> str:
        """The first line from here on (lines already returned are skipped) with `containing`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.log.read_text(encoding="utf-8").splitlines()
            for number, line in enumerate(lines[self.seen :], start=self.seen):
                if containing in line:
                    self.seen = number + 1
                    return line
            if self.process.poll() is not None:
                pytest.fail(f"build --watch exited ({self.process.returncode}):\n{lines}")
            time.sleep(0.05)
        pytest.fail(f"no line with {containing!r}:\n{self.log.read_text(encoding='utf-8')}")


@pytest.fixture
def paths(tmp_path: Path) -> dict[str, Path]:
    export = Path(shutil.copytree(REPO / "content" / "example", tmp_path / "export"))
    return {"export": export, "out": tmp_path / "out" / "site", "state": tmp_path / "state"}


def _args(paths: dict[str, Path]) -> list[str]:
    return [str(paths["export"]), "--out", str(paths["out"]), "--state-dir", str(paths["state"])]


def _start(paths: dict[str, Path]) -> Running:
    """A key, then `build --watch` with its output in <state>/../watch.log."""
    subprocess.run([SITE_BUILDER, "keys", "init", "--state-dir", str(paths["state"])], check=True)
    log = paths["state"].parent / "watch.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [SITE_BUILDER, "build", *_args(paths), "--watch", "--quiet-ms", "50", "--jobs", "1"],
            stdout=sink,
            stderr=sink,
            cwd=REPO,
        )
    return Running(process, log)


@pytest.fixture
def running(paths: dict[str, Path]) -> Iterator[Running]:
    started = _start(paths)
    try:
        yield started
    finally:
        if started.process.poll() is None:
            started.process.kill()
            started.process.wait()


def _one_shot(paths: dict[str, Path]) -> dict[str, object]:
    done = subprocess.run(
        [SITE_BUILDER, "build", *_args(paths), "--json"], capture_output=True, check=True, cwd=REPO
    )
    return dict(json.loads(done.stdout))


def test_build_watch_publishes_each_save_and_stops_on_sigterm(
    paths: dict[str, Path], running: Running
) -> None:
    assert "published snapshot 1" in running.next_line("build --watch: published")
    running.next_line("watching")
    replace_in(paths["export"] / NOAH_POST, "tre olika sorters", "fyra olika sorters")
    patched = running.next_line("build --watch: patched")
    assert "1 keyring(s) changed" in patched and "Noah" not in patched

    replace_in(paths["export"] / NOAH_POST, 'date: "2026-09-04"', 'date: "den fjärde"')
    running.next_line("the export is invalid; the published site is unchanged")
    problem = running.next_line(NOAH_POST)
    assert "date" in problem and "fix:" in problem
    replace_in(paths["export"] / NOAH_POST, 'date: "den fjärde"', 'date: "2026-09-05"')
    running.next_line("build --watch: patched")

    running.process.send_signal(signal.SIGTERM)
    assert running.process.wait(timeout=20) == 0
    running.next_line("build --watch: stopped")
    again = _one_shot(paths)  # what --watch left is what a build from nothing makes
    assert again["published"] is False and again["seq"] == 1


def test_an_export_folder_swapped_in_whole_is_followed(tmp_path: Path) -> None:
    """An export tool that writes a new folder and points a link at it: the new folder is
    built and then watched (the old folder's watches would never see it)."""
    first = Path(shutil.copytree(REPO / "content" / "example", tmp_path / "export-1"))
    second = Path(shutil.copytree(first, tmp_path / "export-2"))
    replace_in(second / NOAH_POST, "tre olika sorters", "sex olika sorters")
    link = tmp_path / "export"
    link.symlink_to(first.name)
    paths = {"export": link, "out": tmp_path / "out" / "site", "state": tmp_path / "state"}
    running = _start(paths)
    process, log = running.process, running.log
    try:
        running.next_line("watching")
        swap = tmp_path / "export.new"
        swap.symlink_to(second.name)
        swap.replace(link)  # one rename: the link now leads to the second folder
        running.next_line("the export folder was replaced")
        assert "1 keyring(s) changed" in running.next_line("build --watch: patched")
        replace_in(second / NOAH_POST, "sex olika sorters", "sju olika sorters")
        running.next_line("build --watch: patched")  # the new folder is watched
        builds = log.read_text(encoding="utf-8").count("build --watch: ")
        replace_in(first / NOAH_POST, "tre olika sorters", "åtta olika sorters")
        time.sleep(1)  # the old folder is not the export any more: nothing to build
        assert log.read_text(encoding="utf-8").count("build --watch: ") == builds
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    again = _one_shot(paths)
    assert again["published"] is False


def test_build_watch_refuses_json(paths: dict[str, Path]) -> None:
    done = subprocess.run(
        [SITE_BUILDER, "build", *_args(paths), "--watch", "--json"], capture_output=True
    )
    assert done.returncode == 2 and b"--json prints one summary" in done.stderr
