"""Discovery checked when the service starts, so an issuer typo is found by the operator, not by
the first guardian: a wrong answer stops `serve` with a message naming the field; a provider that
is down is retried in the background (the service starts, and says so)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Iterable
from typing import TextIO

from site_builder.keyservice.oidc import LoginRejected, ProviderClient, ProviderUnavailable

RETRY_FIRST_SECONDS = 2.0
RETRY_MAX_SECONDS = 60.0


class DiscoveryProblem(Exception):
    """The provider answered, and its answer cannot work with this configuration."""


async def check_provider(client: ProviderClient) -> None:
    """Fetch and check discovery, priming the client's cache.

    Raises DiscoveryProblem (operator's fix in the message) or ProviderUnavailable."""
    where = f"providers[{client.config.id}]"
    try:
        meta = await client.get_json(client.discovery_url)
    except LoginRejected as exc:
        raise DiscoveryProblem(
            f"{where}.issuer: {client.discovery_url} did not give discovery JSON ({exc.reason}); "
            "check the issuer URL"
        ) from None
    found = meta.get("issuer")
    if found != client.config.issuer:
        raise DiscoveryProblem(
            f"{where}.issuer is {client.config.issuer!r} but {client.discovery_url} says "
            f"issuer {found!r} (discovery_issuer_mismatch); set issuer to exactly the "
            "provider's value"
        )
    try:
        await client.metadata()
        await client.endpoints()
    except LoginRejected as exc:
        raise DiscoveryProblem(
            f"{where}: discovery at {client.discovery_url} is not usable ({exc.reason}); "
            "every endpoint must be given, and https:// when base_url is https://"
        ) from None


async def check_at_start(clients: Iterable[ProviderClient]) -> list[str]:
    """The ids of providers that could not be reached; raises DiscoveryProblem on a wrong one."""
    unreachable: list[str] = []
    for client in clients:
        try:
            await check_provider(client)
        except ProviderUnavailable:
            unreachable.append(client.config.id)
    return unreachable


async def keep_trying(
    client: ProviderClient,
    *,
    stream: TextIO = sys.stderr,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Retry discovery with back-off until it works; one line to `stream` per outcome (the
    provider id and the problem only). Sign-ins meanwhile answer `unavailable`.

    `sleep(seconds)` waits between attempts: 2 s, doubling up to 60 s. A test passes one that
    records the waits instead of sleeping through them."""
    delay = RETRY_FIRST_SECONDS
    while True:
        try:
            await check_provider(client)
        except ProviderUnavailable:
            await sleep(delay)
            delay = min(delay * 2, RETRY_MAX_SECONDS)
            continue
        except DiscoveryProblem as exc:
            stream.write(f"error: {exc}\n")
            stream.flush()
            return
        stream.write(f"note: provider {client.config.id} reachable; discovery checked\n")
        stream.flush()
        return
