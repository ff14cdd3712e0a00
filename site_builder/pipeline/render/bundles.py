"""The JSON of child and plan bundles (docs/fp1.md), with fragments from the Renderer."""

from __future__ import annotations

import json
from typing import Any

from site_builder.export.config import ExportConfig, IupTemplate, SchoolUnit, TalkTemplate
from site_builder.export.documents import Assessment, Document
from site_builder.export.texts import Texts
from site_builder.pipeline.plan import ids
from site_builder.pipeline.plan.readers import ChildPlan, GroupPlan
from site_builder.pipeline.render.calendar import talk_ics
from site_builder.pipeline.render.converters import AttachmentView
from site_builder.pipeline.render.fragments import RenderCache, Renderer
from site_builder.pipeline.render.iup_headings import iup_headings

Views = dict[str, list[AttachmentView]]  # by document source path


# The tabs a school form has (SS 12000 schoolType): a preschool has no IUP and no written
# assessments. A tab with content is shown anyway; "kontakt" is always last.
TABS = ("larlogg", "iup", "omdomen", "planeringar", "samtal")
TABS_BY_SCHOOL_TYPE = {
    "FS": ("larlogg", "planeringar", "samtal"),
    "OPPFS": ("larlogg", "planeringar", "samtal"),
    "FKLASS": ("larlogg", "planeringar", "samtal"),
}


def _iup_headings(config: ExportConfig, unit: SchoolUnit | None) -> dict[str, dict[str, str]]:
    """Each IUP heading per language: {"goals_heading": {"sv": ..., "en": ...}, ...}."""
    wanted = unit.iup_template if unit else None
    found = next((t for t in config.iup_templates if t.id == wanted), None)
    return iup_headings(found or IupTemplate(id="default"))


def _questions(own: list[str] | None, template: list[Texts]) -> list[dict[str, str]]:
    """Each question per language: the talk's own (Swedish), else the template's in the
    languages the municipality gave."""
    if own:
        return [{"sv": q} for q in own]
    return [q.as_dict() for q in template]


def _tabs(school_type: str | None, *, has: dict[str, bool]) -> list[str]:
    base = TABS_BY_SCHOOL_TYPE.get(school_type or "", TABS)
    return [tab for tab in TABS if tab in base or has[tab]] + ["kontakt"]


def _talk_template(config: ExportConfig, unit: SchoolUnit | None) -> TalkTemplate:
    wanted = unit.talk_template if unit else None
    found = next((t for t in config.talk_templates if t.id == wanted), None)
    return found or TalkTemplate(id="default")


def _assessment(
    doc: Document[Assessment], *, config: ExportConfig, unit: SchoolUnit | None, html: str, pid: str
) -> dict[str, Any]:
    front = doc.front
    scale_id = front.scale or (unit.scale if unit else None)
    scale = next((s for s in config.scales if s.id == scale_id), None)
    codes = [level.code for level in scale.levels] if scale else []
    index = codes.index(front.level) if front.level in codes else None
    found = scale.levels[index] if scale and index is not None else None
    label = found.label.as_dict() if found else {"sv": front.level}
    return {
        "id": pid,
        "subject": front.subject,
        "date": front.date.isoformat(),
        "author": front.author,
        "level": {
            "code": front.level,
            "label": label,  # {"sv": …, "<code>": …}
            "index": index,
            "count": len(codes) or None,
        },
        "scale": (
            {
                "name": scale.name.as_dict(),
                "levels": [{"code": lv.code, "label": lv.label.as_dict()} for lv in scale.levels],
            }
            if scale
            else None
        ),
        "html": html,
    }


def child_bundle(
    child: ChildPlan,
    *,
    config: ExportConfig,
    pkey: bytes,
    renderer: Renderer,
    cache: RenderCache,
    views: Views,
) -> dict[str, Any]:
    person, docs, unit = child.person, child.docs, child.school

    def render(template: str, doc: Document[Any], **context: Any) -> str:
        return renderer.fragment(
            template,
            doc_sha256=doc.sha256,
            body=doc.body,
            views=views.get(doc.source.as_posix(), []),
            cache=cache,
            context=context,
        )

    posts = sorted(docs.posts, key=lambda d: (d.front.date, d.source.as_posix()), reverse=True)
    larlogg = [
        {
            "id": ids.document_id(pkey, d.source.as_posix()),
            "date": d.front.date.isoformat(),
            "title": d.front.title,
            "author": d.front.author,
            "subjects": list(d.front.subjects),
            "goals": list(d.front.goals),
            "html": render("larlogg.html.j2", d),
        }
        for d in posts
    ]
    iup = None
    if docs.iup is not None:
        front = docs.iup.front
        html = render(
            "iup.html.j2",
            docs.iup,
            goals=list(front.goals),
            agreements=front.agreements,
            headings=_iup_headings(config, unit),
        )
        iup = {"updated": front.updated.isoformat(), "author": front.author, "html": html}
    omdomen = [
        _assessment(
            d,
            config=config,
            unit=unit,
            html=render("omdome.html.j2", d),
            pid=ids.document_id(pkey, d.source.as_posix()),
        )
        for d in sorted(docs.assessments, key=lambda d: (d.front.subject, d.source.as_posix()))
    ]
    samtal = None
    if docs.talk is not None:
        talk, template = docs.talk.front, _talk_template(config, unit)
        questions = {
            "student": _questions(talk.student_questions, template.student_questions),
            "guardian": _questions(talk.guardian_questions, template.guardian_questions),
        }
        html = render(
            "samtal.html.j2",
            docs.talk,
            talk=talk,
            student_questions=questions["student"],
            guardian_questions=questions["guardian"],
        )
        talk_id = talk.date.isoformat()
        child_pid = ids.child_id(pkey, person.id)
        samtal = {
            "id": talk_id,
            "agreements": list(talk.agreements),
            "ics": talk_ics(
                day=talk.date,
                time=talk.time,
                minutes=talk.duration_minutes,
                place=talk.place,
                school=unit.name if unit else None,
                uid=f"{talk_id}-{child_pid}@familjeportalen",
            ),
            "questions": questions,
            "school_key": json.loads(child.school_key) if child.school_key else None,
            "received": [
                {"role": role, "date": day} for t, role, day in child.received if t == talk_id
            ],
            "date": talk.date.isoformat(),
            "time": talk.time,
            "place": talk.place,
            "duration_minutes": talk.duration_minutes,
            "html": html,
        }
    has = {
        "larlogg": bool(larlogg),
        "iup": iup is not None,
        "omdomen": bool(omdomen),
        "planeringar": bool(child.groups),
        "samtal": samtal is not None,
    }
    return {
        "v": 1,
        "kind": "child",
        "child": {
            "id": ids.child_id(pkey, person.id),
            "givenName": person.givenName,
            "familyName": person.familyName,
            "school": unit.name if unit else None,
            "group": child.group_name,
            "schoolYear": child.school_year,
            "schoolType": child.school_type,
        },
        "tabs": _tabs(child.school_type, has=has),
        "contacts": child.contacts.model_dump(mode="json"),
        "larlogg": larlogg,
        "iup": iup,
        "omdomen": omdomen,
        "samtal": samtal,
        "plans": [ids.plan_bundle_id(pkey, g) for g in child.groups],
    }


def plan_bundle(
    group: GroupPlan, *, pkey: bytes, renderer: Renderer, cache: RenderCache, views: Views
) -> dict[str, Any]:
    docs = sorted(group.docs, key=lambda d: (d.front.start, d.source.as_posix()))
    plans = [
        {
            "id": ids.document_id(pkey, d.source.as_posix()),
            "title": d.front.title,
            "subject": d.front.subject,
            "start": d.front.start.isoformat(),
            "end": d.front.end.isoformat(),
            "html": renderer.fragment(
                "plan.html.j2",
                doc_sha256=d.sha256,
                body=d.body,
                views=views.get(d.source.as_posix(), []),
                cache=cache,
                context={"plan": d.front},
            ),
        }
        for d in docs
    ]
    return {
        "v": 1,
        "kind": "plan",
        "group": {"id": ids.group_id(pkey, group.group_id), "name": group.name},
        "plans": plans,
    }
