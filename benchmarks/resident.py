"""One edited post with the builder resident: `site-builder build --watch` on the benchmark's
export, site and state; each run saves a new sentence into one post and measures save → the
watcher's line saying the correction is live (the keyrings renamed, the state saved).

    python benchmarks/resident.py --children 10000 [--runs 5]

runs it alone on the export, site and state `benchmarks/build.py` left (a cold build first when
there is no site yet); `benchmarks/build.py` runs it after its "one edited post".

The figure includes the watcher's wait for the file to settle (--quiet-ms, default 250 ms, plus a
50 ms stability check), which a school's export tool writing many files needs. Printed, never
asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.cache import cached_export, modified
from benchmarks.command import BENCH_MASTER_KEY, HERE, site_builder_exe
from benchmarks.scenarios import Changes

LIVE = re.compile(r"build --watch: (patched|published|nothing changed).* in ([0-9.]+) s")


def _peak_rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return round(int(found.group(1)) / 1024, 1) if found else 0.0


class _Log:
    def __init__(self, path: Path, process: subprocess.Popen[bytes]) -> None:
        self.path, self.process, self.seen = path, process, 0

    def wait_for(self, pattern: re.Pattern[str] | str, *, timeout: float = 900) -> re.Match[str]:
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
            for number in range(self.seen, len(lines)):
                if found := regex.search(lines[number]):
                    self.seen = number + 1
                    return found
            if self.process.poll() is not None:
                raise RuntimeError(f"build --watch exited ({self.process.returncode})")
            time.sleep(0.005)
        raise RuntimeError(f"build --watch: no line matching {regex.pattern!r} in {timeout} s")


def time_resident_edits(
    command: list[str], *, export: Path, env: dict[str, str], log: Path, runs: int = 5
) -> dict[str, Any]:
    """`command`: `site-builder build EXPORT --out … --state-dir … --jobs N` (no --json)."""
    print("  one edited post, resident (build --watch) …", flush=True)
    first_child = min((export / "children").iterdir())
    post = min((first_child / "larlogg").glob("*.md"))
    changes = Changes()
    changes.remember(post)
    original = post.read_bytes()
    started = time.perf_counter()
    with log.open("wb") as sink:
        process = subprocess.Popen([*command, "--watch"], stdout=sink, stderr=sink, env=env)
    reader = _Log(log, process)
    saves: list[float] = []
    builds: list[float] = []
    try:
        reader.wait_for("watching")
        start_seconds = time.perf_counter() - started
        for run in range(runs):
            sentence = f"\nRättelse {run}: utflykten är på torsdag.\n".encode()
            saved = time.perf_counter()
            post.write_bytes(original + sentence)
            found = reader.wait_for(LIVE)
            saves.append(time.perf_counter() - saved)
            builds.append(float(found.group(2)))
            time.sleep(0.5)  # the next save is a separate correction, not part of this one
        changes.revert()
        reader.wait_for(LIVE)
        peak = _peak_rss_mb(process.pid)
    finally:
        changes.revert()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    result: dict[str, Any] = {
        "runs": runs,
        "start_seconds": round(start_seconds, 2),
        "save_to_live_seconds": [round(s, 3) for s in saves],
        "save_to_live_median": round(statistics.median(saves), 3),
        "build_seconds": builds,
        "build_median": round(statistics.median(builds), 3),
        "peak_rss_mb": peak,
    }
    result["line"] = (
        f"one edited post, resident: save → live median {result['save_to_live_median']:.2f} s "
        f"(build {result['build_median']:.2f} s; {runs} runs; start {start_seconds:.1f} s; "
        f"RSS {peak:.0f} MB)"
    )
    print("    " + result["line"], flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=HERE / "out")
    args = parser.parse_args(argv)
    export, _ = cached_export(args.work, children=args.children, seed=args.seed)
    site, state = args.work / f"site-{args.children}", args.work / f"state-{args.children}"
    env = {**os.environ, "SITE_BUILDER_MASTER_KEY": BENCH_MASTER_KEY}
    command = [
        site_builder_exe(), "build", str(export), "--out", str(site), "--state-dir", str(state),
        "--jobs", str(args.jobs),
    ]  # fmt: skip
    if not site.exists():
        print("  no site yet: a cold build first …", flush=True)
        subprocess.run(command, env=env, check=True, capture_output=True)
    with modified(export, Changes()):
        log = args.work / f"resident-{args.children}.log"
        result = time_resident_edits(command, export=export, env=env, log=log, runs=args.runs)
    out = args.work / f"resident-{args.children}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
