"""ID token verification (OpenID Connect Core 3.1.3.7) with joserfc.

Every failure raises LoginRejected with a short reason for the access log; the browser only ever
learns that sign-in failed.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from site_builder.fp1.encoding import b64u_decode
from site_builder.keyservice.config import ASYMMETRIC_ALGORITHMS
from site_builder.keyservice.oidc import LoginRejected

LEEWAY_SECONDS = 60


@dataclass(frozen=True, slots=True)
class Expected:
    issuer: str
    client_id: str
    nonce: str
    algorithms: tuple[str, ...]
    acr_values: tuple[str, ...]


def _header(token: str) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) != 3:
        raise LoginRejected("id_token_not_jws")
    try:
        header = json.loads(b64u_decode(parts[0]))
    except ValueError:
        raise LoginRejected("id_token_bad_header") from None
    if not isinstance(header, dict):
        raise LoginRejected("id_token_bad_header")
    return header


async def verify_id_token(
    token: str,
    *,
    expected: Expected,
    keys_for: Callable[[str | None], Awaitable[KeySet]],
    now: float,
) -> dict[str, Any]:
    """Verify signature and claims; returns the claims. `keys_for(kid)` gives the JWKS."""
    header = _header(token)
    alg = header.get("alg")
    # The allow-list is checked before any key is touched: never `none`, never HS*.
    if alg not in expected.algorithms or alg not in ASYMMETRIC_ALGORITHMS:
        raise LoginRejected("alg_not_allowed")
    kid = header.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise LoginRejected("kid_invalid")
    keyset = await keys_for(kid)
    # Only signing keys, and only one whose own `alg` (when it names one) is the token's.
    candidates = [
        k
        for k in keyset.keys
        if (kid is None or k.kid == kid)
        and k.get("use") in (None, "sig")
        and k.get("alg") in (None, alg)
    ]
    if not candidates or (kid is None and len(candidates) != 1):
        raise LoginRejected("unknown_kid")
    try:
        decoded = jwt.decode(token, candidates[0], algorithms=[str(alg)])
    except JoseError:
        raise LoginRejected("bad_signature") from None
    except ValueError:
        raise LoginRejected("bad_signature") from None
    claims = dict(decoded.claims)
    check_claims(claims, expected=expected, now=now)
    return claims


def check_claims(claims: dict[str, Any], *, expected: Expected, now: float) -> None:
    if claims.get("iss") != expected.issuer:
        raise LoginRejected("wrong_iss")
    aud = claims.get("aud")
    audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
    if expected.client_id not in audiences:
        raise LoginRejected("wrong_aud")
    if (len(audiences) > 1 or "azp" in claims) and claims.get("azp") != expected.client_id:
        raise LoginRejected("wrong_azp")
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or not isinstance(iat, int | float):
        raise LoginRejected("missing_exp_or_iat")
    if exp + LEEWAY_SECONDS < now:
        raise LoginRejected("expired")
    if iat - LEEWAY_SECONDS > now:
        raise LoginRejected("iat_in_future")
    nonce = claims.get("nonce")
    if nonce is None:
        raise LoginRejected("missing_nonce")
    if nonce != expected.nonce:
        raise LoginRejected("nonce_mismatch")
    if not isinstance(claims.get("sub"), str):
        raise LoginRejected("missing_sub")
    if expected.acr_values and claims.get("acr") not in expected.acr_values:
        raise LoginRejected("acr_not_accepted")
