"""`site-builder watch` in a subprocess, without a browser: rebuilds, problems, bursts, keys,
and the published site left alone."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from site_builder.fp1 import MasterKey
from site_builder.pipeline.state.keystore import MASTER_FILE
from tests.watch.harness import (
    POST,
    ROOT,
    SITE_BUILDER,
    scratch_export,
    tree_digest,
    wait_for,
    watching,
)


def _run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SITE_BUILDER, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_it_refuses_anything_but_loopback(tmp_path: Path) -> None:
    everywhere = "0.0.0.0"  # noqa: S104 (what the command must refuse)
    done = _run("watch", str(ROOT / "content/example"), "--host", everywhere, cwd=tmp_path)
    assert done.returncode == 1
    assert "only binds loopback" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "build").exists()


def test_it_refuses_the_published_folders(tmp_path: Path) -> None:
    for args in (["--out", "build/site"], ["--state-dir", ".site-builder"]):
        done = _run("watch", str(ROOT / "content/example"), *args, cwd=tmp_path)
        assert done.returncode == 1
        assert "never writes the published site" in done.stderr
    assert not (tmp_path / "build").exists() and not (tmp_path / ".site-builder").exists()


def test_edits_rebuild_problems_clear_bursts_are_bounded_and_the_published_site_stays(
    tmp_path: Path,
) -> None:
    export = scratch_export(tmp_path)
    production = MasterKey.generate()
    env = {**os.environ, "SITE_BUILDER_MASTER_KEY": production.to_b64u()}
    published = tmp_path / "published"
    built = _run(
        "build",
        str(export),
        "--out",
        str(published),
        "--state-dir",
        str(tmp_path / "pub-state"),
        cwd=tmp_path,
        env=env,
    )
    assert built.returncode == 0, built.stderr
    before = tree_digest(tmp_path / "published")
    before |= tree_digest(published.resolve())
    with watching(tmp_path, export=export, env=env) as watcher:
        # The preview has its own key, never the production key from the environment.
        preview_key = MasterKey.load(watcher.state / MASTER_FILE, env={})
        assert preview_key.to_b64u() != production.to_b64u()
        first = watcher.status()
        assert first["builds"] == 1 and first["generation"] == 1 and first["problems"] == []

        watcher.edit(POST, lambda text: text.replace("Ekbacken", "Ekbacken i regnet"))
        watcher.wait_idle(after=2)
        assert watcher.status()["generation"] == 2
        assert "watch: patched preview snapshot 1" in watcher.log  # a correction, patched in

        watcher.edit(POST, lambda text: text.replace('date: "2026-09-04"', "date: [2026-09-04"))
        wait_for(lambda: watcher.status()["problems"] != [], seconds=20, what="the problems")
        problems = watcher.status()["problems"]
        assert [p["file"] for p in problems] == [POST.as_posix()]
        # The YAML parser notices the open bracket on the line after `date:` (line 2).
        assert problems[0]["location"] in {"line 2", "line 3"} and problems[0]["fix"]
        assert f"{POST.as_posix()}:{problems[0]['location']}: invalid YAML" in watcher.log

        watcher.edit(POST, lambda text: text.replace("date: [2026-09-04", 'date: "2026-09-04"'))
        wait_for(lambda: watcher.status()["problems"] == [], seconds=20, what="the fix")

        watcher.wait_idle(after=watcher.status()["builds"])
        builds, generation = watcher.status()["builds"], watcher.status()["generation"]
        path = export / POST
        original = path.read_text(encoding="utf-8")
        for n in range(50):  # an editor that saves on every keystroke
            path.write_text(original + f"\nSparning {n}.\n", encoding="utf-8")
        watcher.wait_idle(after=builds + 1)
        assert 1 <= watcher.status()["builds"] - builds <= 3, watcher.rebuild_lines()
        assert watcher.status()["generation"] > generation

        # Editor droppings alone never rebuild.
        builds = watcher.status()["builds"]
        for junk in (".#iup.md", "iup.md~", ".iup.md.swp", "4913", "x.tmp"):
            (export / "children" / "p-barn-07" / junk).write_text("junk")
        time.sleep(1.5)  # several quiet periods
        assert watcher.status()["builds"] == builds
        assert watcher.stop() == 0
    assert "watch: stopped" in watcher.log
    assert tree_digest(tmp_path / "published") | tree_digest(published.resolve()) == before
