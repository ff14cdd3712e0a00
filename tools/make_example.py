"""Write content/example: the fictional municipality Exempelby (run: python tools/make_example.py).

Deterministic: the same code writes the same files. Everything is fictional; personnummer are
built from a 98xx serial with a valid check digit, so they pass validation but are test data.
See content/README.md for which person is which case, and content/example/CASES.json.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path
from typing import Any

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
from PIL import Image, ImageDraw

TOOLS = Path(__file__).resolve().parent
OUT = TOOLS.parent / "content" / "example"
SOLROSEN, EKSKOLAN = "91234567", "92345678"


def luhn_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def pnr(birth: str, serial: int) -> str:
    """A 12-digit number YYYYMMDD98SC with a valid check digit (98xx: obviously test data)."""
    body = f"{birth}98{serial}"
    return body + luhn_digit(body[2:])


# id, given, family, birth (day + 60 for a samordningsnummer), serial, extra
GUARDIANS: list[tuple[str, str, str, str, int, dict[str, Any]]] = [
    ("p-vh-01", "Anna", "Ek", "19840312", 2, {}),
    ("p-vh-02", "Johan", "Ek", "19820705", 1, {}),
    ("p-vh-03", "Sara", "Berg", "19850921", 4, {}),
    ("p-vh-04", "Maria", "Lind", "19900114", 6, {"securityMarking": "Skyddad folkbokföring"}),
    ("p-vh-05", "Omar", "Haddad", "19870374", 3, {}),  # samordningsnummer (14 + 60)
    ("p-vh-06", "Lina", "Nyström", "19890430", 8, {}),
    ("p-vh-07", "Karin", "Holm", "19830603", 2, {}),
    ("p-vh-08", "Peter", "Sundberg", "19811111", 5, {}),
    ("p-vh-09", "Mikael", "Strand", "19800808", 7, {}),  # parent without custody
    ("p-vh-10", "Fatima", "Åberg", "19860227", 4, {}),
    ("p-vh-11", "Jonas", "Sjö", "19840119", 1, {}),
    ("p-vh-12", "Emma", "Kvist", "19880505", 6, {}),
    ("p-vh-13", "Ali", "Dahl", "19790915", 3, {}),
    ("p-vh-14", "Helena", "Falk", "19811224", 8, {}),
    ("p-vh-15", "Daniel", "Wik", "19830402", 9, {}),
]

# id, given, family, birth, serial, school code, group, school year, guardians, extra
CHILDREN: list[tuple[str, str, str, str, int, str, str, int | None, list[str], dict[str, Any]]] = [
    (
        "p-barn-01",
        "Alva",
        "Ek",
        "20210415",
        2,
        SOLROSEN,
        "g-humlan",
        None,
        ["p-vh-01", "p-vh-02"],
        {},
    ),
    ("p-barn-02", "Noah", "Berg", "20210822", 3, SOLROSEN, "g-humlan", None, ["p-vh-03"], {}),
    (
        "p-barn-03",
        "Ella",
        "Lind",
        "20220210",
        4,
        SOLROSEN,
        "g-humlan",
        None,
        ["p-vh-04"],
        {"securityMarking": "Skyddad folkbokföring"},
    ),
    (
        "p-barn-04",
        "Liam",
        "Nyström",
        "20210130",
        5,
        SOLROSEN,
        "g-humlan",
        None,
        ["p-vh-05", "p-vh-06"],
        {},
    ),
    ("p-barn-05", "Maja", "Holm", "20180309", 6, EKSKOLAN, "g-2a", 2, ["p-vh-07", "p-vh-08"], {}),
    ("p-barn-06", "Elias", "Åberg", "20180617", 7, EKSKOLAN, "g-2a", 2, ["p-vh-10"], {}),
    ("p-barn-07", "Hugo", "Ek", "20150520", 1, EKSKOLAN, "g-5b", 5, ["p-vh-01", "p-vh-02"], {}),
    ("p-barn-08", "Wilma", "Sjö", "20181002", 8, EKSKOLAN, "g-2a", 2, ["p-vh-11"], {}),
    ("p-barn-09", "Saga", "Kvist", "20150713", 9, EKSKOLAN, "g-5b", 5, ["p-vh-12"], {}),
    ("p-barn-10", "Leo", "Dahl", "20151128", 2, EKSKOLAN, "g-5b", 5, ["p-vh-13"], {}),
    (
        "p-barn-11",
        "Astrid",
        "Berg",
        "20120226",
        3,
        EKSKOLAN,
        "g-8c",
        8,
        ["p-vh-03"],
        {"eduPersonPrincipalNames": ["astrid.berg@skola.exempelby.se"]},
    ),
    (
        "p-barn-12",
        "Oskar",
        "Falk",
        "20120904",
        4,
        EKSKOLAN,
        "g-8c",
        8,
        ["p-vh-14"],
        {"eduPersonPrincipalNames": ["oskar.falk@skola.exempelby.se"]},
    ),
    ("p-barn-13", "Nora", "Wik", "20121217", 5, EKSKOLAN, "g-8c", 8, ["p-vh-15"], {}),
]
NO_CUSTODY = ("p-barn-05", "p-vh-09")  # Maja's father: "Annan ansvarig", reads nothing by default

# SS 12000 `addresses[]` (ignored by the loader): shows who shares a household. p-vh-07 and
# p-vh-08 both have custody of p-barn-05 but live apart, so each signs in with their own e-ID.
HOMES = {
    "p-vh-01": ("Ekvägen 3", "123 45"),
    "p-vh-02": ("Ekvägen 3", "123 45"),
    "p-vh-05": ("Björkgatan 12", "123 46"),
    "p-vh-06": ("Björkgatan 12", "123 46"),
    "p-vh-07": ("Lönnstigen 8", "123 47"),
    "p-vh-08": ("Sjöbrinken 21 lgh 1102", "123 52"),
    "p-vh-09": ("Storgatan 40", "123 50"),
}


def address(person_id: str) -> list[dict[str, Any]]:
    if person_id not in HOMES:
        return []
    street, postal = HOMES[person_id]
    return [
        {
            "type": "Folkbokföring",
            "streetAddress": street,
            "postalCode": postal,
            "locality": "Exempelby",
            "countryCode": "SE",
        }
    ]


GROUPS = [
    ("g-humlan", "Humlan", "Avdelning", "o-solrosen"),
    ("g-2a", "2A", "Klass", "o-ekskolan"),
    ("g-5b", "5B", "Klass", "o-ekskolan"),
    ("g-8c", "8C", "Klass", "o-ekskolan"),
]
# Staff (SS 12000 persons with duties): the families see each child's mentor and teachers.
# id, given, family, school code, [(group, assignmentRoleType)], extra
STAFF: list[tuple[str, str, str, str, list[tuple[str, str]], dict[str, Any]]] = [
    ("p-pers-01", "Pia", "Lundqvist", SOLROSEN, [("g-humlan", "Förskollärare")], {}),
    ("p-pers-02", "Sanna", "Rask", SOLROSEN, [("g-humlan", "Barnskötare")], {}),
    ("p-pers-03", "Lena", "Ström", EKSKOLAN, [("g-2a", "Mentor"), ("g-2a", "Lärare")], {}),
    ("p-pers-04", "Karl", "Bäck", EKSKOLAN, [("g-5b", "Mentor"), ("g-5b", "Lärare")], {}),
    ("p-pers-05", "Ylva", "Åkesson", EKSKOLAN, [("g-8c", "Mentor"), ("g-8c", "Lärare")], {}),
    ("p-pers-06", "Erik", "Norén", EKSKOLAN, [("g-8c", "Lärare"), ("g-5b", "Lärare")], {}),
    # A teacher with protected identity: never shown to families (CASES protected_staff).
    (
        "p-pers-07",
        "Tove",
        "Hed",
        EKSKOLAN,
        [("g-8c", "Lärare")],
        {"securityMarking": "Skyddad folkbokföring"},
    ),
]
PROTECTED_STAFF = "p-pers-07"
# The author of each group's documentation (the group's first member of staff).
TEACHERS = {
    "g-humlan": "Pia Lundqvist",
    "g-2a": "Lena Ström",
    "g-5b": "Karl Bäck",
    "g-8c": "Ylva Åkesson",
}
# Fictional numbers from the series PTS keeps for fiction (08-465 004 00–99).
SCHOOL_CONTACTS = {
    SOLROSEN: {
        "email": "solrosen@exempelby.se",
        "phoneNumber": "08-465 004 20",
        "url": "https://www.exempelby.se/forskola/solrosen",
        "addresses": [
            {
                "type": "Besöksadress",
                "streetAddress": "Solrosvägen 2",
                "postalCode": "123 40",
                "locality": "Exempelby",
            }
        ],
    },
    EKSKOLAN: {
        "email": "ekskolan@exempelby.se",
        "phoneNumber": "08-465 004 10",
        "url": "https://www.exempelby.se/grundskola/ekskolan",
        "addresses": [
            {
                "type": "Besöksadress",
                "streetAddress": "Skolgatan 10",
                "postalCode": "123 41",
                "locality": "Exempelby",
            }
        ],
    },
}

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


def image(kind: str, seed: int) -> bytes:
    """An abstract drawing (no people); `exif` adds EXIF incl. GPS and XMP for the build to strip."""
    img = Image.new("RGB", (640, 420), (240 - seed * 7 % 60, 230, 200 + seed * 5 % 50))
    draw = ImageDraw.Draw(img)
    for i in range(8):
        x, y = (i * 83 + seed * 31) % 560, (i * 57 + seed * 19) % 340
        colour = ((i * 40 + seed * 20) % 255, (i * 90) % 255, (200 - i * 20) % 255)
        if i % 2:
            draw.ellipse((x, y, x + 70, y + 70), fill=colour)
        else:
            draw.polygon([(x, y + 70), (x + 40, y), (x + 80, y + 70)], fill=colour)
    out = io.BytesIO()
    if kind == "jpeg-exif":
        exif = Image.Exif()
        exif[0x010F] = "Exempelkamera AB"  # Make
        exif[0x0110] = "Modell 1"  # Model
        exif[0x8825] = {1: "N", 2: (59.0, 19.0, 48.0), 3: "E", 4: (18.0, 4.0, 12.0)}  # GPS
        img.save(
            out,
            "JPEG",
            quality=80,
            exif=exif.tobytes(),
            xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>Exempelby</x:xmpmeta>",
        )
    else:
        img.save(out, "PNG", optimize=True)
    return out.getvalue()


def reading_log_pdf(name: str) -> bytes:
    """A one-page PDF with a few lines of text, written by hand so the bytes never change."""
    lines = [
        f"Läsdagbok – {name}",
        "Vecka 42: Kapitel 1–4",
        "Bästa meningen: ”Ön låg tyst i dimman.”",
    ]

    def pdf_string(line: str) -> str:
        return "(" + line.replace("\\", "").replace("(", "\\(").replace(")", "\\)") + ")"

    # The ' operator moves to the next line (TL apart) and shows the string.
    shown = " ".join(f"{pdf_string(line)} '" for line in lines)
    stream = f"BT /F1 16 Tf 60 782 Td 22 TL {shown}".encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream + b" ET") + stream + b" ET\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


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
        persons.append(
            {
                "id": pid,
                "givenName": given,
                "familyName": family,
                "civicNo": {"value": pnr(birth, serial)},
                "responsibles": responsibles,
                "enrolments": [enrolment],
                "birthDate": f"{birth[:4]}-{birth[4:6]}-{birth[6:]}",
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
