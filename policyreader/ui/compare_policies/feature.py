"""The side-by-side window as a feature of the main window: its menu entry and opening passages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QTextCursor

from policyreader.ui.compare_policies.window import ComparePoliciesWindow
from policyreader.ui.document_tab import DocumentTab
from policyreader.ui.practices import PracticesFeature

if TYPE_CHECKING:
    from policyreader.ui.main_window import MainWindow


class ComparePolicies(QObject):
    """Owns the window; a passage asked for opens its policy in the reader, selected."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("comparePolicies")
        self.main = window
        self.window: ComparePoliciesWindow | None = None
        self._wanted: dict[str, tuple[int, int]] = {}  # path -> passage, shown once it has loaded
        self.action = QAction("Compare Policies Side by &Side…", window)
        self.action.setObjectName("file_compare_policies")
        self.action.setToolTip("Several policies in one table: who sells, who keeps data how long…")
        self.action.triggered.connect(lambda: self.show([]))
        self._add_to_file_menu()
        window.tabs.opened.connect(self._opened)

    def _add_to_file_menu(self) -> None:
        menu = self.main.menuBar().actions()[0].menu()
        after = next((a for a in menu.actions() if a.objectName() == "file_compare"), None)
        actions = menu.actions()
        before = actions[actions.index(after) + 1] if after in actions[:-1] else None
        menu.insertAction(before, self.action)

    def show(self, paths: list[str]) -> ComparePoliciesWindow:
        if self.window is None:
            self.window = ComparePoliciesWindow()
            self.window.passage_requested.connect(self.open_passage)
            self.destroyed.connect(self.window.deleteLater)
        if paths:
            self.window.add_paths(paths)
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        return self.window

    def open_passage(self, path: str, start: int, end: int) -> None:
        tab = self.main.tabs.tab_for_path(path)
        if isinstance(tab, DocumentTab):
            self.main.tabs.setCurrentWidget(tab)
            select_passage(tab, start, end)
            return
        self._wanted[path] = (start, end)
        self.main.open_files([path])

    def _opened(self, path: str) -> None:
        wanted = self._wanted.pop(path, None)
        tab = self.main.tabs.tab_for_path(path)
        if wanted is not None and isinstance(tab, DocumentTab):
            select_passage(tab, *wanted)


def select_passage(tab: DocumentTab, start: int, end: int) -> None:
    """Scroll to ``text[start:end]``, flash it like a label fact, and leave it selected."""
    feature = PracticesFeature.of(tab)
    if feature is not None:
        feature.reveal(start, end)
    first, last = tab.offsets.to_position_range(start, end)
    cursor = QTextCursor(tab.reader.document())
    cursor.setPosition(first)
    cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
    tab.reader.setTextCursor(cursor)
    tab.window().activateWindow()
    tab.reader.setFocus()
