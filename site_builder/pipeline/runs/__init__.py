"""How a build is started, above `build()`.

In: an export folder, build options and keys. Out: a `BuildSummary` and a live site.
from_export.py runs once (`site-builder build`): survey the export, answer from the no-op stamp
when nothing changed (up_to_date.py), else load, validate and build. resident.py keeps the
export, plan and memo in memory between builds (`build --watch` and the preview), reading again
only the children's folders that changed.
"""
