"""The development talk's reply path: replies/s and latency through the key service, and
`site-builder inbox` on the same replies.

    python benchmarks/replies.py [--replies 10000] [--clients 20] [--children 1000]

A generated export (cached in benchmarks/out), the school units' keys, and `--replies` replies
sealed in advance (not timed) to the units' keys by the custodians of the export's children.
One `site-builder serve --dev-idp` process on loopback takes them: `--clients` concurrent
clients, each on its own connection, POST /auth/reply with a reply capability minted as
/auth/unlock would (same master key). Timed per request from send to the last byte of the 201.
Then `site-builder inbox` takes the whole spool in (wall clock of the command, export load
included) and a second run shows the no-op. Prints figures and JSON (also written to
benchmarks/out/replies.json); never passes or fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` and `tests` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from benchmarks.cache import cached_export
from site_builder.export.loader import load_export
from site_builder.fp1 import MasterKey, b64u_encode, pseudonym_key, reader_id
from site_builder.fp1.reply import ReplyContext, seal_reply
from site_builder.fp1.schoolkeys import create_school_key, load_public_keys
from site_builder.fp1.wrap import public_key_from_jwk
from site_builder.keyservice.handoff import CookieSealer, cookie_key
from site_builder.pipeline.plan import ids
from site_builder.pipeline.plan.readers import plan_readers
from tests.serve_cli import SITE_BUILDER, site_builder_serve

HERE = Path(__file__).resolve().parent
PER_READER = 15  # under the per-reader rate (20/h) and quota (20 waiting)


def _bodies(export: Path, state: Path, master: MasterKey, count: int) -> list[dict[str, str]]:
    loaded = load_export(export).export
    for unit in loaded.config.school_units:
        create_school_key(state / "school-keys", unit.code)
    keys = {u: public_key_from_jwk(j) for u, j in load_public_keys(state / "school-keys").items()}
    pkey = pseudonym_key(master)
    plan = plan_readers(loaded, rid_of=lambda s: reader_id(master, s, pkey=pkey))
    sealer = CookieSealer(cookie_key(master), secure=False)
    # One child per reader: the per-reader rate and quota count every reply of a rid.
    first: dict[str, Any] = {}
    for c in plan.children:
        if c.docs.talk is not None and c.school is not None:
            for rid in c.readers:
                first.setdefault(rid, c)
    pairs = list(first.items())
    if count > len(pairs) * PER_READER:
        raise SystemExit(f"{count} replies need {count // PER_READER} readers; use more --children")
    bodies: list[dict[str, str]] = []
    for n in range(count):
        rid, child = pairs[(n // PER_READER) % len(pairs)]
        assert child.school is not None and child.docs.talk is not None
        talk, unit = child.docs.talk.front.date.isoformat(), child.school.code
        cid = ids.child_id(pkey, child.person.id)
        sealed = seal_reply(
            {
                "v": 1,
                "role": "guardian",
                "talk": talk,
                "answers": [{"q": "Hur trivs barnet i skolan?", "a": f"Svar nummer {n}. " * 20}],
            },
            school=keys[unit],
            context=ReplyContext(unit=unit, rid=rid, child=cid, talk=talk),
        )
        cap = sealer.seal("reply", {"rid": rid}, max_age=86400)
        bodies.append(
            {"cap": cap, "unit": unit, "child": cid, "talk": talk, "reply": b64u_encode(sealed)}
        )
    return bodies


async def _post_all(base_url: str, bodies: list[dict[str, str]], clients: int) -> list[float]:
    queue: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    latencies: list[float] = []

    async def client() -> None:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
            while not queue.empty():
                body = queue.get_nowait()
                started = time.perf_counter()
                answer = await http.post("/auth/reply", json=body)
                latencies.append(time.perf_counter() - started)
                if answer.status_code != 201:
                    raise SystemExit(f"reply refused: {answer.status_code} {answer.text}")

    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies


def _inbox(export: Path, state: Path, env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [SITE_BUILDER, "inbox", str(export), "--state-dir", str(state)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"inbox failed: {done.stderr[-2000:]}")
    return seconds, done.stdout.strip().splitlines()[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--children", type=int, default=1000)
    args = parser.parse_args(argv)
    export, _ = cached_export(HERE / "out", children=args.children, seed=1)
    master = MasterKey.generate()
    env = {**os.environ, "SITE_BUILDER_MASTER_KEY": master.to_b64u()}
    with tempfile.TemporaryDirectory(prefix="fp-replies-") as tmp:
        state = Path(tmp) / "state"
        sealed_at = time.perf_counter()
        bodies = _bodies(export, state, master, args.replies)
        seal_s = time.perf_counter() - sealed_at
        site = Path(tmp) / "site"  # no site needed, only an answer to the start-up probe
        site.mkdir()
        (site / "latest.json").write_text("{}", encoding="utf-8")
        with site_builder_serve(out=site, state_dir=state, export=export, env=env) as (
            base_url,
            _process,
        ):
            started = time.perf_counter()
            latencies = asyncio.run(_post_all(base_url, bodies, args.clients))
            wall = time.perf_counter() - started
        spool_files = sum(1 for _ in (state / "spool").rglob("*.json"))
        inbox_s, inbox_line = _inbox(export, state, env)
        again_s, again_line = _inbox(export, state, env)
    latencies.sort()
    figures: dict[str, Any] = {
        "replies": args.replies,
        "clients": args.clients,
        "children": args.children,
        "replies_per_second": round(args.replies / wall, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2),
        "spooled": spool_files,
        "inbox_seconds": round(inbox_s, 2),
        "inbox": inbox_line,
        "inbox_again_seconds": round(again_s, 2),
        "inbox_again": again_line,
        "sealing_seconds_python": round(seal_s, 2),
    }
    print(
        f"key service: {args.replies} replies, {args.clients} clients: "
        f"{figures['replies_per_second']} replies/s, p50 {figures['p50_ms']} ms, "
        f"p99 {figures['p99_ms']} ms"
    )
    print(
        f"inbox: {inbox_s:.2f} s for {spool_files} replies ({inbox_line}); "
        f"again: {again_s:.2f} s ({again_line})"
    )
    out = HERE / "out" / "replies.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
