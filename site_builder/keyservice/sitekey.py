"""Does this process's master key match the published site's? (latest.json `key_id`)

`serve` refuses to start on a mismatch, /healthz answers 503 while one lasts (a build with a
rotated key went live before the service was restarted with the new key), and /auth/unlock
refuses instead of handing out reader keys that open nothing. No personal data in any answer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from site_builder.fp1 import MasterKey, pseudonym_key
from site_builder.pipeline.plan.ids import master_fingerprint


def key_id(master: MasterKey) -> str:
    """The public name of a master key generation (the same value a build puts in latest.json)."""
    return master_fingerprint(pseudonym_key(master))


def published_key_id(site_dir: Path) -> str | None:
    """latest.json's `key_id`, or None when there is no site (yet) or it predates key ids."""
    try:
        latest = json.loads((site_dir / "latest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = latest.get("key_id") if isinstance(latest, dict) else None
    return value if isinstance(value, str) else None


def site_master(site_dir: Path, keys: Sequence[MasterKey]) -> MasterKey | None:
    """The key (of `keys`, newest first) the published site is sealed under; the newest when
    the site names none (not built yet, or built before key ids); None when none matches.

    Holding the retired key beside the new one is the rotation overlap: the service follows the
    site from the old generation to the new the moment the build swaps it, restarted or not."""
    published = published_key_id(site_dir)
    if published is None:
        return keys[0] if keys else None
    return next((k for k in keys if key_id(k) == published), None)


def key_problem(site_dir: Path, keys: Sequence[MasterKey]) -> str | None:
    """'master_key_mismatch' when the site is sealed under none of `keys`, else None."""
    return None if site_master(site_dir, keys) is not None else "master_key_mismatch"


def mismatch_message(site_dir: Path) -> str:
    return (
        f"the master key does not match the published site {site_dir} (latest.json key_id "
        f"{published_key_id(site_dir)}): give this service the key the site was built with "
        "(keys/master.key, or keys/retired.key until the build after `keys rotate` is live); "
        "see docs/operations.md"
    )


def health_route(site_dir: Path, keys: Sequence[MasterKey]) -> Route:
    """GET /healthz: 200 {"status":"ok"} or 503 {"status":"unhealthy","reason":…}. Read per
    request: a build swaps the site under a running service."""

    async def healthz(request: Request) -> Response:
        if not (site_dir / "latest.json").is_file():
            body, status = {"status": "unhealthy", "reason": "no_site"}, 503
        elif (master := site_master(site_dir, keys)) is None:
            body, status = {"status": "unhealthy", "reason": "master_key_mismatch"}, 503
        else:
            body, status = {"status": "ok", "key_id": key_id(master)}, 200
        return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})

    return Route("/healthz", healthz, methods=["GET"])
