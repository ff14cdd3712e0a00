"""Run a coroutine on a fresh event loop in a thread of its own.

Playwright's sync API keeps an event loop running on the main thread once a browser test has
run in the session, and `asyncio.run` refuses to start beside it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_on_fresh_loop(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """`make` builds the coroutine inside the worker thread, so none is left un-awaited here."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()
