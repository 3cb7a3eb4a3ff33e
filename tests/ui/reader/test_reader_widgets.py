"""The reader's small parts on their own: the find bar and the side panels' declared order."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from policyreader.ui.common.theme import LIGHT
from policyreader.ui.reader.document_tab import DocumentTab
from policyreader.ui.reader.find_bar import FindBar
from policyreader.ui.reader.side_panels import PANEL_KEYS, SIDE_PANELS, side_panel
from policyreader.ui.reader.typography import Typography
from tests.ui.documents import kestrel_document


def test_the_find_bar_searches_after_typing_and_steps_with_enter(qtbot: QtBot) -> None:
    bar = FindBar()
    qtbot.addWidget(bar)
    bar.open_bar("retention")
    assert bar.isVisible() and bar.query == "retention"
    qtbot.keyClick(bar.query_box, Qt.Key.Key_End)  # the query comes selected, to type over
    with qtbot.waitSignal(bar.query_changed, timeout=2000) as searched:
        qtbot.keyClicks(bar.query_box, " period")
    assert searched.args == ["retention period"]
    with qtbot.waitSignal(bar.next_requested):
        qtbot.keyClick(bar.query_box, Qt.Key.Key_Return)
    with qtbot.waitSignal(bar.previous_requested):
        qtbot.keyClick(bar.query_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    bar.set_status("No matches", found=False)
    assert bar.status_label.text() == "No matches" and bar.query_box.property("notFound")
    with qtbot.waitSignal(bar.closed):
        qtbot.keyClick(bar.query_box, Qt.Key.Key_Escape)
    assert not bar.isVisible()


def test_a_selection_over_lines_does_not_become_the_query(qtbot: QtBot) -> None:
    bar = FindBar()
    qtbot.addWidget(bar)
    bar.open_bar("one\u2029two")
    assert bar.query == ""


def test_side_panels_take_their_declared_place_whatever_order_they_come_in(qtbot: QtBot) -> None:
    tab = DocumentTab(kestrel_document(), LIGHT, Typography())
    qtbot.addWidget(tab)
    for key in reversed(PANEL_KEYS):
        tab.add_side_panel(QLabel(key), key)
    titles = [tab.side_tabs.tabText(i) for i in range(tab.side_tabs.count())]
    assert titles == [panel.title for panel in SIDE_PANELS]
    assert tab.side_tabs.isVisibleTo(tab)


def test_an_undeclared_panel_is_refused() -> None:
    assert side_panel("notes").feature == "notes"
    with pytest.raises(ValueError):
        side_panel("weather")
