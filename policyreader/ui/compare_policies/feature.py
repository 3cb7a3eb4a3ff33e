"""The side-by-side window as a feature of the main window: its menu entry and opening passages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QTextCursor

from policyreader.ui.practices.practices_feature import PracticesFeature
from policyreader.ui.reader.document_tab import DocumentTab
from policyreader.ui.reader.feature_context import FeatureContext
from policyreader.ui.reader.tab_area import OpenedTab

if TYPE_CHECKING:
    from policyreader.ui.compare_policies.window import ComparePoliciesWindow


class ComparePolicies(QObject):
    """Owns the window; a passage asked for opens its policy in the reader, selected.

    ``action`` (File > Compare Policies Side by Side) is put in its menu by the main window.
    """

    def __init__(self, context: FeatureContext) -> None:
        super().__init__(context.host)
        self.setObjectName("comparePolicies")
        self.context = context
        self.tabs = context.tabs
        self.window: ComparePoliciesWindow | None = None
        self._wanted: dict[str, tuple[int, int]] = {}  # path -> passage, shown once it has loaded
        self.action = QAction("Compare Policies Side by &Side…", context.host)
        self.action.setObjectName("file_compare_policies")
        self.action.setToolTip("Several policies in one table: who sells, who keeps data how long…")
        self.action.triggered.connect(lambda: self.show([]))
        self.tabs.opened.connect(self._opened)

    def show(self, paths: list[str]) -> ComparePoliciesWindow:
        if self.window is None:
            # Imported on first use: the table and its analysis are no part of start-up.
            from policyreader.ui.compare_policies.window import ComparePoliciesWindow

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
        tab = self.tabs.tab_for_path(path)
        if isinstance(tab, DocumentTab):
            self.tabs.setCurrentWidget(tab)
            select_passage(tab, start, end)
            return
        self._wanted[path] = (start, end)
        self.context.request_open([path])

    def _opened(self, opened: OpenedTab) -> None:
        wanted = self._wanted.pop(opened.result.source, None)
        if wanted is not None:
            select_passage(opened.tab, *wanted)


def select_passage(tab: DocumentTab, start: int, end: int) -> None:
    """Scroll to ``text[start:end]``, flash it like a label fact, and leave it selected."""
    feature = PracticesFeature.of(tab)
    if feature is not None:
        feature.reveal(start, end)
    tab.show_page_of(start)
    first, last = tab.offsets.to_position_range(start, end)
    cursor = QTextCursor(tab.reader.document())
    cursor.setPosition(first)
    cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
    tab.reader.setTextCursor(cursor)
    tab.window().activateWindow()
    tab.reader.setFocus()
