"""``POLICYREADER_DETECTOR`` picks the detector of the CLI and the window; ``fast`` the fast path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policyreader.cli import main
from policyreader.core.analysis import (
    DEFAULT_DETECTOR,
    DETECTOR_ENV,
    FAST_DETECTOR,
    chosen_detector,
)
from policyreader.core.practices.detector import DetectorKind
from tests.conftest import REPO

POLICY = (
    "# Privacy\n\nWe collect your email address and location when you register.\n\n"
    "We share your data with advertising partners.\n\nYou can delete your account at any time.\n"
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("fast", FAST_DETECTOR),
        (" FAST ", FAST_DETECTOR),
        ("rules", DetectorKind.RULES),
        ("model", DetectorKind.MODEL),
        ("", DEFAULT_DETECTOR),
        ("no-such-detector", DEFAULT_DETECTOR),
    ],
)
def test_the_variable_names_the_detector(value: str, expected: DetectorKind) -> None:
    assert chosen_detector({DETECTOR_ENV: value}) == expected
    assert isinstance(chosen_detector({DETECTOR_ENV: value}), DetectorKind)


def test_unset_means_the_default() -> None:
    assert chosen_detector({}) == DEFAULT_DETECTOR


def _inspect_sources(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> set[str]:
    policy = tmp_path / "policy.md"
    policy.write_text(POLICY, encoding="utf-8")
    assert main(["inspect", str(policy), "--json"]) == 0
    practices = json.loads(capsys.readouterr().out)["practices"]
    assert practices
    return {practice["source"] for practice in practices}


def test_the_cli_follows_the_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DETECTOR_ENV, "rules")
    assert _inspect_sources(tmp_path, capsys) == {"rules"}
    monkeypatch.setenv(DETECTOR_ENV, "fast")
    assert _inspect_sources(tmp_path, capsys) != {"rules"}


def test_the_readme_documents_the_variable() -> None:
    assert f"{DETECTOR_ENV}=fast" in (REPO / "README.md").read_text(encoding="utf-8")


def test_fast_overrides_a_caller_default_such_as_best() -> None:
    assert chosen_detector({}, default="best") == "best"
    assert chosen_detector({DETECTOR_ENV: "fast"}, default="best") == FAST_DETECTOR
    assert chosen_detector({DETECTOR_ENV: "nonsense"}, default="best") == "best"
