"""Finding 6 of issue 19: a big but allowed policy loads and is scanned within a memory budget.

Figures for 19 MB are in benchmarks/bench_hostile.py; here a 1 MB policy checks the two causes:
markdown-it's tokens for the whole source at once, and every scored passage kept to the end.
"""

from __future__ import annotations

import gc
import sys
import tracemalloc
from pathlib import Path

import pytest

from policyreader.core.formats import markdown
from policyreader.core.loading import load_text
from policyreader.core.practices.detector import DetectorKind, detect_practices

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from benchmarks.policy_factory import markdown_policy

SIZE = 1_000_000


def peak_bytes_per_char(work, size: int) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / size
    finally:
        tracemalloc.stop()


def test_markdown_is_parsed_in_pieces_within_a_budget_per_character() -> None:
    source = markdown_policy(SIZE)
    assert len(list(markdown._token_chunks(source))) >= 3
    # Whole-source parsing peaked at 35 bytes per character (2 MB); in pieces, about 14.
    assert peak_bytes_per_char(lambda: load_text(source, "big.md"), SIZE) < 22


@pytest.mark.slow
def test_detection_frees_each_block_before_the_next() -> None:
    size = SIZE // 2
    document = load_text(markdown_policy(size), "big.md")
    detect_practices(load_text(markdown_policy(20_000), "warm.md"))  # the model, loaded once
    # Keeping every scored passage to the end peaked at 48 bytes per character.
    peak = peak_bytes_per_char(lambda: detect_practices(document, DetectorKind.COMBINED), size)
    assert peak < 25
