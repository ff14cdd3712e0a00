"""Rate limits, the static site's headers, the dev provider's guards, config and CLI errors."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from site_builder.cli import main
from site_builder.devidp.devconfig import dev_setup
from site_builder.devidp.personas import load_register, personas_from_register
from site_builder.devidp.provider import DevProvider
from site_builder.fp1 import MasterKey
from site_builder.keyservice.config import ConfigError, load_config
from site_builder.serve import create_app
from tests.keyservice.harness import handoff_cookie, live_harness
from tests.keyservice.liveserver import loopback_socket, running
from tests.keyservice.site import SEQ, guardian_rid, seal_site, write_register


def test_login_rate_limit_per_address_answers_429(tmp_path: Path, master: MasterKey) -> None:
    with live_harness(tmp_path, master, per_address=3, window_seconds=60) as harness:
        for _ in range(3):
            harness.login()
        answer = harness.client.get(
            "/auth/login", params={"provider": "eid"}, headers={"accept": "text/html"}
        )
    assert answer.status_code == 429
    retry = int(answer.headers["retry-after"])
    assert 1 <= retry <= 60
    # A browser navigated here: a page in the app's style (its stylesheet, both languages).
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["cache-control"] == "no-store"
    assert '<link rel="stylesheet" href="/app/app.css">' in answer.text
    assert "För många försök" in answer.text and "Too many attempts" in answer.text
    assert harness.records()[-1]["outcome"] == "rate_limited"


@pytest.mark.parametrize(
    ("accept", "first", "direction", "wait"),
    [
        ("ar-SE,ar;q=0.9,sv;q=0.5", "ar", "rtl", "انتظر دقيقة واحدة"),  # CLDR "one"
        ("de-DE,fi;q=0.8", "fi", "ltr", "Odota minuutti"),
        ("prs-AF", "fa", "rtl", "یک دقیقه صبر کنید"),
        ("de-DE", "sv", "ltr", "Vänta en minut"),
    ],
)
def test_the_rate_limited_page_speaks_the_readers_language(
    tmp_path: Path, master: MasterKey, accept: str, first: str, direction: str, wait: str
) -> None:
    """Accept-Language picks the page's first language (then Swedish, then English), each block
    marked with its lang and dir; the wait in whole minutes, in the language's plural form."""
    with live_harness(tmp_path, master, per_address=1, window_seconds=60) as harness:
        harness.login()
        answer = harness.client.get(
            "/auth/login",
            params={"provider": "eid"},
            headers={"accept": "text/html", "accept-language": accept},
        )
    assert answer.status_code == 429
    text = answer.text
    assert f'<html lang="{first}" dir="{direction}">' in text
    expected = list(dict.fromkeys([first, "sv", "en"]))
    places = [text.find(f'<section lang="{c}"') for c in expected]
    assert -1 not in places and places == sorted(places), places
    assert wait in text and "{n}" not in text


def test_unlock_rate_limit_per_reader(tmp_path: Path, master: MasterKey) -> None:
    with live_harness(tmp_path, master, per_reader=1) as harness:
        jwk = {"kty": "EC", "crv": "P-256"}
        from cryptography.hazmat.primitives.asymmetric import ec

        from site_builder.fp1.wrap import public_key_to_jwk

        jwk = public_key_to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key())
        first = handoff_cookie(harness.callback(harness.login(), code="one"))
        second = handoff_cookie(harness.callback(harness.login(), code="two"))
        assert harness.unlock(first, jwk).status_code == 200
        limited = harness.unlock(second, jwk)
    assert limited.status_code == 429 and "retry-after" in limited.headers
    assert harness.records()[-1]["reason"] == "per_reader"
    assert harness.records()[-1]["rid"] == guardian_rid(master)


def test_static_site_headers_and_symlink_swap(tmp_path: Path, master: MasterKey) -> None:
    site = seal_site(tmp_path / "build", master=master)
    live = site.resolve()
    (live / "b" / "ab").mkdir(parents=True)
    (live / "b" / "ab" / "ab12.bin").write_bytes(b"FP1B")
    for name in ("manifest.webmanifest", "sw.js", "pic.webp", "index.html"):
        (live / name).write_text("x")
    sock, base_url = loopback_socket()
    app = create_app(site_dir=site, master=master, base_url=base_url)
    with running(app, sock), httpx.Client(base_url=base_url) as client:
        blob = client.get("/b/ab/ab12.bin")
        assert blob.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert blob.headers["content-type"] == "application/octet-stream"
        csp = blob.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert blob.headers["x-content-type-options"] == "nosniff"
        assert blob.headers["referrer-policy"] == "no-referrer"
        assert "permissions-policy" in blob.headers
        for path in ("/latest.json", "/sw.js", "/", f"/s/{SEQ}/k/{guardian_rid(master)}.bin"):
            assert client.get(path).headers["cache-control"] == "no-cache", path
        assert (
            client.get("/manifest.webmanifest")
            .headers["content-type"]
            .startswith("application/manifest+json")
        )
        assert client.get("/sw.js").headers["content-type"].startswith("text/javascript")
        assert client.get("/pic.webp").headers["content-type"] == "image/webp"
        assert client.get("/../../etc/passwd").status_code == 404
        assert client.get("/%2e%2e/%2e%2e/etc/passwd").status_code == 404
        assert client.get("/auth/providers").status_code == 404  # no config: no key service
        # A rebuild swaps the symlink; the next request serves the new snapshot.
        newer = live.parent / ".site-2"
        newer.mkdir()
        (newer / "latest.json").write_text('{"seq": 4}')
        os.symlink(newer.name, live.parent / "tmp-link")
        os.replace(live.parent / "tmp-link", site)
        assert client.get("/latest.json").json() == {"seq": 4}


def test_dev_provider_lists_every_responsible_and_student(tmp_path: Path) -> None:
    personas = personas_from_register(load_register(write_register(tmp_path)))
    labels = {p.label for p in personas}
    assert labels == {
        "Annika Testberg — vårdnadshavare",
        "Bertil Provström — annan ansvarig",
        "Sara Elevsson — elev",
    }


def test_dev_provider_refuses_non_loopback() -> None:
    _, clients = dev_setup(base_url="https://skola.example.se")
    with pytest.raises(ValueError, match="loopback"):
        DevProvider(issuer="https://skola.example.se/dev-idp", personas=[], clients=clients)


def test_serve_refuses_dev_idp_on_a_public_address(tmp_path: Path) -> None:
    export = write_register(tmp_path / "export").parent
    result = CliRunner().invoke(main, ["serve", "--dev-idp", str(export), "--host", "0.0.0.0"])  # noqa: S104
    assert result.exit_code == 1
    assert "loopback" in result.output


def test_config_names_the_missing_secret(tmp_path: Path) -> None:
    toml = tmp_path / "keyservice.toml"
    toml.write_text(
        'base_url = "https://skola.example.se"\n[[providers]]\nid = "eid"\n'
        'label = {sv = "E-legitimation", en = "e-ID"}\nissuer = "https://idp.example.se"\n'
        'client_id = "x"\nclient_secret_env = "EID_SECRET"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"providers\[eid\].*client_secret_env"):
        load_config(toml, env={})
    loaded = load_config(toml, env={"EID_SECRET": "s"})
    assert loaded.providers[0].client_secret is not None
    toml.write_text(toml.read_text() + 'algorithms = ["HS256"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="HS256"):
        load_config(toml, env={"EID_SECRET": "s"})
