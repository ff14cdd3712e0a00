"""`site-builder watch`: a live preview of the export on loopback (docs/preview.md).

In: an export folder. Out: a preview server (app.py: the same app as `serve`, plus reload
support) over the preview's own output folder (outdir.py), rebuilt through a resident builder on
every settled save (rebuild.py, run.py), telling open pages to reload over server-sent events
(events.py). Nothing here ends up in a published site.
"""
