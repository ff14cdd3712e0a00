"""Mutation testing for the app's security code in the browser: fp1.js, data.js, store.js, sw.js.

Each mutant below is one realistic one-line bug (a check dropped, a comparison turned, a cache
rule swapped). The script applies one at a time to the file in this checkout, runs the focused
browser tests that should notice it (`pytest -x`: the first failure kills it), and restores the
file whatever happens (also on Ctrl-C). It prints each verdict, the score and the survivors.

    .venv/bin/python tools/mutate_js.py            # all mutants (~15 min on 2 cores)
    .venv/bin/python tools/mutate_js.py fp1 sw     # only those whose id starts so

Why not Stryker: its command runner switches mutants through an environment variable read by
instrumented code in Node; this code runs in Chromium, built into a site by Python, so no
process environment reaches it. Mutating the source file itself is what a real bug looks like.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = "themes/default/shell/app"
PYTEST = [str(ROOT / ".venv" / "bin" / "pytest"), "-x", "-q", "-p", "no:cacheprovider"]

FP1_TESTS = (
    "tests/browser/test_app_fp1_refusals.py",
    "tests/browser/test_app_fp1.py",
    "tests/security/test_browser_tamper.py",
)
DATA_TESTS = ("tests/security/test_browser_tamper.py", "tests/security/test_browser_session.py")
STORE_TESTS = (
    "tests/security/test_browser_session.py",
    "tests/security/test_browser_tamper.py",
    "tests/browser/test_app_device.py",
)
SW_TESTS = (
    "tests/security/test_browser_worker.py",
    "tests/security/test_browser_session.py::test_an_installed_device_shows_a_correction_after_reload",
    "tests/browser/test_app_device.py",
    "tests/browser/test_app_pwa.py::test_a_new_version_waits_until_the_reader_updates",
    "tests/security/test_browser_at_rest.py",
)


@dataclass(frozen=True)
class Mutant:
    id: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]
    # Why no test can tell it from the code (docs/testing.md): still run, to see it survive;
    # counted apart from the score, and named "stale argument" if a test kills it.
    equivalent: str = ""


MUTANTS = [
    # fp1.js: the format's checks
    Mutant("fp1-magic", f"{APP}/fp1.js", "MAGIC.some((b, i) => data[i] !== b)", "false", FP1_TESTS),
    Mutant("fp1-version", f"{APP}/fp1.js", " || data[4] !== 1)", ")", FP1_TESTS),
    Mutant("fp1-min-length", f"{APP}/fp1.js", "data.length < HEADER + 16 ||", "", FP1_TESTS),
    Mutant("fp1-marker", f"{APP}/fp1.js", "end < 0 || padded[end] !== 0x80", "end < 0", FP1_TESTS),
    Mutant(
        "fp1-marker-any",
        f"{APP}/fp1.js",
        "padded[end] === 0",
        "padded[end] === 0x00 && end > 0",
        FP1_TESTS,
        equivalent="reaching index 0 on a zero, both end in the same 'bad padding' throw",
    ),
    Mutant("fp1-hash", f"{APP}/fp1.js", "!== entry.sha256) throw", '=== "") throw', FP1_TESTS),
    Mutant(
        "fp1-aad-kind",
        f"{APP}/fp1.js",
        "`fp1|${kind}|${blobId}`",
        "`fp1|child|${blobId}`",
        FP1_TESTS,
    ),
    Mutant("fp1-aad-id", f"{APP}/fp1.js", "`fp1|${kind}|${blobId}`", "`fp1|${kind}|`", FP1_TESTS),
    Mutant(
        "fp1-keyring-id",
        f"{APP}/fp1.js",
        "blobId: `${rid}|${seq}`",
        "blobId: `${rid}|0`",
        FP1_TESTS,
    ),
    Mutant(
        "fp1-inflate",
        f"{APP}/fp1.js",
        'throw new AlteredError("bad deflate");',
        "return new Uint8Array(0);",
        FP1_TESTS,
    ),
    Mutant(
        "fp1-json",
        f"{APP}/fp1.js",
        "{ fatal: true }).decode(plain)",
        "{ fatal: false }).decode(plain)",
        FP1_TESTS,
    ),
    Mutant("fp1-b64u", f"{APP}/fp1.js", "/[^A-Za-z0-9_-]/.test(text)", "false", FP1_TESTS),
    # data.js: what a keyring and a bundle must match
    Mutant("data-reader", f"{APP}/data.js", "ring.reader === rid &&", "", DATA_TESTS),
    Mutant(
        "data-seq",
        f"{APP}/data.js",
        "ring.snapshot?.seq === seq &&",
        "",
        DATA_TESTS,
        equivalent="ring.snapshot is the signed statement's, whose seq signedKeyring checked",
    ),
    Mutant("data-version", f"{APP}/data.js", "ring.v === 1 &&", "", DATA_TESTS),
    Mutant(
        "data-rollback",
        f"{APP}/data.js",
        "if (seq < highest) throw",
        "if (seq < highest - 1) throw",
        DATA_TESTS,
    ),
    Mutant(
        "data-rev",
        f"{APP}/data.js",
        "if (!(await noteRev(session.rid, seq, rev))) {",
        "if (!(await noteRev(session.rid, seq, rev)) && false) {",
        DATA_TESTS,
    ),
    Mutant("data-kind", f"{APP}/data.js", "!entry || entry.kind !== kind", "!entry", DATA_TESTS),
    Mutant("data-bundle-id", f"{APP}/data.js", " || bundle.child?.id !== c.id", "", DATA_TESTS),
    Mutant("data-bundle-kind", f"{APP}/data.js", 'bundle.kind !== "child" || ', "", DATA_TESTS),
    Mutant(
        "data-note-seq",
        f"{APP}/data.js",
        "if (seq === latest.seq) await noteSeq(seq);",
        "",
        DATA_TESTS,
    ),
    # store.js: the session and what the device has seen
    Mutant(
        "store-expiry",
        f"{APP}/store.js",
        "Date.parse(record.expires) < Date.now()",
        "Date.parse(record.expires) < Date.now() - 86400000",
        STORE_TESTS,
    ),
    Mutant(
        "store-expiry-lock",
        f"{APP}/store.js",
        "      return null;\n    }\n    await wipe();",
        "      return null;\n    }",
        STORE_TESTS,
    ),
    Mutant(
        "store-rev-lower",
        f"{APP}/store.js",
        "rev < mine.rev) return false",
        "rev < mine.rev - 1) return false",
        STORE_TESTS,
    ),
    Mutant(
        "store-note-seq",
        f"{APP}/store.js",
        "if (seq > (await highestSeq()))",
        "if (seq < (await highestSeq()))",
        STORE_TESTS,
    ),
    Mutant(
        "store-lock",
        f"{APP}/store.js",
        'return removeKeys(withGuard ? ["session"] : ["session", "answer", "device"]);',
        "return Promise.resolve();",
        STORE_TESTS,
    ),
    # sw.js: what the worker serves from its caches
    Mutant(
        "sw-keyrings-cache-first",
        "service_worker/sw.js",
        '} else if (path.startsWith("/s/") || NETWORK_FIRST.includes(path)) {',
        '} else if (path.startsWith("/s/")) {\n'
        "    event.respondWith(cacheFirst(event, DATA_CACHE));\n"
        "  } else if (NETWORK_FIRST.includes(path)) {",
        SW_TESTS,
    ),
    Mutant(
        "sw-no-cache",
        "service_worker/sw.js",
        'fetch(request, { cache: "no-cache" })',
        "fetch(request)",
        SW_TESTS,
        equivalent="latest.json, config.json and /s/** are served no-cache (deploy.md)",
    ),
    Mutant(
        "sw-forget",
        "service_worker/sw.js",
        "    forgotten = true;\n    // Answer once",
        "    // Answer once",
        SW_TESTS,
        equivalent="a second guard: writes go only into caches that still exist (sw-recreate)",
    ),
    Mutant(
        "sw-recreate",
        "service_worker/sw.js",
        "if (forgotten || !(await caches.has(cacheName))) return;",
        "if (forgotten) return;",
        SW_TESTS,
    ),
    Mutant(
        "sw-auth-cached",
        "service_worker/sw.js",
        'const NEVER = ["/auth/", "/dev-idp/"];',
        'const NEVER = ["/dev-idp/"];',
        SW_TESTS,
        equivalent="no other branch of the fetch handler matches /auth/: network either way",
    ),
    Mutant(
        "sw-404-kept",
        "service_worker/sw.js",
        "else if (response.status === 404 && !forgotten) event.waitUntil(dropWithdrawn(request));",
        "",
        SW_TESTS,
    ),
    Mutant(
        "sw-404-only-that-snapshot",
        "service_worker/sw.js",
        "ring[2] === gone[2] && Number(ring[1]) <= Number(gone[1])",
        "cached.url === request.url",
        SW_TESTS,
    ),
    Mutant(
        "sw-skip-waiting",
        "service_worker/sw.js",
        "// No skipWaiting here",
        "self.skipWaiting(); // No skipWaiting here",
        SW_TESTS,
    ),
]


def run_one(mutant: Mutant) -> tuple[str, float]:
    path = ROOT / mutant.file
    original = path.read_text(encoding="utf-8")
    if original.count(mutant.old) != 1:
        return "stale (the line moved: update tools/mutate_js.py)", 0.0
    start = time.monotonic()
    try:
        path.write_text(original.replace(mutant.old, mutant.new), encoding="utf-8")
        done = subprocess.run(
            [*PYTEST, *mutant.tests], cwd=ROOT, capture_output=True, text=True, check=False
        )
    finally:
        path.write_text(original, encoding="utf-8")
    verdict = (
        "killed"
        if done.returncode == 1
        else "survived"
        if done.returncode == 0
        else (f"error (pytest exit {done.returncode})")
    )
    return verdict, time.monotonic() - start


def main(prefixes: list[str]) -> int:
    chosen = [m for m in MUTANTS if not prefixes or any(m.id.startswith(p) for p in prefixes)]
    verdicts: dict[str, str] = {}
    started = time.monotonic()
    for mutant in chosen:
        verdict, seconds = run_one(mutant)
        verdicts[mutant.id] = verdict
        print(f"{mutant.id:28} {verdict:10} {seconds:6.1f} s", flush=True)
    argued = [m for m in chosen if m.equivalent and verdicts[m.id] == "survived"]
    killed = sum(v == "killed" for v in verdicts.values())
    killable = len(verdicts) - len(argued)
    print(
        f"\nJS mutation score: {killed}/{killable} killable killed "
        f"({100 * killed / max(1, killable):.1f} %; {len(argued)} argued equivalent) "
        f"in {time.monotonic() - started:.0f} s"
    )
    for mutant in argued:
        print(f"  equivalent: {mutant.id}: {mutant.equivalent}")
    stale = [m for m in chosen if m.equivalent and verdicts[m.id] == "killed"]
    for mutant in stale:
        print(f"  stale argument (a test kills it now): {mutant.id}")
    survivors = [m for m in chosen if verdicts[m.id] != "killed" and m not in argued]
    for mutant in survivors:
        change = f"{mutant.old!r} -> {mutant.new!r}"
        print(f"  {verdicts[mutant.id]}: {mutant.id} in {mutant.file}: {change}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
