"""A child marked protected (Skyddad folkbokföring, sekretessmarkering) after a term was
published is withdrawn from that term's retained keyrings at the next build.

In: the plan's protected children (person ids), a retained keyring's payload and the live site
(to read the bundles it names). Out: the payload without those children and without every blob
only they name (their bundle, their files, a group plan no remaining child shares), or None
when none of them is in it. The blob files stay (other snapshots may share them); without a
key in any keyring they open for no one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from site_builder.fp1 import b64u_decode, open_json, pseudonym_key
from site_builder.fp1.keys import MasterKey
from site_builder.pipeline.plan import ids
from site_builder.pipeline.plan.readers import BuildPlan

PROTECTED_REASON = "protected identity"


def protected_children(plan: BuildPlan) -> frozenset[str]:
    """Person ids the policy leaves out for a protected identity."""
    return frozenset(e.person_id for e in plan.excluded if e.reason.startswith(PROTECTED_REASON))


def keyring_child_ids(person_ids: frozenset[str], *, master: MasterKey) -> frozenset[str]:
    """The children's ids as keyrings sealed under `master` name them."""
    pkey = pseudonym_key(master)
    return frozenset(ids.child_id(pkey, p) for p in person_ids)


def _named(value: Any, known: set[str], found: set[str]) -> None:
    """Collect every blob id of the keyring that `value` names, at any depth — also inside a
    string (a post's rendered HTML names its files within its markup)."""
    if isinstance(value, str):
        found.update(k for k in known if k in value)
    elif isinstance(value, dict):
        for item in value.values():
            _named(item, known, found)
    elif isinstance(value, list):
        for item in value:
            _named(item, known, found)


def _blobs_of(child: dict[str, Any], entries: dict[str, dict[str, Any]], live: Path) -> set[str]:
    """The blob ids a child's part of a keyring needs: bundle, plans and the files they name."""
    own = [child["bundle"], *child.get("plans", [])]
    found = {b for b in own if b in entries}
    known = set(entries)
    for blob_id in own:
        entry = entries.get(blob_id)
        if entry is None:
            continue
        data = (live / entry["path"]).read_bytes()
        opened = open_json(data, key=b64u_decode(entry["key"]), kind=entry["kind"], blob_id=blob_id)
        _named(opened, known, found)
    return found


def withdraw(payload: dict[str, Any], *, drop: frozenset[str], live: Path) -> dict[str, Any] | None:
    """`payload` (a keyring) without the children `drop` names; None when it has none of them."""
    children = payload.get("children", [])
    dropped = [c for c in children if c.get("id") in drop]
    if not dropped:
        return None
    kept = [c for c in children if c.get("id") not in drop]
    entries = {e["id"]: e for e in payload.get("blobs", [])}
    needed: set[str] = set()
    for child in kept:
        needed |= _blobs_of(child, entries, live)
    gone: set[str] = set()
    for child in dropped:
        gone |= _blobs_of(child, entries, live)
    gone -= needed
    blobs = [e for e in payload.get("blobs", []) if e["id"] not in gone]
    return {**payload, "children": kept, "blobs": blobs}
