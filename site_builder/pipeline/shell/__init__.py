"""The app shell's sources: themes and the app's JavaScript.

In: a theme name and the themes folder (plus an export's own `theme/`). Out: a resolved `Theme`
(theme.py: a fallback chain of folders, its fingerprint and jinja2 environment) and, from the
app's ES modules, one bundled script (bundle_js.py). Imports nothing else of the pipeline.
"""
