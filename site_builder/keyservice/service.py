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
from site_builder.keyservice.config import LOOPBACK_HOSTS, KeyServiceConfig, StoreConfig
from site_builder.keyservice.handoff import CookieSealer, cookie_key
from site_builder.keyservice.oidc import ProviderClient
from site_builder.keyservice.pages import Pages
from site_builder.keyservice.ratelimit import RateLimiter, address_key, address_pseudonym
from site_builder.keyservice.sitekey import site_master
from site_builder.keyservice.spool import Spool
from site_builder.keyservice.store import MemoryStore, Store


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


REPLIES_PER_HOUR = 20


def open_store(config: StoreConfig) -> Store:
    """The configured store; Redis is imported only when chosen."""
    if config.kind == "memory":
        return MemoryStore()
    from site_builder.keyservice.redisstore import RedisStore

    assert config.url is not None  # load_config resolved url_env
    return RedisStore(url=config.url, prefix=config.key_prefix)


@dataclass
class KeyService:
    config: KeyServiceConfig
    master: MasterKey
    clients: dict[str, ProviderClient]
    sealer: CookieSealer
    store: Store
    per_address: RateLimiter
    per_reader: RateLimiter
    per_handoff: RateLimiter
    log: AccessLog
    epochs: Callable[[], list[str]]
    # The key the published site is sealed under, of this service's current and retired key;
    # None while it is sealed under neither (sitekey.py).
    site_master: Callable[[], MasterKey | None] = field(default=lambda: None)
    spool: Spool | None = None  # where sealed replies go (POST /auth/reply); None: not offered
    # Replies per reader per hour (POST /auth/reply): a family sends a handful per talk.
    reply_rate: RateLimiter | None = None
    # The service's own pages (429, unsubscribe) in the reader's language (pages.py).
    pages: Pages = field(default_factory=Pages)

    @classmethod
    def build(
        cls,
        *,
        config: KeyServiceConfig,
        master: MasterKey,
        site_dir: Path,
        retired: MasterKey | None = None,
        http: httpx.AsyncClient,
        log: AccessLog,
        spool_dir: Path | None = None,
    ) -> KeyService:
        limits, window = config.rate_limit, config.rate_limit.window_seconds
        fixed = list(config.epochs) if config.epochs else None
        store = open_store(config.store)
        return cls(
            config=config,
            master=master,
            clients={
                p.id: ProviderClient(config=p, http=http, https_only=_https(config.base_url))
                for p in config.providers
            },
            sealer=CookieSealer(cookie_key(master), secure=not is_loopback_url(config.base_url)),
            store=store,
            per_address=RateLimiter(store, "addr", limits.per_address, window),
            per_reader=RateLimiter(store, "rid", limits.per_reader, window),
            # A handoff lives at most 120 s: its attempts are counted over its whole life.
            per_handoff=RateLimiter(store, "handoff", limits.per_handoff, 120),
            log=log,
            epochs=(lambda: fixed) if fixed else (lambda: site_epochs(site_dir)),
            site_master=lambda: site_master(site_dir, [master, *([retired] if retired else [])]),
            spool=Spool(spool_dir) if spool_dir is not None else None,
            reply_rate=RateLimiter(store, "reply", REPLIES_PER_HOUR, 3600),
            pages=Pages.for_site(site_dir),
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

    async def address_retry_after(self, request: Request) -> int:
        """Count one request against the client address's budget (see RateLimitConfig)."""
        host = request.client.host if request.client else "unknown"
        key = address_key(self.master.secret)
        return await self.per_address.hit(address_pseudonym(host, key=key))


def _https(url: str) -> bool:
    return url.startswith("https://")
