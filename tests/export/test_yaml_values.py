"""Front-matter values read the way a teacher means them, not the way YAML 1.1 guesses."""

from __future__ import annotations

from site_builder.export.documents import Assessment, DevelopmentTalk
from site_builder.export.files import split_front_matter

FRONT = "---\nsubject: NO\ndate: 2026-11-02\nauthor: Lena\nlevel: 3\n---\nBra jobbat.\n"


def test_no_yes_on_off_stay_text_and_numbers_become_text() -> None:
    parsed = split_front_matter(FRONT, rel="omdomen/no.md")
    assert isinstance(parsed, tuple)
    front, body, body_line = parsed
    assert front["subject"] == "NO"
    assert body == "Bra jobbat.\n" and body_line == 7
    assessment = Assessment.model_validate(front)
    assert assessment.subject == "NO" and assessment.level == "3"


def test_clock_time_is_not_a_base_60_number() -> None:
    parsed = split_front_matter(
        "---\ndate: 2026-11-20\ntime: 14:30\nplace: Sal 3\n---\n", rel="utvecklingssamtal.md"
    )
    assert isinstance(parsed, tuple)
    assert DevelopmentTalk.model_validate(parsed[0]).time == "14:30"


def test_true_and_false_are_still_booleans() -> None:
    parsed = split_front_matter("---\na: true\nb: False\nc: yes\n---\n", rel="x.md")
    assert isinstance(parsed, tuple)
    assert parsed[0] == {"a": True, "b": False, "c": "yes"}
