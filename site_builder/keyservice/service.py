"""The key service's runtime parts, built once per app and shared by the handlers."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from starlette.requests import Request

from site_builder.fp1 import MasterKey
from site_builder.keyservice.accesslog import AccessLog
from site_builder.keyservice.config import LOOPBACK_HOSTS, KeyServiceConfig
from site_builder.keyservice.handoff import CookieSealer, cookie_key
from site_builder.keyservice.oidc import ProviderClient
from site_builder.keyservice.ratelimit import RateLimiter
from site_builder.keyservice.replay import ReplayCache
from site_builder.keyservice.sitekey import key_problem


def is_loopback_url(url: str) -> bool:
    return (urlsplit(url).hostname or "") in LOOPBACK_HOSTS


def loopback_aliases(base_url: str) -> list[str]:
    """For a loopback http base URL, its origin under each loopback name; otherwise []."""
    parts = urlsplit(base_url)
    if parts.scheme != "http" or not is_loopback_url(base_url):
        return []
    port = f":{parts.port}" if parts.port else ""
    return [f"http://127.0.0.1{port}", f"http://localhost{port}"]


def loopback_alias(base_url: str, host: str | None) -> str | None:
    """`http://<host>` when `host` (a Host header) is a loopback alias of `base_url`."""
    for origin in loopback_aliases(base_url):
        if host and origin == "http://" + host.lower():
            return origin
    return None


def site_epochs(site_dir: Path) -> list[str]:
    """Every epoch the published site still serves (latest.json's snapshots), newest first."""
    try:
        latest = json.loads((site_dir / "latest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    found: list[str] = []
    entries = [latest, *latest.get("snapshots", [])] if isinstance(latest, dict) else []
    for entry in entries:
        epoch = entry.get("epoch") if isinstance(entry, dict) else None
        if isinstance(epoch, str) and epoch and epoch not in found:
            found.append(epoch)
    return found


@dataclass
class KeyService:
    config: KeyServiceConfig
    master: MasterKey
    clients: dict[str, ProviderClient]
    sealer: CookieSealer
    replay: ReplayCache
    per_address: RateLimiter
    per_reader: RateLimiter
    log: AccessLog
    epochs: Callable[[], list[str]]
    # 'master_key_mismatch' while the published site is sealed under another key (sitekey.py)
    key_problem: Callable[[], str | None] = field(default=lambda: None)

    @classmethod
    def build(
        cls,
        *,
        config: KeyServiceConfig,
        master: MasterKey,
        site_dir: Path,
        http: httpx.AsyncClient,
        log: AccessLog,
    ) -> KeyService:
        limits = config.rate_limit
        fixed = list(config.epochs) if config.epochs else None
        return cls(
            config=config,
            master=master,
            clients={p.id: ProviderClient(config=p, http=http) for p in config.providers},
            sealer=CookieSealer(cookie_key(master), secure=not is_loopback_url(config.base_url)),
            replay=ReplayCache(),
            per_address=RateLimiter(limits.per_address, limits.window_seconds),
            per_reader=RateLimiter(limits.per_reader, limits.window_seconds),
            log=log,
            epochs=(lambda: fixed) if fixed else (lambda: site_epochs(site_dir)),
            key_problem=lambda: key_problem(site_dir, master),
        )

    @property
    def redirect_uri(self) -> str:
        return self.config.base_url.rstrip("/") + "/auth/callback"

    @property
    def origin(self) -> str:
        parts = urlsplit(self.config.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def origin_for(self, request: Request) -> str:
        """The origin the browser used: on a loopback base URL, 127.0.0.1 and localhost (same
        port) are one site to us, and cookies only reach the host that set them — so the
        sign-in must come back to the host it started on. Anything else: the configured origin."""
        return loopback_alias(self.config.base_url, request.headers.get("host")) or self.origin

    def redirect_uri_for(self, request: Request) -> str:
        return self.origin_for(request) + "/auth/callback"

    def address_retry_after(self, request: Request) -> int:
        host = request.client.host if request.client else "unknown"
        return self.per_address.hit("addr:" + host)
