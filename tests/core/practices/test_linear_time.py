"""No input makes the detector slow: megabytes without sentence ends, spaces, or variety."""

from __future__ import annotations

import time

import pytest

from policyreader.core.loading import load_text
from policyreader.core.practices.detector import detect_practices

MEGABYTE = 1_000_000
# Generous: the detector handles about a megabyte a second; this only catches quadratic blow-ups.
BOUND_SECONDS = 20.0

CASES = {
    "no sentence ends": "we collect your data and share it with third parties ",
    "no whitespace": "wecollectcookiesandretainthem",
    "one repeated cue word": "retain ",
    "one cue sentence": "We retain your data. ",
}


@pytest.mark.timing
@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_pathological_megabyte_is_processed_in_linear_time(name: str) -> None:
    unit = CASES[name]
    text = (unit * (MEGABYTE // len(unit) + 1))[:MEGABYTE]
    document = load_text(text, name="big.txt")
    started = time.process_time()
    practices = detect_practices(document)
    elapsed = time.process_time() - started
    assert elapsed < BOUND_SECONDS, f"{name}: {elapsed:.1f} s"
    for practice in practices:
        span = document.text[practice.start : practice.end]
        assert all(phrase in span for phrase in practice.evidence)
