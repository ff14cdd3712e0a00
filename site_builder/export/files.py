"""Reading export files safely: inside the export, within the size limit, as UTF-8."""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from site_builder.export.flat_yaml import parse_flat
from site_builder.export.problems import Problem

_YAML_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _YamlLoader(_YAML_BASE):  # type: ignore[misc]
    """SafeLoader without YAML 1.1 base-60 integers, so `time: 14:30` stays the string "14:30",
    and without implicit timestamps: `date: 2026-02-30` reaches pydantic as text, which then
    names the field, instead of failing inside YAML with no field to point at. Only `true` and
    `false` are booleans: YAML 1.1 also reads yes/no/on/off, and `subject: NO` (natural
    sciences) must stay "NO"."""


_INT = "tag:yaml.org,2002:int"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"
_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_INT, _TIMESTAMP, _BOOL)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_YamlLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_YamlLoader.add_implicit_resolver(
    _INT,
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)


@dataclass(frozen=True, slots=True)
class ExportFiles:
    """Reads files of one export; every failure becomes a Problem, never an exception."""

    root: Path  # resolved
    max_bytes: int

    def rel(self, path: Path | str) -> str:
        text, root = str(path), str(self.root)
        return text[len(root) + 1 :] if text.startswith(root + os.sep) else text

    def inside(self, path: Path, *, within: Path | None = None) -> bool:
        """True when `path`, symlinks resolved, stays inside `within` (default: the export)."""
        try:
            path.resolve().relative_to((within or self.root).resolve())
        except (ValueError, OSError):
            return False
        return True

    def size_problem(self, path: Path | str, size: int | None = None) -> Problem | None:
        size = os.stat(path).st_size if size is None else size
        if size <= self.max_bytes:
            return None
        return Problem(
            self.rel(path),
            "",
            f"the file is {size / 1e6:.1f} MB; the limit is {self.max_bytes / 1e6:.0f} MB",
            "make the file smaller, or raise max_file_mb in export.toml",
        )

    def read_bytes(self, path: Path | str) -> bytes | Problem:
        """Read a file; a link is followed only when it stays inside the export."""
        rel = self.rel(path)
        try:
            try:  # the common case costs one open: no link, no resolve()
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            except OSError as exc:
                if exc.errno != errno.ELOOP:
                    raise
                if not self.inside(Path(path)):
                    return Problem(
                        rel,
                        "",
                        "the file is a link that points outside the export",
                        "replace the link with the file itself",
                    )
                fd = os.open(path, os.O_RDONLY)
            try:  # os.read on the descriptor: no file object per document
                st = os.fstat(fd)
                if stat.S_ISDIR(st.st_mode):
                    raise IsADirectoryError(errno.EISDIR, "is a directory")
                too_big = self.size_problem(path, st.st_size)
                return too_big if too_big is not None else _read_all(fd, st.st_size)
            finally:
                os.close(fd)
        except IsADirectoryError:
            return Problem(rel, "", "expected a file but found a folder", "replace it with a file")
        except OSError as exc:
            return Problem(
                rel,
                "",
                f"cannot read the file: {exc.strerror}",
                "check that it exists and is readable",
            )

    def read_text(self, path: Path) -> str | Problem:
        data = self.read_bytes(path)
        return data if isinstance(data, Problem) else self.decode(path, data)

    def decode(self, path: Path | str, data: bytes) -> str | Problem:
        try:
            return data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            return Problem(
                self.rel(path),
                f"line {line}",
                "the text is not UTF-8",
                "save the file as UTF-8 (in most editors: Save as → Encoding UTF-8)",
            )


def _read_all(fd: int, size: int) -> bytes:
    """Everything until end of file (the file may have grown since fstat)."""
    chunks = []
    while chunk := os.read(fd, max(size + 1, 65536)):
        chunks.append(chunk)
    return b"".join(chunks)


def split_front_matter(text: str, *, rel: str) -> tuple[dict[str, Any], str, int] | Problem:
    """Split `---\\nYAML\\n---\\nbody`; returns (front matter, body, body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return Problem(
            rel,
            "line 1",
            "the file does not start with YAML front matter",
            "start the file with a line '---', the fields, and another '---'",
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        return Problem(
            rel,
            "line 1",
            "the front matter is never closed",
            "add a line '---' after the last front-matter field",
        )
    data = parse_flat(lines[1:end])  # the common one-line-per-field shape, without PyYAML
    try:
        if data is None:
            data = yaml.load("\n".join(lines[1:end]), Loader=_YamlLoader)  # noqa: S506 (safe)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f"line {mark.line + 2}" if mark is not None else "front matter"
        return Problem(
            rel,
            line,
            f"invalid YAML: {exc.problem}",
            "check indentation, colons and quotes on that line",
        )
    except (yaml.YAMLError, ValueError) as exc:
        return Problem(
            rel, "front matter", f"invalid YAML: {exc}", "check the values; dates are YYYY-MM-DD"
        )
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return Problem(
            rel,
            "line 2",
            "the front matter must be fields (key: value)",
            "write one 'field: value' per line",
        )
    return data, "\n".join(lines[end + 1 :]), end + 2


def key_lines(text: str, *, offset: int = 0) -> dict[str, int]:
    """Line of each top-level key in TOML/YAML text, for pointing error messages at a line."""
    found: dict[str, int] = {}
    pattern = re.compile(r"^\[{0,2}\s*([A-Za-z_][\w-]*)\s*[\]=:]")
    for number, line in enumerate(text.split("\n"), start=1 + offset):
        match = pattern.match(line)
        if match and match.group(1) not in found:
            found[match.group(1)] = number
    return found
