"""The notes library: every policy with notes (title, last opened, count) and search across notes."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from policyreader.core.notes import NoteScope
from policyreader.core.urls import looks_like_url
from policyreader.storage.db import StorageError
from policyreader.storage.library import (
    DocumentSummary,
    Library,
    LinkSummary,
    NoteHit,
    VersionSummary,
)
from policyreader.ui.common.collaborators import ErrorPresenter
from policyreader.ui.common.plain_text import plain_tip

SEARCH_DELAY_MS = 150
_PATHS_ROLE = Qt.ItemDataRole.UserRole
_NOTE_ROLE = Qt.ItemDataRole.UserRole + 1
_ID_ROLE = Qt.ItemDataRole.UserRole + 2
# Asked when linking: given two documents, the one the reader says is newer (None: cancelled).
NewerChooser = Callable[[DocumentSummary, DocumentSummary], "DocumentSummary | None"]
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


def likely_newer(one: DocumentSummary, two: DocumentSummary) -> DocumentSummary:
    """The better first guess at the newer version: the one opened more recently."""
    return two if two.last_opened > one.last_opened else one


def describe_document(summary: DocumentSummary) -> str:
    """One line naming a document in the link dialog: title, file name, when last opened."""
    path = summary.paths[0] if summary.paths else ""
    name = os.path.basename(path) or path
    title = summary.title or name or "Untitled policy"
    where = f" ({name})" if name and name != title else ""
    return f"{title}{where}, last opened {when(summary.last_opened)}"


def versions_tip(versions: list[VersionSummary]) -> str:
    """The versions of a policy, oldest first, for the tooltip of its Versions cell."""
    lines = []
    for number, version in enumerate(versions, 1):
        place = os.path.basename(version.paths[0]) if version.paths else "no file"
        lines.append(f"{number}. first seen {when(version.first_seen)} · {place}")
    return "\n".join(lines)


class LinkDialog(QDialog):
    """Asks which of two documents is the newer version before they are linked."""

    def __init__(
        self, one: DocumentSummary, two: DocumentSummary, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Link as versions of one policy")
        self.choices = (one, two)
        text = QLabel(
            "Both become versions of one policy: the notes of the older one are re-anchored "
            "onto the newer one when it is opened. Which is the newer version?",
            self,
        )
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        guess = likely_newer(one, two)
        for index, summary in enumerate(self.choices):
            button = QRadioButton(describe_document(summary), self)
            button.setChecked(summary is guess)
            self.group.addButton(button, index)
            layout.addWidget(button)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Link")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def newer(self) -> DocumentSummary:
        return self.choices[max(self.group.checkedId(), 0)]


def ask_newer(
    one: DocumentSummary, two: DocumentSummary, parent: QWidget | None = None
) -> DocumentSummary | None:
    dialog = LinkDialog(one, two, parent)
    return dialog.newer() if dialog.exec() == QDialog.DialogCode.Accepted else None


def _item(text: str, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setTextAlignment(_LEFT)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if tip:
        item.setToolTip(plain_tip(tip))
    return item


class LibraryWindow(QWidget):
    """A separate window; ``open_requested([path])`` when the reader opens a listed document,
    ``note_requested(path, note_id)`` when they open a note found by search,
    ``link_requested(newer_id, older_id)`` when they link two documents as versions and
    ``unlink_requested(document_id, link_id)`` when they undo the latest such link."""

    open_requested = Signal(list)
    note_requested = Signal(str, str)  # path, note id: open the policy at that note
    link_requested = Signal(int, int)  # newer document id, older document id
    unlink_requested = Signal(int, int)  # document id, the link (made by hand) to undo
    compare_requested = Signal(list)  # paths of the selected policies, to compare side by side

    def __init__(
        self, library: Library, present_error: ErrorPresenter, parent: QWidget | None = None
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
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setObjectName("librarySummary")

        self.documents = self._table(
            ("Policy", "Last opened", "Notes", "Versions", "File"), "Policies"
        )
        # Several rows can be selected so that two can be linked as versions of one policy.
        self.documents.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self._summaries: dict[int, DocumentSummary] = {}
        self.choose_newer: NewerChooser = lambda one, two: ask_newer(one, two, self)
        self.link_action = QAction("Link as versions of one policy…", self)
        self.link_action.setToolTip(
            "Select two policies: the older one's notes follow the newer one"
        )
        self.link_action.triggered.connect(self.link_selected)
        self.link_button = QPushButton(self.link_action.text(), self)
        self.link_button.setObjectName("libraryLink")
        self.link_button.setToolTip(self.link_action.toolTip())
        self.link_button.clicked.connect(self.link_selected)
        self.unlink_action = QAction("Unlink versions", self)
        self.unlink_action.setToolTip(
            "Undo the latest link: the version linked last is a policy of its own again"
        )
        self.unlink_action.triggered.connect(self.unlink_selected)
        self.unlink_button = QPushButton(self.unlink_action.text(), self)
        self.unlink_button.setObjectName("libraryUnlink")
        self.unlink_button.setToolTip(self.unlink_action.toolTip())
        self.unlink_button.clicked.connect(self.unlink_selected)
        self.compare_button = QPushButton("Compare Side by Side", self)
        self.compare_button.setObjectName("libraryComparePolicies")
        self.compare_button.setToolTip("The facts of the selected policies in one table")
        self.compare_button.clicked.connect(self.compare_selected)
        self.documents.itemSelectionChanged.connect(self._update_link)
        self.documents.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.documents.customContextMenuRequested.connect(self._documents_menu)
        self.hits = self._table(("Policy", "Passage", "Note", "Tags"), "Matching notes")
        self.documents.itemActivated.connect(lambda item: self._open_row(self.documents, item))
        self.hits.itemActivated.connect(lambda item: self._open_row(self.hits, item))
        self.empty = QLabel(
            "No notes yet. Open a policy, select a passage and press Ctrl+Shift+N.", self
        )
        self.empty.setObjectName("libraryEmpty")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
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
        buttons = QHBoxLayout()
        buttons.addWidget(self.compare_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlink_button)
        buttons.addWidget(self.link_button)
        layout.addLayout(buttons)
        self._update_link()
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
        table.clearSelection()
        self._summaries = {summary.id: summary for summary in summaries}
        table.setRowCount(len(summaries))
        for row, summary in enumerate(summaries):
            path = first_existing(summary.paths)
            shown = path or (summary.paths[0] if summary.paths else "")
            title = summary.title or (os.path.basename(shown) if shown else "Untitled policy")
            title_item = _item(title, shown)
            title_item.setData(_PATHS_ROLE, list(summary.paths))
            title_item.setData(_ID_ROLE, summary.id)
            count = _item(str(summary.note_count))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            file_item = _item(shown if path else f"{shown} (not found)", shown)
            if not path:
                file_item.setForeground(self.palette().placeholderText())
            table.setItem(row, 0, title_item)
            table.setItem(row, 1, _item(when(summary.last_opened)))
            table.setItem(row, 2, count)
            table.setItem(row, 3, self._versions_item(summary))
            table.setItem(row, 4, file_item)
        table.resizeColumnsToContents()
        table.setColumnWidth(0, min(max(table.columnWidth(0), 200), 340))
        table.horizontalHeader().setStretchLastSection(True)

    def _versions_item(self, summary: DocumentSummary) -> QTableWidgetItem:
        if summary.versions < 2:
            return _item("1")
        try:
            tip = versions_tip(self.library.versions(summary.id))
        except StorageError:
            tip = ""
        return _item(f"{summary.versions} linked", tip)

    def _show_documents(self, summaries: list[DocumentSummary]) -> None:
        notes = sum(s.note_count for s in summaries)
        self.summary.setText(
            f"{len(summaries)} polic{'ies' if len(summaries) != 1 else 'y'} with notes · "
            f"{notes} note{'s' if notes != 1 else ''} · double-click to open"
        )
        self.stack.setCurrentWidget(self.documents if summaries else self.empty)
        self._update_link()

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
        self._update_link()

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

    # Linking -----------------------------------------------------------------------------------

    def selected_documents(self) -> list[DocumentSummary]:
        rows = sorted({index.row() for index in self.documents.selectedIndexes()})
        found = []
        for row in rows:
            item = self.documents.item(row, 0)
            summary = self._summaries.get(item.data(_ID_ROLE)) if item is not None else None
            if summary is not None:
                found.append(summary)
        return found

    def _update_link(self) -> None:
        listed = self.stack.currentWidget() is self.documents
        chosen = self.selected_documents() if listed else []
        self.link_action.setEnabled(len(chosen) == 2)
        self.link_button.setEnabled(len(chosen) == 2)
        linked = len(chosen) == 1 and self._latest_link(chosen[0]) is not None
        self.unlink_action.setEnabled(linked)
        self.unlink_button.setEnabled(linked)
        self.compare_button.setEnabled(bool(chosen))
        for button in (self.link_button, self.unlink_button, self.compare_button):
            button.setVisible(listed)

    def _latest_link(self, summary: DocumentSummary) -> LinkSummary | None:
        if summary.versions < 2:
            return None
        try:
            links = self.library.links(summary.id)
        except StorageError:
            return None
        return links[0] if links else None

    def _documents_menu(self, point: QPoint) -> None:
        menu = QMenu(self.documents)
        menu.addAction(self.link_action)
        menu.addAction(self.unlink_action)
        menu.popup(self.documents.viewport().mapToGlobal(point))

    def link_selected(self) -> None:
        """Ask which of the two selected documents is newer, then ask for them to be linked."""
        chosen = self.selected_documents()
        if len(chosen) != 2:
            self.summary.setText("Select two policies to link them as versions of one policy")
            return
        newer = self.choose_newer(*chosen)
        if newer is None:
            return
        older = chosen[1] if newer.id == chosen[0].id else chosen[0]
        self.link_requested.emit(newer.id, older.id)

    def compare_selected(self) -> None:
        found = [first_existing(summary.paths) for summary in self.selected_documents()]
        paths = [path for path in found if path is not None]
        if paths:
            self.compare_requested.emit(paths)
        else:
            self.summary.setText("Select policies whose files are still there to compare them")

    def unlink_selected(self) -> None:
        chosen = self.selected_documents()
        link = self._latest_link(chosen[0]) if len(chosen) == 1 else None
        if link is None:
            self.summary.setText("Select a policy with versions you linked to unlink them")
            return
        self.unlink_requested.emit(chosen[0].id, link.id)

    # Opening -----------------------------------------------------------------------------------

    def _open_row(self, table: QTableWidget, item: QTableWidgetItem) -> None:
        title_item = table.item(item.row(), 0)
        if title_item is None:  # a row is always filled whole; a click cannot come before
            return
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
