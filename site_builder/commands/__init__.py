"""The `site-builder` commands, one module each (registered in site_builder/cli.py)."""
