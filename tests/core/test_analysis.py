"""The one analyse pipeline: detect, apply the reader's corrections, summarise."""

from __future__ import annotations

import pytest

from policyreader.core.analysis import analyse, correct
from policyreader.core.fingerprint import fingerprint
from policyreader.core.loading import load_text
from policyreader.core.practices.corrections import Correction, CorrectionKind
from policyreader.core.practices.detector import detect_practices
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import Category
from tests.notes_samples import POLICY_V1

DOCUMENT = load_text(POLICY_V1, name="larkspur.md")


def test_without_corrections_the_practices_are_the_detectors() -> None:
    analysis = analyse(DOCUMENT, "rules")
    assert analysis.practices == analysis.detected == detect_practices(DOCUMENT, "rules")
    assert analysis.fingerprint == fingerprint(DOCUMENT.text) and analysis.problem is None
    assert analysis.summary.stated_count > 0


def test_the_readers_corrections_of_this_text_are_applied() -> None:
    detected = analyse(DOCUMENT, "rules").detected
    wrong = detected[0]
    asked: list[str] = []

    def corrections_for(text_id: str) -> list[Correction]:
        asked.append(text_id)
        return [
            Correction(text_id, wrong.start, wrong.end, CorrectionKind.WRONG, wrong.category.value)
        ]

    analysis = analyse(DOCUMENT, "rules", corrections_for)
    assert asked == [analysis.fingerprint]
    assert wrong not in analysis.practices and len(analysis.practices) == len(detected) - 1
    assert [c.kind for c in analysis.corrections] == [CorrectionKind.WRONG]


def test_a_marked_passage_gets_the_readers_category_and_its_attributes() -> None:
    start = DOCUMENT.text.index("We keep route history")
    end = DOCUMENT.text.index(".", start) + 1
    added = Correction("", start, end, CorrectionKind.ADDED, None, "data_retention")
    (practice,) = [p for p in correct(DOCUMENT, [], [added])]
    assert (practice.category, practice.source, practice.confidence) == (
        Category.DATA_RETENTION,
        "reader",
        1.0,
    )


def test_a_model_that_cannot_be_used_leaves_the_rules_or_fails_when_asked_to() -> None:
    def broken(_document: object) -> list[Practice]:
        raise ValueError("the model file is damaged")

    analysis = analyse(DOCUMENT, broken)
    assert analysis.problem and "rules only" in analysis.problem
    assert analysis.detected == detect_practices(DOCUMENT, "rules")
    with pytest.raises(ValueError, match="damaged"):
        analyse(DOCUMENT, broken, rules_if_model_fails=False)
