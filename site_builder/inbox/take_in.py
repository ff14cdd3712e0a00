"""Open each waiting reply, check its sender, write it as Markdown; refuse anything else clearly.

Order per reply: the Markdown is written durably first, then the spool marks it done — a crash in
between leaves a reply that the next run finds already written (and only marks done). A refused
reply moves to `<spool>/.refused/` (kept, never deleted); one whose school key is missing stays
waiting, so the run after the key is restored takes it in.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import ValidationError

from site_builder.export.model import Export
from site_builder.export.replies import Answer, TalkReply
from site_builder.fp1 import MasterKey, b64u_decode, pseudonym_key, reader_id
from site_builder.fp1.reply import ReplyContext, ReplyError, open_reply
from site_builder.fp1.schoolkeys import SchoolKeyError, load_private_key
from site_builder.keyservice.spool import REFUSED, Spool, write_durably
from site_builder.pipeline.plan import ids
from site_builder.pipeline.plan.readers import ChildPlan, Role, plan_readers

ROLE_SV = {"guardian": "vårdnadshavare", "student": "eleven"}


@dataclass
class InboxResult:
    written: list[str] = field(default_factory=list)  # replies-folder paths
    marked: int = 0  # found already written (a run stopped half-way): only marked done
    refused: list[str] = field(default_factory=list)  # "<spool file>: <reason> — fix: …"
    waiting: list[str] = field(default_factory=list)  # left in the spool (missing key)


class Refused(Exception):
    pass


def _markdown(front: TalkReply) -> str:
    head = yaml.safe_dump(front.model_dump(mode="json"), allow_unicode=True, sort_keys=False)
    lines = [f"# Svar inför utvecklingssamtalet {front.talk.isoformat()}", ""]
    lines.append(f"Från {ROLE_SV[front.role]}, mottaget {front.received.isoformat()}.")
    for answer in front.answers:
        lines += ["", f"## {' '.join(answer.q.split())}", ""]
        lines += [f"> {line}" for line in (answer.a or "(inget svar)").splitlines()]
    return f"---\n{head}---\n" + "\n".join(lines) + "\n"


def _answers(opened: Any) -> list[Answer]:
    try:
        return [Answer.model_validate(a) for a in opened["answers"]]
    except (TypeError, KeyError, ValidationError):
        raise Refused("the opened reply has no valid answers; fix: none (ask the family)") from None


def _one(
    path: Path,
    record: Any,
    *,
    children: dict[str, ChildPlan],
    roles: dict[str, Role],
    key_of: Any,
) -> tuple[str, TalkReply]:
    if not isinstance(record, dict) or record.get("rid") != path.parent.name:
        raise Refused("not a spool record; fix: none (kept in .refused)")
    child = children.get(str(record.get("child")))
    if child is None:
        raise Refused(
            "no such child in this export; fix: run inbox with the export it was sent from"
        )
    rid = str(record["rid"])
    if rid not in child.readers:
        raise Refused("the sender has no custody of this child and is not the student")
    unit = str(record.get("unit"))
    if child.school is None or child.school.code != unit:
        raise Refused("sealed to another school unit than the child's")
    try:
        talk = date.fromisoformat(str(record.get("talk")))
        received = datetime.fromisoformat(str(record.get("received")))
    except ValueError:
        raise Refused("bad talk or received field; fix: none (kept in .refused)") from None
    school: ec.EllipticCurvePrivateKey = key_of(unit)
    context = ReplyContext(unit=unit, rid=rid, child=str(record["child"]), talk=str(record["talk"]))
    try:
        opened = open_reply(b64u_decode(str(record.get("reply"))), school=school, context=context)
    except (ReplyError, ValueError):
        raise Refused("the reply does not open with the unit's key (altered or forged)") from None
    front = TalkReply(
        talk=talk,
        role=roles[rid],
        sender=rid,
        received=received,
        reply=path.stem,
        answers=_answers(opened),
    )
    name = f"{child.person.id}/{talk.isoformat()}-{front.role}-{path.stem[:12]}.md"
    return name, front


def take_in(
    *, export: Export, master: MasterKey, spool: Spool, replies_dir: Path, keys_dir: Path
) -> InboxResult:
    pkey = pseudonym_key(master)
    plan = plan_readers(export, rid_of=lambda s: reader_id(master, s, pkey=pkey))
    children = {ids.child_id(pkey, c.person.id): c for c in plan.children}
    roles = {rid: r.role for rid, r in plan.readers.items()}
    keys: dict[str, ec.EllipticCurvePrivateKey] = {}

    def key_of(unit: str) -> ec.EllipticCurvePrivateKey:
        if unit not in keys:
            keys[unit] = load_private_key(keys_dir, unit)
        return keys[unit]

    result = InboxResult()
    for path in spool.waiting():
        label = f"{path.parent.name[:6]}…/{path.name[:12]}…"  # no personal data in messages
        try:
            record = json.loads(path.read_bytes())
            name, front = _one(path, record, children=children, roles=roles, key_of=key_of)
        except SchoolKeyError as exc:
            result.waiting.append(f"{label}: {exc}")
            continue
        except (Refused, ValueError) as exc:
            result.refused.append(f"{label}: {exc}")
            refused = spool.root / REFUSED
            refused.mkdir(exist_ok=True, mode=0o700)
            os.replace(path, refused / f"{path.parent.name}-{path.name}")
            continue
        target = replies_dir / name
        if target.exists():
            result.marked += 1
        else:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_durably(target, _markdown(front).encode())
            result.written.append(name)
        spool.mark_done(path)
    return result
