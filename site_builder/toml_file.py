"""One TOML settings file read into a pydantic model (keyservice.toml, notify.toml).

In: a path and the model. Out: the validated model, or `TomlFileError` whose message names the
file and every field that is wrong, never a traceback.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)


class TomlFileError(ValueError):
    """The file cannot be read, is not TOML, or does not fit the model."""


def read_toml_model(path: Path, model: type[Model]) -> Model:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TomlFileError(f"{path}: {exc}") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise TomlFileError(f"{path}: {problems}") from None
