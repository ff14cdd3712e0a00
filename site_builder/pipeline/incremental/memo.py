"""What one build leaves in memory for the next build in the same process.

A resident builder (`build --watch`, `watch`) builds again and again from an export that changed
in one child's folder. Most of a build at 10,000 children is work whose inputs did not change:
reading the state file, planning the readers (an HMAC per reader), a task key per bundle, each
reader's keyring contents. The memo keeps those results, each tied to the inputs it was made
from by identity: the state object this process last read or wrote (dropped when the state file
on disk is not that one any more, e.g. after a build by another process), the plan's register,
config and group plans, a task's own plan entry. A one-shot build starts with an empty memo and
takes exactly the same path.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from site_builder.export.model import Export
from site_builder.fp1 import MasterKey
from site_builder.pipeline.incremental.work import BundleResult
from site_builder.pipeline.plan.readers import BuildPlan, ChildPlan, GroupPlan, Reader, plan_readers
from site_builder.pipeline.state.build_state import STATE_FILE, BuildState, load_state, save_state

StatStamp = tuple[int, int, int, int]


def _stat_stamp(path: Path) -> StatStamp | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


@dataclass(frozen=True, slots=True)
class TaskMemo:
    """A task's result as the last build left it live, for the same plan entry and build salt:
    `result` names the task's blobs as reused (nothing rendered or sealed), as the build state
    that build saved does."""

    entry: ChildPlan | GroupPlan
    salt: str
    result: BundleResult

    @classmethod
    def of(cls, entry: ChildPlan | GroupPlan, *, salt: str, result: BundleResult) -> TaskMemo:
        blob_ids = [result.bundle_id, *result.files]
        reused = BundleResult(
            bundle_id=result.bundle_id,
            key=result.key,
            docs_key=result.docs_key,
            records={b: result.records[b] for b in blob_ids},
            files=result.files,
            reused=list(dict.fromkeys(blob_ids)),
        )
        return cls(entry, salt, reused)


@dataclass(slots=True)
class BuildMemo:
    state: BuildState | None = None
    state_stamp: StatStamp | None = None
    plan_inputs: tuple[object, ...] = ()
    plan: BuildPlan | None = None
    tasks: dict[str, TaskMemo] = field(default_factory=dict)  # "c:<person id>"/"g:<group id>"
    readers: dict[str, Reader] | None = None  # the plan's readers `contents` was made for
    contents: dict[str, dict[str, Any]] = field(default_factory=dict)  # rid → keyring contents
    hashes: dict[str, str] = field(default_factory=dict)  # rid → content hash

    def load_state(self, state_dir: Path, *, keys: list[MasterKey]) -> BuildState:
        """The build state; the one in memory while the file is still the one it was."""
        stamp = _stat_stamp(state_dir / STATE_FILE)
        if self.state is not None and stamp is not None and stamp == self.state_stamp:
            return self.state
        self._forget_builds()
        self.state, self.state_stamp = load_state(state_dir, keys=keys), stamp
        return self.state

    def save_state(self, state_dir: Path, state: BuildState, *, master: MasterKey) -> None:
        save_state(state_dir, state, master=master)
        self.state, self.state_stamp = state, _stat_stamp(state_dir / STATE_FILE)

    def current(self, state: BuildState) -> bool:
        """Whether the task and keyring memos describe the build that left `state`."""
        return state is self.state and self.state_stamp is not None

    def plan_for(self, export: Export, *, pkey: bytes, rid_of: Callable[[str], str]) -> BuildPlan:
        """The readers' plan; when only children's documents changed, the last plan with those
        children's entries renewed (every other entry stays the same object)."""
        inputs = (export.register, export.config, export.group_plans, pkey, *export.children)
        last = self.plan
        if (
            last is None
            or len(inputs) != len(self.plan_inputs)
            or not all(
                a is b or (isinstance(a, str | bytes) and a == b)
                for a, b in zip(inputs, self.plan_inputs, strict=True)
            )
        ):
            self.plan, self.plan_inputs = plan_readers(export, rid_of=rid_of), inputs
            return self.plan
        docs = export.children
        children = tuple(
            c if c.docs is docs[c.person.id] else replace(c, docs=docs[c.person.id])
            for c in last.children
        )
        self.plan = replace(last, children=children)
        return self.plan

    def keyrings_for(self, state: BuildState, plan: BuildPlan) -> bool:
        """Whether the keyring memo holds every reader of `plan` as the build left `state`."""
        return self.current(state) and plan.readers is self.readers

    def remember(
        self,
        *,
        tasks: dict[str, TaskMemo],
        readers: dict[str, Reader],
        contents: dict[str, dict[str, Any]],
        hashes: dict[str, str],
    ) -> None:
        """What the build that leaves the current state made (call after `save_state`)."""
        self.tasks, self.readers, self.contents, self.hashes = tasks, readers, contents, hashes

    def forget(self) -> None:
        """After a failed build: what is live and what the state file says are not known."""
        self.state = self.state_stamp = None
        self._forget_builds()

    def _forget_builds(self) -> None:
        self.tasks, self.readers, self.contents, self.hashes = {}, None, {}, {}
