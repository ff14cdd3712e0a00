"""The ASGI app of `site-builder serve`: the static site, the key service under /auth and, for
development, the dev e-ID provider under /dev-idp. Running it (uvicorn) lives in
site_builder/commands/serve.py, so tests and a later `watch` command can build the same app."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from site_builder.fp1 import MasterKey
from site_builder.headers import SecurityHeaders, content_security_policy
from site_builder.keyservice.accesslog import AccessLog
from site_builder.keyservice.app import keyservice_routes
from site_builder.keyservice.config import KeyServiceConfig
from site_builder.keyservice.service import KeyService, loopback_aliases
from site_builder.keyservice.sitekey import health_route
from site_builder.static_site import static_route


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def create_app(
    *,
    site_dir: Path,
    master: MasterKey,
    retired: MasterKey | None = None,
    dev_idp_register: Path | None = None,
    base_url: str,
    extra_routes: Sequence[BaseRoute] = (),
    config: KeyServiceConfig | None = None,
    access_log: AccessLog | None = None,
    http_transport: httpx.AsyncBaseTransport | None = None,
    retry_discovery: Sequence[str] = (),
    spool_dir: Path | None = None,
    notify_db: Path | None = None,
) -> Starlette:
    """Build the app. Without `config` and without `dev_idp_register` there is no /auth.

    `http_transport` replaces the network for provider calls (tests); with the dev provider the
    key service reaches it in-process through the same HTTP client code as a real provider.
    `retry_discovery` names providers that `serve` could not reach at start: their discovery is
    retried in the background while the app runs.
    `retired`: the key `keys rotate` replaced, served while the published site still uses it.
    `notify_db`: the consent database (docs/notify.md); without it there is no /auth/notify.
    """
    routes: list[BaseRoute] = list(extra_routes)
    dev_mount: Mount | None = None
    if dev_idp_register is not None:
        from site_builder.devidp.devconfig import dev_setup
        from site_builder.devidp.personas import load_personas
        from site_builder.devidp.provider import DevProvider, devidp_app

        dev_config, clients = dev_setup(base_url=base_url)
        config = config or dev_config
        personas = load_personas(dev_idp_register)
        provider = DevProvider(
            issuer=dev_config.providers[0].issuer, personas=personas, clients=clients
        )
        dev_mount = Mount("/dev-idp", app=devidp_app(provider))
    app_holder: list[ASGIApp] = []

    async def in_process(scope: Scope, receive: Receive, send: Send) -> None:
        await app_holder[0](scope, receive, send)

    transport = http_transport
    if transport is None and dev_mount is not None:
        transport = httpx.ASGITransport(app=in_process)
    http = httpx.AsyncClient(transport=transport, follow_redirects=False)
    form_origins: list[str] = []
    service: KeyService | None = None
    if config is not None:
        service = KeyService.build(
            config=config,
            master=master,
            retired=retired,
            site_dir=site_dir,
            http=http,
            log=access_log or AccessLog.open(config.access_log),
            spool_dir=spool_dir,
        )
        if notify_db is not None:  # before the /auth mount, which would swallow them
            from site_builder.keyservice.notifyroutes import notify_routes
            from site_builder.notify.consent import ConsentStore

            routes += notify_routes(service, store=ConsentStore.open(notify_db))
        routes += keyservice_routes(service)
        # The dev provider's form answers with a redirect to the callback on whichever loopback
        # name the browser used (form-action applies to that redirect too).
        form_origins = [_origin(p.issuer) for p in config.providers]
        form_origins += loopback_aliases(config.base_url) if dev_mount is not None else []
    if dev_mount is not None:
        routes.append(dev_mount)
    routes.append(health_route(site_dir, [master, *([retired] if retired else [])]))
    routes.append(static_route(site_dir))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        from site_builder.keyservice.discovery import keep_trying

        clients = service.clients if service is not None else {}
        tasks = [asyncio.create_task(keep_trying(clients[p])) for p in retry_discovery]
        yield
        for task in tasks:
            task.cancel()
        await http.aclose()
        if service is not None:
            await service.store.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    # `/auth/login/` must not answer with a redirect built from the request's Host header.
    app.router.redirect_slashes = False
    app.add_middleware(
        SecurityHeaders,
        csp=content_security_policy(form_origins),
        hsts=urlsplit(base_url).scheme == "https",
    )
    app_holder.append(app)
    return app
