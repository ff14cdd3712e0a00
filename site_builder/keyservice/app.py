"""The /auth routes of the key service."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route, Router

from site_builder.keyservice.login import callback, login
from site_builder.keyservice.reply import post_reply
from site_builder.keyservice.service import KeyService
from site_builder.keyservice.unlock import unlock


def keyservice_routes(service: KeyService) -> list[BaseRoute]:
    async def providers(request: Request) -> Response:
        listed = [
            {"id": p.id, "label": p.label.model_dump(), "audience": p.audience}
            for p in service.config.providers
        ]
        return JSONResponse({"providers": listed}, headers={"Cache-Control": "no-cache"})

    async def login_route(request: Request) -> Response:
        return await login(request, service)

    async def callback_route(request: Request) -> Response:
        return await callback(request, service)

    async def unlock_route(request: Request) -> Response:
        return await unlock(request, service)

    async def reply_route(request: Request) -> Response:
        return await post_reply(request, service)

    return [
        Mount(
            "/auth",
            # No slash redirects: Starlette builds them from the Host header, so `/auth/login/`
            # with a foreign Host would answer 307 to that host. A 404 is the honest answer.
            app=Router(
                routes=[
                    Route("/providers", providers, methods=["GET"]),
                    Route("/login", login_route, methods=["GET"]),
                    Route("/callback", callback_route, methods=["GET"]),
                    Route("/unlock", unlock_route, methods=["POST"]),
                    Route("/reply", reply_route, methods=["POST"]),
                ],
                redirect_slashes=False,
            ),
        )
    ]
