"""Small edits that break one thing in an export."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"  # the edit must really change the file
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_register(root: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = root / "register.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def person(data: dict[str, Any], person_id: str) -> dict[str, Any]:
    return next(p for p in data["persons"] if p["id"] == person_id)
