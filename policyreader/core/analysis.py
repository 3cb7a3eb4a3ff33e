"""Analyse a loaded policy: detect its practices, apply the reader's corrections, summarise.

The one pipeline the CLI, the window and batch jobs call; text in, data out.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from policyreader.core.document import PolicyDocument
from policyreader.core.fingerprint import fingerprint
from policyreader.core.practices.corrections import Correction, apply_corrections
from policyreader.core.practices.practice import AttributeValue, Practice
from policyreader.core.practices.taxonomy import Category
from policyreader.core.summary import PolicySummary, summarise

if TYPE_CHECKING:
    from policyreader.core.practices.detector import DetectorKind

# The detector (rules, model, lexicon) is imported when first used, in a worker: the window
# paints before it is loaded.

Detector = Callable[[PolicyDocument], list[Practice]]
# ``POLICYREADER_DETECTOR=fast`` makes the window and the CLI use the detector's fast path alone.
DETECTOR_ENV = "POLICYREADER_DETECTOR"
# The fast path: rules and the linear model, without any slower stage that may follow them.
FAST_DETECTOR = "combined"
DEFAULT_DETECTOR = "combined"
# What the window's refine step gives once the encoder has read the document.
REFINED_DETECTOR = "best"
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
    detector: Detector | DetectorKind | str = DEFAULT_DETECTOR,
    corrections_for: CorrectionsFor | None = None,
    rules_if_model_fails: bool = True,
) -> Analysis:
    """Detect, correct and summarise ``document``.

    With ``rules_if_model_fails``, a model file that cannot be used leaves the rules to do the
    work and ``problem`` says so; without, the error goes to the caller.
    """
    from policyreader.core.practices.detector import DetectorKind, detect_practices

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
    from policyreader.core.practices.attributes import default_attributes

    return lambda category, start, end: default_attributes().extract(category, text, start, end)


def chosen_detector(
    environ: Mapping[str, str] = os.environ, default: str = DEFAULT_DETECTOR
) -> DetectorKind:
    """The detector ``POLICYREADER_DETECTOR`` names (``fast`` or a kind), else ``default``;
    a name it does not know leaves the default."""
    from policyreader.core.practices.detector import DetectorKind

    name = environ.get(DETECTOR_ENV, "").strip().lower()
    if name == "fast":
        return DetectorKind(FAST_DETECTOR)
    try:
        return DetectorKind(name or default)
    except ValueError:
        return DetectorKind(default)


def window_detectors(
    environ: Mapping[str, str] = os.environ,
) -> tuple[DetectorKind, DetectorKind | None]:
    """What the window runs: the fast detector at once, then the refine's (``best``) or None.

    ``POLICYREADER_DETECTOR`` unset, ``best`` or ``encoder`` means both, when the encoder file
    and onnxruntime are there; ``fast`` or any other kind means that kind alone.
    """
    from policyreader.core.practices.detector import DetectorKind
    from policyreader.core.practices.encoder import encoder_available

    chosen = chosen_detector(environ, default=REFINED_DETECTOR)
    if chosen not in (DetectorKind.BEST, DetectorKind.ENCODER):
        return chosen, None
    fast = DetectorKind(FAST_DETECTOR)
    return fast, (DetectorKind.BEST if encoder_available() else None)


def environment_detector(document: PolicyDocument) -> list[Practice]:
    """The window's fast detector (``window_detectors``), read when it runs."""
    from policyreader.core.practices.detector import detect_practices

    return detect_practices(document, window_detectors()[0])


def _kind_detector(kind: DetectorKind) -> Detector:
    from policyreader.core.practices.detector import detect_practices

    return lambda document: detect_practices(document, kind)
