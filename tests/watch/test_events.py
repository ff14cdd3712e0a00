"""The event hub: a page gets the current state on connect, then every event; close ends it."""

from __future__ import annotations

import json
import threading

from site_builder.preview.events import EventHub
from tests.fresh_loop import run_on_fresh_loop


def _parse(chunk: bytes) -> tuple[str, str]:
    fields = dict(line.split(": ", 1) for line in chunk.decode().strip().split("\n"))
    return fields["event"], fields["data"]


async def _read(hub: EventHub, *, publish: list[object]) -> list[tuple[str, str]]:
    stream = hub.stream()
    assert await anext(stream) == b"retry: 500\n\n"
    seen = [_parse(await anext(stream))]  # hello (and the problems, when there are some)

    def from_the_watcher_thread() -> None:
        for action in publish:
            assert callable(action)
            action()
        hub.close()

    threading.Thread(target=from_the_watcher_thread).start()
    seen += [_parse(chunk) async for chunk in stream]
    return seen


def test_a_page_gets_reload_problems_and_ok_in_order() -> None:
    hub = EventHub()
    problems = [{"file": "a.md", "location": "line 2", "message": "bad", "fix": "fix it"}]
    seen = run_on_fresh_loop(
        lambda: _read(
            hub,
            publish=[hub.site_changed, lambda: hub.build_failed(problems), hub.build_ok],
        )
    )
    assert seen == [
        ("hello", json.dumps({"generation": 0})),
        ("ok", "{}"),
        ("reload", json.dumps({"generation": 1})),
        ("problems", json.dumps(problems)),
        ("ok", "{}"),
    ]
    assert hub.problems == [] and hub.generation == 1


def test_a_page_opened_after_a_failed_build_sees_the_problems_at_once() -> None:
    hub = EventHub()
    problems = [{"file": "b.md", "location": "date", "message": "bad date", "fix": "YYYY-MM-DD"}]
    hub.build_failed(problems)

    async def first_events() -> list[tuple[str, str]]:
        stream = hub.stream()
        await anext(stream)
        got = [_parse(await anext(stream)), _parse(await anext(stream))]
        await stream.aclose()
        return got

    assert run_on_fresh_loop(first_events) == [
        ("hello", json.dumps({"generation": 0})),
        ("problems", json.dumps(problems)),
    ]
