"""The tabs of open policies: each source opens in one worker job, then shows as a DocumentTab."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QWidget

from policyreader.core.document import PolicyDocument
from policyreader.core.errors import PolicyLoadError
from policyreader.core.gc_pause import cyclic_gc_paused
from policyreader.core.urls import looks_like_url
from policyreader.storage.opening import FreshCopy, OpenedSource, Source
from policyreader.ui.common.plain_text import plain_tip
from policyreader.ui.common.tasks import TaskRunner
from policyreader.ui.common.theme import Theme
from policyreader.ui.reader.document_tab import DocumentTab, PreparedTab, prepare_tab
from policyreader.ui.reader.reading import word_count
from policyreader.ui.reader.typography import Typography

# The worker part of opening: load, register in the store, fingerprint, re-anchor the notes.
Opener = Callable[[str], OpenedSource]
TabFactory = Callable[[OpenedSource, PreparedTab | None], DocumentTab]
# The theme and zoom a tab opened now would show: its text is written with them while loading.
RenderSettings = Callable[[], tuple[Theme, Typography]]


@dataclass(frozen=True, slots=True)
class OpenedTab:
    """What ``TabArea.opened`` hands the features: the new tab and what its job found."""

    tab: DocumentTab
    result: OpenedSource


def load_error_message(path: str, error: Exception) -> str:
    """The sentence the user sees; unexpected errors (reader bugs) also go to stderr."""
    if isinstance(error, PolicyLoadError):
        return str(error)
    traceback.print_exception(error, file=sys.stderr)
    return f"{path} could not be opened because of an unexpected error: {error}."


def source_key(source: str) -> str:
    """How a tab is known: a web address as it is (it names the document and its versions),
    a file by its absolute path."""
    return source if looks_like_url(source) else os.path.abspath(os.path.expanduser(source))


class TabArea(QTabWidget):
    """One tab per open source, keyed by absolute path or address; opening never blocks.

    ``opened(OpenedTab)`` follows a successful open, ``failed(title, message)`` a failed one
    (the other tabs are never touched), ``unchanged(source)`` a fresh copy with the same words.
    """

    opened = Signal(object)
    failed = Signal(str, str)
    unchanged = Signal(str)
    changed = Signal()

    def __init__(
        self,
        tasks: TaskRunner,
        opener: Opener,
        make_tab: TabFactory,
        parent: QWidget | None = None,
        render_settings: RenderSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.opener = opener
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

    def open_sources(self, sources: Sequence[Source]) -> None:
        """Open each source in its own tab, or show its tab if it is already open."""
        for source in sources:
            fresh = isinstance(source, FreshCopy)
            key = source_key(source.source if isinstance(source, FreshCopy) else source)
            existing = self.tab_for_path(key)
            if existing is not None and not fresh:
                self.setCurrentWidget(existing)
                continue
            # A fresh copy keeps its old tab in view until the new text is there.
            shown = existing if existing is not None else self._placeholder(key)
            self._start_job(key, shown, replaces=existing is not None)

    def _placeholder(self, source: str) -> QWidget:
        placeholder = QLabel(f"Opening {Path(source).name}…", self)
        placeholder.setTextFormat(Qt.TextFormat.PlainText)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setProperty("source_path", source)
        self.setCurrentIndex(self.addTab(placeholder, Path(source).name))
        return placeholder

    def _start_job(self, source: str, shown: QWidget, replaces: bool) -> None:
        opener = self.opener
        settings = self.render_settings() if self.render_settings is not None else None

        def job() -> tuple[OpenedSource, PreparedTab | None]:
            # Full collections in this thread would hold the GIL, and so the window, for tens of
            # milliseconds each (see ``cyclic_gc_paused``).
            with cyclic_gc_paused():
                opened = opener(source)
                # Counted here so that the status line does not count a megabyte on the GUI thread.
                word_count(opened.document.text)
                return opened, prepare_tab(opened.document, *settings) if settings else None

        self.tasks.run(
            job,
            lambda done: self._finished(shown, replaces, *done),
            lambda error: self._failed(shown, replaces, source, error),
        )

    def _finished(
        self, shown: QWidget, replaces: bool, opened: OpenedSource, prepared: PreparedTab | None
    ) -> None:
        index = self.indexOf(shown) if shiboken6.isValid(shown) else -1
        if index < 0 and not replaces:  # the tab was closed while its source loaded
            return
        same = isinstance(shown, DocumentTab) and _same_words(shown.document, opened.document)
        if replaces and index >= 0 and same:
            self.unchanged.emit(opened.source)
            return
        select = replaces or self.currentWidget() is shown
        tab = self._add(opened, index, select, prepared)
        if index >= 0:
            if isinstance(shown, DocumentTab):
                shown.closing.emit()
            self.removeTab(self.indexOf(shown))
            shown.deleteLater()
        self.changed.emit()
        self.opened.emit(OpenedTab(tab, opened))

    def _failed(self, shown: QWidget, replaces: bool, source: str, error: Exception) -> None:
        index = self.indexOf(shown) if shiboken6.isValid(shown) else -1
        if index >= 0 and not replaces:
            self.removeTab(index)
            shown.deleteLater()
        self.changed.emit()
        name = Path(source).name
        title = f"Cannot {'reload' if replaces else 'open'} {name}"
        self.failed.emit(title, load_error_message(source, error))

    def add_document(
        self,
        document: PolicyDocument,
        path: str | None = None,
        index: int = -1,
        select: bool = True,
        prepared: PreparedTab | None = None,
    ) -> DocumentTab:
        """Show an already loaded document in a new tab (at ``index``, or last)."""
        tab = self._add(
            OpenedSource(path or document.path or "", document), index, select, prepared
        )
        self.changed.emit()
        return tab

    def _add(
        self, opened: OpenedSource, index: int, select: bool, prepared: PreparedTab | None
    ) -> DocumentTab:
        tab = self.make_tab(opened, prepared)
        source = opened.source or opened.document.path
        tab.setProperty("source_path", source)
        index = self.insertTab(index, tab, tab.title)
        self.setTabToolTip(index, plain_tip(source or tab.title))
        if select:
            self.setCurrentIndex(index)
        return tab

    def tab_for_path(self, path: str) -> QWidget | None:
        widgets = (self.widget(i) for i in range(self.count()))
        return next((w for w in widgets if w and w.property("source_path") == path), None)

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
        if isinstance(widget, DocumentTab):
            widget.closing.emit()
        self.removeTab(index)
        widget.deleteLater()
        self.changed.emit()

    def step(self, steps: int) -> None:
        if self.count():
            self.setCurrentIndex((self.currentIndex() + steps) % self.count())


def _same_words(first: PolicyDocument, second: PolicyDocument) -> bool:
    """Whether two loads show the same words; whitespace and wrapping do not count."""
    return first.text.split() == second.text.split()
