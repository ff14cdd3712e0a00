"""Build benchmark: cold build, no-op rebuild, one edited post, a new term — beside MkDocs.

    python benchmarks/build.py --children 1000            (make bench)
    python benchmarks/build.py --children 10000           (make bench-large)

Prints figures and writes benchmarks/out/results-<N>.json. Never passes or fails on time; the
exit code is non-zero only when a command itself failed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.cache import cached_export, count_documents, modified
from benchmarks.command import BENCH_MASTER_KEY, HERE, site_builder_exe
from benchmarks.comparison import compare_with_floor, compare_with_mkdocs
from benchmarks.report import ScenarioRow, as_json, format_rows, scenario_row
from benchmarks.resident import time_resident_edits
from benchmarks.runner import run_measured
from benchmarks.scenarios import Changes, add_new_term, edit_one_post


def run_scenarios(
    export: Path, work: Path, *, children: int, jobs: int, seed: int
) -> tuple[list[ScenarioRow], dict[str, Any]]:
    site, state = work / f"site-{children}", work / f"state-{children}"
    for folder in (site, state):
        shutil.rmtree(folder, ignore_errors=True)
    env = {**os.environ, "SITE_BUILDER_MASTER_KEY": BENCH_MASTER_KEY}
    command = [
        site_builder_exe(), "build", str(export), "--out", str(site), "--state-dir", str(state),
        "--jobs", str(jobs), "--json",
    ]  # fmt: skip
    documents = count_documents(export)
    rows: list[ScenarioRow] = []

    def build(name: str, docs: int) -> None:
        print(f"  {name} …", flush=True)
        row = scenario_row(name, run_measured(command, env=env), documents=docs, children=children)
        rows.append(row)
        if row.error:
            tail = "\n      ".join(row.error.splitlines()[-4:])
            print(f"    failed:\n      {tail}", file=sys.stderr)

    build("cold build", documents)
    build("no-op rebuild", documents)
    with modified(export, edit_one_post(export)):
        build("one edited post", documents)
    with modified(export, Changes()):
        log = work / f"resident-{children}.log"
        resident = time_resident_edits(command[:-1], export=export, env=env, log=log)
    with modified(export, add_new_term(export, seed=seed)) as changes:
        build("new term", documents + changes.created)
    return rows, resident


def time_validate(export: Path, *, documents: int) -> dict[str, Any]:
    print("  validate …", flush=True)
    measured = run_measured([site_builder_exe(), "validate", str(export)])
    return {
        "ok": measured.returncode == 0,
        "wall_seconds": round(measured.wall_seconds, 3),
        "documents_per_second": round(documents / measured.wall_seconds, 1),
        "peak_tree_rss_mb": round(measured.peak_tree_rss_bytes / 2**20, 1),
        "error": None if measured.returncode == 0 else measured.stderr.strip()[-2000:],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=HERE / "out", help="cache and output folder")
    parser.add_argument("--json-out", type=Path, help="default: <work>/results-<N>.json")
    parser.add_argument(
        "--mkdocs-children", type=int, help="children MkDocs builds (default: min(N, 2000))"
    )
    parser.add_argument("--skip-mkdocs", action="store_true")
    parser.add_argument("--skip-floor", action="store_true")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)

    print(f"synthetic export: {args.children} children, seed {args.seed}", flush=True)
    export, generated_in = cached_export(args.work, children=args.children, seed=args.seed)
    documents = count_documents(export)
    print(
        f"  {documents:,} documents"
        + (f", generated in {generated_in:.1f} s" if generated_in else " (cached)")
    )
    results: dict[str, Any] = {
        "children": args.children, "seed": args.seed, "documents": documents,
        "jobs": args.jobs, "generated_seconds": generated_in,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version()},
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }  # fmt: skip
    results["validate"] = time_validate(export, documents=documents)
    rows, resident = run_scenarios(
        export, args.work, children=args.children, jobs=args.jobs, seed=args.seed
    )
    results["scenarios"] = rows
    results["resident_edit"] = resident
    cold = rows[0] if rows and rows[0].ok else None
    if not args.skip_mkdocs:
        sample = args.mkdocs_children or min(args.children, 2000)
        results["mkdocs"] = compare_with_mkdocs(export, args.work, children=sample, cold=cold)
    if not args.skip_floor:
        results["floor"] = compare_with_floor(export, args.work, cold=cold)

    print()
    print(format_rows(rows))
    validated = results["validate"]
    print(
        ("validate: " if validated["ok"] else "validate FAILED: ")
        + f"{validated['wall_seconds']:.2f} s ({validated['documents_per_second']:,.0f} docs/s)"
    )
    for key in ("resident_edit", "mkdocs", "floor"):
        if key in results:
            print(results[key]["line"])
    json_out = args.json_out or args.work / f"results-{args.children}.json"
    json_out.write_text(json.dumps(as_json(results), indent=2, ensure_ascii=False) + "\n")
    print(f"\nresults: {json_out}")
    failed = not results["validate"]["ok"] or not all(row.ok for row in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
