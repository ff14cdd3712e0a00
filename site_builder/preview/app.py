"""The preview server: `create_app` (site, /auth, dev e-ID) plus the preview-only routes.

Only the preview's responses carry reload support; the built site has none:
* `/` and `/index.html` are the built index.html with one external module script added
  (`/__preview__/reload.js`; the CSP forbids inline script);
* `/__preview__/events` is the server-sent event stream, `/__preview__/status` a JSON status;
* `/sw.js` is a worker that clears the app's caches and handles no fetch, so a rebuild is never
  hidden behind a cached shell or a waiting worker ("Ny version").
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable
from importlib.resources import files
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from site_builder.fp1 import MasterKey
from site_builder.headers import SecurityHeaders, content_security_policy
from site_builder.preview.events import EventHub
from site_builder.preview.rebuild import PreviewBuilder
from site_builder.serve import create_app

PREFIX = "/__preview__/"
RELOAD_TAG = '<script type="module" src="/__preview__/reload.js"></script>'
JS, CSS = "text/javascript", "text/css; charset=utf-8"
NO_STORE = {"Cache-Control": "no-store"}
_STATIC = files("site_builder.preview") / "static"
_WAITING_PAGE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Förhandsvisning</title>
<meta name="viewport" content="width=device-width, initial-scale=1">{tag}</head>
<body><main><h1>Förhandsvisning</h1>
<p>Ingen giltig bygge ännu: rätta exporten, sidan laddas om av sig själv.</p></main></body></html>
"""


def inject_reload(html: str) -> str:
    """index.html with the reload script, just before </head> (or at the top)."""
    at = html.lower().find("</head>")
    if at < 0:
        return RELOAD_TAG + html
    return html[:at] + RELOAD_TAG + "\n" + html[at:]


def _preview_routes(*, site_dir: Path, hub: EventHub, builder: PreviewBuilder) -> list[Route]:
    async def index(_request: Request) -> Response:
        path = Path(os.path.realpath(site_dir)) / "index.html"
        try:
            html = inject_reload(path.read_text(encoding="utf-8"))
        except OSError:  # no good build yet: a page that still shows the overlay and reloads
            html = _WAITING_PAGE.format(tag=RELOAD_TAG)
        return Response(html, media_type="text/html; charset=utf-8", headers=NO_STORE)

    def packaged(name: str, media_type: str) -> Callable[[Request], Awaitable[Response]]:
        async def serve(_request: Request) -> Response:
            text = (_STATIC / name).read_text(encoding="utf-8")
            return Response(text, media_type=media_type, headers=NO_STORE)

        return serve

    async def events(_request: Request) -> Response:
        return StreamingResponse(
            hub.stream(),
            media_type="text/event-stream",
            headers={**NO_STORE, "X-Accel-Buffering": "no"},
        )

    async def status(_request: Request) -> Response:
        body = {
            "builds": builder.builds,
            "generation": hub.generation,
            "problems": hub.problems,
        }
        return Response(json.dumps(body), media_type="application/json", headers=NO_STORE)

    return [
        Route("/", index, methods=["GET", "HEAD"]),
        Route("/index.html", index, methods=["GET", "HEAD"]),
        Route("/sw.js", packaged("preview-sw.js", JS), methods=["GET", "HEAD"]),
        Route(PREFIX + "reload.js", packaged("reload.js", JS), methods=["GET", "HEAD"]),
        Route(PREFIX + "reload.css", packaged("reload.css", CSS), methods=["GET", "HEAD"]),
        Route(PREFIX + "events", events, methods=["GET"]),
        Route(PREFIX + "status", status, methods=["GET"]),
    ]


class PreviewRouter:
    """Sends the preview's own paths to the preview app and everything else to the site app."""

    PATHS = frozenset({"/", "/index.html", "/sw.js"})

    def __init__(self, *, preview: ASGIApp, site: ASGIApp) -> None:
        self.preview = preview
        self.site = site

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path in self.PATHS or path.startswith(PREFIX):
            await self.preview(scope, receive, send)
        else:  # lifespan and every other request: create_app's own app
            await self.site(scope, receive, send)


def create_preview_app(
    *,
    site_dir: Path,
    master: MasterKey,
    export_root: Path,
    base_url: str,
    hub: EventHub,
    builder: PreviewBuilder,
) -> ASGIApp:
    site = create_app(
        site_dir=site_dir, master=master, dev_idp_register=export_root, base_url=base_url
    )
    preview = Starlette(routes=_preview_routes(site_dir=site_dir, hub=hub, builder=builder))
    # The same headers as the site (the dev provider's form posts to this origin).
    preview.add_middleware(SecurityHeaders, csp=content_security_policy([base_url]), hsts=False)
    return PreviewRouter(preview=preview, site=site)
