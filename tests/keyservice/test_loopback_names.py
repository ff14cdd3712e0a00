"""A loopback site is one site under 127.0.0.1 and localhost (WebAuthn needs the name): the
sign-in comes back to the host it started on, and nothing else ever follows the Host header."""

from __future__ import annotations

from site_builder.keyservice.service import loopback_alias, loopback_aliases


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
