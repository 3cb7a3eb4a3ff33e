"""The palette measured: contrast in both themes, note colours apart from practice colours."""

from __future__ import annotations

import itertools

import pytest

from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES
from policyreader.ui.common.palette_check import (
    DEFICIENCIES,
    as_seen_with,
    contrast,
    distance,
    mix,
)
from policyreader.ui.common.theme import DARK, LIGHT, Theme
from policyreader.ui.notes.note_editor import NOTE_COLOURS
from policyreader.ui.practices.highlights import STYLES, TINT_DARK, TINT_LIGHT, colour, tint
from policyreader.ui.practices.practices_feature import CURRENT_SHARE

THEMES = pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])


def test_wcag_arithmetic_matches_known_ratios() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert mix("#000000", "#ffffff", 0.5) == "#808080"
    assert as_seen_with("#ffffff", "protanopia") == "#ffffff"


@THEMES
def test_marks_stand_out_and_text_on_a_tint_stays_readable(theme: Theme) -> None:
    share = TINT_DARK if theme.dark else TINT_LIGHT
    for category in PRACTICE_CATEGORIES:
        strong = colour(category, theme).name()
        assert contrast(strong, theme.page) >= 3.0, category  # WCAG 1.4.11, non-text
        assert tint(category, theme).name() == mix(theme.page, strong, share)
        assert contrast(theme.text, tint(category, theme).name()) >= 4.5, category
        # The passage N / P or F8 stepped to is tinted deeper, and still reads.
        assert contrast(theme.text, mix(theme.page, strong, CURRENT_SHARE)) >= 4.5, category


@THEMES
def test_note_colours_never_equal_a_practice_colour(theme: Theme) -> None:
    for _name, value in NOTE_COLOURS:
        for category in PRACTICE_CATEGORIES:
            strong = colour(category, theme).name()
            assert distance(value, strong) >= 15, (value, category)
            assert distance(value, tint(category, theme).name()) >= 15, (value, category)


@THEMES
def test_collection_and_security_read_as_different_colours(theme: Theme) -> None:
    from policyreader.core.practices.taxonomy import Category

    first = colour(Category.FIRST_PARTY_COLLECTION, theme).name()
    second = colour(Category.DATA_SECURITY, theme).name()
    assert distance(first, second) > 20
    share = TINT_DARK if theme.dark else TINT_LIGHT
    assert distance(mix(theme.page, first, share), mix(theme.page, second, share)) > 8


@THEMES
def test_no_two_categories_collapse_for_colour_blind_readers(theme: Theme) -> None:
    """Nine hues cannot all stay far apart for every deficiency: none may collapse (ΔE >= 5),
    and the mark shapes and underline styles, all different, carry the rest."""
    colours = [colour(c, theme).name() for c in PRACTICE_CATEGORIES]
    for deficiency in DEFICIENCIES:
        seen = [as_seen_with(value, deficiency) for value in colours]
        assert min(distance(a, b) for a, b in itertools.combinations(seen, 2)) >= 5, deficiency
    assert len({s.mark for s in STYLES.values()}) == len(PRACTICE_CATEGORIES)
