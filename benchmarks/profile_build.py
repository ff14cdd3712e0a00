"""Profile a build in-process (cProfile, --jobs 1) and print the hot spots.

    python benchmarks/profile_build.py --children 1000 [--top 25] [--scenario cold|noop|edit]

Uses the cached export of benchmarks/build.py (generated when missing). With one job the whole
build runs in this process, so the profile sees render, sanitize, seal and write alike.
`noop` and `edit` first run an unprofiled cold build (all cores, in a subprocess), then profile
the rebuild (imports included) with the export unchanged or with one post edited.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.cache import cached_export, modified
from benchmarks.command import BENCH_MASTER_KEY, HERE, site_builder_exe
from benchmarks.scenarios import Changes, edit_one_post


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=HERE / "out")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--scenario", choices=("cold", "noop", "edit"), default="cold")
    args = parser.parse_args(argv)
    export, _ = cached_export(args.work, children=args.children, seed=args.seed)
    site, state = args.work / "profile-site", args.work / "profile-state"
    for folder in (site, state):
        shutil.rmtree(folder, ignore_errors=True)
    os.environ["SITE_BUILDER_MASTER_KEY"] = BENCH_MASTER_KEY
    build_args = ["build", str(export), "--out", str(site), "--state-dir", str(state),
                  "--jobs", "1", "--json"]  # fmt: skip
    if args.scenario != "cold":
        subprocess.run([site_builder_exe(), *build_args[:-3]], check=True, capture_output=True)
    changes = edit_one_post(export) if args.scenario == "edit" else Changes()
    profiler = cProfile.Profile()
    with modified(export, changes):
        profiler.enable()
        try:  # imports inside the profile: they are part of a rebuild's wall time
            from site_builder.cli import main as site_builder

            site_builder.main(build_args, standalone_mode=False)
        finally:
            profiler.disable()
    stats_file = args.work / f"profile-{args.children}-{args.scenario}.prof"
    profiler.dump_stats(stats_file)
    stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
    print(f"\n== top {args.top} by own time (tottime) ==")
    stats.sort_stats("tottime").print_stats(args.top)
    print(f"== top {args.top} by cumulative time ==")
    stats.sort_stats("cumulative").print_stats(args.top)
    print(f"profile saved: {stats_file} (open with `python -m pstats` or snakeviz)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
