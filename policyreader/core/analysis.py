"""Analyse a loaded policy: detect its practices, apply the reader's corrections, summarise.

The one pipeline the CLI, the window and batch jobs call; text in, data out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from policyreader.core.document import PolicyDocument
from policyreader.core.fingerprint import fingerprint
from policyreader.core.practices.attributes import default_attributes
from policyreader.core.practices.corrections import Correction, apply_corrections
from policyreader.core.practices.detector import DetectorKind, detect_practices
from policyreader.core.practices.practice import AttributeValue, Practice
from policyreader.core.practices.taxonomy import Category
from policyreader.core.summary import PolicySummary, summarise

Detector = Callable[[PolicyDocument], list[Practice]]
# The reader's saved corrections of a text, by its fingerprint (the store's, or none).
CorrectionsFor = Callable[[str], Sequence[Correction]]


@dataclass(slots=True)
class Analysis:
    """The detector's practices, the reader's corrections and the corrected practices with
    their label; ``problem`` says why the rules alone did the work, if they did."""

    detected: list[Practice]
    fingerprint: str
    corrections: list[Correction]
    practices: list[Practice]
    summary: PolicySummary
    problem: str | None = None


def analyse(
    document: PolicyDocument,
    detector: Detector | DetectorKind | str = DetectorKind.COMBINED,
    corrections_for: CorrectionsFor | None = None,
    rules_if_model_fails: bool = True,
) -> Analysis:
    """Detect, correct and summarise ``document``.

    With ``rules_if_model_fails``, a model file that cannot be used leaves the rules to do the
    work and ``problem`` says so; without, the error goes to the caller.
    """
    detect = detector if callable(detector) else _kind_detector(DetectorKind(detector))
    problem = None
    try:
        detected = detect(document)
    except (ValueError, OSError) as error:
        if not rules_if_model_fails:
            raise
        problem = f"the statistical model could not be used ({error}); rules only"
        detected = detect_practices(document, DetectorKind.RULES)
    text_id = fingerprint(document.text)
    saved = list(corrections_for(text_id)) if corrections_for is not None else []
    practices = correct(document, detected, saved)
    return Analysis(detected, text_id, saved, practices, summarise(document, practices), problem)


def correct(
    document: PolicyDocument, detected: Sequence[Practice], corrections: Sequence[Correction]
) -> list[Practice]:
    """The detected practices as the reader corrected them."""
    text = document.text
    return apply_corrections(detected, corrections, len(text), corrected_attributes(text))


@cache
def corrected_attributes(text: str) -> Callable[[Category, int, int], dict[str, AttributeValue]]:
    """What a span the reader marked states, extracted with the detector's own lexicon."""
    return lambda category, start, end: default_attributes().extract(category, text, start, end)


def _kind_detector(kind: DetectorKind) -> Detector:
    return lambda document: detect_practices(document, kind)
