"""Fixtures: a master key, the sealed test site, and the whole server live on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_builder.fp1 import MasterKey
from site_builder.keyservice.accesslog import AccessLog
from site_builder.serve import create_app
from tests.keyservice.liveserver import loopback_socket, running
from tests.keyservice.site import seal_site, write_register

PAGE_SCRIPT = Path(__file__).with_name("unlock_test.js")


@pytest.fixture
def master() -> MasterKey:
    return MasterKey.generate()


@dataclass
class LiveServer:
    base_url: str
    site: Path
    access_log: Path


@pytest.fixture
def live_server(tmp_path: Path, master: MasterKey) -> Iterator[LiveServer]:
    """create_app with the dev provider under uvicorn in a thread, 127.0.0.1:<ephemeral>."""
    site = seal_site(tmp_path / "build", master=master, page_script=PAGE_SCRIPT)
    register = write_register(tmp_path / "export")
    log_path = tmp_path / "access.jsonl"
    sock, base_url = loopback_socket()
    with log_path.open("a", encoding="utf-8") as log_stream:
        app = create_app(
            site_dir=site,
            master=master,
            dev_idp_register=register,
            base_url=base_url,
            access_log=AccessLog(log_stream),
        )
        with running(app, sock):
            yield LiveServer(base_url=base_url, site=site, access_log=log_path)
