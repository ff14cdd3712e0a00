"""The key-service configuration `serve --dev-idp` generates: two providers, both the dev IdP.

"eid" (guardians) uses the Swedish OIDC profile's personnummer claim and private_key_jwt, as a
real Swedish e-ID provider would; "skola" (students) maps eduPersonPrincipalName with
client_secret_basic. Fresh secrets every start: nothing to store, nothing to leak.
"""

from __future__ import annotations

import secrets

from joserfc.jwk import ECKey
from pydantic import SecretStr

from site_builder.devidp.clients import DevClient
from site_builder.keyservice.config import KeyServiceConfig, Label, ProviderConfig
from site_builder.keyservice.service import loopback_aliases


def dev_setup(*, base_url: str) -> tuple[KeyServiceConfig, dict[str, DevClient]]:
    base = base_url.rstrip("/")
    issuer = base + "/dev-idp"
    # 127.0.0.1 and localhost are both the site (WebAuthn needs a name, not an IP).
    redirect_uris = tuple(o + "/auth/callback" for o in loopback_aliases(base)) or (
        base + "/auth/callback",
    )
    client_key = ECKey.generate_key("P-256", parameters={"kid": "fp-eid-client"})
    skola_secret = secrets.token_urlsafe(24)
    eid = ProviderConfig(
        id="eid",
        label=Label(sv="Test-e-legitimation (TESTMILJÖ)", en="Test e-ID (test environment)"),
        audience="guardian",
        issuer=issuer,
        client_id="fp-eid",
        auth_method="private_key_jwt",
        private_key=SecretStr(client_key.as_pem(private=True).decode("ascii")),
        private_key_alg="ES256",
        algorithms=["ES256"],
    )
    skola = ProviderConfig(
        id="skola",
        label=Label(sv="Skolinloggning (TESTMILJÖ)", en="School login (test environment)"),
        audience="student",
        issuer=issuer,
        client_id="fp-skola",
        auth_method="client_secret_basic",
        client_secret=SecretStr(skola_secret),
        scopes=["openid", "profile"],
        subject_kind="eppn",
        identity_claims=["eduPersonPrincipalName"],
        acr_values=[],
        request_acr=False,
        algorithms=["ES256"],
    )
    clients = {
        "fp-eid": DevClient(
            client_id="fp-eid",
            redirect_uris=redirect_uris,
            audience="guardian",
            public_key=dict(client_key.as_dict(private=False)),
        ),
        "fp-skola": DevClient(
            client_id="fp-skola",
            redirect_uris=redirect_uris,
            audience="student",
            secret=skola_secret,
        ),
    }
    return KeyServiceConfig(base_url=base, providers=[eid, skola]), clients
