"""What a policy says it does not do is shown apart: label, practices panel groups, hover."""

from __future__ import annotations

from policyreader.core.practices.polarity import Polarity
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import Category
from policyreader.core.summary import summarise
from policyreader.ui.common.theme import DARK, LIGHT
from policyreader.ui.practices.highlights import tooltip_html
from policyreader.ui.practices.practices_panel import group_names
from policyreader.ui.practices.summary_card import NOT_DONE_COLOURS, NOT_DONE_MARK, label_html

SHARING = Category.THIRD_PARTY_SHARING
TEXT = "We share orders with couriers. We do not sell your data or share it with advertisers."


def _practices() -> list[Practice]:
    return [
        Practice(SHARING, 0, 30, 0.9, {"third_parties": ["service_providers"]}),
        Practice(
            SHARING,
            31,
            len(TEXT),
            0.9,
            {"third_parties": ["advertisers"]},
            polarity=Polarity.DOES_NOT,
        ),
    ]


def test_the_label_sets_not_done_apart_in_both_themes() -> None:
    summary = summarise(TEXT, _practices())
    for theme in (LIGHT, DARK):
        html = label_html(summary, theme, marks="text").html
        colour = NOT_DONE_COLOURS[theme.dark]
        assert f"<i style='color:{colour}'>{NOT_DONE_MARK} Does not sell</i>" in html
        assert "Does not share with advertisers" in html
        shared_with = html.split("Shared with", 1)[1].split("</tr>", 1)[0]
        assert "Service providers" in shared_with and "Advertisers" not in shared_with


def test_panel_groups_and_hover_say_not_done() -> None:
    done, not_done = _practices()
    assert group_names(done) == ["Service providers"]
    assert group_names(not_done) == ["Does not: Advertisers"]
    mixed = Practice(
        SHARING, 31, len(TEXT), 0.9, {"third_parties": ["advertisers"]}, polarity=Polarity.MIXED
    )
    assert group_names(mixed) == ["Not, with exceptions"]
    assert "Stated as not done" in tooltip_html([not_done], LIGHT)
    assert "Stated as not done" not in tooltip_html([done], LIGHT)
