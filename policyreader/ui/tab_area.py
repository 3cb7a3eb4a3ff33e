"""The tabs of open policies: a placeholder while a file loads in a worker, then its DocumentTab."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QWidget

from policyreader.core.document import PolicyDocument
from policyreader.core.errors import PolicyLoadError
from policyreader.core.gc_pause import cyclic_gc_paused
from policyreader.core.urls import looks_like_url
from policyreader.ui.document_tab import DocumentTab, PreparedTab, prepare_tab
from policyreader.ui.plain_text import plain_tip
from policyreader.ui.reading import word_count
from policyreader.ui.tasks import TaskRunner
from policyreader.ui.theme import Theme
from policyreader.ui.typography import Typography

Loader = Callable[[str], PolicyDocument]
TabFactory = Callable[[PolicyDocument, PreparedTab | None], DocumentTab]
# The theme and zoom a tab opened now would show: its text is written with them while loading.
RenderSettings = Callable[[], tuple[Theme, Typography]]


def load_error_message(path: str, error: Exception) -> str:
    """The sentence the user sees; unexpected errors (reader bugs) also go to stderr."""
    if isinstance(error, PolicyLoadError):
        return str(error)
    traceback.print_exception(error, file=sys.stderr)
    return f"{path} could not be opened because of an unexpected error: {error}."


class TabArea(QTabWidget):
    """One tab per open file, keyed by absolute path; loads never block the window.

    ``opened(path)`` follows a successful load, ``failed(title, message)`` a failed one; the other
    tabs are never touched by a failure.
    """

    opened = Signal(str)
    failed = Signal(str, str)
    changed = Signal()

    def __init__(
        self,
        tasks: TaskRunner,
        loader: Loader,
        make_tab: TabFactory,
        parent: QWidget | None = None,
        render_settings: RenderSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.loader = loader
        self.make_tab = make_tab
        self.render_settings = render_settings
        self.setObjectName("documentTabs")
        self.setAccessibleName("Open policies")
        self.setDocumentMode(True)
        self.setTabsClosable(True)
        self.setMovable(True)
        self.setElideMode(Qt.TextElideMode.ElideRight)
        self.tabCloseRequested.connect(self.close_tab)
        self.currentChanged.connect(lambda _index: self.changed.emit())

    def open_paths(self, paths: list[str]) -> None:
        """Open each path in its own tab, or show its tab if it is already open."""
        for path in paths:
            # A web address stays as it is: it names the document and its versions.
            absolute = path if looks_like_url(path) else os.path.abspath(os.path.expanduser(path))
            existing = self.tab_for_path(absolute)
            if existing is not None:
                self.setCurrentWidget(existing)
            else:
                self._start_loading(absolute)

    def _start_loading(self, path: str) -> None:
        placeholder = QLabel(f"Opening {Path(path).name}…", self)
        placeholder.setTextFormat(Qt.TextFormat.PlainText)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setProperty("source_path", path)
        self.setCurrentIndex(self.addTab(placeholder, Path(path).name))
        loader = self.loader
        settings = self.render_settings() if self.render_settings is not None else None

        def load() -> tuple[PolicyDocument, PreparedTab | None]:
            # Full collections in this thread would hold the GIL, and so the window, for tens of
            # milliseconds each (see ``cyclic_gc_paused``).
            with cyclic_gc_paused():
                document = loader(path)
                # Counted here so that the status line does not count a megabyte on the GUI thread.
                word_count(document.text)
                return document, prepare_tab(document, *settings) if settings else None

        self.tasks.run(
            load,
            lambda loaded: self._loaded(placeholder, path, *loaded),
            lambda error: self._failed(placeholder, path, error),
        )

    def _loaded(
        self,
        placeholder: QWidget,
        path: str,
        document: PolicyDocument,
        prepared: PreparedTab | None,
    ) -> None:
        index = self.indexOf(placeholder)
        if index < 0:  # the tab was closed while its file loaded
            return
        select = self.currentWidget() is placeholder
        self.add_document(document, path=path, index=index, select=select, prepared=prepared)
        self.removeTab(self.indexOf(placeholder))
        placeholder.deleteLater()
        self.opened.emit(path)

    def _failed(self, placeholder: QWidget, path: str, error: Exception) -> None:
        index = self.indexOf(placeholder)
        if index >= 0:
            self.removeTab(index)
        placeholder.deleteLater()
        self.changed.emit()
        self.failed.emit(f"Cannot open {Path(path).name}", load_error_message(path, error))

    def add_document(
        self,
        document: PolicyDocument,
        path: str | None = None,
        index: int = -1,
        select: bool = True,
        prepared: PreparedTab | None = None,
    ) -> DocumentTab:
        """Show an already loaded document in a new tab (at ``index``, or last)."""
        tab = self.make_tab(document, prepared)
        source = path or document.path
        tab.setProperty("source_path", source)
        index = self.insertTab(index, tab, tab.title)
        self.setTabToolTip(index, plain_tip(source or tab.title))
        if select:
            self.setCurrentIndex(index)
        self.changed.emit()
        return tab

    def tab_for_path(self, path: str) -> QWidget | None:
        widgets = (self.widget(i) for i in range(self.count()))
        return next((w for w in widgets if w.property("source_path") == path), None)

    def document_tabs(self) -> list[DocumentTab]:
        widgets = (self.widget(i) for i in range(self.count()))
        return [w for w in widgets if isinstance(w, DocumentTab)]

    def current_tab(self) -> DocumentTab | None:
        widget = self.currentWidget()
        return widget if isinstance(widget, DocumentTab) else None

    def close_tab(self, index: int) -> None:
        widget = self.widget(index)
        if widget is None:
            return
        self.removeTab(index)
        widget.deleteLater()
        self.changed.emit()

    def step(self, steps: int) -> None:
        if self.count():
            self.setCurrentIndex((self.currentIndex() + steps) % self.count())
