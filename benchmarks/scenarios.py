"""Changes to a generated export for the incremental scenarios, each one reversible.

The benchmark caches the pristine export; every scenario records what it touched so the export
can be put back byte for byte afterwards instead of being generated again.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from benchmarks.documents import write_post
from benchmarks.images import make_images
from benchmarks.people import Child, Placement
from benchmarks.prose import make_pool
from benchmarks.register import TERM

NEW_TERM = "VT2027"
NEW_TERM_START = date(2027, 1, 11)


@dataclass(slots=True)
class Changes:
    """Original bytes of every changed file (None for files that did not exist)."""

    originals: dict[Path, bytes | None] = field(default_factory=dict)

    @property
    def created(self) -> int:
        return sum(1 for original in self.originals.values() if original is None)

    def remember(self, path: Path) -> None:
        if path not in self.originals:
            self.originals[path] = path.read_bytes() if path.exists() else None

    def revert(self) -> None:
        for path, original in self.originals.items():
            if original is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(original)
        self.originals.clear()


def edit_one_post(root: Path) -> Changes:
    """A teacher corrects one sentence in one post of the first child."""
    first_child = min((root / "children").iterdir())
    post = min((first_child / "larlogg").glob("*.md"))
    changes = Changes()
    changes.remember(post)
    post.write_bytes(post.read_bytes() + "\nRättelse: utflykten är på torsdag.\n".encode())
    return changes


def add_new_term(root: Path, *, seed: int, fraction: float = 0.1) -> Changes:
    """The next term starts: relabel the term and add ~`fraction` new posts for every child."""
    changes = Changes()
    config = root / "export.toml"
    changes.remember(config)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace(f'term = "{TERM}"', f'term = "{NEW_TERM}"'), encoding="utf-8")
    register = json.loads((root / "register.json").read_text(encoding="utf-8"))
    given_names = {person["id"]: person["givenName"] for person in register["persons"]}
    pool, images = make_pool(seed + 1), make_images(seed + 1)
    for index, folder in enumerate(sorted((root / "children").iterdir())):
        rng = random.Random(f"{seed}/new-term/{index}")
        existing = sum(1 for _ in (folder / "larlogg").glob("*.md"))
        child = Child(
            index=index, id=folder.name, given_name=given_names.get(folder.name, "Eleven"),
            family_name="-", pnr="-", placement=Placement(0, 0, None), guardian_ids=(),
            protected=False,
        )  # fmt: skip
        for number in range(max(1, round(existing * fraction))):
            day = NEW_TERM_START + timedelta(days=rng.randrange(30))
            planned = folder / "larlogg" / f"{day.isoformat()}-{90 + number:02d}"
            for path in (planned.with_suffix(".md"), Path(f"{planned}-bild.jpg")):
                changes.remember(path)
            write_post(
                folder / "larlogg", rng=rng, pool=pool, child=child, day=day,
                number=90 + number, author="Vikarie Vikariesson", images=images,
            )  # fmt: skip
    return changes
