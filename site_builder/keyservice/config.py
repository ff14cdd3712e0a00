"""The key service's TOML configuration: providers, identity mapping, limits.

Secrets never live in the file: `client_secret_env` and `private_key_env` name environment
variables (or `private_key_file` a file readable by the service only).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
    model_validator,
)

from site_builder.keyservice.clientkey import load_private_key
from site_builder.toml_file import TomlFileError, read_toml_model

SWEDISH_PNR_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"
SWEDISH_COORDINATION_CLAIM = "https://id.oidc.se/claim/coordinationNumber"
SWEDISH_PNR_SCOPE = "https://id.oidc.se/scope/naturalPersonNumber"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
# Asymmetric algorithms only: a provider's JWKS is public, so HS* would let anyone forge tokens.
ASYMMETRIC_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

TokenAuth = Literal["client_secret_basic", "client_secret_post", "private_key_jwt"]
SubjectKind = Literal["pnr", "eppn"]
Audience = Literal["guardian", "student"]


class ConfigError(ValueError):
    """A configuration problem, phrased so an operator can fix it."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(_Strict):
    sv: str
    en: str


class ProviderConfig(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    label: Label
    audience: Audience = "guardian"
    issuer: str = Field(description="Exact `iss`; discovery is <issuer>/.well-known/...")
    client_id: str
    auth_method: TokenAuth = "client_secret_basic"
    client_secret_env: str | None = None
    client_secret: SecretStr | None = Field(default=None, description="Set from the env var.")
    private_key_env: str | None = None
    private_key_file: Path | None = None
    private_key: SecretStr | None = Field(default=None, description="PEM, set from env/file.")
    private_key_alg: Literal["RS256", "ES256"] = "RS256"
    assertion_audience: Literal["token_endpoint", "issuer"] = Field(
        default="token_endpoint", description="`aud` of the private_key_jwt client assertion."
    )
    scopes: list[str] = Field(default_factory=lambda: ["openid", SWEDISH_PNR_SCOPE])
    subject_kind: SubjectKind = "pnr"
    identity_claims: list[str] = Field(
        default_factory=lambda: [SWEDISH_PNR_CLAIM, SWEDISH_COORDINATION_CLAIM],
        description="First claim present wins: e.g. ssn (Idura), nin (Signicat), upn, email.",
    )
    acr_values: list[str] = Field(default_factory=lambda: [LOA3], description="Accepted acr.")
    request_acr: bool = True
    # OIDC prompt=login: the provider authenticates the person again instead of reusing its own
    # session, so after "Lås" or "Glöm" on a shared device the next sign-in is a new e-ID login,
    # not silently the previous person's. False only for a school SSO where that is unwanted.
    prompt_login: bool = True
    algorithms: list[str] = Field(default_factory=lambda: ["RS256", "ES256"])

    @model_validator(mode="after")
    def _check(self) -> ProviderConfig:
        bad = [a for a in self.algorithms if a not in ASYMMETRIC_ALGORITHMS]
        if bad:
            raise ValueError(f"algorithms {bad} not allowed; use {list(ASYMMETRIC_ALGORITHMS)}")
        if "openid" not in self.scopes:
            raise ValueError("scopes must include 'openid'")
        return self


class RateLimitConfig(_Strict):
    # Counted per address: sign-ins started and requests refused (a finished sign-in's callback
    # and unlock cost nothing here, so a school network or a carrier's NAT is not starved).
    per_address: int = Field(default=120, ge=1, le=100_000)
    per_reader: int = Field(default=10, ge=1, le=10_000, description="Unlocks per window per rid.")
    per_handoff: int = Field(default=5, ge=1, le=100, description="Unlock attempts per handoff.")
    window_seconds: int = Field(default=60, ge=1, le=3600)


class StoreConfig(_Strict):
    """`memory`: one instance. `redis`: shared by every instance (Redis or Valkey)."""

    kind: Literal["memory", "redis"] = "memory"
    url: str | None = Field(default=None, description="redis:// or rediss://, no password")
    url_env: str | None = Field(default=None, description="Env var with the URL (password)")
    key_prefix: str = Field(default="site-builder:", min_length=1, max_length=64)

    @model_validator(mode="after")
    def _check(self) -> StoreConfig:
        if self.kind == "redis" and not (self.url or self.url_env):
            raise ValueError("kind = 'redis' needs url (or url_env naming a variable)")
        if self.url and not self.url.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("url must start with redis://, rediss:// or unix://")
        return self


class KeyServiceConfig(_Strict):
    base_url: str = Field(description="Public origin of the site, e.g. https://skola.example.se")
    providers: list[ProviderConfig] = Field(min_length=1)
    epochs: list[str] | None = Field(
        default=None, description="Epochs to serve; default: every epoch in the site's latest.json"
    )
    device_key_days: int = Field(default=30, ge=1, le=400)
    handoff_seconds: int = Field(default=60, ge=5, le=120)
    login_seconds: int = Field(default=600, ge=60, le=1800)
    access_log: Path | None = Field(default=None, description="JSON lines file; default stderr.")
    rate_limit: RateLimitConfig = Field(default_factory=RateLimitConfig)
    store: StoreConfig = Field(default_factory=StoreConfig)

    @field_validator("base_url")
    @classmethod
    def _origin_only(cls, value: str) -> str:
        # The routes live at /auth on this origin, and cookies are Secure unless on loopback.
        parts = urlsplit(value)
        extra = parts.query or parts.fragment or parts.username or parts.password
        if parts.path not in ("", "/") or extra or not parts.hostname:
            raise ValueError("give the site's origin only, e.g. https://skola.example.se")
        if parts.scheme != "https" and not (
            parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
        ):
            raise ValueError("must be https:// (plain http only on 127.0.0.1 / localhost)")
        # The origin as browsers write it (scheme and host in lower case): "HTTPS://Skola…" is
        # the same site, and every check downstream compares the written form.
        return f"{parts.scheme}://{parts.netloc.lower()}"

    @model_validator(mode="after")
    def _providers_fit(self) -> KeyServiceConfig:
        https = self.base_url.startswith("https://")
        for index, provider in enumerate(self.providers):
            where = f"providers[{index}] ({provider.id})"
            # Over http the client secret and the code travel in clear and a network attacker
            # can swap the JWKS; only a loopback demo (http base_url) may use an http issuer.
            if https and not provider.issuer.startswith("https://"):
                raise ValueError(f"{where}.issuer must be https:// when base_url is https://")
            # A guardian provider without acr_values would let a low-assurance login unlock.
            if provider.audience == "guardian" and not provider.acr_values:
                raise ValueError(
                    f"{where}.acr_values is empty: a guardian provider must name the accepted "
                    f'assurance levels, e.g. ["{LOA3}"]'
                )
        return self


def _check_key_file_mode(path: Path, *, where: str) -> None:
    """The signing key proves the service to the provider: no one else may read it."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise ConfigError(
            f"{where}.private_key_file: cannot read {path} ({exc.strerror}); check the path "
            "and that the service user may read it"
        ) from None
    if mode & 0o077:
        raise ConfigError(
            f"{where}.private_key_file: {path} is readable by others (mode {mode & 0o777:o}); "
            f"run: chmod 600 {path}"
        )


def _resolve_store_url(config: KeyServiceConfig, env: dict[str, str]) -> KeyServiceConfig:
    store = config.store
    if store.kind != "redis" or store.url:
        return config
    name = store.url_env or ""
    if not env.get(name):
        raise ConfigError(f"store.url_env: export {name} (the redis:// URL) or set store.url")
    resolved = store.model_copy(update={"url": env[name]})
    return config.model_copy(update={"store": resolved})


def _resolve_secrets(provider: ProviderConfig, env: dict[str, str]) -> ProviderConfig:
    updates: dict[str, object] = {}
    where = f"providers[{provider.id}]"
    if provider.auth_method in ("client_secret_basic", "client_secret_post"):
        name = provider.client_secret_env
        if provider.client_secret is None:
            if not name or not env.get(name):
                raise ConfigError(f"{where}: set client_secret_env and export that variable")
            updates["client_secret"] = SecretStr(env[name])
    elif provider.private_key is None:
        if provider.private_key_env and env.get(provider.private_key_env):
            updates["private_key"] = SecretStr(env[provider.private_key_env])
        elif provider.private_key_file is not None:
            _check_key_file_mode(provider.private_key_file, where=where)
            try:
                updates["private_key"] = SecretStr(provider.private_key_file.read_text())
            except OSError as exc:
                raise ConfigError(
                    f"{where}.private_key_file: cannot read {provider.private_key_file} "
                    f"({exc.strerror}); check the path and that the service user may read it"
                ) from None
        else:
            raise ConfigError(f"{where}: private_key_jwt needs private_key_env or private_key_file")
    resolved = provider.model_copy(update=updates)
    if resolved.auth_method == "private_key_jwt" and resolved.private_key is not None:
        try:
            load_private_key(resolved.private_key.get_secret_value(), alg=resolved.private_key_alg)
        except ValueError as exc:
            raise ConfigError(f"{where}: private key: {exc}; check private_key_alg") from None
    return resolved


def load_config(path: Path, *, env: dict[str, str] | None = None) -> KeyServiceConfig:
    """Read and validate the TOML file; secrets come from the environment."""
    environ = dict(os.environ) if env is None else env
    try:
        config = read_toml_model(path, KeyServiceConfig)
    except TomlFileError as exc:
        raise ConfigError(str(exc)) from None
    providers = [_resolve_secrets(p, environ) for p in config.providers]
    return _resolve_store_url(config.model_copy(update={"providers": providers}), environ)
