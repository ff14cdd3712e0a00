"""`site-builder notify` for many consenting readers through a real SMTP server on loopback.

    python benchmarks/notify.py --readers 30000 [--connections 4]

A synthetic register of N guardians (each with an address), a build state in which every
keyring changed since the last notify run, every rid consenting; aiosmtpd with STARTTLS and
AUTH runs in this process, `site-builder notify --json` in its own. Prints the figures and
writes benchmarks/out/notify.json. Target (docs/performance.md): 30,000 in under 60 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` and `tests` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from site_builder.fp1 import MasterKey, pseudonym_key, reader_id, subject_for_pnr
from site_builder.notify.consent import CONSENT_FILE, ConsentStore
from site_builder.pipeline.state.build_state import BuildState, save_state
from tests.notify.smtpd import PASSWORD, Handler, smtp_server

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"


def _export(folder: Path, readers: int) -> list[str]:
    """export.toml and a register of `readers` guardians; their subjects."""
    folder.mkdir()
    shutil.copy(ROOT / "content" / "example" / "export.toml", folder / "export.toml")
    persons, subjects = [], []
    for n in range(readers):
        pnr = f"1980{n // 28 % 12 + 1:02d}{n % 28 + 1:02d}{n % 10000:04d}"
        persons.append(
            {
                "id": f"p-{n}",
                "givenName": "Förnamn",
                "familyName": "Efternamn",
                "civicNo": {"value": pnr},
                "emails": [{"value": f"vh-{n}@post.example", "type": "Privat"}],
            }
        )
        subjects.append(subject_for_pnr(pnr))
    (folder / "register.json").write_text(json.dumps({"persons": persons}), encoding="utf-8")
    return subjects


def _state(state_dir: Path, master: MasterKey, rids: list[str], version: str) -> None:
    state = BuildState(seq=1, keyrings={rid: f"{version}-{rid}" for rid in rids})
    save_state(state_dir, state, master=master)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=30_000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--profile", type=Path, help="Write a cProfile of the notify run here.")
    args = parser.parse_args()
    site_builder = str(Path(sys.executable).with_name("site-builder"))
    master = MasterKey.generate()
    env = {**os.environ, "SITE_BUILDER_MASTER_KEY": master.to_b64u()}
    env["NOTIFY_SMTP_PASSWORD"] = PASSWORD
    with tempfile.TemporaryDirectory(prefix="notify-bench-") as tmp:
        work = Path(tmp)
        subjects = _export(work / "export", args.readers)
        pkey = pseudonym_key(master)
        rids = [reader_id(master, s, pkey=pkey) for s in subjects]
        state_dir = work / "state"
        ConsentStore.open(state_dir / CONSENT_FILE).close()
        with sqlite3.connect(state_dir / CONSENT_FILE) as db:
            db.executemany("INSERT INTO consent VALUES (?, 1, 0)", [(r,) for r in rids])
        handler = Handler(store=False)
        with smtp_server(work, handler) as smtp:
            config = work / "notify.toml"
            extra = f"connections = {args.connections}\n"
            config.write_text(smtp.config_toml(base_url="https://skola.example.se", extra=extra))
            command = [site_builder, "notify", str(work / "export"), "--config", str(config)]
            command += ["--state-dir", str(state_dir), "--json"]
            _state(state_dir, master, rids, "old")
            subprocess.run(command, env=env, check=True, capture_output=True)  # the baseline
            _state(state_dir, master, rids, "new")
            if args.profile:
                command = [sys.executable, "-m", "cProfile", "-o", str(args.profile), *command]
            children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            server_before = time.process_time()  # the SMTP server runs in this process
            started = time.perf_counter()
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
            seconds = time.perf_counter() - started
            server_cpu = time.process_time() - server_before
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            notify_cpu = (children.ru_utime - children_before.ru_utime) + (
                children.ru_stime - children_before.ru_stime
            )
        summary = json.loads(done.stdout) if done.stdout.strip() else {}
        received = handler.count
    figures = {
        "readers": args.readers,
        "connections": args.connections,
        "seconds": round(seconds, 2),
        "mails_per_second": round(received / seconds, 1) if seconds else None,
        "received": received,
        "sent": summary.get("sent"),
        "failed": summary.get("failed"),
        "postponed": summary.get("postponed"),
        "exit_code": done.returncode,
        "notify_cpu_seconds": round(notify_cpu, 1),  # load-independent: the client's CPU
        "smtp_server_cpu_seconds": round(server_cpu, 1),
        "target_seconds": 60,
        "load_average_1min": round(os.getloadavg()[0], 1),  # other work sharing the CPUs
    }
    print(
        f"notify: {received} mails to {args.readers} consenting readers through loopback SMTP "
        f"(STARTTLS, AUTH, {args.connections} sessions) in {seconds:.1f} s "
        f"({figures['mails_per_second']} mails/s; target < 60 s; "
        f"load average {figures['load_average_1min']})"
    )
    print(
        f"  CPU: notify {notify_cpu:.1f} s, the SMTP server {server_cpu:.1f} s "
        f"({os.cpu_count()} CPUs shared with other work)"
    )
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "notify.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
