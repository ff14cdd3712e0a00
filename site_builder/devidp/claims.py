"""ID token claims in the shape of the Swedish OIDC profile (and a school login for students)."""

from __future__ import annotations

import hashlib
import time
from typing import Any

from site_builder.devidp.clients import DevClient
from site_builder.devidp.personas import Persona
from site_builder.keyservice.config import LOA3, SWEDISH_COORDINATION_CLAIM, SWEDISH_PNR_CLAIM

ID_TOKEN_SECONDS = 300


def id_token_claims(
    persona: Persona, *, issuer: str, client: DevClient, nonce: str
) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": client.client_id,
        # A pairwise-looking opaque sub, as real providers give; never the personnummer.
        "sub": hashlib.sha256(f"{client.client_id}|{persona.id}".encode()).hexdigest()[:32],
        "iat": now,
        "exp": now + ID_TOKEN_SECONDS,
        "auth_time": now,
        "nonce": nonce,
        "acr": LOA3,
        "given_name": persona.given_name,
        "family_name": persona.family_name,
        "name": f"{persona.given_name} {persona.family_name}",
    }
    if client.audience == "student" and persona.eppn:
        claims["eduPersonPrincipalName"] = persona.eppn
    elif persona.civic_no:
        claim = SWEDISH_COORDINATION_CLAIM if persona.is_coordination_number else SWEDISH_PNR_CLAIM
        claims[claim] = persona.civic_no
    return claims
