"""Watching the export: file events → one settled batch of changed paths.

In: the export (and theme) folders. Out: a callback with the changed paths once the editors'
saves have settled (watcher.py via watchdog, debounce.py; ignore.py drops editor swap files).
Used by both the preview (site_builder/preview/) and the resident publisher
(site_builder/publisher/); nothing here builds or serves.
"""
