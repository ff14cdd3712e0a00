"""Serving the built site: re-resolves the `build/site` symlink on every request, because a
rebuild swaps it atomically, and sets the cache headers fp1's file layout calls for."""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
MEDIA_TYPES = {
    ".webmanifest": "application/manifest+json",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".bin": "application/octet-stream",
    ".webp": "image/webp",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".woff2": "font/woff2",
}


def cache_control(relative: str) -> str:
    """Blobs are content-addressed and never change; everything else is checked on each use."""
    if relative.startswith("b/"):
        return IMMUTABLE
    return REVALIDATE


def media_type(path: Path) -> str:
    known = MEDIA_TYPES.get(path.suffix.lower())
    return known or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


MAX_PATH_CHARS = 1024  # the build's longest path is far shorter; anything longer is a probe


def resolve(site_dir: Path, relative: str) -> Path | None:
    """The file to serve for `relative`, or None; never anything outside the live site.

    A NUL byte, an over-long name or path, or any other name the file system refuses is simply
    not found (404), never an error."""
    if "\x00" in relative or len(relative) > MAX_PATH_CHARS:
        return None
    try:
        root = Path(os.path.realpath(site_dir))
        candidate = Path(os.path.realpath(root / relative.lstrip("/")))
        if candidate != root and not candidate.is_relative_to(root):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        if not candidate.is_file() or candidate.name.startswith("."):
            return None
    except (OSError, ValueError):
        return None
    return candidate


def static_route(site_dir: Path) -> Route:
    async def serve_file(request: Request) -> Response:
        relative = str(request.path_params.get("path", ""))
        found = resolve(site_dir, relative)
        if found is None:
            return PlainTextResponse(
                "Not found", status_code=404, headers={"Cache-Control": REVALIDATE}
            )
        served = os.path.relpath(found, os.path.realpath(site_dir)).replace(os.sep, "/")
        return FileResponse(
            found, media_type=media_type(found), headers={"Cache-Control": cache_control(served)}
        )

    return Route("/{path:path}", serve_file, methods=["GET", "HEAD"])
