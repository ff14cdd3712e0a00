"""Key-release throughput: unlocks/s and latency with 20 concurrent clients, in-process store and
Redis.

    python benchmarks/keyservice.py [--unlocks 2000] [--clients 20]

For each store, one `site-builder serve --config` process on loopback (a real redis-server of its
own for the Redis run) and a test provider in this process: first every handoff is made by a
whole sign-in (login, provider, callback; not timed), then `--clients` concurrent clients post
the unlocks, each on its own connection as separate phones would, and each with its own device
key, in batches of 400 (a handoff lives 60 s; signing in is slower than unlocking), after 40
untimed warm-up unlocks. Timed: from connect to the last byte of the answer; unlocks/s over the
unlock phases only. Prints figures and JSON (also written to benchmarks/out/keyservice.json);
never passes or fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` and `tests` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from cryptography.hazmat.primitives.asymmetric import ec

from site_builder.fp1.wrap import public_key_to_jwk
from tests.keyservice.fakeidp import FakeProvider
from tests.keyservice.processes import (
    Deployment,
    live_provider,
    redis_server,
    serve_instance,
    sign_in,
    write_config,
)
from tests.keyservice.site import GUARDIAN_PNR

HERE = Path(__file__).resolve().parent
WARM_UP = 40
BATCH = 400
LIMITS = {"per_address": 100_000, "per_reader": 10_000}  # one bench client, one reader


async def _post_unlock(
    host: str, port: int, handoff: str, jwk: dict[str, Any]
) -> tuple[float, int]:
    """(seconds, status) of one unlock on its own connection, written in a single send (httpx
    writes head and body apart; Nagle and delayed ACKs would then time the client)."""
    body = json.dumps({"device_key": jwk}).encode()
    head = (
        f"POST /auth/unlock HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        f"Cookie: fp_handoff={handoff}\r\nConnection: close\r\n\r\n"
    )
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(head.encode() + body)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    await writer.wait_closed()
    return time.perf_counter() - started, int(raw.split(b" ", 2)[1])


async def _drive(base_url: str, work: list[tuple[str, dict[str, Any]]], clients: int) -> Any:
    url = httpx.URL(base_url)
    queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
    for item in work:
        queue.put_nowait(item)
    results: list[tuple[float, int]] = []

    async def client() -> None:
        while not queue.empty():
            handoff, jwk = queue.get_nowait()
            results.append(await _post_unlock(url.host, url.port or 80, handoff, jwk))

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return time.perf_counter() - started, results


def run_one(store: str, *, unlocks: int, clients: int, root: Path) -> dict[str, Any]:
    deployment = Deployment.create(root)
    fake = FakeProvider(pnr=GUARDIAN_PNR)
    with ExitStack() as stack:
        issuer = stack.enter_context(live_provider(fake))
        store_table = {"kind": "memory"}
        if store == "redis":
            redis = stack.enter_context(redis_server(root / "redis"))
            store_table = {"kind": "redis", "url": redis.url}
        config = write_config(
            root / "keyservice.toml",
            base_url="http://127.0.0.1:1",
            issuer=issuer,
            access_log=root / "access.jsonl",
            store=store_table,
            **LIMITS,
        )
        instance = stack.enter_context(serve_instance(deployment, config=config, name=store))
        http = stack.enter_context(httpx.Client(timeout=10))

        def prepared(count: int, first: int) -> list[tuple[str, dict[str, Any]]]:
            """`count` handoffs by whole sign-ins (not timed), each with its device key."""
            return [
                (
                    sign_in(fake, start=instance.base_url, code=f"c{first + i}", http=http),
                    public_key_to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key()),
                )
                for i in range(count)
            ]

        # The first unlocks pay for lazy imports and the first connections: not counted.
        asyncio.run(_drive(instance.base_url, prepared(WARM_UP, 0), clients))
        elapsed, results, done = 0.0, [], 0
        while done < unlocks:
            batch = prepared(min(BATCH, unlocks - done), WARM_UP + done)
            print(f"[{store}] {done + len(batch)}/{unlocks} signed in, unlocking…", flush=True)
            seconds, answers = asyncio.run(_drive(instance.base_url, batch, clients))
            elapsed += seconds
            results += answers
            done += len(batch)
    latencies = sorted(seconds for seconds, _ in results)
    refused = sum(1 for _, status in results if status != 200)
    return {
        "store": store,
        "unlocks": len(results),
        "clients": clients,
        "not_200": refused,  # must be 0 for the figures to mean anything
        "unlocks_per_second": round(len(results) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unlocks", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--stores", default="memory,redis")
    args = parser.parse_args(argv)
    figures = []
    for store in args.stores.split(","):
        with tempfile.TemporaryDirectory(prefix=f"keyservice-bench-{store}-") as folder:
            result = run_one(store, unlocks=args.unlocks, clients=args.clients, root=Path(folder))
        figures.append(result)
        print(
            f"[{store}] {result['unlocks']} unlocks, {result['clients']} clients: "
            f"{result['unlocks_per_second']:.0f}/s, p50 {result['p50_ms']:.0f} ms, "
            f"p99 {result['p99_ms']:.0f} ms, max {result['max_ms']:.0f} ms "
            f"({result['not_200']} not 200)",
            flush=True,
        )
    out = HERE / "out" / "keyservice.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
