"""Claims -> fp1 subject -> rid, per provider; the service needs no copy of the register."""

from __future__ import annotations

from typing import Any

from site_builder.fp1 import MasterKey, reader_id, subject_for_eppn, subject_for_pnr
from site_builder.keyservice.config import ProviderConfig
from site_builder.keyservice.oidc import LoginRejected


def subject_from_claims(claims: dict[str, Any], *, provider: ProviderConfig) -> str:
    """The first configured identity claim present decides the subject."""
    for name in provider.identity_claims:
        value = claims.get(name)
        if isinstance(value, list) and value:
            value = value[0]  # eduPersonPrincipalName may arrive multi-valued
        if not isinstance(value, str) or not value.strip():
            continue
        try:
            if provider.subject_kind == "pnr":
                return subject_for_pnr(value.strip())
            return subject_for_eppn(value)
        except ValueError:
            raise LoginRejected(f"identity_claim_malformed:{_short(name)}") from None
    raise LoginRejected("identity_claim_missing")


def rid_from_claims(claims: dict[str, Any], *, provider: ProviderConfig, master: MasterKey) -> str:
    return reader_id(master, subject_from_claims(claims, provider=provider))


def _short(claim_name: str) -> str:
    return claim_name.rsplit("/", 1)[-1][:40]
