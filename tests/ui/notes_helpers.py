"""Helpers for the notes UI tests: a window with a real notes store, selecting a quote in the text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from policyreader.storage.notes_store import NotesStore
from policyreader.ui.common.theme import ThemeManager
from policyreader.ui.notes.notes_feature import NotesFeature
from policyreader.ui.notes.tab_notes import TabNotes
from policyreader.ui.reader.document_tab import DocumentTab
from policyreader.ui.shell.main_window import MainWindow
from policyreader.ui.shell.settings import Settings
from tests.ui.conftest import Recorder, open_and_wait


def make_window(
    qtbot: QtBot,
    settings: Settings,
    themes: ThemeManager,
    recorder: Recorder,
    store: NotesStore,
) -> MainWindow:
    window = MainWindow(
        settings,
        themes,
        present_error=recorder.present,
        url_opener=recorder.open_url,
        notes_store=store,
    )
    qtbot.addWidget(window)
    # Closing with unsaved notes asks in a modal box; a test that ends so must not hang on it.
    controller(window).confirm_quit = lambda _message: True
    window.resize(1200, 760)
    window.show()
    qtbot.waitExposed(window)
    return window


def controller(window: MainWindow) -> NotesFeature:
    assert window.notes is not None
    return window.notes


def open_notes(qtbot: QtBot, window: MainWindow, path: Path) -> tuple[DocumentTab, TabNotes]:
    tabs = open_and_wait(qtbot, window, path)
    tab = next(t for t in tabs if t.property("source_path") == str(path))
    notes = controller(window).tab_notes(tab)
    assert notes is not None
    return tab, notes


def select_quote(tab: DocumentTab, quote: str) -> tuple[int, int]:
    """Select ``quote`` in the reader as a mouse drag would; returns its text offsets."""
    start = tab.document.text.index(quote)
    end = start + len(quote)
    first, last = tab.offsets.to_position_range(start, end)
    cursor = QTextCursor(tab.reader.document())
    cursor.setPosition(first)
    cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
    tab.reader.setTextCursor(cursor)
    return start, end


def put_cursor_in(tab: DocumentTab, quote: str) -> None:
    start = tab.document.text.index(quote) + len(quote) // 2
    cursor = QTextCursor(tab.reader.document())
    cursor.setPosition(tab.offsets.to_position(start))
    tab.reader.setTextCursor(cursor)


def selected_text(tab: DocumentTab) -> str:
    return tab.reader.textCursor().selectedText()
