"""A printable overview per group for the teacher: each child's talk and the replies received.

Written to `<replies>/oversikt/<group>.html` (A4 print CSS, no script, every text escaped: the
answers are the families' own words). Rewritten only when its content changes, so a second
`inbox` run writes nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html import escape
from pathlib import Path

from site_builder.export.model import Export
from site_builder.export.replies import ReplyDoc
from site_builder.keyservice.spool import write_durably

ROLE = {"guardian": "Vårdnadshavare", "student": "Eleven"}
CSS = """body{font:11pt/1.4 system-ui,sans-serif;margin:1.5cm;max-width:18cm}
h1{font-size:16pt}h2{font-size:13pt;margin-top:1.2em;border-top:1px solid #888;padding-top:.4em}
h3{font-size:11pt;margin:.8em 0 .2em}blockquote{margin:.2em 0 .2em 1em;white-space:pre-wrap}
.none{color:#555}@page{size:A4;margin:1.5cm}@media print{section{break-inside:avoid-page}}"""


def _child_html(name: str, talk: str, replies: list[ReplyDoc]) -> str:
    parts = [f"<section><h2>{escape(name)}</h2><p>Samtal {escape(talk)}</p>"]
    if not replies:
        parts.append('<p class="none">Inga svar ännu.</p>')
    for reply in replies:
        front = reply.front
        when = front.received.date().isoformat()
        parts.append(f"<h3>{ROLE[front.role]} (mottaget {when})</h3>")
        for answer in front.answers:
            parts.append(f"<p><strong>{escape(answer.q)}</strong></p>")
            parts.append(f"<blockquote>{escape(answer.a) or '–'}</blockquote>")
    parts.append("</section>")
    return "".join(parts)


def write_overviews(
    *, export: Export, replies: dict[str, list[ReplyDoc]], replies_dir: Path
) -> list[str]:
    """One page per group that has a child with a talk; the pages (re)written."""
    persons = {p.id: p for p in export.register.persons}
    groups: dict[str, list[str]] = defaultdict(list)
    for group in export.register.groups:
        for member in group.groupMemberships:
            groups[group.displayName].append(member.person.id)
    written: list[str] = []
    for group_name, members in sorted(groups.items()):
        sections = []
        for pid in sorted(
            members,
            key=lambda i: (
                (persons[i].familyName, persons[i].givenName) if i in persons else ("", i)
            ),
        ):
            docs = export.children.get(pid)
            talk = docs.talk if docs is not None else None
            if talk is None or pid not in persons:
                continue
            person = persons[pid]
            day = talk.front.date.isoformat()
            mine = [r for r in replies.get(pid, []) if r.front.talk.isoformat() == day]
            when = f"{day} {talk.front.time}, {talk.front.place}"
            sections.append(_child_html(f"{person.givenName} {person.familyName}", when, mine))
        if not sections:
            continue
        title = f"Utvecklingssamtal – svar från familjerna, {escape(group_name)}"
        page = (
            f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{CSS}</style></head><body><h1>{title}</h1>{''.join(sections)}</body></html>\n"
        )
        safe = re.sub(r"[^\w.-]+", "_", group_name).strip("._") or "grupp"
        target = replies_dir / "oversikt" / f"{safe}.html"
        if target.exists() and target.read_text(encoding="utf-8") == page:
            continue
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_durably(target, page.encode())
        written.append(f"oversikt/{safe}.html")
    return written
