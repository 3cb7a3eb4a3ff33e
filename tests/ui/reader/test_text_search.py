"""Find, as pure functions: matches as offsets, wrapping steps, the "3 of 12" label."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from policyreader.ui.reader.text_search import find_all, first_match_from, match_label, step


def test_find_all_is_case_insensitive_and_spans_whitespace():
    text = "We keep Data.\nYour  data\tretention is short; data retention ends."
    second, third = text.index("data\t"), text.index("data retention")
    assert find_all(text, "data") == [(8, 12), (second, second + 4), (third, third + 4)]
    assert find_all(text, "data retention") == [(second, second + 14), (third, third + 14)]
    assert find_all(text, "Data", case_sensitive=True) == [(8, 12)]
    assert find_all(text, "   ") == []


def test_quotes_and_dashes_match_their_typographic_forms():
    text = "We don’t sell data — “ever”."
    assert find_all(text, "don't") == [(3, 8)]
    ever, dash = text.index("“"), text.index("—")
    assert find_all(text, '"ever"') == [(ever, ever + 6)]
    assert find_all(text, "data - ever") == []
    assert find_all(text, "-") == [(dash, dash + 1)]


def test_regex_characters_are_literal():
    assert find_all("costs $5 (approx.) or more", "$5 (approx.)") == [(6, 18)]


@given(st.text(alphabet="abAB .", max_size=40), st.text(alphabet="abAB.", min_size=1, max_size=3))
def test_matches_are_real_and_in_order(text, query):
    matches = find_all(text, query)
    assert matches == sorted(matches)
    for start, end in matches:
        assert text[start:end].lower() == query.lower()


def test_stepping_wraps_both_ways():
    assert step(None, 3, True) == 0
    assert step(None, 3, False) == 2
    assert step(2, 3, True) == 0
    assert step(0, 3, False) == 2
    assert step(0, 0, True) is None


def test_first_match_from_a_reading_position():
    matches = [(5, 8), (20, 23), (40, 43)]
    assert first_match_from(matches, 0) == 0
    assert first_match_from(matches, 20) == 1
    assert first_match_from(matches, 21) == 2
    assert first_match_from(matches, 41) == 0  # past the last one: wrap to the first
    assert first_match_from([], 3) is None


def test_labels():
    assert match_label(2, 12, "data") == "3 of 12"
    assert match_label(None, 0, "data") == "No matches"
    assert match_label(None, 0, "  ") == ""
