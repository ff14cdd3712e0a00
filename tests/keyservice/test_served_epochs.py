"""Which epochs the key service serves: read from the site's latest.json, newest first, and
nothing from a missing or malformed one."""

from __future__ import annotations

import json
from pathlib import Path

from site_builder.keyservice.service import site_epochs


def test_served_epochs_come_from_latest_json_newest_first(tmp_path: Path) -> None:
    assert site_epochs(tmp_path) == []  # no latest.json yet
    (tmp_path / "latest.json").write_text("not json")
    assert site_epochs(tmp_path) == []
    latest = {
        "epoch": "2027",
        "snapshots": [{"epoch": "2027"}, {"epoch": "2026"}, {"epoch": ""}, {"x": 1}, "junk"],
    }
    (tmp_path / "latest.json").write_text(json.dumps(latest))
    assert site_epochs(tmp_path) == ["2027", "2026"]
    (tmp_path / "latest.json").write_text(json.dumps(["2026"]))
    assert site_epochs(tmp_path) == []
