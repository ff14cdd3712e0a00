"""Client authentication at the token endpoint (RFC 6749 / OpenID Connect Core 9)."""

from __future__ import annotations

import base64
import secrets
import time
from typing import Any
from urllib.parse import quote

from joserfc import jwt

from site_builder.keyservice.clientkey import load_private_key
from site_builder.keyservice.config import ProviderConfig

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def client_assertion(config: ProviderConfig, *, audience: str) -> str:
    """A private_key_jwt assertion: iss = sub = client id, aud = the token endpoint."""
    if config.private_key is None:
        raise ValueError(f"provider {config.id}: no private key for private_key_jwt")
    key = load_private_key(config.private_key.get_secret_value(), alg=config.private_key_alg)
    now = int(time.time())
    claims = {
        "iss": config.client_id,
        "sub": config.client_id,
        "aud": audience,
        "jti": secrets.token_urlsafe(18),
        "iat": now,
        "exp": now + 60,
    }
    header: dict[str, Any] = {"alg": config.private_key_alg}
    if key.kid:
        header["kid"] = key.kid
    return jwt.encode(header, claims, key, algorithms=[config.private_key_alg])


def client_auth(
    config: ProviderConfig, *, token_endpoint: str
) -> tuple[dict[str, str], dict[str, str]]:
    """(extra form fields, extra headers) that authenticate us at the token endpoint."""
    if config.auth_method == "private_key_jwt":
        # OIDC Core 9 names the token endpoint; providers following the newer advice (the
        # issuer as the only audience) are served by `assertion_audience = "issuer"`.
        audience = config.issuer if config.assertion_audience == "issuer" else token_endpoint
        assertion = client_assertion(config, audience=audience)
        return {"client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion}, {}
    if config.client_secret is None:
        raise ValueError(f"provider {config.id}: no client secret")
    secret = config.client_secret.get_secret_value()
    if config.auth_method == "client_secret_post":
        return {"client_id": config.client_id, "client_secret": secret}, {}
    # RFC 6749 2.3.1: form-urlencode id and secret before base64.
    pair = f"{quote(config.client_id, safe='')}:{quote(secret, safe='')}".encode()
    return {}, {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
