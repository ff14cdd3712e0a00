"""Supply chain, offline: no banned or known-vulnerable JOSE library is installed, every package
with a known advisory is at or above its fixed version (installed and as pyproject's lower
bound), and the code uses one JOSE library only (joserfc).

pip-audit needs a vulnerability database from the network, so it is not part of `make test`;
docs/threat-model.md says how to run it by hand. This list is updated when advisories appear.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[2]

# JOSE libraries: None = banned outright; a version = banned below it (its last alg-confusion or
# token-forgery fix).
BANNED: dict[str, str | None] = {
    "python-jose": None,  # unmaintained; CVE-2024-33663 (alg confusion with ECDSA keys)
    "jose": None,  # abandoned predecessor of python-jose
    "pyjwt": "2.4.0",  # CVE-2022-29217: algorithm confusion
    "jwcrypto": "1.5.6",  # CVE-2022-3102 (token substitution), CVE-2024-28102 (DoS)
    "authlib": "1.3.1",  # CVE-2024-37568: algorithm confusion with asymmetric public keys
    "python-jwt": "3.3.4",  # CVE-2022-39227: token forgery
}
JOSE_LIBRARIES = {*BANNED, "joserfc"}
# Lowest version without a known advisory that matters here (fixed-in versions).
MIN_SAFE: dict[str, str] = {
    "cryptography": "44.0.1",  # CVE-2024-12797: OpenSSL in the wheels (42.0.0–44.0.0)
    "jinja2": "3.1.6",  # CVE-2024-56201, CVE-2024-56326, CVE-2025-27516 (sandbox)
    "pillow": "10.3.0",  # CVE-2024-28219 (buffer overflow), CVE-2023-50447 (eval)
    "starlette": "0.49.1",  # CVE-2025-62727 (Range header DoS), CVE-2024-47874 (multipart)
    "python-multipart": "0.0.27",  # CVE-2024-53981, CVE-2026-40347, CVE-2026-42561 (DoS)
    "h11": "0.16.0",  # CVE-2025-43859: request smuggling (uvicorn's HTTP parser)
    "pyyaml": "5.4",  # CVE-2020-14343: full_load code execution
    "tqdm": "4.66.3",  # CVE-2024-34062: eval of CLI arguments
    "nh3": "0.2.14",  # built on ammonia ≥ 3.3 (RUSTSEC-2021-0074 fixed long before)
    "joserfc": "1.0.0",
    "urllib3": "2.5.0",  # CVE-2025-50181/50182: redirects not disabled as asked
}


def _installed() -> dict[str, Version]:
    found: dict[str, Version] = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found[canonicalize_name(name)] = Version(dist.version)
    return found


def _declared() -> list[Requirement]:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    extras = [r for group in project.get("optional-dependencies", {}).values() for r in group]
    return [Requirement(r) for r in [*project["dependencies"], *extras]]


def _lower_bound(requirement: Requirement) -> Version | None:
    bounds = [Version(s.version) for s in requirement.specifier if s.operator in {">=", "==", "~="}]
    return max(bounds) if bounds else None


def test_no_banned_jose_library_is_installed() -> None:
    installed = _installed()
    offending = {
        name: str(version)
        for name, floor in BANNED.items()
        if (version := installed.get(canonicalize_name(name))) is not None
        and (floor is None or version < Version(floor))
    }
    assert offending == {}


@pytest.mark.parametrize("name", sorted(MIN_SAFE))
def test_installed_version_has_no_known_advisory(name: str) -> None:
    version = _installed().get(canonicalize_name(name))
    if version is None:
        return  # not installed here: nothing to audit (pyproject's bound is checked below)
    assert version >= Version(MIN_SAFE[name]), f"{name} {version} < {MIN_SAFE[name]}"


def test_declared_lower_bounds_exclude_known_advisories() -> None:
    too_low = {}
    for requirement in _declared():
        name = canonicalize_name(requirement.name)
        floor = MIN_SAFE.get(name)
        bound = _lower_bound(requirement)
        if floor is not None and (bound is None or bound < Version(floor)):
            too_low[name] = f"declared {requirement.specifier or 'unpinned'}, needs >={floor}"
    assert too_low == {}


def test_every_declared_jose_library_is_pinned_from_below() -> None:
    jose = [r for r in _declared() if canonicalize_name(r.name) in JOSE_LIBRARIES]
    assert [canonicalize_name(r.name) for r in jose] == ["joserfc"]
    assert all(_lower_bound(r) is not None for r in jose)


_JOSE_IMPORT = re.compile(r"^\s*(?:from|import)\s+(jose|jwt|jwcrypto|authlib|python_jwt)\b", re.M)


def test_the_code_imports_no_other_jose_library() -> None:
    found = {
        path.relative_to(REPO).as_posix(): match.group(1)
        for path in (REPO / "site_builder").rglob("*.py")
        if (match := _JOSE_IMPORT.search(path.read_text(encoding="utf-8")))
    }
    assert found == {}
