"""The school's export: export.toml, register.json (SS 12000 shaped) and documentation files.

See docs/export-format.md. In: the export folder. Out: a `Survey` (survey.py: one stat walk
and digest, which lets a rebuild with nothing changed stop there) and a validated `Export`
(model.py) from `load_export` (loader.py → children.py → folders.py → parse_doc.py), or every
problem as `file:field: message — fix` (problems.py). Nothing here imports the pipeline.
"""
