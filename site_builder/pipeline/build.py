"""`build()`: the data flow of DESIGN.md, one stage after another, for one loaded export.

    plan → render + seal (only what changed) → release → publish one of three ways

In: a validated `Export`, `BuildOptions` and the keys. Out: a `BuildSummary`, and the live site
and the build state as the summary says. Everything new is sealed into a staging directory
before the live site is touched; ways.py chooses how it goes live (nothing changed, a correction
patched in, or a new snapshot tree swapped in by one atomic rename).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from site_builder.export.model import Export
from site_builder.export.replies import REPLIES_DIR, load_replies
from site_builder.fp1 import pseudonym_key, reader_id
from site_builder.fp1.schoolkeys import SCHOOL_KEYS_DIR, load_public_keys
from site_builder.pipeline.incremental.memo import BuildMemo
from site_builder.pipeline.incremental.tasks import render_and_seal
from site_builder.pipeline.incremental.work import WorkContext
from site_builder.pipeline.plan import ids
from site_builder.pipeline.plan.talk import with_talk_replies
from site_builder.pipeline.publish.lock import BuildLocked, build_lock, lock_path_for
from site_builder.pipeline.publish.release import make_release
from site_builder.pipeline.publish.snapshot import LayoutError, SiteLayout
from site_builder.pipeline.publish.target import Target
from site_builder.pipeline.publish.ways import choose_way
from site_builder.pipeline.report import BuildSummary
from site_builder.pipeline.shell.catalogues import build_catalogues
from site_builder.pipeline.shell.theme import (
    SERVICE_WORKER,
    THEMES_ROOT,
    Theme,
    ThemeError,
    resolve_theme,
)
from site_builder.pipeline.state.build_state import StateError
from site_builder.pipeline.state.keystore import KeySet


class BuildFailed(Exception):
    """The export cannot be published as it is; nothing was written to the site."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


# What a build raises that a person can fix (or wait out); a resident builder reports these and
# keeps watching (the preview and `build --watch`), anything else is a bug.
BUILD_ERRORS = (BuildFailed, BuildLocked, LayoutError, StateError, ThemeError, OSError)


@dataclass(frozen=True, slots=True)
class BuildOptions:
    out: Path
    state_dir: Path
    theme: str | None = None
    jobs: int = 1
    wait: bool = True
    progress: bool = False
    themes_root: Path = THEMES_ROOT
    service_worker: Path = SERVICE_WORKER
    today: date = field(default_factory=date.today)
    patch: bool = True  # a correction within the live snapshot is patched in (publish/patch.py)


def build(
    export: Export,
    *,
    options: BuildOptions,
    keys: KeySet,
    say: Callable[[str], None] = print,
    memo: BuildMemo | None = None,
) -> BuildSummary:
    """`memo`: what the last build in this process left (incremental/memo.py); none: one-shot."""
    started = time.monotonic()
    memo = memo if memo is not None else BuildMemo()
    theme = resolve_theme(
        export_root=export.root,
        export_theme=export.config.theme,
        theme_name=options.theme,
        themes_root=options.themes_root,
    )
    build_catalogues(theme)  # a wrong translation is refused before any work (catalogues.py)
    pkey = pseudonym_key(keys.master)
    # plan: who may read what (the last build's plan while the register and folders stand)
    plan = memo.plan_for(export, pkey=pkey, rid_of=lambda s: reader_id(keys.master, s, pkey=pkey))
    # the talk's replies (outside the export, written by `inbox`) and the units' public keys
    replies, problems = load_replies(options.state_dir / REPLIES_DIR)
    if problems:
        raise BuildFailed([str(p) for p in problems])
    school_keys = load_public_keys(options.state_dir / SCHOOL_KEYS_DIR)
    plan = with_talk_replies(plan, replies=replies, school_keys=school_keys)
    summary = BuildSummary.of_plan(plan, term=export.config.term)
    layout = SiteLayout(options.out.absolute())
    with build_lock(lock_path_for(layout.out), wait=options.wait, on_wait=say):
        target = Target.open(
            layout,
            state_dir=options.state_dir,
            keys=keys,
            memo=memo,
            theme=theme,
            service_worker=options.service_worker,
            config=export.config,
        )
        try:
            # render + seal: one task per bundle, redoing only what changed
            ctx = _work_context(export, options, keys=keys, theme=theme, pkey=pkey, target=target)
            sealed = render_and_seal(
                plan,
                state=target.state,
                ctx=ctx,
                memo=memo,
                jobs=options.jobs,
                progress=options.progress,
            )
            if sealed.problems:
                raise BuildFailed(sealed.problems)
            # release: every reader's keyring, this snapshot, the earlier ones carried
            release = make_release(
                plan, sealed, ctx=ctx, target=target, today=options.today, summary=summary
            )
            # publish: nothing changed, a correction patched in, or a new tree swapped in
            go_live = choose_way(release, target, patch=options.patch)
            summary.seq = go_live(release, target, summary)
            memo.remember(
                tasks=sealed.memo,
                readers=plan.readers,
                contents=release.memo_contents,
                hashes=release.memo_hashes,
            )
        except BaseException:
            memo.forget()  # what is live now is not known for certain
            shutil.rmtree(target.staging, ignore_errors=True)
            raise
    summary.snapshots = [summary.seq, *(s.info.seq for s in release.carried.snapshots)]
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def _work_context(
    export: Export,
    options: BuildOptions,
    *,
    theme: Theme,
    pkey: bytes,
    keys: KeySet,
    target: Target,
) -> WorkContext:
    """What every render + seal task of this build shares (sent once to each worker)."""
    return WorkContext(
        export_root=export.root,
        site=target.staging,
        live=target.live,
        theme=theme,
        theme_hash=theme.fingerprint(),
        pkey=pkey,
        master_fp=ids.master_fingerprint(pkey),
        state_key=keys.state_key,
        cache_dir=options.state_dir / "render",
        image_cache_dir=options.state_dir / "images",
        config=export.config,
    )
