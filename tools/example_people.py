"""The people and places of content/example (used by tools/make_example.py): guardians, children,
groups, staff and the school units' contact details. Everything is fictional; personnummer use
the serial 98xx with a valid check digit.
"""

from __future__ import annotations

from typing import Any

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
