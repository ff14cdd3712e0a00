"""Server-sent events for open preview pages: `reload`, `problems` (a JSON list) and `ok`.

The watcher publishes from its own thread; each page's stream lives on the server's event loop,
so publishing hands the event to the loop thread-safely. The hub remembers the current problems
so that a page opened after a failed build shows the overlay at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

HEARTBEAT_SECONDS = 15.0  # a comment line keeps proxies and the browser from timing out


@dataclass(frozen=True, slots=True)
class Event:
    name: str
    data: str

    def encode(self) -> bytes:
        lines = "".join(f"data: {line}\n" for line in self.data.split("\n"))
        return f"event: {self.name}\n{lines}\n".encode()


@dataclass
class _Subscriber:
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[Event | None]


@dataclass
class EventHub:
    """Fan-out of preview events to every open page, plus the preview's current state."""

    _lock: threading.Lock = field(default_factory=threading.Lock)
    _subscribers: list[_Subscriber] = field(default_factory=list)
    _problems: list[dict[str, Any]] = field(default_factory=list)
    _generation: int = 0
    _closed: bool = False

    @property
    def problems(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._problems)

    @property
    def generation(self) -> int:
        """How many successful builds changed the preview (the page's reload counter)."""
        with self._lock:
            return self._generation

    def site_changed(self) -> None:
        with self._lock:
            self._problems = []
            self._generation += 1
            generation = self._generation
        self._publish(Event("ok", "{}"))
        self._publish(Event("reload", json.dumps({"generation": generation})))

    def build_ok(self) -> None:
        """A build succeeded without changing anything: only clear any overlay."""
        with self._lock:
            self._problems = []
        self._publish(Event("ok", "{}"))

    def build_failed(self, problems: list[dict[str, Any]]) -> None:
        with self._lock:
            self._problems = list(problems)
        self._publish(Event("problems", json.dumps(problems, ensure_ascii=False)))

    def close(self) -> None:
        """End every stream (server shutdown)."""
        with self._lock:
            self._closed = True
            subscribers = list(self._subscribers)
        for sub in subscribers:
            sub.loop.call_soon_threadsafe(sub.queue.put_nowait, None)

    def _publish(self, event: Event) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for sub in subscribers:
            # RuntimeError: that page's loop is gone; its stream ends on its own.
            with contextlib.suppress(RuntimeError):
                sub.loop.call_soon_threadsafe(sub.queue.put_nowait, event)

    async def stream(self) -> AsyncIterator[bytes]:
        """One page's event stream: the current state first, then every event as it comes."""
        sub = _Subscriber(loop=asyncio.get_running_loop(), queue=asyncio.Queue())
        with self._lock:
            if self._closed:
                return
            self._subscribers.append(sub)
            problems = list(self._problems)
            generation = self._generation
        try:
            yield b"retry: 500\n\n"
            yield Event("hello", json.dumps({"generation": generation})).encode()
            if problems:
                yield Event("problems", json.dumps(problems, ensure_ascii=False)).encode()
            while True:
                try:
                    event = await asyncio.wait_for(sub.queue.get(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    yield b": heartbeat\n\n"
                    continue
                if event is None:
                    return
                yield event.encode()
        finally:
            with self._lock:
                self._subscribers.remove(sub)
