"""`site-builder schema`: JSON Schemas of the export's files, generated from the models."""

from __future__ import annotations

import json
from pathlib import Path

import click
from pydantic import BaseModel

from site_builder.export.config import ExportConfig
from site_builder.export.documents import (
    Assessment,
    DevelopmentTalk,
    Iup,
    LearningLogPost,
    UnitPlan,
)
from site_builder.export.register import Register

SCHEMAS: dict[str, type[BaseModel]] = {
    "export.toml": ExportConfig,
    "register.json": Register,
    "larlogg-post.frontmatter": LearningLogPost,
    "iup.frontmatter": Iup,
    "omdome.frontmatter": Assessment,
    "utvecklingssamtal.frontmatter": DevelopmentTalk,
    "planering.frontmatter": UnitPlan,
}


@click.command("schema")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Write one <name>.schema.json per file type here instead of printing.",
)
def command(out: Path | None) -> None:
    """Print (or write) the JSON Schema of every export file type."""
    schemas = {name: model.model_json_schema() for name, model in SCHEMAS.items()}
    if out is None:
        click.echo(json.dumps(schemas, ensure_ascii=False, indent=1))
        return
    out.mkdir(parents=True, exist_ok=True)
    for name, schema in schemas.items():
        target = out / f"{name}.schema.json"
        target.write_text(json.dumps(schema, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        click.echo(f"wrote {target}")
