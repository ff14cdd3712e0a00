"""From an export folder to a published site: survey → (up to date? done) → load → build → stamp.

The command line and `watch` both build through here, so a rebuild that finds every input as it
was costs one stat walk of the export (up_to_date.py) instead of a load and a build.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from site_builder.export.loader import load_export
from site_builder.export.problems import Problem
from site_builder.export.survey import survey_export
from site_builder.pipeline.build import BuildOptions, build
from site_builder.pipeline.report import BuildSummary
from site_builder.pipeline.runs.up_to_date import inputs_digest, record_stamp, stamped_build
from site_builder.pipeline.state.keystore import KeySet


def build_export(
    export_root: Path,
    *,
    options: BuildOptions,
    keys: KeySet,
    skip_broken: bool = False,
    say: Callable[[str], None] = print,
) -> tuple[BuildSummary, list[Problem]]:
    """Build the site; the summary and the problems of children left out by `skip_broken`.
    Raises ExportInvalid, BuildFailed and the build's other errors, having published nothing."""
    started = time.monotonic()
    survey = survey_export(export_root, jobs=options.jobs)
    digest = inputs_digest(survey=survey, options=options, keys=keys, skip_broken=skip_broken)
    if digest is not None and (done := stamped_build(digest, options=options)) is not None:
        done[0].seconds = round(time.monotonic() - started, 3)
        return done
    loaded = load_export(
        export_root,
        skip_broken_children=skip_broken,
        jobs=options.jobs,
        cache_dir=options.state_dir,
        survey=survey,
    )
    summary = build(loaded.export, options=options, keys=keys, say=say)
    if digest is not None:
        record_stamp(digest, options=options, summary=summary, skipped=loaded.skipped)
    return summary, loaded.skipped
