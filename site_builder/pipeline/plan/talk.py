"""The development talk's reply path, added to the plan: each child's school unit public key
(so the app can seal replies to it) and which replies `site-builder inbox` has taken in.

In: the plan, the replies (export/replies.py) and the units' public JWKs (fp1/schoolkeys.py).
Out: the same plan with `school_key` and `received` set on each child; a child without a talk or
whose unit has no key gets none (the app then offers no sending).
"""

from __future__ import annotations

import json
from dataclasses import replace

from site_builder.export.replies import ReplyDoc
from site_builder.pipeline.plan.readers import BuildPlan


def with_talk_replies(
    plan: BuildPlan, *, replies: dict[str, list[ReplyDoc]], school_keys: dict[str, dict[str, str]]
) -> BuildPlan:
    children = []
    for child in plan.children:
        unit = child.school.code if child.school else None
        jwk = school_keys.get(unit) if unit else None
        key = json.dumps({"unit": unit, "jwk": jwk}, sort_keys=True) if jwk else None
        got = tuple(
            sorted(
                {
                    (r.front.talk.isoformat(), r.front.role, r.front.received.date().isoformat())
                    for r in replies.get(child.person.id, [])
                }
            )
        )
        if key != child.school_key or got != child.received:
            child = replace(child, school_key=key, received=got)
        children.append(child)
    return replace(plan, children=tuple(children))
