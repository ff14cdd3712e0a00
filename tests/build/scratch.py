"""A small scratch export built in Python (no loader needed): three families, a protected child,
a parent without custody, a student old enough to read their own documentation, a class plan,
an image full of metadata and a PDF.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from PIL import Image

from site_builder.export.config import ExportConfig
from site_builder.export.documents import (
    Assessment,
    AttachmentRef,
    DevelopmentTalk,
    Document,
    Iup,
    LearningLogPost,
    UnitPlan,
)
from site_builder.export.model import ChildDocs, Export
from site_builder.export.register import Register

PNR = {
    "asa": "201508152386",
    "bo": "201601012390",
    "cilla": "201503032382",
    "dani": "201201052396",
    "anna": "198001012380",  # Åsa's mother, custody
    "arne": "198102022391",  # Åsa's father, custody
    "alf": "197903032385",  # Åsa's other parent, no custody
    "berit": "198504042384",  # Bo's guardian
    "carl": "198205052389",  # Cilla's guardian (Cilla is protected)
    "dora": "197806062382",  # Dani's guardian
}
DANI_EPPN = "dani.dahl@elev.ekskolan.example"
SECRETS_IN_IMAGE = (b"SecretCamera", b"secret-xmp-marker", b"secret jpeg comment")
POST_SENTENCE = "Idag byggde Åsa en bro av glasspinnar som höll för tre kilo."


def _person(pid: str, given: str, family: str, pnr: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": pid,
        "givenName": given,
        "familyName": family,
        "civicNo": {"value": pnr},
        "emails": [{"value": f"{given.lower()}.{family.lower()}@mail.example"}],
        **extra,
    }


def _child(pid: str, given: str, family: str, pnr: str, year: int, **extra: Any) -> dict[str, Any]:
    return _person(
        pid,
        given,
        family,
        pnr,
        enrolments=[{"enroledAt": {"id": "org-ek"}, "schoolYear": year, "schoolType": "GR"}],
        **extra,
    )


def register_data() -> dict[str, Any]:
    def resp(pid: str, relation: str = "Vårdnadshavare") -> dict[str, Any]:
        return {"person": {"id": pid}, "relationType": relation}

    persons = [
        _child("c-asa", "Åsa", "Exempelsson", PNR["asa"], 2,
               responsibles=[resp("g-anna"), resp("g-arne"), resp("g-alf", "Annan ansvarig")]),
        _child("c-bo", "Bosse", "Bergqvist", PNR["bo"], 2, responsibles=[resp("g-berit")]),
        _child("c-cilla", "Cillamaria", "Skyddadsdotter", PNR["cilla"], 3,
               securityMarking="Skyddad folkbokföring", responsibles=[resp("g-carl")]),
        _child("c-dani", "Danielle", "Dahlström", PNR["dani"], 8,
               responsibles=[resp("g-dora")], eduPersonPrincipalNames=[DANI_EPPN]),
        _person("g-anna", "Annelie", "Exempelsson", PNR["anna"]),
        _person("g-arne", "Arnold", "Exempelsson", PNR["arne"]),
        _person("g-alf", "Alfons", "Utankust", PNR["alf"]),
        _person("g-berit", "Beritha", "Bergqvist", PNR["berit"]),
        _person("g-carl", "Carlsson", "Skyddadsfar", PNR["carl"]),
        _person("g-dora", "Dorothea", "Dahlström", PNR["dora"]),
    ]  # fmt: skip
    return {
        "persons": persons,
        "organisations": [
            {"id": "org-ek", "displayName": "Ekbackeskolan", "schoolUnitCode": "12345678"}
        ],
        "groups": [
            {
                "id": "grp-2b",
                "displayName": "Klass 2B Ekbacken",
                "groupType": "Klass",
                "organisation": {"id": "org-ek"},
                "groupMemberships": [{"person": {"id": "c-asa"}}, {"person": {"id": "c-bo"}}],
            }
        ],
    }


def config_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "municipality": "Exempelby kommun",
        "term": "HT2026",
        "epoch": "2026",
        "published": date(2026, 11, 28),
        "retention_until": date(2036, 6, 30),
        "school_units": [
            {"code": "12345678", "name": "Ekbackeskolan", "scale": "niva",
             "iup_template": "iup", "talk_template": "talk"}
        ],
        "scales": [{"id": "niva", "name": "Kunskapsnivå", "levels": [
            {"code": "1", "label": "Arbetar mot målen"}, {"code": "2", "label": "Når målen"},
            {"code": "3", "label": "Når målen med god marginal"}]}],
        "iup_templates": [{"id": "iup", "goals_heading": "Mina mål"}],
        "talk_templates": [{"id": "talk", "student_questions": ["Vad är du stolt över?"],
                            "guardian_questions": ["Hur trivs ditt barn?"]}],
        "service_links": [{"kind": "absence", "label": "Anmäl frånvaro",
                           "url": "https://e.exempelby.example/franvaro"}],
        "faq": [{"question": "Hur loggar jag in?", "answer": "Med **BankID**."}],
        "privacy": {"controller": "Barn- och utbildningsnämnden",
                    "controller_email": "bun@exempelby.example", "purpose": "Läsa dokumentation.",
                    "legal_basis": "Art. 6.1 e GDPR.", "dpo_email": "dso@exempelby.example",
                    "retention_policy": "Dokumenthanteringsplanen.", "log_retention_days": 90,
                    "imy_url": "https://www.imy.se/", "reviewed": date(2026, 11, 1)},
        "accessibility": {"compliance": "partial", "contact_email": "dos@exempelby.example",
                          "evaluation": "self", "assessed": date(2026, 11, 1), "known_issues": [],
                          "digg_url": "https://www.digg.se/tdosanmalan",
                          "reviewed": date(2026, 11, 1)},
    }  # fmt: skip
    data.update(overrides)
    return data


def metadata_image() -> bytes:
    """A JPEG with EXIF (camera, GPS), XMP and a comment: all must be gone after the build."""
    image = Image.new("RGB", (2400, 1200), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = SECRETS_IN_IMAGE[0].decode()
    exif[0x0112] = 1
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (59.0, 19.0, 46.0)
    gps[3], gps[4] = "E", (18.0, 4.0, 7.0)
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        exif=exif,
        xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>" + SECRETS_IN_IMAGE[1] + b"</x:xmpmeta>",
        comment=SECRETS_IN_IMAGE[2],
    )
    return out.getvalue()


@dataclass
class ScratchExport:
    root: Path
    posts: dict[str, str] = field(default_factory=dict)  # relative path -> body
    register: dict[str, Any] = field(default_factory=register_data)
    config: dict[str, Any] = field(default_factory=config_data)
    more_plans: dict[str, str] = field(default_factory=dict)  # group id -> a unit plan's body

    def document(self, front: Any, body: str, source: str) -> Document[Any]:
        digest = hashlib.sha256(repr(front).encode() + body.encode()).hexdigest()
        return Document(front=front, body=body, source=Path(source), body_line=5, sha256=digest)

    def load(self) -> Export:
        children = {pid: self._child_docs(pid) for pid in ("c-asa", "c-bo", "c-cilla", "c-dani")}
        plan = UnitPlan(
            title="Broar och konstruktioner",
            subject="Teknik",
            start=date(2026, 9, 1),
            end=date(2026, 10, 30),
            goals=["Lgr22 Teknik: konstruktioner"],
            matrix_levels=["Nivå 1", "Nivå 2"],
            matrix=[{"criterion": "Bygga stabilt", "levels": ["Med stöd", "Självständigt"]}],
        )
        plans = [self.document(plan, "Vi undersöker broar i närområdet.", "groups/grp-2b/p.md")]
        group_plans = {"grp-2b": plans}
        for group, body in self.more_plans.items():
            group_plans[group] = [self.document(plan, body, f"groups/{group}/p.md")]
        return Export(
            root=self.root,
            config=ExportConfig.model_validate(self.config),
            register=Register.model_validate(self.register),
            children=children,
            group_plans=group_plans,
        )

    def _child_docs(self, pid: str) -> ChildDocs:
        folder = f"children/{pid}"
        posts = []
        for name, body in sorted(self.posts.items()):
            if name.startswith(folder + "/larlogg/"):
                attachments = []
                base = self.root / name
                for suffix in (".jpg", ".pdf"):
                    if base.with_suffix(suffix).exists():
                        ref = AttachmentRef(file=base.with_suffix(suffix).name, alt="Bron")
                        attachments.append(ref)
                post = LearningLogPost(
                    date=date(2026, 9, 3),
                    author="Lärarinna Larsdotter",
                    title=f"Bygget {pid}",
                    subjects=["Teknik"],
                    attachments=attachments,
                )
                posts.append(self.document(post, body, name))
        iup = Iup(
            updated=date(2026, 10, 1),
            author="Lärarinna Larsdotter",
            goals=["Läsa längre texter"],
            agreements={"home": ["Läsa tio minuter varje kväll"]},
        )
        grade = Assessment(subject="Matematik", date=date(2026, 11, 1), author="L", level="2")
        talk = DevelopmentTalk(date=date(2026, 11, 20), time="14:30", place="Sal Uggleboet")
        return ChildDocs(
            person_id=pid,
            posts=posts,
            iup=self.document(iup, "Fokus på läsförståelse hela hösten.", f"{folder}/iup.md"),
            assessments=[
                self.document(grade, f"Säker på tiotal {pid}.", f"{folder}/omdomen/ma.md")
            ],
            talk=self.document(talk, "Vi pratar om hösten.", f"{folder}/utvecklingssamtal.md"),
        )


def make_scratch(root: Path) -> ScratchExport:
    scratch = ScratchExport(root=root)
    for pid in ("c-asa", "c-bo", "c-cilla", "c-dani"):
        (root / f"children/{pid}/larlogg").mkdir(parents=True, exist_ok=True)
        scratch.posts[f"children/{pid}/larlogg/01.md"] = (
            f"{POST_SENTENCE} ({pid})\n\n![Bron](01.jpg)"
        )
        scratch.posts[f"children/{pid}/larlogg/02.md"] = "Vi läste en saga om en drake."
    (root / "children/c-asa/larlogg/01.jpg").write_bytes(metadata_image())
    (root / "children/c-asa/larlogg/02.pdf").write_bytes(
        "%PDF-1.4\n% Åsas arbetsblad\n%%EOF\n".encode()
    )
    return scratch
