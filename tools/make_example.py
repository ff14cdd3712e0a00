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

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "content" / "example"
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
TEACHERS = {
    "g-humlan": "Pia Förskollärare",
    "g-2a": "Lärare Lena Ström",
    "g-5b": "Lärare Karl Bäck",
    "g-8c": "Mentor Ylva Åkesson",
}

EXPORT_TOML = """\
municipality = "Exempelby kommun"
term = "HT2026"
epoch = "2026"
retention_until = "2028-06-30"
languages = ["sv", "en"]
auto_lock_minutes = 30
max_file_mb = 20

[[school_units]]
code = "91234567"
name = "Förskolan Solrosen"
talk_template = "forskola"

[[school_units]]
code = "92345678"
name = "Ekskolan"
scale = "fyrgradig"
iup_template = "ekskolan"
talk_template = "grundskola"

[[scales]]
id = "fyrgradig"
name = "Ekskolans kunskapsskala"
levels = [
  { code = "1", label = "Arbetar mot godtagbara kunskaper" },
  { code = "2", label = "Godtagbara kunskaper" },
  { code = "3", label = "Goda kunskaper" },
  { code = "4", label = "Mycket goda kunskaper" },
]

[[scales]]
id = "betyg"
name = "Betygsskalan A–F"
levels = [
  { code = "F", label = "Underkänt" }, { code = "E", label = "Godtagbart" },
  { code = "D", label = "Mellan E och C" }, { code = "C", label = "Gott" },
  { code = "B", label = "Mellan C och A" }, { code = "A", label = "Mycket gott" },
]

[[iup_templates]]
id = "ekskolan"
goals_heading = "Mina mål"
plan_heading = "Så här gör vi framåt"

[[talk_templates]]
id = "grundskola"
student_questions = [
  "Vad är du mest nöjd med den här terminen?",
  "Vad vill du bli bättre på?",
  "Hur trivs du i klassen och på rasterna?",
]
guardian_questions = [
  "Hur upplever ni att ert barn trivs i skolan?",
  "Finns det något skolan behöver veta inför nästa termin?",
]

[[talk_templates]]
id = "forskola"
guardian_questions = [
  "Vad berättar ert barn om förskolan hemma?",
  "Vilka lekar och intressen har ert barn just nu?",
]

[[service_links]]
kind = "contact"
label = "Ändra kontaktuppgifter"
url = "https://e-tjanster.exempelby.se/kontaktuppgifter"

[[service_links]]
kind = "absence"
label = "Anmäl frånvaro"
url = "https://e-tjanster.exempelby.se/franvaro"

[[service_links]]
kind = "placement"
label = "Ansök om plats eller byt skola"
url = "https://e-tjanster.exempelby.se/placering"

[[faq]]
question = "Varför loggar jag in med e-legitimation?"
answer = "Dokumentationen om ditt barn är skyddad. Med **BankID** eller **Freja+** visar du vem du är, och bara du får nyckeln till ditt barns dokumentation."

[[faq]]
question = "Hur skaffar jag BankID?"
answer = "Du beställer BankID från din bank. Har du ingen svensk bank kan du använda **Freja+**, som du skaffar i appen och bekräftar med ditt pass hos ett ombud."

[[faq]]
question = "Inloggningen fungerar inte. Vad gör jag?"
answer = "Kontrollera att appen för din e-legitimation är uppdaterad och försök igen. Fungerar det ändå inte, kontakta skolans expedition så hjälper de dig."

[[faq]]
question = "Var ändrar jag mina kontaktuppgifter?"
answer = "Kontaktuppgifter ändrar du i kommunens e-tjänst *Ändra kontaktuppgifter*. Ändringen syns i nästa publicering."

[[faq]]
question = "Får jag besked när något nytt publiceras?"
answer = "Skolan publicerar dokumentationen en gång per termin. Nya inlägg sedan ditt senaste besök märks med *Nytt* i appen."

[access]
reader_relation_types = ["Vårdnadshavare"]
protected_identity = "exclude"
student_reads_from_school_year = 7
"""

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

POSTS = [
    (
        "2026-09-04",
        "Höstens första utflykt",
        ["Naturkunskap"],
        ["Lpfö18: naturvetenskap"],
        "Idag gick vi till **Ekbacken** och letade efter höstens tecken. {name} hittade "
        "tre olika sorters löv och kunde berätta vilket träd de kom ifrån.\n\n"
        "Det här gjorde vi:\n\n- samlade löv och kottar\n- räknade ekollon i en hög\n"
        "- pratade om varför löven byter färg\n\n"
        "Läs mer om [allemansrätten](https://www.naturvardsverket.se/allemansratten).",
    ),
    (
        "2026-09-25",
        "Vi bygger broar",
        ["Teknik", "Matematik"],
        ["Lgr22 Teknik: konstruktioner"],
        "Veckans uppdrag var att bygga en bro av glasspinnar och tejp. {name} provade "
        "*tre* olika modeller innan bron höll för en hel burk med kulor.\n\n"
        "| Modell | Höll för |\n|---|---|\n| Platt | 2 kulor |\n| Båge | 9 kulor |\n"
        "| Fackverk | 25 kulor |\n\nNästa vecka ritar vi våra broar.",
    ),
    (
        "2026-10-16",
        "Läsveckan",
        ["Svenska"],
        ["Lgr22 Svenska: läsa och skriva"],
        "Under läsveckan läste {name} en hel kapitelbok och berättade om den för en kompis. "
        "Vi övade på att **sammanfatta** med egna ord.\n\n1. Läs ett kapitel\n"
        "2. Skriv tre meningar om vad som hände\n3. Gissa vad som händer sedan",
    ),
    (
        "2026-11-06",
        "Mönster och former",
        ["Matematik", "Bild"],
        ["Lgr22 Matematik: geometri"],
        "Vi undersökte mönster i naturen och gjorde egna mönster med former. {name} "
        "upptäckte att ett mönster kan *upprepas*, *speglas* och *vridas*.\n\n"
        "![Ett mönster av cirklar och trianglar](monster.png)",
    ),
]

# Preschool reads stories rather than chapter books: its third post replaces "Läsveckan".
PRESCHOOL_STORY = (
    "2026-10-16",
    "Sagostund i kojan",
    ["Språk"],
    ["Lpfö18: språk och kommunikation"],
    "Varje fredag har vi sagostund i kojan. {name} valde boken *Pettson och Findus* och "
    "berättade om bilderna för de andra barnen.\n\n"
    "- Vi pratade om vad som hände först och sist\n- Vi hittade på ett nytt slut tillsammans\n\n"
    "Tips: biblioteket har [sagor på många språk](https://www.exempelby.se/bibliotek).",
)

SUBJECTS = [
    ("Svenska", "3"),
    ("Matematik", "2"),
    ("Engelska", "3"),
    ("NO", "4"),
    ("Idrott och hälsa", "3"),
]


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
        },
        {
            "id": "o-ekskolan",
            "displayName": "Ekskolan",
            "organisationType": "Skolenhet",
            "schoolUnitCode": EKSKOLAN,
            "schoolTypes": ["GR"],
        },
    ]
    return {"persons": persons, "groups": groups, "organisations": organisations}


def child_documents(root: Path, index: int, child: tuple[Any, ...]) -> None:
    pid, given, _, _, _, _, group, year = child[:8]
    folder = root / "children" / pid
    teacher = TEACHERS[group]
    posts = [PRESCHOOL_STORY if year is None and p[1] == "Läsveckan" else p for p in POSTS]
    for n, (day, title, subjects, goals, body) in enumerate(posts[: 3 + index % 2]):
        front: dict[str, Any] = {
            "date": day,
            "author": teacher,
            "title": title,
            "subjects": subjects,
            # Preschool follows Lpfö18, school Lgr22.
            "goals": [g.replace("Lgr22", "Lpfö18") if year is None else g for g in goals],
        }
        text = body.format(name=given)
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
    talk_front: dict[str, Any] = {
        "date": f"2026-11-{10 + index:02d}",
        "time": f"{8 + index % 8:02d}:30",
        "place": "Förskolan Solrosen, Humlan"
        if year is None
        else "Ekskolan, klassrum " + group[2:].upper(),
        "duration_minutes": 30 if year is None else 45,
        "previous_agreements": [f"{given} övar på att vänta på sin tur."],
    }
    write(
        folder / "utvecklingssamtal.md",
        md(talk_front, f"Vi pratar om hur hösten har varit för {given} och vad vi gör framåt."),
    )
    if year is None:
        return
    write(
        folder / "iup.md",
        md(
            {
                "updated": "2026-10-01",
                "author": teacher,
                "goals": [
                    f"{given} ska läsa längre texter med flyt",
                    "Visa sina uträkningar i matematik",
                ],
                "agreements": {
                    "school": ["Ger lästips varje vecka"],
                    "student": ["Läser 15 minuter om dagen"],
                    "home": ["Frågar om boken vid middagen"],
                },
            },
            f"Under hösten fokuserar {given} på **läsförståelse** och på att förklara hur hen tänker.",
        ),
    )
    for n, (subject, level) in enumerate(SUBJECTS[: 3 + index % 3]):
        front = {"subject": subject, "date": "2026-11-02", "author": teacher, "level": level}
        if year >= 8:
            front |= {"scale": "betyg", "level": "CEBDA"[(index + n) % 5]}
        write(
            folder / "omdomen" / f"{subject.lower().replace(' ', '-')}.md",
            md(
                front,
                f"{given} visar *god förmåga* i {subject.lower()}. Nästa steg: fördjupa resonemangen.",
            ),
        )


def group_documents(root: Path) -> None:
    for gid, name, _, _ in GROUPS:
        front = {
            "title": "Vatten i naturen" if gid != "g-8c" else "Demokrati och makt",
            "subject": "NO" if gid != "g-8c" else "Samhällskunskap",
            "start": "2026-09-01",
            "end": "2026-10-30",
            "goals": ["Beskriva vattnets kretslopp", "Genomföra en enkel undersökning"],
            "matrix_levels": ["På väg", "Godtagbart", "Mer än godtagbart"],
            "matrix": [
                {"criterion": "Beskriva", "levels": ["Med stöd", "Enkelt", "Utvecklat"]},
                {
                    "criterion": "Undersöka",
                    "levels": ["Med hjälp", "Följer plan", "Planerar själv"],
                },
            ],
        }
        write(
            root / "groups" / gid / "planeringar" / "host-2026.md",
            md(
                front,
                f"Klass {name} arbetar med ett tema under september och oktober.\n\n"
                "- Vecka 36–38: grunder\n- Vecka 39–42: undersökningar\n- Vecka 43: redovisning",
            ),
        )


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
        "children_of": {g[0]: [c[0] for c in CHILDREN if g[0] in c[8]] for g in GUARDIANS},
    }


def main() -> int:
    if OUT.exists():
        shutil.rmtree(OUT)
    write(OUT / "export.toml", EXPORT_TOML + LEGAL_TOML)
    write(OUT / "register.json", json.dumps(register(), ensure_ascii=False, indent=1) + "\n")
    for index, child in enumerate(CHILDREN):
        child_documents(OUT, index, child)
    group_documents(OUT)
    write(OUT / "CASES.json", json.dumps(cases(), ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
