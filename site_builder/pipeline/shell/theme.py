"""Themes: a fallback chain of folders, most specific first.

    the export's own theme folder (export.toml `theme`)  →  themes/<--theme NAME>  →  themes/default

Templates come from the first layer that has them (one jinja2 Environment, autoescape on); the app
shell is the default shell with each more specific layer's files laid over it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import jinja2

PROJECT_ROOT = Path(__file__).resolve().parents[3]
THEMES_ROOT = PROJECT_ROOT / "themes"
SERVICE_WORKER = PROJECT_ROOT / "service_worker" / "sw.js"
# Bump when the renderer's output changes without any template change: invalidates the cache.
RENDERER_VERSION = "render-1"


class ThemeError(ValueError):
    """A theme named in export.toml or on the command line does not exist."""


@dataclass(frozen=True, slots=True)
class Theme:
    layers: tuple[Path, ...]  # most specific first; the last is themes/default

    @property
    def template_dirs(self) -> list[Path]:
        return [layer / "templates" for layer in self.layers if (layer / "templates").is_dir()]

    def shell_files(self) -> dict[str, Path]:
        """Site path (POSIX, relative) → source file, the more specific layer winning."""
        files: dict[str, Path] = {}
        for layer in reversed(self.layers):
            shell = layer / "shell"
            if shell.is_dir():
                for path in sorted(shell.rglob("*")):
                    if path.is_file() and not path.name.startswith("."):
                        files[path.relative_to(shell).as_posix()] = path
        return files

    def fingerprint(self) -> str:
        """Hash of every template in the chain: part of the render cache key."""
        digest = hashlib.sha256(RENDERER_VERSION.encode())
        for directory in self.template_dirs:
            for path in sorted(directory.rglob("*")):
                if path.is_file():
                    digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
                    digest.update(hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()


def resolve_theme(
    *, export_root: Path, export_theme: str | None, theme_name: str | None, themes_root: Path
) -> Theme:
    layers: list[Path] = []
    if export_theme:
        folder = (export_root / export_theme).resolve()
        if not folder.is_dir() or not folder.is_relative_to(export_root.resolve()):
            raise ThemeError(
                f"{export_root / 'export.toml'}: theme = {export_theme!r} is not a folder inside "
                "the export; create it or remove the `theme` line"
            )
        layers.append(folder)
    if theme_name:
        folder = themes_root / theme_name
        if not theme_name.replace("-", "").replace("_", "").isalnum() or not folder.is_dir():
            raise ThemeError(
                f"--theme {theme_name}: no folder {folder}; pick one under {themes_root}"
            )
        layers.append(folder)
    layers.append(themes_root / "default")
    return Theme(layers=tuple(layers))


def make_environment(theme: Theme) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(d) for d in theme.template_dirs])
    return jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )
