"""Families' replies to a development talk, as `site-builder inbox` writes them — a document kind
of its own, kept OUTSIDE the export (a fresh export from the school's system must not wipe them):

    <replies>/<child person id>/<talk>-<role>-<digest12>.md    (default <state-dir>/replies)

Front matter (validated here): `talk` (the talk's date), `role` (guardian or student),
`sender` (the rid), `received` (when the key service stored it), `reply` (sha256 of the sealed
reply), `answers` ([{q, a}]); the body is the same questions and answers as Markdown to read.
The build reads only the front matter: the child's bundle says which replies the school has
received, never their text.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from site_builder.export.problems import Problem, problems_from_validation

REPLIES_DIR = "replies"
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    q: str = Field(max_length=2000)
    a: str = Field(max_length=20_000)


class TalkReply(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    talk: date
    role: Literal["guardian", "student"]
    sender: str = Field(pattern=r"^[a-z2-7]{26}$", description="The sender's rid.")
    received: datetime
    reply: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the sealed reply.")
    answers: list[Answer] = Field(default_factory=list, max_length=100)


@dataclass(frozen=True, slots=True)
class ReplyDoc:
    person_id: str
    rel: str  # relative to the replies folder
    front: TalkReply
    body: str


def parse_reply(path: Path, *, root: Path) -> ReplyDoc | Problem | list[Problem]:
    rel = path.relative_to(root).as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Problem(rel, "", f"cannot read the reply: {exc}", "restore it from a backup")
    match = _FRONT.match(text)
    if match is None:
        return Problem(rel, "line 1", "no front matter", "start the file with ---")
    try:
        data = yaml.safe_load(match.group(1))
        front = TalkReply.model_validate(data)
    except yaml.YAMLError:
        return Problem(rel, "front matter", "invalid YAML", "run `site-builder inbox` again")
    except ValidationError as exc:
        return problems_from_validation(exc, file=rel, prefix="front matter: ")
    return ReplyDoc(path.parent.name, rel, front, text[match.end() :])


def load_replies(root: Path) -> tuple[dict[str, list[ReplyDoc]], list[Problem]]:
    """Every reply by child person id (sorted by file name), and the problems found."""
    found: dict[str, list[ReplyDoc]] = {}
    problems: list[Problem] = []
    if not root.is_dir():
        return found, problems
    for child in sorted(os.scandir(root), key=lambda e: e.name):
        if not child.is_dir() or child.name.startswith("."):
            continue
        for name in sorted(n for n in os.listdir(child.path) if n.endswith(".md")):
            parsed = parse_reply(Path(child.path, name), root=root)
            if isinstance(parsed, ReplyDoc):
                found.setdefault(child.name, []).append(parsed)
            else:
                problems += parsed if isinstance(parsed, list) else [parsed]
    return found, problems
