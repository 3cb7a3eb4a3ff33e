"""Re-anchoring notes after the text changed: exact, moved, fuzzy (at the right place), orphaned."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyreader.core.anchoring import (
    Anchor,
    AnchorState,
    SectionSpan,
    TextPositionSelector,
    TextQuoteSelector,
    _myers_scan,
    describe,
    describe_in,
    reanchor,
    reanchor_in,
)
from policyreader.core.fingerprint import fingerprint
from policyreader.core.loading import load_text
from tests.notes_samples import (
    FUZZY_NEW,
    FUZZY_QUOTE,
    MOVED_QUOTE,
    ORPHAN_QUOTE,
    POLICY_V1,
    POLICY_V2,
)

V1 = load_text(POLICY_V1, "larkspur.md")
V2 = load_text(POLICY_V2, "larkspur.md")


def anchor_on(document, quote: str) -> Anchor:
    start = document.text.index(quote)
    return describe_in(document, start, start + len(quote))


def test_unchanged_text_anchors_exactly() -> None:
    anchor = anchor_on(V1, FUZZY_QUOTE)
    result = reanchor_in(V1, anchor)
    assert result.state is AnchorState.EXACT
    assert V1.text[result.start : result.end] == FUZZY_QUOTE
    assert result.section_title == "How We Use Information"


def test_inserted_paragraph_above_moves_the_note() -> None:
    anchor = anchor_on(V1, MOVED_QUOTE)
    result = reanchor_in(V2, anchor)
    assert result.state is AnchorState.MOVED
    assert result.start != anchor.position.start
    assert V2.text[result.start : result.end] == MOVED_QUOTE
    assert result.section_title == "Sharing"


def test_changed_word_is_fuzzy_at_the_right_new_place() -> None:
    anchor = anchor_on(V1, FUZZY_QUOTE)
    result = reanchor_in(V2, anchor)
    assert result.state is AnchorState.FUZZY
    assert V2.text[result.start : result.end] == FUZZY_NEW


def test_deleted_passage_is_orphaned_and_keeps_its_section() -> None:
    anchor = anchor_on(V1, ORPHAN_QUOTE)
    result = reanchor_in(V2, anchor)
    assert result.state is AnchorState.ORPHANED
    assert result.start is None and result.end is None
    assert result.section_title == "How We Use Information"


def test_repeated_quote_is_told_apart_by_its_context() -> None:
    text = "Cookies. We may share it. Partners. We may share it. Law. We may share it. End."
    second = text.index("We may share it.", text.index("Partners"))
    anchor = describe(text, second, second + len("We may share it."))
    edited = "Intro added here. " + text
    result = reanchor(edited, anchor)
    assert result.state is AnchorState.MOVED
    assert edited[result.start - len("Partners. ") : result.start] == "Partners. "


def test_quote_at_old_place_with_new_context_stays_exact() -> None:
    text = "We keep logs. Then we delete them."
    anchor = describe(text, 0, len("We keep logs."))
    result = reanchor("We keep logs. Afterwards they are gone.", anchor)
    assert (result.state, result.start) == (AnchorState.EXACT, 0)


def test_whole_document_note_is_always_exact() -> None:
    anchor = describe(V1.text, 0, 0)
    assert anchor.is_whole_document
    assert reanchor("anything at all", anchor).state is AnchorState.EXACT


def test_short_quote_without_its_context_is_orphaned_not_misplaced() -> None:
    text = "Section one. We use email. Section two. We use cookies for ads."
    start = text.index("email")
    anchor = describe(text, start, start + 5)
    result = reanchor("Completely new wording. Gmail is not used. Nothing else here.", anchor)
    assert result.state is AnchorState.ORPHANED


def test_fuzzy_search_stays_within_the_section() -> None:
    sentence = "We retain billing records for seven years to meet tax law."
    text = f"Billing\n\n{sentence}\n\nRetention\n\nOther words entirely about nothing much."
    sections = [SectionSpan("Billing", 0, 70), SectionSpan("Retention", 70, len(text))]
    anchor = Anchor(
        TextQuoteSelector(sentence), TextPositionSelector(9, 9 + len(sentence)), "Retention"
    )
    changed = text.replace("seven", "eight")
    assert reanchor(changed, anchor, sections).state is AnchorState.ORPHANED
    anchor = Anchor(anchor.quote, anchor.position, "Billing")
    assert reanchor(changed, anchor, sections).state is AnchorState.FUZZY


def test_renamed_section_is_still_found_by_a_close_title() -> None:
    anchor = anchor_on(V1, FUZZY_QUOTE)
    edited = load_text(
        POLICY_V2.replace("## How We Use Information", "## How We Use Your Information"), "x.md"
    )
    result = reanchor_in(edited, anchor)
    assert result.state is AnchorState.FUZZY
    assert edited.text[result.start : result.end] == FUZZY_NEW


WORDS = (
    "we may collect use share data information services partners account device cookies "
    "the and of to for with your our you in on by from about policy choices rights law"
)


def _filler(rng: random.Random, words: int) -> str:
    vocabulary = WORDS.split()
    return " ".join(rng.choice(vocabulary) for _ in range(words)) + "."


def test_changed_passage_in_a_large_section_is_found_by_seeds() -> None:
    rng = random.Random(5)
    passage = "Backups of closed accounts are kept for fourteen months in a vault in Oslo."
    body = [_filler(rng, 40) for _ in range(200)]
    body.insert(150, passage)
    text = "Retention\n\n" + "\n\n".join(body)
    sections = [SectionSpan("Retention", 0, len(text))]
    assert len(text) > 40_000
    start = text.index(passage)
    anchor = describe(text, start, start + len(passage), sections)
    changed = text.replace("fourteen", "eighteen").replace(body[3], _filler(rng, 60))
    new_sections = [SectionSpan("Retention", 0, len(changed))]
    result = reanchor(changed, anchor, new_sections)
    assert result.state is AnchorState.FUZZY
    assert changed[result.start : result.end] == passage.replace("fourteen", "eighteen")


def test_long_passage_is_matched_by_head_and_tail() -> None:
    rng = random.Random(9)
    passage = " ".join(_filler(rng, 12) for _ in range(10))
    assert len(passage) > 300
    text = "Intro\n\n" + _filler(rng, 30) + "\n\n" + passage + "\n\n" + _filler(rng, 30)
    start = text.index(passage)
    anchor = describe(text, start, start + len(passage))
    middle = len(passage) // 2
    edited_passage = passage[:middle] + " and also some new words " + passage[middle:]
    edited = text.replace(passage, edited_passage)
    result = reanchor(edited, anchor)
    assert result.state is AnchorState.FUZZY
    assert edited[result.start : result.end] == edited_passage


def test_selectors_round_trip_through_json() -> None:
    anchor = anchor_on(V1, MOVED_QUOTE)
    quote = TextQuoteSelector.from_json(anchor.quote.to_json())
    position = TextPositionSelector.from_json(anchor.position.to_json())
    assert (quote, position) == (anchor.quote, anchor.position)
    assert anchor.quote.to_json()["type"] == "TextQuoteSelector"
    assert len(anchor.quote.prefix) == 32 and len(anchor.quote.suffix) == 32


def test_fingerprint_ignores_wrapping_but_not_wording() -> None:
    assert fingerprint("We keep\n  logs.\u00a0Always.") == fingerprint("We keep logs. Always.")
    assert fingerprint("We keep logs.") != fingerprint("We keep records.")
    assert fingerprint(V1.text).startswith("sha256:")


def _edit_distance_to_substring(pattern: str, text: str) -> int:
    previous = [0] * (len(text) + 1)
    for i, p in enumerate(pattern, 1):
        current = [i] + [0] * len(text)
        for j, t in enumerate(text, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (p != t))
        previous = current
    return min(previous)


@settings(max_examples=200, deadline=None)
@given(st.text("abc ", min_size=1, max_size=14), st.text("abc ", min_size=1, max_size=40))
def test_bit_parallel_scan_agrees_with_dynamic_programming(pattern: str, text: str) -> None:
    best, _ends = _myers_scan(pattern, text)
    assert min(best, len(pattern)) == _edit_distance_to_substring(pattern, text)


@pytest.mark.timing
def test_one_megabyte_document_reanchors_a_hundred_notes_in_under_a_second() -> None:
    rng = random.Random(3)
    parts, sections, notes = [], [], []
    position = 0
    for number in range(120):
        title = f"Section {number}: {_filler(rng, 3)}"
        paragraphs = [_filler(rng, 60) for _ in range(26)]
        chunk = title + "\n\n" + "\n\n".join(paragraphs) + "\n\n"
        sections.append(SectionSpan(title, position, position + len(chunk)))
        parts.append(chunk)
        position += len(chunk)
    text = "".join(parts)
    assert len(text) > 1_000_000
    for index in range(100):
        section = sections[index + 10]
        start = section.start + len(section.title) + 2 + rng.randrange(0, 2000)
        notes.append(describe(text, start, start + 150, sections))
    # Edit: a paragraph above everything, and a word changed inside every third noted passage.
    edited = "An introduction that was not there before.\n\n" + text
    shift = len(edited) - len(text)
    for index, anchor in enumerate(notes):
        if index % 3 == 0:
            at = anchor.position.start + shift + 70
            edited = edited[:at] + "XY" + edited[at + 3 :]
    edited_sections = [SectionSpan(s.title, s.start + shift, s.end + shift) for s in sections]
    began = time.perf_counter()
    results = [reanchor(edited, anchor, edited_sections) for anchor in notes]
    elapsed = time.perf_counter() - began
    states = {state: sum(r.state is state for r in results) for state in AnchorState}
    assert states[AnchorState.ORPHANED] == 0
    assert states[AnchorState.FUZZY] >= 30
    assert elapsed < 1.0, f"re-anchoring took {elapsed:.2f} s"


@settings(max_examples=150, deadline=None)
@given(
    st.text("abcde .\n", min_size=20, max_size=300),
    st.data(),
)
def test_reanchoring_after_any_edit_gives_a_valid_place_or_orphaned(text: str, data) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    anchor = describe(text, start, end)
    at = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 20))
    insert = data.draw(st.text("abcdexyz .", max_size=20))
    edited = text[:at] + insert + text[at + cut :]
    result = reanchor(edited, anchor)
    if result.state is AnchorState.ORPHANED:
        assert result.start is None and result.end is None
        assert anchor.quote.exact not in edited
        return
    assert 0 <= result.start <= result.end <= len(edited)
    if result.state in (AnchorState.EXACT, AnchorState.MOVED):
        assert edited[result.start : result.end] == anchor.quote.exact
