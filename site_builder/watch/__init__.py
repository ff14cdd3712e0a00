"""`site-builder watch`: a live preview of the export on loopback (docs/preview.md).

The watcher (watchdog) debounces editor saves, rebuilds into the preview's own output folder
and tells open pages to reload over server-sent events. Nothing here ends up in a published site.
"""
