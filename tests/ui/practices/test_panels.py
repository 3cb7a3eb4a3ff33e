"""The practices panels on their own: the legend, the Practices panel and the Summary card."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from policyreader.core.analysis import analyse
from policyreader.core.loading import load_text
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES, Category
from policyreader.core.summary import NOT_STATED
from policyreader.ui.common.theme import DARK, LIGHT
from policyreader.ui.practices.legend import Legend
from policyreader.ui.practices.practices_panel import PracticesPanel
from policyreader.ui.practices.summary_card import ITEM_SCHEME, SummaryCard
from tests.notes_samples import POLICY_V1

TEXT = "We collect your email address. We share it with advertisers. We keep logs for a year."


def _practices() -> list[Practice]:
    return [
        Practice(Category.FIRST_PARTY_COLLECTION, 0, 30, 0.9),
        Practice(Category.THIRD_PARTY_SHARING, 31, 60, 0.8),
        Practice(Category.DATA_RETENTION, 61, 86, 0.7),
    ]


def test_the_legend_counts_and_toggles_each_category(qtbot: QtBot) -> None:
    legend = Legend(LIGHT)
    qtbot.addWidget(legend)
    legend.set_counts({c: (2 if c is Category.DATA_RETENTION else 0) for c in PRACTICE_CATEGORIES})
    assert legend.count(Category.DATA_RETENTION) == 2 and legend.count(Category.DATA_SECURITY) == 0
    assert legend.visible() == set(PRACTICE_CATEGORIES)
    with qtbot.waitSignal(legend.visibility_changed):
        legend.set_visible(Category.DATA_RETENTION, False)
    assert Category.DATA_RETENTION not in legend.visible()
    legend.set_all(False)
    assert legend.visible() == set()


def test_the_practices_panel_groups_by_category_filters_and_activates(qtbot: QtBot) -> None:
    panel = PracticesPanel(LIGHT)
    qtbot.addWidget(panel)
    panel.set_practices(TEXT, _practices())
    entries = panel.entries()
    assert len(entries) == 3 and panel.tree.topLevelItemCount() == 3
    panel.filter.setText("advertisers")
    shown = [e for e in panel.entries() if not e.isHidden()]
    assert [e.text(0) for e in shown] == ["“We share it with advertisers.”"]
    with qtbot.waitSignal(panel.practice_activated) as activated:
        panel.tree.itemActivated.emit(shown[0], 0)
    assert activated.args == [_practices()[1]]
    quoted = shown[0].text(0)
    panel.set_theme(DARK)  # rebuilt in the new colours, the filter kept
    assert [e.text(0) for e in panel.entries() if not e.isHidden()] == [quoted]


def test_the_summary_card_links_each_fact_to_its_sentences(qtbot: QtBot) -> None:
    document = load_text(POLICY_V1, name="larkspur.md")
    analysis = analyse(document, "rules")
    card = SummaryCard(LIGHT)
    qtbot.addWidget(card)
    card.set_summary(analysis.summary)
    assert NOT_STATED in card.toPlainText()
    words, spans = card.content.items[0]
    assert card.item(words) == (words, spans) and spans
    with qtbot.waitSignal(card.spans_requested) as requested:
        card.anchorClicked.emit(QUrl(f"{ITEM_SCHEME}:0"))
    assert requested.args == [words, spans]
