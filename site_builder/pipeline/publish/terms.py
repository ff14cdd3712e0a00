"""The signed term list (docs/fp1.md "Term list"): in each keyring, every child's entry names
every snapshot (term) in which this reader's keyring names that child — the new one and each
earlier one still published — so the keyring's one signed statement also says which terms a
family archive of the child should hold, and `site-builder verify` can name a removed term.

In: the keyrings' contents as made (rid → contents), this snapshot, the carried snapshots and
their records of which readers each child had. Out: the contents with `terms` in every child's
entry, and their hashes. Memo contents stay without terms (memo.py): a carried snapshot that
expires changes the lists without any bundle changing.
"""

from __future__ import annotations

import hashlib
from typing import Any

from site_builder.fp1.blob import canonical_json
from site_builder.pipeline.publish.retained import CarriedSnapshot
from site_builder.pipeline.seal.keyrings import SnapshotInfo, keyring_path

Term = dict[str, Any]  # {"seq", "term", "until"}


def child_readers(contents: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """child id → the rids whose keyring names the child: kept in the snapshot's record."""
    readers: dict[str, list[str]] = {}
    for rid, content in sorted(contents.items()):
        for child in content.get("children", []):
            readers.setdefault(str(child["id"]), []).append(rid)
    return readers


def _present(one: CarriedSnapshot) -> set[str]:
    """The rids that keep a keyring in a carried snapshot (linked, re-sealed or restored)."""
    prefix = keyring_path(one.info.seq, "").removesuffix(".bin")  # "s/<seq>/k/"
    rids = {p[len(prefix) : -len(".bin")] for p in one.links if p.startswith(prefix)}
    return rids | {r.rid for _, r in one.reseals} | {r.rid for _, r in one.restores}


def _entry(seq: int | None, info: SnapshotInfo, *, until: str) -> Term:
    return {"seq": seq, "term": info.term, "until": until}


def with_terms(
    contents: dict[str, dict[str, Any]],
    hashes: dict[str, str],
    *,
    snapshot: SnapshotInfo,
    retention_until: str,
    carried: list[CarriedSnapshot],
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """(contents with every child's `terms`, newest first; their hashes). A carried snapshot
    sealed under an earlier master key names children by other ids: not listed (docs/fp1.md)."""
    earlier = []
    for one in sorted(carried, key=lambda c: -c.info.seq):
        # ids and rids as the snapshot was first sealed: after a master key rotation they no
        # longer match the current ones, so such a term is not listed (rather than wrongly)
        readers = {c: set(r) for c, r in one.record.child_readers.items() if c not in one.drop_all}
        earlier.append(
            (
                _entry(one.info.seq, one.info, until=one.record.retention_until),
                readers,
                _present(one),
            )
        )
    # the seq this snapshot goes live under is known only when sealing (a patch keeps the live
    # one): None here, filled in by seal_keyring, so the hash does not depend on it
    current = _entry(None, snapshot, until=retention_until)
    out: dict[str, dict[str, Any]] = {}
    out_hashes: dict[str, str] = {}
    for rid, content in contents.items():
        children = []
        lists = []
        for child in content.get("children", []):
            cid = str(child["id"])
            terms = [current] + [
                term
                for term, readers, present in earlier
                if rid in present and rid in readers.get(cid, ())
            ]
            children.append({**child, "terms": terms})
            lists.append(terms)
        out[rid] = {**content, "children": children}
        digest = hashlib.sha256(hashes[rid].encode() + canonical_json(lists))
        out_hashes[rid] = digest.hexdigest()
    return out, out_hashes
