"""The export's top-level files (export.toml, register.json) and its top-level folder links."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace

from pydantic import ValidationError

from site_builder.export.config import ExportConfig
from site_builder.export.files import ExportFiles, key_lines
from site_builder.export.legal import what_is_missing
from site_builder.export.problems import Problem, problems_from_validation
from site_builder.export.register import Register


def link_out(files: ExportFiles, name: str) -> Problem | None:
    """A top-level folder that is a symlink pointing outside the export."""
    folder = files.root / name
    if not folder.is_symlink() or files.inside(folder):
        return None
    return Problem(
        name,
        "",
        "the folder is a link that points outside the export",
        "replace the link with the folder itself",
    )


def _legal_detail(problem: Problem) -> Problem:
    """A missing privacy/accessibility field says what the page needs it for."""
    need = what_is_missing(problem.location) if problem.message == "Field required" else None
    if need is None:
        return problem
    return replace(problem, message=f"Field required: {need}")


def load_config(files: ExportFiles) -> ExportConfig | list[Problem]:
    text = files.read_text(files.root / "export.toml")
    if isinstance(text, Problem):
        return [text]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [
            Problem(
                "export.toml",
                str(exc).rsplit("(", 1)[-1].rstrip(")"),
                f"invalid TOML: {str(exc).split(' (at')[0]}",
                "check quotes, brackets and '=' on that line",
            )
        ]
    try:
        return ExportConfig.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_validation(exc, file="export.toml", lines=key_lines(text))
        return [_legal_detail(p) for p in problems]


def load_register(files: ExportFiles) -> Register | list[Problem]:
    text = files.read_text(files.root / "register.json")
    if isinstance(text, Problem):
        return [text]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [
            Problem(
                "register.json",
                f"line {exc.lineno}, column {exc.colno}",
                f"invalid JSON: {exc.msg}",
                "check commas, quotes and brackets there",
            )
        ]
    try:
        return Register.model_validate(data)
    except ValidationError as exc:
        return problems_from_validation(exc, file="register.json")
