"""docs/deploy.md's nginx configuration, run for real (issue 18): both blocks are taken from the
document, Debian's nginx serves them on loopback with a self-signed certificate made here, in
front of `serve` (the real app, the key service under /auth), and every kind of answer is
checked header by header — so the documented set-up cannot drift from what `serve` sends."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from site_builder.fp1 import MasterKey
from site_builder.serve import create_app
from tests.keyservice.fakeidp import FakeProvider, fake_config
from tests.keyservice.liveserver import loopback_socket, running
from tests.keyservice.site import GUARDIAN_PNR, SEQ, guardian_rid, seal_site
from tests.tls import self_signed

DOCS = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SECURITY = (
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "permissions-policy",
    "cross-origin-opener-policy",
    "strict-transport-security",
)


def _doc_blocks() -> list[str]:
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("### nginx\n") : text.index("### Object store behind a CDN")]
    return re.findall(r"```nginx\n(.*?)```", section, flags=re.S)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _site(root: Path, master: MasterKey) -> Path:
    site = seal_site(root, master=master)
    live = site.resolve()
    (live / "app").mkdir()
    (live / "b" / "ab").mkdir(parents=True)
    (live / "b" / "ab" / "ab12.bin").write_bytes(b"FP1B")
    (live / "index.html").write_text("<!doctype html><title>t</title>", encoding="utf-8")
    (live / "app" / "main.js").write_text("export const ok = 1;\n", encoding="utf-8")
    (live / "manifest.webmanifest").write_text("{}", encoding="utf-8")
    (live / "icon.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return site


@contextlib.contextmanager
def _nginx(tmp: Path, *, site: Path, upstream: int) -> Iterator[tuple[str, Path]]:
    """nginx with the documented blocks, on 127.0.0.1:<port> over TLS; stops itself."""
    snippet, server = _doc_blocks()
    tmp.mkdir(parents=True)
    cert, key = self_signed(tmp)
    port = _free_port()
    (tmp / "snippets").mkdir()
    (tmp / "snippets" / "familjeportalen-headers.conf").write_text(snippet, encoding="utf-8")
    for old, new in (
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;"),
        ("/etc/ssl/dokumentation.pem", str(cert)),
        ("/etc/ssl/dokumentation.key", str(key)),
        ("root /srv/site;", f"root {site};"),
        ("/var/log/nginx/dokumentation.log", str(tmp / "access.log")),
        ("http://127.0.0.1:8000", f"http://127.0.0.1:{upstream}"),
    ):
        assert old in server, f"docs/deploy.md's nginx block no longer has {old!r}"
        server = server.replace(old, new)
    temp = "".join(
        f"{kind}_temp_path {tmp / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the test's tmp dir
    (tmp / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {tmp / 'nginx.pid'};\n"
        f"error_log {tmp / 'error.log'} warn;\nevents {{ worker_connections 64; }}\n"
        f"http {{\n{temp}default_type application/octet-stream;\n{server}\n}}\n",
        encoding="utf-8",
    )
    check = subprocess.run(
        [NGINX, "-t", "-q", "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            assert process.poll() is None, (tmp / "error.log").read_text()
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.05)
        yield f"https://127.0.0.1:{port}", cert
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, httpx.Response]:
    tmp = tmp_path_factory.mktemp("nginx")
    master = MasterKey.generate()
    site = _site(tmp / "build", master)
    sock, _ = loopback_socket()
    upstream = int(sock.getsockname()[1])
    fake = FakeProvider(pnr=GUARDIAN_PNR)
    origin = "https://127.0.0.1"  # the public origin nginx presents (https: serve adds HSTS)
    app = create_app(
        site_dir=site,
        master=master,
        base_url=origin,
        config=fake_config(base_url=origin),
        http_transport=httpx.ASGITransport(app=fake.app()),
    )
    paths = {
        "html": "/",
        "js": "/app/main.js",
        "json": "/latest.json",
        "manifest": "/manifest.webmanifest",
        "png": "/icon.png",
        "blob": "/b/ab/ab12.bin",
        "blob_404": "/b/cd/cd34.bin",
        "keyring": f"/s/{SEQ}/k/{guardian_rid(master)}.bin",
        "page_404": "/nope.html",
        "auth_providers": "/auth/providers",
        "auth_404": "/auth/nope",
    }
    with running(app, sock), _nginx(tmp / "nginx", site=site, upstream=upstream) as (url, cert):
        context = ssl.create_default_context(cafile=str(cert))
        with httpx.Client(base_url=url, verify=context) as client:
            return {name: client.get(path) for name, path in paths.items()}


def _once(answer: httpx.Response, name: str) -> str:
    values = answer.headers.get_list(name)
    assert len(values) == 1, f"{name}: {values}"
    return values[0]


KINDS = ["html", "js", "json", "manifest", "png", "blob", "blob_404", "keyring", "page_404"]


@pytest.mark.parametrize("kind", [*KINDS, "auth_providers", "auth_404"])
def test_every_answer_has_each_security_header_exactly_once(
    answers: dict[str, httpx.Response], kind: str
) -> None:
    answer = answers[kind]
    for name in SECURITY:
        _once(answer, name)
    assert _once(answer, "x-content-type-options") == "nosniff"
    assert _once(answer, "referrer-policy") == "no-referrer"
    assert _once(answer, "cross-origin-opener-policy") == "same-origin"
    assert _once(answer, "strict-transport-security") == "max-age=63072000"
    assert "frame-ancestors 'none'" in _once(answer, "content-security-policy")
    assert "server" not in answer.headers or "nginx/" not in answer.headers["server"]


def test_status_types_and_caching(answers: dict[str, httpx.Response]) -> None:
    expected = {
        "html": (200, "text/html", "no-cache"),
        "js": (200, "text/javascript", "no-cache"),
        "json": (200, "application/json", "no-cache"),
        "manifest": (200, "application/manifest+json", "no-cache"),
        "png": (200, "image/png", "no-cache"),
        "blob": (200, "application/octet-stream", "public, max-age=31536000, immutable"),
        "blob_404": (404, None, "no-cache"),  # never a year-long "missing"
        "keyring": (200, "application/octet-stream", "no-cache"),
        "page_404": (404, None, "no-cache"),
        "auth_providers": (200, "application/json", "no-cache"),
        "auth_404": (404, None, "no-store"),
    }
    for kind, (status, media, cache) in expected.items():
        answer = answers[kind]
        assert answer.status_code == status, kind
        if media is not None:
            assert answer.headers["content-type"].split(";")[0] == media, kind
        assert _once(answer, "cache-control") == cache, kind


def test_the_static_headers_match_what_serve_sends(answers: dict[str, httpx.Response]) -> None:
    """The same values from nginx (static files) and from `serve` (/auth), but form-action."""
    for name in SECURITY:
        static, dynamic = _once(answers["html"], name), _once(answers["auth_providers"], name)
        if name == "content-security-policy":
            static = re.sub(r"form-action [^;]*", "form-action", static)
            dynamic = re.sub(r"form-action [^;]*", "form-action", dynamic)
        assert static == dynamic, name
