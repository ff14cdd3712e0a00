"""Write content/example: the fictional municipality Exempelby (run: python tools/make_example.py).

Deterministic: the same code writes the same files. Everything is fictional; personnummer are
built from a 98xx serial with a valid check digit, so they pass validation but are test data.
See content/README.md for which person is which case, and content/example/CASES.json.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

from example_files import image, reading_log_pdf
from example_people import (
    CHILDREN,
    EKSKOLAN,
    GROUPS,
    GUARDIANS,
    HOMES,
    NO_CUSTODY,
    PROTECTED_STAFF,
    SCHOOL_CONTACTS,
    SOLROSEN,
    STAFF,
    TEACHERS,
    address,
    pnr,
)
from example_texts import (
    GROUP_PLANS,
    IUP,
    POSTS,
    PREVIOUS,
    SUBJECTS,
    TALK_BODIES,
    assessment_text,
    stage,
)

TOOLS = Path(__file__).resolve().parent
OUT = TOOLS.parent / "content" / "example"
# The privacy notice and accessibility statement (export.toml [privacy], [accessibility]): their
# own block, appended to EXPORT_TOML, so other edits to the export's settings merge cleanly.
LEGAL_TOML = """
[privacy]
controller = { sv = "Barn- och utbildningsnämnden i Exempelby kommun", \
en = "The Children and Education Board, Exempelby Municipality" }
controller_email = "barn.utbildning@exempelby.se"
controller_phone = "0123-45 60 00"
controller_address = "Exempelby kommun, Barn- och utbildningsnämnden, 123 45 Exempelby"
purpose = { sv = "Att vårdnadshavare och elever ska kunna läsa den dokumentation som förskolan \
och skolan för om barnets utveckling och lärande: lärlogg, individuell utvecklingsplan (IUP), \
skriftliga omdömen, planeringar och utvecklingssamtal.", \
en = "To let guardians and students read the documentation that the preschool and school \
keep about the child's development and learning: learning log, individual development plan \
(IUP), written assessments, plans and development talks." }
legal_basis = { sv = "Uppgift av allmänt intresse och myndighetsutövning (artikel 6.1 e i \
dataskyddsförordningen), enligt skollagen (2010:800), bland annat 10 kap. 12–13 §§ om \
utvecklingssamtal och individuell utvecklingsplan. Uppgifter om hälsa som kan finnas i \
dokumentationen behandlas med stöd av artikel 9.2 g och 3 kap. 3 § dataskyddslagen (2018:218).", \
en = "A task in the public interest and the exercise of official authority (Article 6(1)(e) \
GDPR), under the Education Act (2010:800), among others chapter 10 sections 12–13 on \
development talks and individual development plans. Health data that may appear in the \
documentation are processed under Article 9(2)(g) GDPR and chapter 3 section 3 of the Swedish \
Data Protection Act (2018:218)." }
dpo_email = "dataskyddsombud@exempelby.se"
dpo_phone = "0123-45 60 00"
retention_policy = { sv = "Enligt barn- och utbildningsnämndens dokumenthanteringsplan visas \
varje termins dokumentation i appen till och med gallringsdatumet och tas sedan bort från appen. \
Originalen i skolans system bevaras eller gallras enligt samma plan.", \
en = "Under the board's records management plan (dokumenthanteringsplan), each term's \
documentation is shown in the app until its retention date and is then removed from the app. \
The originals in the school's system are kept or disposed of under the same plan." }
log_retention_days = 90
imy_url = "https://www.imy.se/privatperson/utfora-arenden/lamna-ett-klagomal/"
reviewed = "2026-11-20"

[accessibility]
compliance = "partial"
contact_email = "tillganglighet@exempelby.se"
contact_phone = "0123-45 60 00"
feedback_url = "https://e-tjanster.exempelby.se/synpunkter"
response_days = 5
evaluation = "self"
evaluation_note = { sv = "Kommunens tillgänglighetssamordnare har granskat appen med \
tangentbord, VoiceOver på iPhone, TalkBack på Android, NVDA med Firefox och förstoring till \
400 procent.", en = "The municipality's accessibility coordinator reviewed the app with a \
keyboard, VoiceOver on iPhone, TalkBack on Android, NVDA with Firefox and zoom to 400 per cent." }
assessed = "2026-11-15"
reviewed = "2026-11-20"
digg_url = "https://www.digg.se/tdosanmalan"

[[accessibility.known_issues]]
description = { sv = "Läsloggarna i årskurs 5 är inskannade PDF-filer utan text, så en \
skärmläsare kan inte läsa dem. Be skolan om innehållet i ett annat format.", \
en = "The year 5 reading logs are scanned PDF files without text, so a screen reader cannot \
read them. Ask the school for the content in another format." }
wcag = "1.1.1"
fix_by = "2027-06-30"

[[accessibility.known_issues]]
description = { sv = "Några bilder i lärloggen från början av höstterminen saknar \
textbeskrivning.", en = "Some images in the learning log from the start of the autumn term \
have no text description." }
wcag = "1.1.1"
fix_by = "2027-01-31"
"""


def md(front: dict[str, Any], body: str) -> str:
    lines = ["---"]
    for key, value in front.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n---\n" + body.strip() + "\n"


def write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


def school_address(given: str, family: str) -> str:
    plain = f"{given}.{family}".lower().replace("ö", "o").replace("å", "a").replace("ä", "a")
    return f"{plain}@skola.exempelby.se"


def register() -> dict[str, Any]:
    persons: list[dict[str, Any]] = []
    for pid, given, family, birth, serial, extra in GUARDIANS:
        persons.append(
            {
                "id": pid,
                "givenName": given,
                "familyName": family,
                "civicNo": {"value": pnr(birth, serial)},
                "emails": [
                    {
                        "value": f"{given}.{family}@post.example".lower()
                        .replace("ö", "o")
                        .replace("å", "a")
                        .replace("ä", "a"),
                        "type": "Privat",
                    }
                ],
                **({"addresses": address(pid)} if pid in HOMES else {}),
                "meta": {"created": "2025-08-01T08:00:00Z", "modified": "2026-08-15T08:00:00Z"},
                **extra,
            }
        )
    orgs = {SOLROSEN: "o-solrosen", EKSKOLAN: "o-ekskolan"}
    duties: list[dict[str, Any]] = []
    for n, (pid, given, family, code, roles, extra) in enumerate(STAFF):
        work = f"{given}.{family}@exempelby.se".lower().translate(str.maketrans("åäöé", "aaoe"))
        persons.append(
            {
                "id": pid,
                "givenName": given,
                "familyName": family,
                "civicNo": {"value": pnr(f"197{n}0{n + 2}1{n}", n + 1)},
                "emails": [{"value": work, "type": "Skola personal"}],
                **extra,
            }
        )
        duties.append(
            {
                "id": f"d-{pid}",
                "person": {"id": pid},
                "dutyAt": {"id": orgs[code]},
                "dutyRole": "Förskollärare" if code == SOLROSEN else "Lärare",
                "assignmentRole": [
                    {"group": {"id": group}, "assignmentRoleType": role} for group, role in roles
                ],
            }
        )
    for pid, given, family, birth, serial, code, _, year, guardians, extra in CHILDREN:
        responsibles = [{"person": {"id": g}, "relationType": "Vårdnadshavare"} for g in guardians]
        if pid == NO_CUSTODY[0]:
            responsibles.append({"person": {"id": NO_CUSTODY[1]}, "relationType": "Annan ansvarig"})
        enrolment: dict[str, Any] = {
            "enroledAt": {"id": orgs[code]},
            "schoolType": "FS" if year is None else "GR",
            "startDate": "2026-08-17",
        }
        if year is not None:
            enrolment["schoolYear"] = year
        # students who read their own documentation (year 7+) get notices at their school address
        school_mail = (
            {"emails": [{"value": school_address(given, family), "type": "Skola"}]}
            if year is not None and year >= 7
            else {}
        )
        persons.append(
            {
                "id": pid,
                "givenName": given,
                "familyName": family,
                "civicNo": {"value": pnr(birth, serial)},
                "responsibles": responsibles,
                "enrolments": [enrolment],
                "birthDate": f"{birth[:4]}-{birth[4:6]}-{birth[6:]}",
                **school_mail,
                **extra,
            }
        )
    groups = [
        {
            "id": gid,
            "displayName": name,
            "groupType": kind,
            "organisation": {"id": org},
            "groupMemberships": [{"person": {"id": c[0]}} for c in CHILDREN if c[6] == gid],
        }
        for gid, name, kind, org in GROUPS
    ]
    organisations = [
        {"id": "o-huvudman", "displayName": "Exempelby kommun", "organisationType": "Huvudman"},
        {
            "id": "o-solrosen",
            "displayName": "Förskolan Solrosen",
            "organisationType": "Skolenhet",
            "schoolUnitCode": SOLROSEN,
            "schoolTypes": ["FS"],
            **SCHOOL_CONTACTS[SOLROSEN],
        },
        {
            "id": "o-ekskolan",
            "displayName": "Ekskolan",
            "organisationType": "Skolenhet",
            "schoolUnitCode": EKSKOLAN,
            "schoolTypes": ["GR"],
            **SCHOOL_CONTACTS[EKSKOLAN],
        },
    ]
    return {
        "persons": persons,
        "groups": groups,
        "organisations": organisations,
        "duties": duties,
    }


def child_documents(root: Path, index: int, child: tuple[Any, ...]) -> None:
    pid, given, _, _, _, _, group, year = child[:8]
    folder = root / "children" / pid
    teacher = TEACHERS[group]
    level = stage(year)
    for n, (day, title, subjects, goals, variants) in enumerate(POSTS[level][: 3 + index % 2]):
        front: dict[str, Any] = {
            "date": day,
            "author": teacher,
            "title": title,
            "subjects": subjects,
            "goals": goals,
        }
        text = variants[index % len(variants)].format(name=given)
        if "monster.png" in text:
            # Shown inline by the body's ![...](monster.png); it must still be listed here.
            write(folder / "larlogg" / "monster.png", image("png", index))
            front["attachments"] = [
                {"file": "monster.png", "alt": "Ett mönster av cirklar och trianglar"}
            ]
        if n == 0 and index % 4 == 0:
            write(folder / "larlogg" / "utflykt.jpg", image("jpeg-exif", index))
            front["attachments"] = [
                {
                    "file": "utflykt.jpg",
                    "alt": "Löv och kottar på en filt",
                    "caption": "Dagens fynd från Ekbacken",
                }
            ]
        if n == 2 and year is not None and index % 3 == 0:
            write(folder / "larlogg" / "lasdagbok.pdf", reading_log_pdf(given))
            front["attachments"] = [{"file": "lasdagbok.pdf", "alt": "Läsdagbok"}]
        write(folder / "larlogg" / f"{day}-{n + 1:02d}.md", md(front, text))
    kind = "fs" if year is None else "school"
    talk_front: dict[str, Any] = {
        "date": f"2026-11-{10 + index:02d}",
        "time": f"{8 + index % 8:02d}:30",
        "place": "Förskolan Solrosen, avdelning Humlan"
        if year is None
        else "Ekskolan, klassrum " + group[2:].upper(),
        "duration_minutes": 30 if year is None else 45,
        "previous_agreements": [PREVIOUS[kind][index % len(PREVIOUS[kind])].format(name=given)],
    }
    bodies = TALK_BODIES[kind]
    write(
        folder / "utvecklingssamtal.md",
        md(talk_front, bodies[index % len(bodies)].format(name=given)),
    )
    if year is None:
        return
    plan = IUP[level][index % len(IUP[level])]
    write(
        folder / "iup.md",
        md(
            {
                "updated": "2026-10-01",
                "author": teacher,
                "goals": plan["goals"],
                "agreements": {k: plan[k] for k in ("school", "student", "home")},
            },
            plan["body"].format(name=given),
        ),
    )
    codes = "FEDCBA" if year >= 8 else "1234"
    for n, subject in enumerate(SUBJECTS[level][: 3 + index % 3]):
        # Mostly the middle of the scale, a few at either end: as in a real class.
        code = codes[[2, 3, 1, 4, 3, 2, 5, 1][(index * 3 + n) % 8] % len(codes)]
        front = {"subject": subject, "date": "2026-11-02", "author": teacher, "level": code}
        if year >= 8:
            front["scale"] = "betyg"
        write(
            folder / "omdomen" / f"{subject.lower().replace(' ', '-')}.md",
            md(front, assessment_text(given=given, subject=subject, level=code)),
        )


def group_documents(root: Path) -> None:
    for gid, *_ in GROUPS:
        plan = GROUP_PLANS[gid]
        front = {
            "title": plan["title"],
            "subject": plan["subject"],
            "start": "2026-09-01",
            "end": "2026-10-30",
            "goals": plan["goals"],
        }
        if "matrix" in plan:
            front |= {"matrix_levels": plan["matrix_levels"], "matrix": plan["matrix"]}
        write(root / "groups" / gid / "planeringar" / "host-2026.md", md(front, plan["body"]))


def cases() -> dict[str, Any]:
    return {
        "guardian_two_children": "p-vh-01",
        "same_household_guardians": ["p-vh-01", "p-vh-02"],
        "separate_households": ["p-vh-07", "p-vh-08"],
        "second_household_guardian": "p-vh-08",
        "no_custody_parent": NO_CUSTODY[1],
        "protected_child": "p-barn-03",
        "student": "p-barn-11",
        "student_eppn": "astrid.berg@skola.exempelby.se",
        "samordningsnummer_guardian": "p-vh-05",
        "siblings": ["p-barn-01", "p-barn-07"],
        "preschool_child": "p-barn-01",
        "year8_child": "p-barn-11",
        "protected_staff": PROTECTED_STAFF,
        "staff_of": {
            g: [f"{s[1]} {s[2]}" for s in STAFF if any(r[0] == g for r in s[4])] for g, *_ in GROUPS
        },
        "children_of": {g[0]: [c[0] for c in CHILDREN if g[0] in c[8]] for g in GUARDIANS},
    }


def main() -> int:
    if OUT.exists():
        shutil.rmtree(OUT)
    export_toml = (TOOLS / "example_export.toml").read_text(encoding="utf-8")
    write(OUT / "export.toml", export_toml + LEGAL_TOML)
    write(OUT / "register.json", json.dumps(register(), ensure_ascii=False, indent=1) + "\n")
    for index, child in enumerate(CHILDREN):
        child_documents(OUT, index, child)
    group_documents(OUT)
    write(OUT / "CASES.json", json.dumps(cases(), ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
