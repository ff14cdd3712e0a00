"""Fixtures: the hostile export built once per module through the real loader and pipeline."""

from __future__ import annotations

import pytest

from site_builder.fp1 import MasterKey
from tests.security.built import BuiltSite, built_site
from tests.security.hostile import write_hostile_export


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("hostile")
    return built_site(root, write_hostile_export(root / "export"))


@pytest.fixture
def master() -> MasterKey:
    return MasterKey.generate()
