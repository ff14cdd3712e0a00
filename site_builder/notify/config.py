"""notify.toml: where the app lives, the SMTP relay, and Web Push (docs/notify.md).

The password never lives in the file: `password_env` names an environment variable.
"""

from __future__ import annotations

import os
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from site_builder.keyservice.config import LOOPBACK_HOSTS
from site_builder.toml_file import TomlFileError, read_toml_model


class NotifyConfigError(ValueError):
    """A configuration problem, phrased so an operator can fix it."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SmtpConfig(_Strict):
    host: str = Field(min_length=1)
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = Field(
        default="starttls", description="'none' (no encryption) only towards 127.0.0.1/localhost."
    )
    username: str | None = None
    password_env: str | None = None
    password: SecretStr | None = Field(default=None, description="Set from password_env.")
    sender: str = Field(alias="from", description='e.g. "Exempelby kommun <noreply@...>"')
    ca_file: Path | None = Field(default=None, description="A private CA to trust (tests).")
    timeout_seconds: float = Field(default=30, gt=0, le=600)
    retries: int = Field(default=3, ge=0, le=10, description="Extra tries per temporary failure.")
    retry_base_seconds: float = Field(default=2.0, ge=0, le=300, description="Doubles each try.")
    connections: int = Field(default=1, ge=1, le=16, description="Parallel SMTP sessions.")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("sender")
    @classmethod
    def _address(cls, value: str) -> str:
        _, addr = parseaddr(value)
        try:
            Address(addr_spec=addr)
        except (ValueError, IndexError):
            raise ValueError(
                "give an address such as 'Kommunen <noreply@kommun.example>'"
            ) from None
        if "@" not in addr:
            raise ValueError("give an address such as 'Kommunen <noreply@kommun.example>'")
        return value

    @property
    def envelope_from(self) -> str:
        return parseaddr(self.sender)[1]


class PushConfig(_Strict):
    enabled: bool = True
    subject: str = Field(
        default="", description="VAPID contact: mailto:it@kommun.example or https://..."
    )
    ttl_seconds: int = Field(default=86400, ge=0, le=2419200)


class NotifyConfig(_Strict):
    base_url: str = Field(description="The app's public origin, e.g. https://skola.example.se")
    smtp: SmtpConfig | None = None
    push: PushConfig = Field(default_factory=PushConfig)

    @field_validator("base_url")
    @classmethod
    def _origin(cls, value: str) -> str:
        parts = urlsplit(value)
        loopback = parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
        if not parts.hostname or not (parts.scheme == "https" or loopback):
            raise ValueError("must be https:// (plain http only on 127.0.0.1 / localhost)")
        if not value.isascii():  # it goes into a mail header as is
            raise ValueError("write the host in its ASCII (xn--) form")
        return value.rstrip("/")


def load_notify_config(path: Path, *, env: dict[str, str] | None = None) -> NotifyConfig:
    """Read and check notify.toml; the SMTP password comes from the environment."""
    environ = dict(os.environ) if env is None else env
    try:
        config = read_toml_model(path, NotifyConfig)
    except TomlFileError as exc:
        raise NotifyConfigError(str(exc)) from None
    smtp = config.smtp
    if smtp is None:
        return config
    if smtp.security == "none" and smtp.host not in LOOPBACK_HOSTS:
        raise NotifyConfigError(
            f"{path}: smtp.security = 'none' sends in the clear; use 'starttls' or 'tls' "
            "(plain only towards 127.0.0.1 / localhost)"
        )
    if smtp.username is not None and smtp.password is None:
        name = smtp.password_env
        if not name or not environ.get(name):
            raise NotifyConfigError(
                f"{path}: smtp.username is set: set smtp.password_env and export that variable"
            )
        smtp = smtp.model_copy(update={"password": SecretStr(environ[name])})
    return config.model_copy(update={"smtp": smtp})
