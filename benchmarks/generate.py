"""Generate a deterministic synthetic municipality in the export format.

    python benchmarks/generate.py --children 1000 --seed 1 --out benchmarks/out/export-1000
    python benchmarks/generate.py --new-term --seed 1 --out benchmarks/out/export-1000

Per child per term: ~20 learning-log posts of 1-2 KB (an image on about one in ten), an IUP,
12 written assessments (compulsory school), a development talk; unit plans per class; ~1.7
guardians per child in families of 1-3 siblings, a quarter of two-guardian families in two
households. Personnummer have valid checksums. Same seed, same bytes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.documents import write_child, write_group_plans
from benchmarks.images import make_images
from benchmarks.municipality import build_municipality
from benchmarks.prose import make_pool
from benchmarks.register import export_toml, register_json
from benchmarks.scenarios import add_new_term

CHUNK = 500  # children per worker task


def _write_children(task: tuple[Path, int, int, int, int]) -> None:
    """Write children [start, stop): each worker rebuilds the (deterministic) municipality."""
    out, children, seed, start, stop = task
    municipality = build_municipality(children=children, seed=seed)
    pool, images = make_pool(seed), make_images(seed)
    for child in municipality.children[start:stop]:
        write_child(
            out, municipality=municipality, child=child, pool=pool, seed=seed, images=images
        )


def generate_export(out: Path, *, children: int, seed: int, jobs: int | None = None) -> None:
    """Write a fresh export into `out`, which must not exist or be empty.

    Every child has its own random stream, so the bytes do not depend on `jobs`.
    """
    if children < 1:
        raise ValueError("--children must be at least 1")
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    municipality = build_municipality(children=children, seed=seed)
    pool = make_pool(seed)
    (out / "export.toml").write_text(export_toml(municipality), encoding="utf-8")
    (out / "register.json").write_text(register_json(municipality), encoding="utf-8")
    tasks = [(out, children, seed, start, min(start + CHUNK, children))
             for start in range(0, children, CHUNK)]  # fmt: skip
    jobs = min(jobs or os.cpu_count() or 1, len(tasks))
    if jobs == 1:
        for task in tasks:
            _write_children(task)
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as workers:
            workers.map(_write_children, tasks, chunksize=1)
    for index, group in enumerate(municipality.groups):
        write_group_plans(out, group=group, index=index, pool=pool, seed=seed)


def remove_export(path: Path) -> None:
    """Delete a generated export, refusing folders that do not look like one."""
    if not path.exists():
        return
    if not (path / "export.toml").exists() or not (path / "children").is_dir():
        raise FileExistsError(f"{path} exists and is not a generated export; not removing it")
    shutil.rmtree(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, help="processes (default: all cores)")
    parser.add_argument("--force", action="store_true", help="replace an existing export")
    parser.add_argument(
        "--new-term", action="store_true", help="add ~10 %% new posts to the export in --out"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.new_term:
        changes = add_new_term(args.out, seed=args.seed)
        print(f"added {changes.created} files in {time.perf_counter() - started:.1f} s")
        return 0
    if args.force:
        remove_export(args.out)
    try:
        generate_export(args.out, children=args.children, seed=args.seed, jobs=args.jobs)
    except (ValueError, FileExistsError) as exc:
        print(f"generate: {exc} (use --force to replace a generated export)", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    print(f"generated {args.children} children in {args.out} in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
