"""Test-wide set-up: headless Qt, a private data directory per test, and the shared corpus."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# Set before any test module imports Qt: the suite never needs a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
OPP115 = SHARED / "data" / "opp115"


@pytest.fixture(autouse=True)
def private_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """No test may touch the real user's notes, settings, recent files or open cache."""
    data_dir = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("POLICYREADER_DATA_DIR", str(data_dir))
    monkeypatch.setenv("POLICYREADER_CONFIG_DIR", str(data_dir / "config"))
    monkeypatch.setenv("POLICYREADER_CACHE_DIR", str(data_dir / "cache"))
    return data_dir


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if SHARED.is_dir():
        return
    skip = pytest.mark.skip(reason="../shared is absent (it exists beside CI's clone only)")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@contextmanager
def unprivileged_section() -> Iterator[None]:
    """Root reads any file; as root, act as nobody (effective uid only) inside the block."""
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
