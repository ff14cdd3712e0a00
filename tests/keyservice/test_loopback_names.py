"""A loopback site is one site under 127.0.0.1 and localhost (WebAuthn needs the name): the
sign-in comes back to the host it started on, and nothing else ever follows the Host header."""

from __future__ import annotations

from pathlib import Path

from site_builder.keyservice.service import loopback_alias, loopback_aliases, site_epochs


def test_both_loopback_names_of_the_same_port() -> None:
    assert loopback_aliases("http://127.0.0.1:8000") == [
        "http://127.0.0.1:8000",
        "http://localhost:8000",
    ]
    assert loopback_alias("http://127.0.0.1:8000", "localhost:8000") == "http://localhost:8000"
    assert loopback_alias("http://localhost:8000", "127.0.0.1:8000") == "http://127.0.0.1:8000"


def test_nothing_else_follows_the_host_header() -> None:
    assert loopback_alias("http://127.0.0.1:8000", "localhost:9000") is None  # another port
    assert loopback_alias("http://127.0.0.1:8000", "evil.test:8000") is None
    assert loopback_alias("http://127.0.0.1:8000", None) is None
    assert loopback_aliases("https://skola.example.se") == []  # a public site: config only
    assert loopback_alias("https://skola.example.se", "localhost") is None


def test_loopback_aliases_only_for_plain_http_and_without_a_port_when_none_is_given() -> None:
    assert loopback_aliases("http://localhost") == ["http://127.0.0.1", "http://localhost"]
    assert loopback_aliases("http://127.0.0.1:8000/") == [
        "http://127.0.0.1:8000",
        "http://localhost:8000",
    ]
    assert loopback_aliases("https://127.0.0.1:8000") == []  # https: the name is the name
    assert loopback_aliases("http://familj.example.se") == []


def test_the_epochs_a_site_serves_also_without_retained_snapshots(tmp_path: Path) -> None:
    """A site's first snapshot: latest.json names its own epoch and no older ones."""
    (tmp_path / "latest.json").write_text('{"epoch": "e1"}', encoding="utf-8")
    assert site_epochs(tmp_path) == ["e1"]
    (tmp_path / "latest.json").write_text(
        '{"epoch": "e2", "snapshots": [{"epoch": "e2"}, {"epoch": "e1"}, "x", {}]}',
        encoding="utf-8",
    )
    assert site_epochs(tmp_path) == ["e2", "e1"]
