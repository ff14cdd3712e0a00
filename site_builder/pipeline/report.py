"""The build summary for people (text) and machines (--json). Counts and person ids only."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from site_builder.pipeline.plan.readers import BuildPlan, Exclusion


@dataclass(slots=True)
class BuildSummary:
    seq: int = 0
    published: bool = False  # False when nothing changed and the live snapshot stays
    patched: bool = False  # published by patching the live snapshot in place (publish/patch.py)
    term: str = ""
    children: int = 0
    groups: int = 0
    readers: int = 0
    documents_rendered: int = 0
    blobs_sealed: int = 0
    blobs_reused: int = 0
    bytes_written: int = 0
    keyrings_written: int = 0
    keyrings_changed: list[str] = field(default_factory=list)  # rids whose contents changed
    keyrings_revoked: int = 0  # removed from retained snapshots
    snapshots: list[int] = field(default_factory=list)
    sealed_bundles: list[str] = field(default_factory=list)  # blob ids (opaque)
    excluded: list[Exclusion] = field(default_factory=list)
    seconds: float = 0.0

    @classmethod
    def of_plan(cls, plan: BuildPlan, *, term: str) -> BuildSummary:
        """A build's summary before anything is rendered: what the plan holds."""
        return cls(
            term=term,
            children=len(plan.children),
            groups=len(plan.groups),
            readers=len(plan.readers),
            excluded=list(plan.excluded),
        )

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["excluded"] = [{"person_id": e.person_id, "reason": e.reason} for e in self.excluded]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BuildSummary:
        """The inverse of as_json (for a summary kept from an earlier build)."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["excluded"] = [Exclusion(**e) for e in data.get("excluded", [])]
        return cls(**known)

    def to_json(self) -> str:
        return json.dumps(self.as_json(), ensure_ascii=False, indent=1)

    def to_text(self) -> str:
        state = (
            f"patched snapshot {self.seq} in place"
            if self.patched
            else f"published snapshot {self.seq}"
            if self.published
            else f"nothing changed: snapshot {self.seq} stays live"
        )
        lines = [
            f"{state} ({self.term}); retained snapshots: {', '.join(map(str, self.snapshots))}",
            f"children {self.children}, groups {self.groups}, readers {self.readers}",
            f"documents rendered {self.documents_rendered}; blobs sealed {self.blobs_sealed}, "
            f"reused {self.blobs_reused}; {self.bytes_written / 1e6:.1f} MB written",
            f"keyrings written {self.keyrings_written}, changed {len(self.keyrings_changed)}, "
            f"revoked in earlier snapshots {self.keyrings_revoked}",
        ]
        if self.excluded:
            lines.append(f"left out by the access policy ({len(self.excluded)}):")
            lines += [f"  {e.person_id}: {e.reason}" for e in self.excluded]
        lines.append(f"{self.seconds:.1f} s")
        return "\n".join(lines)
