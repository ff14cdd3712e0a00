"""Check that tests kill given mutants, without a whole `mutmut run`.

For each mutant name: take its diff from a directory where `mutmut run` left its results
(`--mutants-from`, default this checkout), apply it to this checkout's source with `patch`, run
the given pytest arguments, and put the source back — also when pytest is interrupted. A mutant
is KILLED when pytest fails with it applied and SURVIVED when pytest passes. Use it to check that
a new test fails when the line it guards is broken, then let `mutmut run <name>` record it.

    .venv/bin/python tools/try_mutant.py site_builder.fp1.blob.x_pad__mutmut_4 \
        -- tests/security/test_padding.py -q -x

Exit 0 when every mutant was killed, 1 when one survived, 2 when a diff did not apply.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def mutant_diff(*, name: str, mutants_from: Path) -> str:
    """The unified diff `mutmut show` prints for `name` (paths relative to the checkout)."""
    mutmut = mutants_from / ".venv" / "bin" / "mutmut"
    shown = subprocess.run(
        [str(mutmut), "show", name], cwd=mutants_from, capture_output=True, text=True, check=False
    ).stdout
    lines = [line for line in shown.splitlines() if not line.startswith("# ")]
    if not any(line.startswith("@@") for line in lines):
        raise LookupError(f"mutmut has no diff for {name} in {mutants_from}/mutants")
    return "\n".join(lines) + "\n"


def _patch(diff: str, *, function: str, reverse: bool) -> bool:
    argv = ["patch", "-p0", "--quiet", "--no-backup-if-mismatch", "-r", "-"]
    argv += ["-R"] if reverse else ["--forward"]
    patched = subprocess.run(
        argv, cwd=ROOT, input=diff, text=True, capture_output=True, check=False
    )
    if patched.returncode == 0:
        return True
    return _replace(diff, function=function, reverse=reverse)


def _function(name: str) -> str:
    """`clear` of `…xǁCookieSealerǁclear__mutmut_10`, `_unlock` of `…x__unlock__mutmut_3`."""
    mangled = name.rsplit(".", 1)[-1].rsplit("__mutmut_", 1)[0]
    return mangled.split("ǁ")[-1] if "ǁ" in mangled else mangled.removeprefix("x_")


def _replace(diff: str, *, function: str, reverse: bool) -> bool:
    """Apply the hunk as a text replacement where `patch` cannot: mutmut shows a method one
    level less indented than the source, and a hunk on a function's last line has no context
    after it. The hunk's old text is replaced where it first occurs after `def <function>(`."""
    lines = diff.splitlines()
    path = ROOT / lines[0].removeprefix("--- ").strip()
    body = [line for line in lines[2:] if line[:1] in (" ", "-", "+")]
    old = [line[1:] for line in body if line[:1] in (" ", "-")]
    new = [line[1:] for line in body if line[:1] in (" ", "+")]
    if reverse:
        old, new = new, old
    text = path.read_text(encoding="utf-8")
    start = text.find(f"def {function}(")
    for indent in ("", "    ", "        "):
        before = "\n".join(indent + line if line else line for line in old)
        after = "\n".join(indent + line if line else line for line in new)
        at = text.find(before, max(start, 0))
        if start >= 0 and at >= 0:
            path.write_text(text[:at] + after + text[at + len(before) :], encoding="utf-8")
            return True
    return False


def try_one(*, name: str, mutants_from: Path, pytest_args: list[str]) -> str:
    """KILLED, SURVIVED or NOT APPLIED for one mutant."""
    try:
        diff = mutant_diff(name=name, mutants_from=mutants_from)
    except LookupError as exc:
        print(exc, file=sys.stderr)
        return "NOT APPLIED"
    function = _function(name)
    if not _patch(diff, function=function, reverse=False):
        return "NOT APPLIED"
    try:
        run = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "pytest"), "-p", "no:cacheprovider", *pytest_args],
            cwd=ROOT,
            capture_output=True,
            check=False,
            # This checkout's source, even when .venv has another checkout installed.
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    finally:
        if not _patch(diff, function=function, reverse=True):
            raise SystemExit(f"could not undo {name}: restore the source with git")
    return "SURVIVED" if run.returncode == 0 else "KILLED"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+", help="mutant names as `mutmut results` prints them")
    parser.add_argument("--mutants-from", type=Path, default=ROOT, help="checkout with mutants/")
    names, _, pytest_args = " ".join(argv).partition(" -- ")
    options = parser.parse_args(names.split())
    verdicts = {
        name: try_one(name=name, mutants_from=options.mutants_from, pytest_args=pytest_args.split())
        for name in options.names
    }
    for name, verdict in verdicts.items():
        print(f"{verdict:12} {name}")
    if "NOT APPLIED" in verdicts.values():
        return 2
    return 1 if "SURVIVED" in verdicts.values() else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
