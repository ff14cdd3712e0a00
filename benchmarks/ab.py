"""Old code against new on a shared machine: the same scenarios, run by run in turn.

    python benchmarks/ab.py --against dd3a80e [--children 1000] [--rounds 5]

`make bench` run twice minutes apart compares two machine loads as much as two versions of the
code. This runs the commit `--against` (its `site_builder/`, `themes/` and `service_worker/`
from `git archive`, with the dependencies of this checkout's venv) and the working tree
alternately on the cached export of benchmarks/build.py, each with its own site and state: a
cold build each, then `--rounds` no-op rebuilds and `--rounds` one-post corrections in turn.
Prints the median wall seconds and CPU seconds of each: user + sys of every process the build
waits for — all of it with `--jobs 1`; with more jobs the render workers (started by a
forkserver) are not counted, so compare a cold build's CPU with `--jobs 1`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.cache import cached_export, modified
from benchmarks.command import BENCH_MASTER_KEY, HERE
from benchmarks.scenarios import Changes

REPO = HERE.parent
# `python -c` puts the working directory first on sys.path: each side runs from its own folder.
MAIN = "import sys; from site_builder.cli import main; sys.argv[0] = 'site-builder'; main()"


def old_python(commit: str, work: Path) -> Path:
    """A venv without pip whose path is the old tree, then this venv's installed packages."""
    tree, venv = work / f"tree-{commit}", work / f"venv-{commit}"
    if not (venv / "bin" / "python").exists():
        shutil.rmtree(tree, ignore_errors=True)
        tree.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", commit, "site_builder", "themes", "service_worker"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        site = sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)})
        Path(site, "ab_old_tree.pth").write_text(f"{tree}\n{sysconfig.get_path('purelib')}\n")
    return venv / "bin" / "python"


def timed(cmd: list[str], *, cwd: Path) -> tuple[float, float, dict[str, object]]:
    env = {**os.environ, "SITE_BUILDER_MASTER_KEY": BENCH_MASTER_KEY}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, check=True)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="the commit to compare with")
    parser.add_argument("--children", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    work = HERE / "out" / "ab"
    export, _ = cached_export(HERE / "out", children=args.children, seed=args.seed)
    python = {"old": str(old_python(args.against, work)), "new": sys.executable}
    figures: dict[str, dict[str, list[float]]] = {side: {} for side in python}

    def run(side: str, scenario: str) -> dict[str, object]:
        folder = work / side
        folder.mkdir(parents=True, exist_ok=True)
        out, state = str(folder / "site"), str(folder / "state")
        cmd = [python[side], "-c", MAIN, "build", str(export), "--out", out,
               "--state-dir", state, "--jobs", str(args.jobs), "--json"]  # fmt: skip
        wall, cpu, summary = timed(cmd, cwd=folder)
        figures[side].setdefault(f"{scenario} wall", []).append(wall)
        figures[side].setdefault(f"{scenario} cpu", []).append(cpu)
        return summary

    for side in python:
        shutil.rmtree(work / side, ignore_errors=True)
        print(f"  cold build, {side} …", flush=True)
        run(side, "cold")
    post = min((min((export / "children").iterdir()) / "larlogg").glob("*.md"))
    changes = Changes()
    changes.remember(post)
    with modified(export, changes):
        for i in range(args.rounds):
            order = ["old", "new"] if i % 2 == 0 else ["new", "old"]
            for side in order:
                assert not run(side, "no-op")["published"]
            post.write_bytes(changes.originals[post] or b"")
            with post.open("ab") as fh:
                fh.write(f"\nRättelse {i}: utflykten är på torsdag.\n".encode())
            for side in order:
                assert run(side, "one edited post")["patched"]
    for side, measured in figures.items():
        line = ", ".join(f"{k} {statistics.median(v):.3f} s" for k, v in measured.items())
        print(f"{side}: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
