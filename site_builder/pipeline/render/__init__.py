"""Stage render: documents → the plaintext JSON of one bundle.

In: a child's (or a group's) documents from the plan, the theme, and the attachments' files.
Out: the bundle's JSON (bundles.py) with HTML fragments made by fragments.py (Markdown via
converters.py → HTML → nh3 allow-list in sanitize.py → the theme's jinja2 templates), and
attachments re-encoded without metadata (attachments.py, cached by image_cache.py). Nothing is
encrypted here; nothing is written to the site.
"""
