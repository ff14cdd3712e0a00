"""Print the mutation score of the last `mutmut run` and every mutant that survived it.

Reads mutmut's own results (mutants/*.meta, through its `export-cicd-stats` and `results`
commands), then prints the score, the survivors with their diffs, and which of them
docs/testing.md argues are equivalent (listed in tools/mutation_equivalent.txt, one mutant name
and its reason a line). Exit 1 when the score, counting argued-equivalent mutants as not
killable, is below 90 %.

    .venv/bin/python tools/mutation_report.py          # after `mutmut run` (make mutation)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTMUT = str(ROOT / ".venv" / "bin" / "mutmut")
EQUIVALENT = ROOT / "tools" / "mutation_equivalent.txt"
TARGET = 90.0


def _mutmut(*args: str) -> str:
    done = subprocess.run([MUTMUT, *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout


def _equivalent() -> dict[str, str]:
    argued: dict[str, str] = {}
    for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.partition(" ")
            argued[name] = reason.strip()
    return argued


def main() -> int:
    _mutmut("export-cicd-stats")
    stats = json.loads((ROOT / "mutants" / "mutmut-cicd-stats.json").read_text())
    survivors = []
    for line in _mutmut("results").splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name and status != "killed":
            survivors.append((name, status))
    argued = _equivalent()
    killed, total = stats["killed"], stats["total"]
    not_killed = ("survived", "no_tests", "timeout", "suspicious", "segfault")
    checked = killed + sum(stats[k] for k in not_killed)
    survivors = [(n, s) for n, s in survivors if s != "not checked"]
    equivalent = sum(1 for name, _ in survivors if name in argued)
    print(
        f"mutants: {total}  checked: {checked}  killed: {killed}  survived: {stats['survived']}  "
        f"no tests: {stats['no_tests']}  timeout: {stats['timeout']}"
    )
    raw = 100 * killed / max(1, checked)
    score = 100 * killed / max(1, checked - equivalent)
    print(
        f"mutation score: {raw:.1f} % of the checked killed; {score:.1f} % of the killable "
        f"({equivalent} argued equivalent in docs/testing.md)"
    )
    if checked < total:
        print(
            f"NOTE: {total - checked} mutants not checked (the run was stopped): not a full score"
        )
    for name, status in survivors:
        why = argued.get(name)
        print(f"\n{'equivalent' if why else status}: {name}" + (f" — {why}" if why else ""))
        if not why:
            diff = _mutmut("show", name).splitlines()
            print(
                "\n".join(
                    f"    {d}"
                    for d in diff
                    if d.startswith(("+", "-")) and d[:3] not in ("+++", "---")
                )
            )
    return 0 if score >= TARGET and checked == total else 1


if __name__ == "__main__":
    sys.exit(main())
