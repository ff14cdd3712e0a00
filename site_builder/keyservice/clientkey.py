"""The client's own signing key for private_key_jwt, read from PEM text or a JWK JSON string."""

from __future__ import annotations

import json

from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey


def load_private_key(pem_or_jwk: str, *, alg: str) -> ECKey | RSAKey:
    """The private key; ValueError saying what is wrong (never the key material itself)."""
    text = pem_or_jwk.strip()
    key_type: type[ECKey] | type[RSAKey] = ECKey if alg.startswith("ES") else RSAKey
    try:
        key = key_type.import_key(json.loads(text) if text.startswith("{") else text)
    except (JoseError, ValueError):
        raise ValueError(f"not a private {key_type.key_type} key for {alg} (PEM or JWK)") from None
    if not key.is_private:
        raise ValueError(
            f"a public key was given; private_key_jwt with {alg} needs the private key"
        )
    return key
