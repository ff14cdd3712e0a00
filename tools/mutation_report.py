"""Print the mutation score of `mutmut run` (make mutation), file by file, and every survivor.

Reads mutmut's own results (mutants/**/*.py.meta: each mutant's exit code) and prints, per
mutated file: mutants, killed, survived, no tests, timeout, suspicious, argued equivalent and not
checked yet. Survivors that docs/testing.md argues are equivalent are listed in
tools/mutation_equivalent/<module>.txt (a mutant name and its reason a line) and counted apart;
every other survivor is printed with its diff (`mutmut show`). Timeouts and suspicious results are
never counted as killed: re-run them (`mutmut run <name>`) on a quiet machine first.

The score is killed / (checked − argued equivalent), over the files whose every mutant was
checked ("complete"); a file with mutants not checked yet is named and left out of it, so a
stopped run never passes for a full one. Exit 1 when a file is incomplete or the score is below
90 %.

    .venv/bin/python tools/mutation_report.py           # after `mutmut run` (make mutation)
    .venv/bin/python tools/mutation_report.py --brief   # the table only, no diffs
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTMUT = str(ROOT / ".venv" / "bin" / "mutmut")
EQUIVALENT = ROOT / "tools" / "mutation_equivalent"
TARGET = 90.0
# mutmut's exit codes (mutmut/stats.py); anything else is "suspicious".
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", None: "todo"}
STATUS |= {code: "timeout" for code in (36, -24, 24, 152, 255)}
COLUMNS = ("killed", "survived", "no tests", "timeout", "suspicious", "equivalent", "todo")


def _equivalent() -> dict[str, str]:
    argued: dict[str, str] = {}
    for listing in sorted(EQUIVALENT.glob("*.txt")):
        for line in listing.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, _, reason = line.partition(" ")
                argued[name] = reason.strip()
    return argued


def _results() -> dict[str, dict[str, str]]:
    """{file: {mutant name: status}} from mutants/**/*.py.meta."""
    found: dict[str, dict[str, str]] = {}
    for meta in sorted((ROOT / "mutants").glob("**/*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        name = str(meta.relative_to(ROOT / "mutants")).removesuffix(".meta")
        found[name] = {m: STATUS.get(code, "suspicious") for m, code in codes.items()}
    return found


def main(argv: list[str]) -> int:
    argued = _equivalent()
    results = _results()
    if not results:
        print("no results: run `make mutation` (or `mutmut run`) first")
        return 1
    totals: Counter[str] = Counter()
    complete: Counter[str] = Counter()
    incomplete = []
    print(f"{'file':44} {'mutants':>7} " + " ".join(f"{c:>10}" for c in COLUMNS))
    for file, statuses in results.items():
        row = Counter(
            "equivalent" if s not in ("killed", "todo") and m in argued else s
            for m, s in statuses.items()
        )
        totals.update(row)
        if row["todo"]:
            incomplete.append(file)
        else:
            complete.update(row)
        print(f"{file:44} {len(statuses):7} " + " ".join(f"{row[c]:10}" for c in COLUMNS))
    print(f"{'all':44} {sum(totals.values()):7} " + " ".join(f"{totals[c]:10}" for c in COLUMNS))
    killable = sum(complete.values()) - complete["equivalent"]
    score = 100 * complete["killed"] / max(1, killable)
    print(
        f"\nmutation score over the {len(results) - len(incomplete)} complete files: "
        f"{complete['killed']} of {killable} killable mutants killed = {score:.1f} % "
        f"({complete['equivalent']} argued equivalent, tools/mutation_equivalent/; "
        f"{complete['timeout']} timeouts and {complete['suspicious']} suspicious not counted)"
    )
    if incomplete:
        print(f"NOT COMPLETE (mutants not checked yet, left out of the score): {incomplete}")
    # An argument for a mutant a test now kills, or that no longer exists (its function
    # changed and mutmut renumbered it), is stale: drop or re-aim it.
    status_of = {m: s for statuses in results.values() for m, s in statuses.items()}
    stale = sorted(m for m in argued if status_of.get(m, "gone") in ("killed", "gone"))
    for name in stale:
        print(f"stale equivalent ({status_of.get(name, 'gone')}): {name}")
    if "--brief" not in argv:
        for statuses in results.values():
            for name, status in statuses.items():
                if status in ("killed", "todo") or name in argued:
                    continue
                print(f"\n{status}: {name}")
                shown = subprocess.run(
                    [MUTMUT, "show", name], cwd=ROOT, capture_output=True, text=True, check=False
                ).stdout.splitlines()
                diff = [
                    d for d in shown if d.startswith(("+", "-")) and d[:3] not in ("+++", "---")
                ]
                print("\n".join(f"    {d}" for d in diff))
    return 0 if score >= TARGET and not incomplete else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
