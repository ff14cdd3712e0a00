"""`site-builder serve`: the built site, the key-release service and (with --dev-idp) the
development e-ID provider on one loopback server."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from site_builder.fp1 import MasterKey
from site_builder.keyservice.config import LOOPBACK_HOSTS, KeyServiceConfig
from site_builder.notify.consent import CONSENT_FILE, ConsentStoreError
from site_builder.pipeline.state.keystore import MASTER_FILE, RETIRED_FILE


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _check_at_start(config: KeyServiceConfig) -> list[str]:
    """Discovery of every provider and the shared store, before the server starts: a wrong
    answer stops here with the fix; what is down is retried (providers) or re-tried per
    request (the store) once the server runs. Returns the providers to retry."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from site_builder.keyservice.discovery import DiscoveryProblem, check_at_start
    from site_builder.keyservice.oidc import ProviderClient
    from site_builder.keyservice.service import open_store
    from site_builder.keyservice.store import StoreUnavailable

    async def check() -> tuple[list[str], bool]:
        https = config.base_url.startswith("https://")
        async with httpx.AsyncClient(follow_redirects=False) as http:
            clients = [
                ProviderClient(config=p, http=http, https_only=https) for p in config.providers
            ]
            unreachable = await check_at_start(clients)
        store = open_store(config.store)
        try:
            await store.hit("startup-check", limit=1_000_000, window=1)
            store_up = True
        except StoreUnavailable:
            store_up = False
        await store.close()
        return unreachable, store_up

    try:
        # Its own thread, so a caller that already runs an event loop (a test, an embedding
        # program) can invoke the command too.
        with ThreadPoolExecutor(max_workers=1) as pool:
            unreachable, store_up = pool.submit(lambda: asyncio.run(check())).result()
    except DiscoveryProblem as exc:
        _fail(str(exc))
        return []
    for provider in unreachable:
        click.echo(
            f"note: provider {provider} did not answer discovery; serving anyway and retrying in "
            "the background (its sign-ins say 'unavailable' until it answers)",
            err=True,
        )
    if not store_up:
        click.echo(
            "note: the store (store.url) does not answer; sign-ins and unlocks answer "
            "'unavailable' (503) until it does",
            err=True,
        )
    return unreachable


@click.command("serve")
@click.option(
    "--out",
    default="build/site",
    type=click.Path(path_type=Path),
    show_default=True,
    help="The built site (the symlink `build` writes).",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, type=click.IntRange(1, 65535), show_default=True)
@click.option(
    "--dev-idp",
    "dev_idp",
    type=click.Path(path_type=Path, exists=True),
    help="Development e-ID provider with this export's personas (loopback only).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, exists=True),
    help="Key service TOML (providers, limits); see docs/deploy.md.",
)
@click.option(
    "--state-dir", default=".site-builder", type=click.Path(path_type=Path), show_default=True
)
@click.option(
    "--spool",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where families' sealed replies are stored for `site-builder inbox` "
    "[default: <state-dir>/spool].",
)
def command(
    out: Path,
    host: str,
    port: int,
    dev_idp: Path | None,
    config_path: Path | None,
    state_dir: Path,
    spool: Path | None,
) -> None:
    """Serve the site with security headers, /auth (key release) and optionally /dev-idp."""
    import uvicorn

    from site_builder.keyservice.config import ConfigError, load_config
    from site_builder.keyservice.sitekey import key_problem, mismatch_message
    from site_builder.serve import create_app

    host = host.strip("[]")  # uvicorn takes ::1, URLs need [::1]
    if dev_idp is not None and config_path is not None:
        _fail("--dev-idp makes its own key-service config (fresh client keys); leave out --config")
    if dev_idp is not None and host not in LOOPBACK_HOSTS:
        _fail("--dev-idp is for testing and only binds loopback: use --host 127.0.0.1")
    retired_path = state_dir / RETIRED_FILE
    try:
        master = MasterKey.load(state_dir / MASTER_FILE)
        # After `keys rotate`, until the next build is live, the site is still sealed under the
        # retired key: holding both is the overlap that strands no one whatever the restart order.
        retired = MasterKey.load(retired_path, env={}) if retired_path.exists() else None
    except FileNotFoundError:
        _fail(f"no master key at {state_dir / MASTER_FILE}; run: site-builder keys init")
        return
    except (PermissionError, ValueError) as exc:
        _fail(str(exc))
        return
    if key_problem(out, [master, *([retired] if retired else [])]):
        _fail(mismatch_message(out))
    config = None
    if config_path is not None:
        try:
            config = load_config(config_path)
        except ConfigError as exc:
            _fail(str(exc))
    if not out.exists():
        click.echo(f"note: {out} does not exist yet; run `site-builder build` (serving 404s)")
    url_host = f"[{host}]" if ":" in host else host
    bound = f"http://{url_host}:{port}"
    base_url = config.base_url if config else bound
    retry = _check_at_start(config) if config is not None else []
    try:
        app = create_app(
            site_dir=out,
            master=master,
            retired=retired,
            dev_idp_register=dev_idp,
            base_url=base_url,
            config=config,
            retry_discovery=retry,
            spool_dir=spool or state_dir / "spool",
            notify_db=state_dir / CONSENT_FILE,
        )
    except (ValueError, ConsentStoreError) as exc:
        _fail(str(exc))
        return
    if config is None and dev_idp is None:
        click.echo("note: no --config and no --dev-idp: the site is served without /auth")
    public = f" for {base_url}/" if base_url != bound else ""
    click.echo(f"serving {out} on {bound}/{public}" + (" (dev e-ID: TESTMILJÖ)" if dev_idp else ""))
    # uvicorn's access log would record URLs and addresses; the key service logs its own lines.
    uvicorn.run(
        app,
        host=host,
        port=port,
        access_log=False,
        log_level="warning",
        proxy_headers=True,
        server_header=False,
    )
