"""The no-op fast path: a build whose inputs are all as they were at the last build is answered
from a stamp, without loading the export, because the live site already is what it would publish.

Inputs: the survey's digest of the export (every entry's stat), the themes and the service worker
(stat walks), site-builder's own code, the master keys (by fingerprint), the options that shape
the output, and today's date (a retention date can pass). The stamp also records the seq of the
snapshot that build left live and the stat of state.bin after it: a site or state changed by
anything else makes the stamp stale. It holds counts and opaque ids (the summary), no names.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from site_builder.export.fingerprint import models_hash, stat_line, tree_stat
from site_builder.export.parse_cache import RACY_NS
from site_builder.export.problems import Problem
from site_builder.export.survey import Survey
from site_builder.pipeline.build import BuildOptions
from site_builder.pipeline.publish.retained import read_live_seq
from site_builder.pipeline.publish.snapshot import LayoutError, SiteLayout
from site_builder.pipeline.report import BuildSummary
from site_builder.pipeline.state.build_state import STATE_FILE
from site_builder.pipeline.state.keystore import KeySet, fingerprint_of

STAMP_FILE = "last-build.json"
STAMP_VERSION = 1
PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # site_builder/


def _code_digest() -> str:
    """site-builder's own modules by stat (an upgrade or a local edit changes some)."""
    lines = [stat_line(str(p), p.stat()) for p in sorted(PACKAGE_ROOT.rglob("*.py"))]
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def inputs_digest(
    *, survey: Survey, options: BuildOptions, keys: KeySet, skip_broken: bool
) -> str | None:
    """One digest of everything a build reads; None when stat cannot vouch for all of it."""
    if survey.digest is None:
        return None
    parts = [survey.digest, _code_digest(), models_hash()]
    for folder in (options.themes_root, options.service_worker.parent):
        walked = tree_stat(str(folder))
        if walked is None or walked[1] >= survey.started_ns - RACY_NS:
            return None
        parts.append(walked[0])
    # inbox's replies and the school units' keys (outside the export; absent is fine)
    for extra in (options.state_dir / "replies", options.state_dir / "school-keys"):
        walked = tree_stat(str(extra)) if extra.is_dir() else ("absent", 0)
        if walked is None or walked[1] >= survey.started_ns - RACY_NS:
            return None
        parts.append(walked[0])
    parts += [fingerprint_of(k) for k in keys.all]
    parts += [str(options.out.absolute()), options.theme or "", str(skip_broken)]
    parts.append(options.today.isoformat())
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _state_stat(state_dir: Path) -> list[int] | None:
    try:
        st = os.stat(state_dir / STATE_FILE)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _live_seq(out: Path) -> int | None:
    try:
        live = SiteLayout(out.absolute()).live()
    except LayoutError:
        return None
    return read_live_seq(live) if live is not None else None


def stamped_build(
    digest: str, *, options: BuildOptions
) -> tuple[BuildSummary, list[Problem]] | None:
    """The last build's summary (as a no-op) if it was built from exactly these inputs and the
    site and state it left are still there; else None."""
    try:
        stamp = json.loads((options.state_dir / STAMP_FILE).read_text(encoding="utf-8"))
        if stamp.get("v") != STAMP_VERSION or stamp.get("digest") != digest:
            return None
        if stamp["state"] != _state_stat(options.state_dir):
            return None
        if stamp["seq"] != _live_seq(options.out):
            return None
        return _as_no_op(stamp["summary"]), [Problem(**p) for p in stamp["skipped"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no stamp or an unreadable one: build as usual


def _as_no_op(last: dict[str, Any]) -> BuildSummary:
    summary = BuildSummary.from_json(last)
    summary.published = summary.patched = False
    summary.blobs_reused += summary.blobs_sealed
    summary.documents_rendered = summary.blobs_sealed = summary.bytes_written = 0
    summary.keyrings_written = summary.keyrings_revoked = 0
    summary.keyrings_changed, summary.sealed_bundles = [], []
    return summary


def record_stamp(
    digest: str, *, options: BuildOptions, summary: BuildSummary, skipped: list[Problem]
) -> None:
    """Remember what this build was made from (atomically; a failed write only costs speed)."""
    stamp = {
        "v": STAMP_VERSION,
        "digest": digest,
        "seq": summary.seq,
        "state": _state_stat(options.state_dir),
        "summary": summary.as_json(),
        "skipped": [p.to_dict() for p in skipped],
    }
    target = options.state_dir / STAMP_FILE
    tmp = target.with_name(f".{STAMP_FILE}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(stamp, fh, ensure_ascii=False)
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)
