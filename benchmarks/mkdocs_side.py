"""MkDocs, pinned, in its own venv, building the same Markdown documents as plain pages.

The pages get a constant one-entry nav: MkDocs's default nav lists every page on every page,
which is quadratic and would make the comparison meaningless at 30,000+ pages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks.runner import Measured, run_measured

MKDOCS_VERSION = "1.6.1"
MKDOCS_YML = """\
site_name: Syntetiska kommunen (benchmark)
theme:
  name: mkdocs
use_directory_urls: true
nav:
  - Start: index.md
"""


def ensure_mkdocs(venv: Path) -> Path:
    """Create `venv` with mkdocs==MKDOCS_VERSION (once); returns its mkdocs executable."""
    venv = venv.resolve()
    mkdocs = venv / "bin" / "mkdocs"
    stamp = venv / f".mkdocs-{MKDOCS_VERSION}"
    if stamp.exists() and mkdocs.exists():
        return mkdocs
    print(f"installing mkdocs=={MKDOCS_VERSION} into {venv} …", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    installed = subprocess.run(
        [*pip, "--disable-pip-version-check", f"mkdocs=={MKDOCS_VERSION}"],
        capture_output=True,
        text=True,
    )
    if installed.returncode != 0:
        raise RuntimeError(f"pip could not install mkdocs=={MKDOCS_VERSION}:\n{installed.stderr}")
    stamp.touch()
    return mkdocs


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def write_project(export: Path, project: Path, *, children: int | None) -> int:
    """Mirror the export's Markdown (and images) into an MkDocs project; returns the page count.

    `children` limits the copy to the first children (sorted by folder) for a sample run.
    """
    if project.exists():
        shutil.rmtree(project)
    docs = project / "docs"
    docs.mkdir(parents=True)
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (docs / "index.md").write_text("# Start\n\nSyntetisk dokumentation.\n", encoding="utf-8")
    folders = sorted((export / "children").iterdir())[:children]
    folders += sorted((export / "groups").iterdir())
    pages = 0
    for folder in folders:
        for source in folder.rglob("*"):
            if source.is_dir():
                continue
            target = docs / source.relative_to(export)
            target.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(source, target)
            pages += source.suffix == ".md"
    return pages


def build_with_mkdocs(mkdocs: Path, project: Path) -> Measured:
    site = project / "site"
    if site.exists():
        shutil.rmtree(site)
    return run_measured(
        [str(mkdocs), "build", "--quiet", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
        cwd=project,
    )
