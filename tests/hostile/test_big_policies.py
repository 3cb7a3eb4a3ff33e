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
    assert len(list(markdown._spans(source))) >= 3
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


# --- a long policy parsed by worker processes reads exactly as parsed in one -------------------


def _long_source() -> str:
    sections = [
        f"## Part {n}\n\n**Bold head {n}**\n\nWe keep [your data][ref{n % 3}] for {n} days.\n\n"
        f"1. **Numbered section**\n\n   with a body of more than eight words in it here\n\n"
        f"- item\n\n> quoted {n}\n\n| a | b |\n|---|---|\n| {n} | x |\n\n"
        for n in range(60)
    ]
    return "# Policy\n\n" + "".join(sections) + "[ref0]: https://a.example\n[ref1]: /b\n"


def test_pieces_parsed_by_worker_processes_give_the_same_document(monkeypatch) -> None:
    monkeypatch.setattr(markdown, "_CHUNK_CHARS", 2_000)
    source = _long_source()
    assert len(list(markdown._spans(source))) > 5
    alone = markdown.read_markdown(source, processes=1)
    pooled = markdown.read_markdown(source, processes=2)
    assert pooled.blocks == alone.blocks
    assert any(run.href == "https://a.example" for b in pooled.blocks for run in b.runs)


def test_a_definition_only_a_piece_can_read_sends_the_body_through_in_order(monkeypatch) -> None:
    # "[late]:" with its target on the next line escapes the up-front pass; the pieces after it
    # must still find the link, as they did when parsed one after the other.
    monkeypatch.setattr(markdown, "_CHUNK_CHARS", 2_000)
    source = _long_source().replace("## Part 3\n", "## Part 3\n\n[late]:\n  https://late.example\n")
    source += "\n## End\n\nSee [the late link][late].\n"
    pooled = markdown.read_markdown(source, processes=2)
    assert pooled.blocks == markdown.read_markdown(source, processes=1).blocks
    assert any(run.href == "https://late.example" for b in pooled.blocks for run in b.runs)
