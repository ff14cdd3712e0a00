"""The dev provider's registered clients and how each must authenticate at the token endpoint."""

from __future__ import annotations

import base64
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from site_builder.fp1.encoding import b64u_decode
from site_builder.keyservice.clientauth import ASSERTION_TYPE

Audience = Literal["guardian", "student"]


@dataclass(frozen=True)
class DevClient:
    client_id: str
    redirect_uris: tuple[str, ...]  # the site's callback under each loopback name
    audience: Audience
    secret: str | None = None  # client_secret_basic / client_secret_post
    public_key: dict[str, Any] | None = None  # private_key_jwt


def authenticate(
    clients: dict[str, DevClient],
    *,
    form: dict[str, str],
    authorization: str | None,
    token_endpoint: str,
    seen_assertions: set[str],
) -> DevClient | None:
    """The client the request authenticates as, or None."""
    if authorization and authorization.startswith("Basic "):
        try:
            pair = base64.b64decode(authorization[6:]).decode()
        except ValueError:
            return None
        raw_id, _, raw_secret = pair.partition(":")
        return _by_secret(clients, unquote(raw_id), unquote(raw_secret))
    if form.get("client_assertion_type") == ASSERTION_TYPE:
        return _by_assertion(
            clients, form.get("client_assertion", ""), token_endpoint, seen_assertions
        )
    return _by_secret(clients, form.get("client_id", ""), form.get("client_secret", ""))


def _by_secret(clients: dict[str, DevClient], client_id: str, secret: str) -> DevClient | None:
    client = clients.get(client_id)
    if client is None or client.secret is None:
        return None
    return client if hmac.compare_digest(client.secret, secret) else None


def _by_assertion(
    clients: dict[str, DevClient], assertion: str, token_endpoint: str, seen: set[str]
) -> DevClient | None:
    try:
        # Read `iss` to pick the client's registered key, then verify with that key only.
        named = json.loads(b64u_decode(assertion.split(".")[1])).get("iss")
        client = clients.get(str(named))
        if client is None or client.public_key is None:
            return None
        key = ECKey.import_key(client.public_key)
        claims = jwt.decode(assertion, key, algorithms=["ES256"]).claims
    except (JoseError, ValueError, IndexError, AttributeError):
        return None
    if claims.get("iss") != client.client_id or claims.get("sub") != client.client_id:
        return None
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    issuer = token_endpoint.rsplit("/", 1)[0]  # either audience is accepted, as by real IdPs
    if not any(a in (token_endpoint, issuer) for a in audiences):
        return None
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or exp < time.time():
        return None
    jti = str(claims.get("jti", ""))
    if not jti or jti in seen:
        return None
    seen.add(jti)
    return client
