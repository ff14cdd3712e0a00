"""Where a build goes live: the output's layout, what is live there now, and a staging dir.

In: the output's `SiteLayout`, the state dir, the keys and the build memo (taken under the build
lock). Out: a `Target`: the live snapshot's directory, the build state as the last build left
it, the next snapshot number and a fresh staging directory for it — the leftovers of crashed
builds removed, the snapshot before the live one kept for slow readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from site_builder.export.config import ExportConfig
from site_builder.pipeline.incremental.memo import BuildMemo
from site_builder.pipeline.publish.retained import read_live_seq
from site_builder.pipeline.publish.snapshot import SiteLayout
from site_builder.pipeline.shell.theme import Theme
from site_builder.pipeline.state.build_state import BuildState
from site_builder.pipeline.state.keystore import KeySet


@dataclass(frozen=True, slots=True)
class Target:
    layout: SiteLayout
    live: Path | None  # the live snapshot's directory, if any
    staging: Path  # this build's newly sealed blobs; the new tree, if one is made
    seq: int  # the new snapshot's number, were one made
    state: BuildState  # as the last build left it
    state_dir: Path
    keys: KeySet
    memo: BuildMemo
    theme: Theme
    service_worker: Path
    config: ExportConfig

    @classmethod
    def open(
        cls,
        layout: SiteLayout,
        *,
        state_dir: Path,
        keys: KeySet,
        memo: BuildMemo,
        theme: Theme,
        service_worker: Path,
        config: ExportConfig,
    ) -> Target:
        """Call with the build lock held; the caller removes `staging` if the build fails."""
        live = layout.live()
        state = memo.load_state(state_dir, keys=keys.all)
        layout.remove_leftovers(keep={p for p in (live, layout.previous(live)) if p})
        seq = max(state.seq, read_live_seq(live)) + 1
        return cls(
            layout=layout,
            live=live,
            staging=layout.staging(seq),
            seq=seq,
            state=state,
            state_dir=state_dir,
            keys=keys,
            memo=memo,
            theme=theme,
            service_worker=service_worker,
            config=config,
        )
