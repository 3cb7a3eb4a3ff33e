"""Which detector ``inspect --json`` runs when none is asked for."""

from __future__ import annotations

import pytest

from policyreader.cli import ENCODER_TEXT_LIMIT, inspect_detector
from policyreader.core.practices.detector import DetectorKind


def test_the_best_detector_is_the_default_for_a_policy_of_usual_length(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("POLICYREADER_DETECTOR", raising=False)
    assert inspect_detector(None, 50_000) is DetectorKind.BEST


def test_a_huge_policy_leaves_out_the_encoder_and_says_so(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("POLICYREADER_DETECTOR", raising=False)
    assert inspect_detector(None, ENCODER_TEXT_LIMIT + 1) is DetectorKind.COMBINED
    assert "--detector best runs it" in capsys.readouterr().err


@pytest.mark.parametrize("asked", ["best", "encoder"])
def test_an_encoder_asked_for_runs_whatever_the_length(monkeypatch, asked: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("POLICYREADER_DETECTOR", raising=False)
    assert inspect_detector(asked, 10 * ENCODER_TEXT_LIMIT) is DetectorKind(asked)
    monkeypatch.setenv("POLICYREADER_DETECTOR", asked)
    assert inspect_detector(None, 10 * ENCODER_TEXT_LIMIT) is DetectorKind(asked)
