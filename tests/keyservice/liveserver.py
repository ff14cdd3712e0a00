"""Run an ASGI app under uvicorn in a thread on 127.0.0.1:<ephemeral>; stops itself."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import uvicorn
from starlette.types import ASGIApp


def loopback_socket() -> tuple[socket.socket, str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock, f"http://127.0.0.1:{sock.getsockname()[1]}"


class _PromptServer(uvicorn.Server):
    """uvicorn's server, but it notices `should_exit` within 5 ms instead of 100 ms: a test's
    teardown no longer waits a tenth of a second per server (it adds up under `make mutation`,
    which starts one per test and mutant)."""

    async def main_loop(self) -> None:
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864000
            await asyncio.sleep(0.005)


@contextlib.contextmanager
def running(app: ASGIApp, sock: socket.socket) -> Iterator[None]:
    server = _PromptServer(uvicorn.Config(app, access_log=False, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
