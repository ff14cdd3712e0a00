"""The keyservice.toml examples in docs/deploy.md are valid configurations."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from site_builder.keyservice.config import KeyServiceConfig

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"


def _toml_blocks() -> list[str]:
    return re.findall(r"```toml\n(.*?)```", DEPLOY.read_text(encoding="utf-8"), flags=re.S)


def test_every_provider_example_validates_with_the_service_settings() -> None:
    settings, *providers = _toml_blocks()
    assert len(providers) >= 4  # Swedish OIDC profile, Idura, Signicat, school login
    for provider in providers:
        config = KeyServiceConfig.model_validate(tomllib.loads(settings + "\n" + provider))
        assert config.base_url.startswith("https://")
    kinds = {
        tomllib.loads(p)["providers"][0]["auth_method"] for p in providers if "auth_method" in p
    }
    assert kinds == {"private_key_jwt", "client_secret_post", "client_secret_basic"}


SOURCES = Path(__file__).resolve().parents[2] / "site_builder" / "keyservice"
REASON = re.compile(r'(?:LoginRejected\(f?|reason=f?|reason = f?|_reject\(service, )"([a-z_]+)')


def test_every_logged_reason_is_documented() -> None:
    """Each reason code the service can write to the access log is in deploy.md's table."""
    found = {
        match
        for path in SOURCES.glob("*.py")
        for match in REASON.findall(path.read_text(encoding="utf-8"))
    }
    assert len(found) > 30
    documented = DEPLOY.read_text(encoding="utf-8")
    families = re.findall(r"`([a-z_]+_)<", documented)  # `provider_error_<error>` and the like
    missing = [
        r for r in found if f"`{r}" not in documented and not any(r.startswith(f) for f in families)
    ]
    assert sorted(missing) == []
