"""A policy opens where the reader left it: first screen at that place, kept as they scroll."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from pytestqt.qtbot import QtBot

from policyreader.core.loading import load_text
from policyreader.ui.common.theme import LIGHT
from policyreader.ui.reader.document_tab import DocumentTab
from policyreader.ui.reader.reading_position import ReadingPosition
from policyreader.ui.reader.typography import Typography
from policyreader.ui.shell.settings import Settings, push_position
from tests.ui.conftest import open_and_wait

# Long enough that Qt lays it out over many slices of the layout pump.
LONG_TEXT = "# Plover Notes Privacy\n\n" + "\n\n".join(
    f"## Part {n}\n\nPlover Notes keeps the notes you write for part {n} on our servers and "
    "deletes them thirty days after you delete your account. " * 3
    for n in range(2500)
)


class _Paints(QObject):
    """The text's scroll position at each paint of the view."""

    def __init__(self, tab: DocumentTab) -> None:
        super().__init__()
        self.tab = tab
        self.at: list[int] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.at.append(self.tab.reader.verticalScrollBar().value())
        return False


def test_positions_are_kept_per_text_most_recent_first(tmp_path: Path) -> None:
    assert push_position(["a 5", "b 7"], "b", 9, 10) == ["b 9", "a 5"]
    assert push_position(["a 5", "b 7"], "c", 1, 2) == ["c 1", "a 5"]
    settings = Settings(tmp_path)
    assert settings.reading_position("sha256:x") is None
    settings.set_reading_position("sha256:x", 1234)
    settings.set_reading_position("sha256:y", 5)
    assert Settings(tmp_path).reading_position("sha256:x") == 1234


def test_the_first_screen_painted_is_the_one_the_reader_left(qtbot: QtBot) -> None:
    document = load_text(LONG_TEXT, name="plover.md")
    saved = document.text.index("part 800 ")
    tab = DocumentTab(document, LIGHT, Typography())
    qtbot.addWidget(tab)
    paints = _Paints(tab)
    tab.reader.viewport().installEventFilter(paints)
    remembered: list[int] = []
    position = ReadingPosition(tab, saved, remembered.append)
    tab.resize(1000, 600)
    tab.show()
    qtbot.waitUntil(lambda: position.restored, timeout=20_000)
    top = tab.top_offset()
    assert document.text.rfind("## Part", 0, saved) <= top <= saved
    qtbot.waitUntil(lambda: bool(paints.at), timeout=5_000)
    # The text was never painted at the top of the policy: first at the place left.
    assert paints.at[0] == tab.reader.verticalScrollBar().value() > 0

    # Scrolling on: the new place is remembered once the scrolling stops.
    bar = tab.reader.verticalScrollBar()
    bar.setValue(bar.value() + 400)
    qtbot.waitUntil(lambda: bool(remembered), timeout=5_000)
    assert remembered[-1] > top


def test_the_window_reopens_a_policy_where_it_was_closed(
    qtbot: QtBot, window, settings: Settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "plover.md"
    path.write_text(LONG_TEXT[: LONG_TEXT.index("## Part 120\n")], encoding="utf-8")
    (tab,) = open_and_wait(qtbot, window, path)
    qtbot.waitUntil(lambda: not tab.reader.layout_pump.busy, timeout=20_000)
    target = tab.document.text.index("part 80 ")
    # (The scroll range follows the layout from a timer of Qt's own: scroll once it is there.)
    qtbot.waitUntil(lambda: tab.scroll_to_offset(target) or tab.top_offset() > 0, timeout=10_000)
    left = tab.top_offset()
    window.tabs.close_tab(0)  # remembered as the tab closes, without waiting for the timer
    (again,) = open_and_wait(qtbot, window, path)
    qtbot.waitUntil(lambda: again.top_offset() > 0, timeout=20_000)
    assert abs(again.top_offset() - left) < 200
