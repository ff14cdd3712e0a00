"""docs/notify.md and the example FAQ stay true to the code."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from site_builder.notify.config import load_notify_config
from site_builder.notify.mail import SUBJECT

REPO = Path(__file__).resolve().parents[2]


def test_the_notify_toml_example_is_a_valid_configuration(tmp_path: Path) -> None:
    doc = (REPO / "docs" / "notify.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```toml\n(.*?)```", doc, flags=re.S)
    path = tmp_path / "notify.toml"
    path.write_text(block, encoding="utf-8")
    config = load_notify_config(path, env={"NOTIFY_SMTP_PASSWORD": "x"})
    assert config.smtp is not None and config.smtp.security == "starttls"


def test_the_example_faq_says_how_notices_work() -> None:
    export = tomllib.loads((REPO / "content" / "example" / "export.toml").read_text("utf-8"))
    answers = {f["question"]: f["answer"] for f in export["faq"]}
    why = answers["Varför får jag inga notiser?"]
    locales = REPO / "themes/default/shell/locales"
    label = json.loads((locales / "sv.json").read_text(encoding="utf-8"))["notifyEmail"]
    assert label in why  # the toggle's exact words
    assert "skräpposten" in why and SUBJECT in why and "Hjälp" in why
    english = answers["Why do I get no notifications?"]
    label_en = json.loads((locales / "en.json").read_text(encoding="utf-8"))["notifyEmail"]
    assert label_en in english and "spam" in english
