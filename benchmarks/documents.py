"""The Markdown files of one child and one group, written straight to disk (no subprocesses)."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

from benchmarks.municipality import Group, Municipality
from benchmarks.people import FAMILY_NAMES, GIVEN_NAMES, Child
from benchmarks.prose import SUBJECTS, ProsePool, paragraphs, post_body

TERM_START = date(2026, 8, 20)
TERM_DAYS = 118
POSTS_PER_TERM = (18, 22)
IMAGE_SHARE = 0.1
ASSESSED_SUBJECTS = 12
GOALS = (
    "Lgr22 Svenska: läsa och analysera texter",
    "Lgr22 Matematik: använda och analysera matematiska begrepp",
    "Lgr22 Naturorienterande ämnen: genomföra systematiska undersökningar",
    "Lpfö18: utveckla nyfikenhet och lust att leka och lära",
    "Lgr22 Engelska: förstå och tolka innehållet i talad engelska",
)
_SCALE_CODES = {"kunskapsniva": ("1", "2", "3"), "betyg": ("F", "E", "D", "C", "B", "A")}


def _value(value: object) -> str:
    # JSON strings and lists are valid YAML flow scalars; dates stay bare so YAML reads dates.
    return value.isoformat() if isinstance(value, date) else json.dumps(value, ensure_ascii=False)


def markdown_file(front: dict[str, object], body: str) -> bytes:
    lines = "".join(f"{key}: {_value(value)}\n" for key, value in front.items())
    return f"---\n{lines}---\n\n{body}".encode()


def slug(text: str) -> str:
    table = str.maketrans("åäöéÅÄÖÉ ", "aaoeaaoe-")
    return "".join(c for c in text.lower().translate(table) if c.isalnum() or c == "-")


def _teacher(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}"


def write_post(
    folder: Path,
    *,
    rng: random.Random,
    pool: ProsePool,
    child: Child,
    day: date,
    number: int,
    author: str,
    images: tuple[bytes, ...],
) -> list[Path]:
    """One learning-log post (and its image, for about one post in ten); returns the files."""
    name = f"{day.isoformat()}-{number:02d}"
    front: dict[str, object] = {
        "date": day,
        "author": author,
        "title": rng.choice(pool.titles),
        "subjects": rng.sample(SUBJECTS[:8], k=rng.randint(1, 2)),
        "goals": [rng.choice(GOALS)],
    }
    written = []
    if rng.random() < IMAGE_SHARE:
        image = folder / f"{name}-bild.jpg"
        image.write_bytes(rng.choice(images))
        written.append(image)
        front["attachments"] = [{"file": image.name, "alt": "En teckning från dagens arbete"}]
    post = folder / f"{name}.md"
    post.write_bytes(markdown_file(front, post_body(rng, pool, given_name=child.given_name)))
    written.append(post)
    return written


def write_child(
    root: Path,
    *,
    municipality: Municipality,
    child: Child,
    pool: ProsePool,
    seed: int,
    images: tuple[bytes, ...],
) -> None:
    rng = random.Random(f"{seed}/child/{child.index}")
    group = municipality.groups[child.placement.group]
    folder = root / "children" / child.id
    (folder / "larlogg").mkdir(parents=True)
    count = rng.randint(*POSTS_PER_TERM)
    days = sorted(TERM_START + timedelta(days=rng.randrange(TERM_DAYS)) for _ in range(count))
    for number, day in enumerate(days, start=1):
        write_post(
            folder / "larlogg", rng=rng, pool=pool, child=child, day=day, number=number,
            author=group.teacher, images=images,
        )  # fmt: skip
    talk = {
        "date": date(2026, 11, 16) + timedelta(days=rng.randrange(10)),
        "time": f"{rng.randint(8, 16):02d}:{rng.choice((0, 15, 30, 45)):02d}",
        "place": f"Klassrummet för {group.name}",
        "duration_minutes": 30,
        "previous_agreements": ["Läsa tjugo minuter varje kväll", "Packa gympapåsen på söndagar"],
    }
    body = paragraphs(rng, pool, given_name=child.given_name, count=2)
    (folder / "utvecklingssamtal.md").write_bytes(markdown_file(talk, body))
    if child.placement.school_year is not None:
        _write_school_documents(folder, rng=rng, pool=pool, child=child, author=group.teacher)


def _write_school_documents(
    folder: Path, *, rng: random.Random, pool: ProsePool, child: Child, author: str
) -> None:
    iup = {
        "updated": date(2026, 10, 1) + timedelta(days=rng.randrange(20)),
        "author": author,
        "goals": rng.sample(GOALS[:3] + GOALS[4:], k=2),
        "agreements": {
            "school": ["Ge extra stöd i läsförståelse"],
            "student": ["Räcka upp handen när något är oklart"],
            "home": ["Läsa tillsammans varje vecka"],
        },
    }
    body = paragraphs(rng, pool, given_name=child.given_name, count=3)
    (folder / "iup.md").write_bytes(markdown_file(iup, body))
    (folder / "omdomen").mkdir()
    year = child.placement.school_year or 0
    scale = "betyg" if year >= 6 else "kunskapsniva"
    for subject in rng.sample(SUBJECTS, k=ASSESSED_SUBJECTS):
        front: dict[str, object] = {
            "subject": subject,
            "date": date(2026, 12, 1) + timedelta(days=rng.randrange(10)),
            "author": _teacher(rng),
            "level": rng.choice(_SCALE_CODES[scale]),
        }
        if scale == "betyg":
            front["scale"] = "betyg"
        text = paragraphs(rng, pool, given_name=child.given_name, count=1)
        (folder / "omdomen" / f"{slug(subject)}.md").write_bytes(markdown_file(front, text))


def write_group_plans(root: Path, *, group: Group, index: int, pool: ProsePool, seed: int) -> None:
    rng = random.Random(f"{seed}/group/{index}")
    folder = root / "groups" / group.id / "planeringar"
    folder.mkdir(parents=True)
    for number, subject in enumerate(rng.sample(SUBJECTS[:8], k=4), start=1):
        start = date(2026, 8, 24) + timedelta(weeks=rng.randrange(10))
        levels = ["På väg", "Godtagbart", "Mer än godtagbart"]
        front: dict[str, object] = {
            "title": f"{subject}: {rng.choice(pool.titles)}",
            "subject": subject,
            "start": start,
            "end": start + timedelta(weeks=rng.randint(3, 6)),
            "goals": [rng.choice(GOALS)],
            "matrix_levels": levels,
            "matrix": [
                {"criterion": c, "levels": [f"{c}: {lvl.lower()}" for lvl in levels]}
                for c in ("Resonemang", "Begrepp", "Metod")
            ],
        }
        body = paragraphs(rng, pool, given_name="klassen", count=3)
        (folder / f"{number:02d}-{slug(subject)}.md").write_bytes(markdown_file(front, body))
