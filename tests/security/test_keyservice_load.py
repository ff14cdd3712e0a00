"""A burst of parallel unlocks against the live key service on loopback: every one answers with
keys only its own device can unwrap. Throughput and latency are printed, never asserted on.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import ec

from site_builder.fp1 import MasterKey, reader_key
from site_builder.fp1.wrap import public_key_to_jwk, unwrap_reader_key
from tests.fresh_loop import run_on_fresh_loop
from tests.keyservice.harness import handoff_cookie, live_harness
from tests.keyservice.site import EPOCH, guardian_rid


@dataclass(frozen=True)
class Answer:
    latency: float
    status: int
    body: dict[str, Any]


BURST = 200
CONCURRENCY = 50  # connections in flight at once


async def _post_unlock(host: str, port: int, handoff: str, jwk: dict[str, Any]) -> Answer:
    """One unlock on its own connection (like separate phones), written in a single send:
    httpx writes headers and body apart, and Nagle plus delayed ACKs would add ~40 ms to each
    request, measuring the client instead of the service."""
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
    latency = time.perf_counter() - started
    status_line, _, rest = raw.partition(b"\r\n")
    _, _, payload = rest.partition(b"\r\n\r\n")
    return Answer(latency=latency, status=int(status_line.split()[1]), body=json.loads(payload))


async def _burst(base_url: str, handoffs: list[str], jwks: list[dict[str, Any]]) -> list[Answer]:
    url = httpx.URL(base_url)
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(handoff: str, jwk: dict[str, Any]) -> Answer:
        async with gate:
            return await _post_unlock(url.host, url.port or 80, handoff, jwk)

    return await asyncio.gather(*(one(h, j) for h, j in zip(handoffs, jwks, strict=True)))


def test_burst_of_parallel_unlocks(tmp_path: Path, master: MasterKey) -> None:
    limits = {"per_address": BURST * 3, "per_reader": BURST}  # one test client, one reader
    with live_harness(tmp_path, master, **limits) as harness:
        handoffs = [
            handoff_cookie(harness.callback(harness.login(), code=f"c{i}")) for i in range(BURST)
        ]
        devices = [ec.generate_private_key(ec.SECP256R1()) for _ in range(BURST)]
        jwks = [public_key_to_jwk(d.public_key()) for d in devices]
        started = time.perf_counter()
        base_url = str(harness.client.base_url)
        results = run_on_fresh_loop(lambda: _burst(base_url, handoffs, jwks))
        elapsed = time.perf_counter() - started
    latencies = sorted(answer.latency for answer in results)
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    print(
        f"\n{BURST} unlocks, {CONCURRENCY} in flight: {BURST / elapsed:.0f}/s, "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
        f"max {latencies[-1] * 1000:.0f} ms"
    )
    assert [answer.status for answer in results] == [200] * BURST
    rid = guardian_rid(master)
    expected = reader_key(master, epoch=EPOCH, rid=rid)
    for device, answer in zip(devices, results, strict=True):
        wrapped = next(k for k in answer.body["keys"] if k["epoch"] == EPOCH)["wrapped"]
        assert unwrap_reader_key(wrapped, device=device, rid=rid, epoch=EPOCH) == expected
