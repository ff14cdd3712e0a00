"""Render + seal as one task per bundle, redoing only what changed.

In: the `BuildPlan`, the last `BuildState` and the in-process `BuildMemo` of the last build.
Out: `Sealed` (tasks.py): one `BundleResult` per bundle — taken from the memo, reused from the
live site by its task key (inputs.py), or rendered and sealed afresh in a process pool
(work.py) — plus the problems found on the way. memo.py is what one build leaves in memory for
the next in the same process (`build --watch`, the preview).
"""
