"""`site-builder build --watch`: the resident publisher (docs/build.md).

In: an export folder and the published site's output folder. Out: every settled change of the
export published to the live site through a resident builder (run.py), until stopped.
"""
