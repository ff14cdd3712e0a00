"""A minimal valid export, written file by file, that each bad-input test breaks in one place.

One compulsory school with its own scale, one class, a guardian and a year-5 child with a post
(carrying a PNG attachment), an IUP, an assessment and a talk, plus one unit plan.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from PIL import Image

CHILD = "p-elev-01"
GUARDIAN = "p-vh-01"
GROUP = "g-5a"
ORGANISATION = "o-skolan"
CHILD_PNR = "201505129807"  # 98xx serial: test data; valid check digit
GUARDIAN_PNR = "198203049807"
POST = f"children/{CHILD}/larlogg/2026-09-04.md"
ASSESSMENT = f"children/{CHILD}/omdomen/svenska.md"
IUP = f"children/{CHILD}/iup.md"
TALK = f"children/{CHILD}/utvecklingssamtal.md"
PLAN = f"groups/{GROUP}/planeringar/host.md"
ATTACHMENT = f"children/{CHILD}/larlogg/bild.png"

EXPORT_TOML = """\
municipality = "Provby kommun"
term = "HT2026"
epoch = "2026"
retention_until = "2028-06-30"

[[school_units]]
code = "12345678"
name = "Provskolan"
scale = "fyra"

[[scales]]
id = "fyra"
name = "Fyrgradig skala"
levels = [{ code = "1", label = "På väg" }, { code = "2", label = "Godtagbart" },
          { code = "3", label = "Gott" }, { code = "4", label = "Mycket gott" }]
"""

# The privacy notice's and accessibility statement's required fields (export/legal.py).
LEGAL_TOML = """
[privacy]
controller = "Utbildningsnämnden i Provby kommun"
controller_email = "utbildning@provby.example"
purpose = "Att vårdnadshavare ska kunna läsa dokumentationen om sitt barn."
legal_basis = "Artikel 6.1 e i dataskyddsförordningen, skollagen 10 kap."
dpo_email = "dataskyddsombud@provby.example"
retention_policy = "Enligt nämndens dokumenthanteringsplan."
log_retention_days = 90
imy_url = "https://www.imy.se/privatperson/utfora-arenden/lamna-ett-klagomal/"
reviewed = "2026-11-01"

[accessibility]
compliance = "partial"
contact_email = "tillganglighet@provby.example"
evaluation = "self"
assessed = "2026-11-01"
reviewed = "2026-11-01"
digg_url = "https://www.digg.se/tdosanmalan"

[[accessibility.known_issues]]
description = "Inskannade PDF-bilagor saknar text."
wcag = "1.1.1"
"""

POST_MD = """\
---
date: 2026-09-04
author: Lärare Lo
title: Vi mäter skolgården
subjects: [Matematik]
attachments:
  - file: bild.png
    alt: En ritning av skolgården
---
Idag mätte vi **skolgården** med måttband.
"""

ASSESSMENT_MD = """\
---
subject: Svenska
date: 2026-11-02
author: Lärare Lo
level: "3"
---
Läser med flyt.
"""

IUP_MD = """\
---
updated: 2026-10-01
author: Lärare Lo
goals: [Läsa längre texter]
agreements:
  school: [Ger lästips]
  student: [Läser varje dag]
  home: [Frågar om boken]
---
Vi fokuserar på läsförståelse.
"""

TALK_MD = """\
---
date: 2026-11-12
time: "14:30"
place: Klassrum 5A
---
Vi pratar om hösten.
"""

PLAN_MD = """\
---
title: Vatten
subject: "NO"
start: 2026-09-01
end: 2026-10-30
goals: [Beskriva vattnets kretslopp]
matrix_levels: [På väg, Godtagbart]
matrix:
  - criterion: Beskriva
    levels: [Med stöd, Själv]
---
Vi undersöker vatten.
"""


def register_data() -> dict[str, Any]:
    return {
        "persons": [
            {
                "id": GUARDIAN,
                "givenName": "Vera",
                "familyName": "Vårdnadshavare",
                "civicNo": {"value": GUARDIAN_PNR},
            },
            {
                "id": CHILD,
                "givenName": "Elsa",
                "familyName": "Elev",
                "civicNo": {"value": CHILD_PNR},
                "responsibles": [{"person": {"id": GUARDIAN}, "relationType": "Vårdnadshavare"}],
                "enrolments": [
                    {"enroledAt": {"id": ORGANISATION}, "schoolYear": 5, "schoolType": "GR"}
                ],
            },
        ],
        "groups": [
            {
                "id": GROUP,
                "displayName": "5A",
                "groupType": "Klass",
                "organisation": {"id": ORGANISATION},
                "groupMemberships": [{"person": {"id": CHILD}}],
            }
        ],
        "organisations": [
            {"id": ORGANISATION, "displayName": "Provskolan", "schoolUnitCode": "12345678"}
        ],
    }


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def write_register(root: Path, data: dict[str, Any]) -> None:
    (root / "register.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def write_minimal_export(root: Path) -> Path:
    files = {
        "export.toml": EXPORT_TOML + LEGAL_TOML,
        POST: POST_MD,
        ASSESSMENT: ASSESSMENT_MD,
        IUP: IUP_MD,
        TALK: TALK_MD,
        PLAN: PLAN_MD,
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / ATTACHMENT).write_bytes(png_bytes())
    write_register(root, register_data())
    return root
