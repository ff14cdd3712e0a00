"""The school's export: export.toml, register.json (SS 12000 shaped) and documentation files.

See docs/export-format.md. `load_export` (loader.py) reads and validates the whole export.
"""
