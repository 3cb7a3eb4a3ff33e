"""The notes library: every policy with notes (title, last opened, count) and search across notes."""

from __future__ import annotations

import os
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from policyreader.core.fetch import looks_like_url
from policyreader.core.notes import NoteScope
from policyreader.storage.db import StorageError
from policyreader.storage.library import DocumentSummary, Library, NoteHit
from policyreader.ui.dialogs import MessagePresenter

SEARCH_DELAY_MS = 150
_PATHS_ROLE = Qt.ItemDataRole.UserRole
_NOTE_ROLE = Qt.ItemDataRole.UserRole + 1
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def when(stamp: str) -> str:
    """An ISO timestamp as the reader's local date and time, e.g. "12 Mar 2026, 14:05"."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return stamp
    return moment.strftime("%d %b %Y, %H:%M").lstrip("0")


def first_existing(paths: tuple[str, ...]) -> str | None:
    """The first path still there; a web address counts, since opening fetches it again."""
    return next((path for path in paths if looks_like_url(path) or os.path.isfile(path)), None)


def _item(text: str, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setTextAlignment(_LEFT)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if tip:
        item.setToolTip(tip)
    return item


class LibraryWindow(QWidget):
    """A separate window; ``open_requested([path])`` when the reader opens a listed document,
    ``note_requested(path, note_id)`` when they open a note found by search."""

    open_requested = Signal(list)
    note_requested = Signal(str, str)  # path, note id: open the policy at that note

    def __init__(
        self, library: Library, present_error: MessagePresenter, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.library = library
        self.present_error = present_error
        self.setObjectName("libraryWindow")
        self.setWindowTitle("Notes Library — policyreader")
        self.setAccessibleName("Notes library")
        self.resize(860, 520)

        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("librarySearch")
        self.search_box.setPlaceholderText("Search all notes (text, quotes, tags, sections)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search all notes")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search)
        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_box.returnPressed.connect(self.search)
        self.summary = QLabel(self)
        self.summary.setObjectName("librarySummary")

        self.documents = self._table(("Policy", "Last opened", "Notes", "File"), "Policies")
        self.hits = self._table(("Policy", "Passage", "Note", "Tags"), "Matching notes")
        self.documents.itemActivated.connect(lambda item: self._open_row(self.documents, item))
        self.hits.itemActivated.connect(lambda item: self._open_row(self.hits, item))
        self.empty = QLabel(
            "No notes yet. Open a policy, select a passage and press Ctrl+Shift+N.", self
        )
        self.empty.setObjectName("libraryEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget(self)
        for widget in (self.documents, self.hits, self.empty):
            self.stack.addWidget(widget)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.search_box)
        layout.addWidget(self.summary)
        layout.addWidget(self.stack, 1)
        close = QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self)
        close.activated.connect(self.close)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self).activated.connect(self._escape)

    def _table(self, headers: tuple[str, ...], name: str) -> QTableWidget:
        table = QTableWidget(0, len(headers), self)
        table.setAccessibleName(name)
        table.setHorizontalHeaderLabels(list(headers))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(True)
        table.verticalHeader().hide()
        table.setShowGrid(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 14)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column in range(len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        return table

    # Content -----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the documents again (notes change while the library is open)."""
        try:
            summaries = self.library.documents()
        except StorageError as error:
            self.summary.setText(str(error))
            summaries = []
        self._fill_documents(summaries)
        if self.search_box.text().strip():
            self.search()
        else:
            self._show_documents(summaries)

    def _fill_documents(self, summaries: list[DocumentSummary]) -> None:
        table = self.documents
        table.setRowCount(len(summaries))
        for row, summary in enumerate(summaries):
            path = first_existing(summary.paths)
            shown = path or (summary.paths[0] if summary.paths else "")
            title = summary.title or (os.path.basename(shown) if shown else "Untitled policy")
            title_item = _item(title, shown)
            title_item.setData(_PATHS_ROLE, list(summary.paths))
            count = _item(str(summary.note_count))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            file_item = _item(shown if path else f"{shown} (not found)", shown)
            if not path:
                file_item.setForeground(self.palette().placeholderText())
            table.setItem(row, 0, title_item)
            table.setItem(row, 1, _item(when(summary.last_opened)))
            table.setItem(row, 2, count)
            table.setItem(row, 3, file_item)
        table.resizeColumnsToContents()
        table.setColumnWidth(0, min(max(table.columnWidth(0), 200), 340))
        table.horizontalHeader().setStretchLastSection(True)

    def _show_documents(self, summaries: list[DocumentSummary]) -> None:
        notes = sum(s.note_count for s in summaries)
        self.summary.setText(
            f"{len(summaries)} polic{'ies' if len(summaries) != 1 else 'y'} with notes · "
            f"{notes} note{'s' if notes != 1 else ''} · double-click to open"
        )
        self.stack.setCurrentWidget(self.documents if summaries else self.empty)

    def search(self) -> None:
        self._search_timer.stop()
        query = self.search_box.text()
        if not query.strip():
            self.reload()
            return
        try:
            hits = self.library.search(query)
            paths = {s.id: s.paths for s in self.library.documents()}
        except StorageError as error:
            self.summary.setText(str(error))
            return
        self._fill_hits(hits, paths)
        self.summary.setText(
            f"{len(hits)} note{'s' if len(hits) != 1 else ''} match “{query.strip()}”"
        )
        self.stack.setCurrentWidget(self.hits)

    def _fill_hits(self, hits: list[NoteHit], paths: dict[int, tuple[str, ...]]) -> None:
        table = self.hits
        table.setRowCount(len(hits))
        for row, hit in enumerate(hits):
            note = hit.note
            title_item = _item(hit.document_title or "Untitled policy")
            title_item.setData(_PATHS_ROLE, list(paths.get(hit.document_id, ())))
            title_item.setData(_NOTE_ROLE, note.id)
            if note.scope is NoteScope.DOCUMENT:
                passage = "(whole policy)"
            elif note.scope is NoteScope.SECTION:
                passage = f"(section) {note.section_title or note.quote.exact}"
            else:
                passage = " ".join(note.quote.exact.split())
            table.setItem(row, 0, title_item)
            table.setItem(row, 1, _item(_clip(passage, 120), passage))
            table.setItem(row, 2, _item(_clip(note.body, 160), note.body))
            table.setItem(row, 3, _item(", ".join(note.tags)))
        table.resizeColumnsToContents()
        for column, width in ((0, 200), (1, 260), (2, 300)):
            table.setColumnWidth(column, min(table.columnWidth(column), width))
        table.horizontalHeader().setStretchLastSection(True)
        table.resizeRowsToContents()
        for row in range(table.rowCount()):  # wrapped rows get the same air as one-line rows
            table.setRowHeight(row, table.rowHeight(row) + 12)

    # Opening -----------------------------------------------------------------------------------

    def _open_row(self, table: QTableWidget, item: QTableWidgetItem) -> None:
        title_item = table.item(item.row(), 0)
        paths = tuple(title_item.data(_PATHS_ROLE) or ())
        path = first_existing(paths)
        if path is None:
            where = f" It was last at {paths[0]}." if paths else ""
            self.present_error(
                "File not found",
                f"“{title_item.text()}” is no longer where it was opened.{where} Open it from "
                "its new place: its notes follow it.",
            )
            return
        note_id = title_item.data(_NOTE_ROLE)
        if note_id:
            self.note_requested.emit(path, str(note_id))
        else:
            self.open_requested.emit([path])

    def _escape(self) -> None:
        if self.search_box.text():
            self.search_box.clear()
        else:
            self.close()


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
