"""Both themes are readable: contrast of text on the page meets WCAG AA (AAA for body text)."""

from __future__ import annotations

import pytest

from policyreader.ui.common.theme import DARK, LIGHT, ThemeChoice, stylesheet, theme_for


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_text_contrast(theme):
    assert contrast(theme.text, theme.page) >= 7.0
    assert contrast(theme.heading, theme.page) >= 7.0
    assert contrast(theme.link, theme.page) >= 4.5
    assert contrast(theme.muted, theme.page) >= 4.5
    assert contrast(theme.text, theme.panel) >= 7.0
    assert contrast(theme.text, theme.code_background) >= 7.0
    assert contrast("#111317", theme.current_match) >= 4.5  # the current find match
    assert contrast(theme.text, theme.match) >= 4.5


def test_choice_and_system():
    assert theme_for(ThemeChoice.SYSTEM, system_dark=True) is DARK
    assert theme_for(ThemeChoice.SYSTEM, system_dark=False) is LIGHT
    assert theme_for(ThemeChoice.LIGHT, system_dark=True) is LIGHT
    assert theme_for(ThemeChoice.DARK, system_dark=False) is DARK


def test_stylesheet_is_filled_in():
    sheet = stylesheet(DARK)
    assert "$" not in sheet
    assert DARK.accent in sheet
