"""The layout pump: a long text is laid out in short slices, completely, and stops with its tab."""

from __future__ import annotations

import shiboken6
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from policyreader.core.loading import load_text
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import Category
from policyreader.ui.common.theme import LIGHT
from policyreader.ui.practices.highlights import HighlightPainter
from policyreader.ui.reader.document_tab import DocumentTab
from policyreader.ui.reader.typography import Typography

# About 1.6 MB: Qt's own lazy layout would reach steps of 200,000 characters on it, and an idle
# machine still needs several 20 ms slices for it.
LONG_TEXT = "# Osprey Maps Privacy\n\n" + "\n\n".join(
    f"## Part {n}\n\nOsprey Maps records the places you search for and keeps route history "
    f"for {n % 30 + 1} days, then deletes it unless you saved the route yourself. " * 3
    for n in range(3600)
)


def _shown_tab(qtbot: QtBot, text: str = LONG_TEXT) -> DocumentTab:
    tab = DocumentTab(load_text(text, name="osprey.md"), LIGHT, Typography())
    qtbot.addWidget(tab)
    tab.resize(1100, 700)
    tab.show()
    return tab


def _unlaid_blocks(qdocument: QTextDocument) -> int:
    """Blocks with text but no lines yet; reading ``layout().lineCount()`` lays nothing out."""
    count = 0
    block = qdocument.begin()
    while block.isValid():
        if block.length() > 1 and block.layout().lineCount() == 0:
            count += 1
        block = block.next()
    return count


def test_the_pump_lays_the_whole_text_out_in_slices_and_the_view_knows_its_height(
    qtbot: QtBot,
) -> None:
    tab = _shown_tab(qtbot)
    pump = tab.reader.layout_pump
    qdocument = tab.reader.document()
    assert _unlaid_blocks(qdocument) > 0  # right after showing, most of the text waits

    with qtbot.waitSignal(pump.finished, timeout=20_000):
        pass
    QApplication.processEvents()  # Qt's size report, which the pump lets through

    assert _unlaid_blocks(qdocument) == 0
    assert pump.slices > 3  # in slices, not at once
    assert pump.longest_slice_s < 0.25  # the budget is 20 ms; generous for a loaded machine
    bar = tab.reader.verticalScrollBar()
    shown_maximum = bar.maximum()
    # Asking for the size lays out whatever is left: nothing is, so the range does not move.
    full_height = qdocument.documentLayout().documentSize().height()
    QApplication.processEvents()
    assert bar.maximum() == shown_maximum
    assert abs(shown_maximum - (full_height - tab.reader.viewport().height())) <= 2


def test_the_pump_starts_again_after_a_new_width_and_the_text_stays_reachable(
    qtbot: QtBot,
) -> None:
    tab = _shown_tab(qtbot)
    pump = tab.reader.layout_pump
    with qtbot.waitSignal(pump.finished, timeout=20_000):
        pass
    narrow_lines = tab.reader.document().lastBlock().layout().lineCount()

    with qtbot.waitSignal(pump.finished, timeout=20_000):
        tab.resize(700, 700)  # a narrower column: Qt lays everything out again
    assert _unlaid_blocks(tab.reader.document()) == 0
    assert tab.reader.document().lastBlock().layout().lineCount() >= narrow_lines
    # Outline jumps still land on their heading after the re-layout.
    last = tab.document.sections[-1] if tab.document.sections else None
    assert last is not None
    tab.go_to_section(last.start)
    assert tab.top_offset() <= last.start + 40


def test_the_pump_stops_when_its_tab_is_closed(qtbot: QtBot) -> None:
    tab = DocumentTab(load_text(LONG_TEXT, name="osprey.md"), LIGHT, Typography())
    tab.resize(1100, 700)
    tab.show()
    pump = tab.reader.layout_pump
    qtbot.waitUntil(lambda: pump.slices >= 1, timeout=10_000)
    assert _unlaid_blocks(tab.reader.document()) > 0  # closed while still laying out

    tab.close()
    tab.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(pump), timeout=5_000)
    qtbot.wait(100)  # no slice runs on a deleted document (it would raise here)


def test_highlights_wait_for_the_layout_so_no_text_is_left_without_lines(qtbot: QtBot) -> None:
    tab = _shown_tab(qtbot)  # laid out in well over 3 slices
    pump = tab.reader.layout_pump
    painter = HighlightPainter(tab)
    qtbot.waitUntil(lambda: pump.slices >= 3, timeout=10_000)
    assert pump.busy
    practices = [Practice(Category.DATA_RETENTION, 100, 3_000, 0.9, source="rules")]
    with qtbot.waitSignal(painter.finished, timeout=30_000):
        painter.paint(practices, {Category.DATA_RETENTION}, LIGHT)  # while Qt still lays out
    qtbot.waitUntil(lambda: not pump.busy, timeout=10_000)
    # Qt leaves blocks after an edit past its lazy-layout point without lines: none here.
    assert _unlaid_blocks(tab.reader.document()) == 0


def test_a_walk_that_runs_out_of_budget_over_laid_out_text_still_finishes(qtbot: QtBot) -> None:
    tab = _shown_tab(qtbot)
    pump = tab.reader.layout_pump
    with qtbot.waitSignal(pump.finished, timeout=20_000):
        pass
    pump._restart()  # a new width or an edit announced after Qt had laid everything out
    pump._check.stop()
    pump.step(budget=0.0)  # a loaded machine: the slice ends after one ask, Qt's timer is idle
    assert pump.busy
    qtbot.waitUntil(lambda: not pump.busy, timeout=10_000)
