"""The notes of one tab: the panel beside the text, the marks on it, its menus and jumps."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QKeySequence, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMenu

from policyreader.core.anchoring import AnchorState
from policyreader.core.document import Section
from policyreader.core.notes import Note, NoteScope
from policyreader.core.review_bundle import ReviewBundle
from policyreader.storage.notes_store import NotesStore, OpenedDocument
from policyreader.ui.common.collaborators import Actions
from policyreader.ui.common.theme import Theme
from policyreader.ui.notes.note_editor import note_colour
from policyreader.ui.notes.note_markers import Marker, NoteMarkers
from policyreader.ui.notes.notes_panel import NotesPanel
from policyreader.ui.reader.document_tab import DocumentTab

NOTES_LAYER = "notes"
TOOLTIP_BODY_CHARS = 400
# How a hover names the anchoring state (an orphaned note has no passage to hover).
TOOLTIP_STATES = {
    AnchorState.EXACT: "anchored",
    AnchorState.MOVED: "moved",
    AnchorState.FUZZY: "needs review: the passage changed",
    AnchorState.ORPHANED: "passage removed",
}


def trimmed_range(text: str, start: int, end: int) -> tuple[int, int]:
    """A selection without the blank space at its edges (a triple-click takes the line break)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def note_at(notes: Sequence[Note], offset: int) -> tuple[Note | None, bool]:
    """The note on the passage at ``offset`` (the shortest, when they nest), else the next one.

    The flag says whether the note really covers ``offset``.
    """
    placed = [n for n in notes if n.scope is not NoteScope.DOCUMENT and not n.is_orphaned]
    covering = [n for n in placed if n.position.start <= offset <= n.position.end]
    if covering:
        return min(covering, key=lambda n: n.position.end - n.position.start), True
    after = [n for n in placed if n.position.start > offset]
    return (min(after, key=lambda n: n.position.start), False) if after else (None, False)


def notes_covering(notes: Sequence[Note], offset: int) -> list[Note]:
    """The passage and section notes whose text holds ``offset``, in reading order."""
    return [
        n
        for n in notes
        if n.scope is not NoteScope.DOCUMENT
        and not n.is_orphaned
        and n.position.start <= offset < n.position.end
    ]


def note_tooltip_html(notes: Sequence[Note], theme: Theme) -> str:
    """A hover over noted text: each note's colour, anchoring state, text and tags."""
    parts = []
    for note in notes:
        swatch = html.escape(note_colour(note))
        state = html.escape(TOOLTIP_STATES[note.state])
        kind = "Section note" if note.scope is NoteScope.SECTION else "Note"
        lines = [
            f"<b><span style='color:{swatch}'>▍</span>{kind}</b>"
            f" &nbsp;<span style='color:{theme.muted}'>{state}</span>"
        ]
        body = note.body.strip()
        if len(body) > TOOLTIP_BODY_CHARS:
            body = body[: TOOLTIP_BODY_CHARS - 1].rstrip() + "…"
        if body:
            lines.append(html.escape(body).replace("\n", "<br>"))
        else:
            lines.append(f"<i style='color:{theme.muted}'>No text yet</i>")
        if note.tags:
            tags = " ".join(f"#{html.escape(tag)}" for tag in note.tags)
            lines.append(f"<span style='color:{theme.muted}'>{tags}</span>")
        parts.append("<br>".join(lines))
    return "<hr>".join(parts)


def selected_note_format(colour: str, theme: Theme) -> QTextCharFormat:
    """The passage of the note selected in the panel: a tint of its colour, until another is.

    Every noted passage is underlined and barred by ``NoteMarkers``; only this one is tinted.
    """
    fmt = QTextCharFormat()
    tint = QColor(colour)
    tint.setAlphaF(0.42 if theme.dark else 0.28)
    fmt.setBackground(tint)
    return fmt


T = TypeVar("T")


class NotesHost(Protocol):
    """What a tab's notes ask of the window's notes feature (``NotesFeature``)."""

    store: NotesStore
    actions: Actions

    def call(self, operation: Callable[[], T]) -> T | None: ...
    def status(self, text: str, timeout_ms: int = ...) -> None: ...
    def siblings(self, notes: TabNotes) -> list[TabNotes]: ...
    def add_note(self, notes: TabNotes) -> None: ...
    def add_section_note(self, notes: TabNotes, section: Section | None = None) -> None: ...
    def add_document_note(self, notes: TabNotes) -> None: ...
    def edit(
        self, notes: TabNotes, note_id: str, body: str, tags: tuple[str, ...], colour: str | None
    ) -> None: ...
    def delete(self, notes: TabNotes, note_id: str) -> None: ...
    def undo(self) -> None: ...
    def confirm(self, notes: TabNotes, note_id: str) -> None: ...


class TabNotes(QObject):
    """The notes of one tab: its panel, highlights and margin markers.

    ``opened`` is the document as the store knows it; a review bundle not yet merged has none
    and shows the bundle's notes read-only.
    """

    def __init__(
        self,
        controller: NotesHost,
        tab: DocumentTab,
        opened: OpenedDocument | None,
        review: ReviewBundle | None = None,
    ) -> None:
        super().__init__(tab)
        self.controller = controller
        self.tab = tab
        tab.registration = opened
        self.review = review
        self.notes: list[Note] = []
        self.panel = NotesPanel(tab.theme, tab)
        keys = controller.actions["notes_add"].shortcut()
        self.panel.add_shortcut = keys.toString(QKeySequence.SequenceFormat.NativeText)
        self.markers = NoteMarkers(tab.reader)
        tab.add_side_panel(self.panel, "notes")
        # After the practices (order 0): a hover on a noted practice explains both.
        tab.add_tooltip_provider(self.tooltip_at, order=10)
        self._connect()

    @property
    def opened(self) -> OpenedDocument | None:
        """The document as the store knows it; kept on the tab, where the versions read it."""
        return self.tab.registration

    @opened.setter
    def opened(self, registration: OpenedDocument | None) -> None:
        self.tab.registration = registration

    def registered(self) -> OpenedDocument:
        """The store's document of an editable tab (only an unmerged review has none)."""
        if self.opened is None:
            raise ValueError("the notes of a review are read-only until it is merged")
        return self.opened

    @property
    def editable(self) -> bool:
        return self.opened is not None

    def _connect(self) -> None:
        c, panel = self.controller, self.panel
        panel.note_selected.connect(lambda note_id: self.show_passage(note_id, focus=False))
        panel.note_activated.connect(lambda note_id: self.show_passage(note_id, focus=True))
        panel.confirm_requested.connect(lambda note_id: c.confirm(self, note_id))
        panel.delete_requested.connect(lambda note_id: c.delete(self, note_id))
        panel.undo_requested.connect(c.undo)
        panel.document_note_requested.connect(lambda: c.add_document_note(self))
        panel.note_edited.connect(lambda *change: c.edit(self, *change))
        self.tab.reader_menu_requested.connect(self._extend_reader_menu)
        self.tab.section_menu_requested.connect(self._extend_section_menu)
        self.tab.rendered.connect(self.paint)

    def tooltip_at(self, offset: int) -> str:
        covering = notes_covering(self.notes, offset)
        return note_tooltip_html(covering, self.tab.theme) if covering else ""

    # Showing -----------------------------------------------------------------------------------

    def refresh(self, select: str | None = None, edit: bool = False, siblings: bool = True) -> None:
        """Read the notes again and show them; ``select`` a note, ``edit`` puts the caret in it.

        Other tabs showing the same document (the same text at two paths, or two versions)
        are refreshed too, unless ``siblings`` is False.
        """
        notes: list[Note] | None = []
        if self.opened is not None:
            opened = self.opened
            notes = self.controller.call(lambda: self.controller.store.notes_for(opened))
        elif self.review is not None:
            notes = list(self.review.notes)
        self.show(notes or [], select, edit)
        if siblings:
            for other in self.controller.siblings(self):
                other.refresh(siblings=False)

    def show(self, notes: list[Note], select: str | None = None, edit: bool = False) -> None:
        """Show ``notes`` (already read and placed in this text) in the panel and on the text."""
        self.notes = notes
        self.panel.set_notes(self.notes, self.tab.document.text, editable=self.editable)
        if select is not None:
            self.reveal_panel()
            self.panel.focus_note(select)
            self.show_passage(select, focus=False)
            if edit:
                self.panel.editor.focus_text()
        self.paint()

    def reload_if_changed(self) -> bool:
        """Show notes another policyreader window wrote meanwhile; True if there were any."""
        opened = self.opened
        if opened is None:
            return False
        current = self.controller.call(lambda: self.controller.store.notes_for(opened))
        if current is None or current == self.notes:
            return False
        self.refresh(siblings=False)
        return True

    def reveal_panel(self) -> None:
        """Bring the notes tab of the side area to the front (the practices may be showing)."""
        self.tab.side_tabs.show()
        self.tab.side_tabs.setCurrentWidget(self.panel)

    def paint(self) -> None:
        """Underline every placed note, bar it in the margin, tint the selected one."""
        theme, tab = self.tab.theme, self.tab
        ranges: list[tuple[int, int, QTextCharFormat]] = []
        markers: list[Marker] = []
        for note in self.notes:
            if note.is_orphaned or note.scope is NoteScope.DOCUMENT:
                continue
            start, end = note.position.start, note.position.end
            if not tab.on_page(start, end):  # in a part of a long policy not shown now
                continue
            colour = note_colour(note)
            passage = note.scope is NoteScope.PASSAGE
            if passage and note.id == self.panel.selected_id:
                ranges.append((start, end, selected_note_format(colour, theme)))
            first, last = tab.offsets.to_position_range(start, end)
            markers.append(Marker(first, last, QColor(colour), underline=passage))
        tab.set_highlights(NOTES_LAYER, ranges)
        self.markers.set_markers(markers)

    def note(self, note_id: str) -> Note | None:
        return next((n for n in self.notes if n.id == note_id), None)

    def show_passage(self, note_id: str, focus: bool) -> None:
        """Bring the note's passage into view and select it; ``focus`` gives the text the keys."""
        note = self.note(note_id)
        self.paint()
        if note is None or note.scope is NoteScope.DOCUMENT:
            return
        if note.is_orphaned:
            self.controller.status(
                "This passage is no longer in the text; the note keeps its quote"
            )
            return
        self.tab.show_page_of(note.position.start)
        first, last = self.tab.offsets.to_position_range(note.position.start, note.position.end)
        cursor = QTextCursor(self.tab.reader.document())
        cursor.setPosition(first)
        cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
        self.tab.reader.setTextCursor(cursor)
        bar = self.tab.reader.verticalScrollBar()
        height = self.tab.reader.viewport().height()
        top, bottom = self.tab.position_y(first), self.tab.position_y(last)
        if not (bar.value() + 16 <= top and bottom <= bar.value() + height * 0.85):
            bar.setValue(max(0, int(top - height / 3)))
        if focus:
            self.tab.reader.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def go_to(self, note_id: str) -> None:
        """From the text to the note: the panel comes to the front with the note focused."""
        self.reveal_panel()
        self.panel.focus_note(note_id)
        self.paint()

    def selection_range(self) -> tuple[int, int] | None:
        cursor = self.tab.reader.textCursor()
        if not cursor.hasSelection():
            return None
        start = self.tab.offsets.to_offset(cursor.selectionStart())
        end = self.tab.offsets.to_offset(cursor.selectionEnd())
        start, end = trimmed_range(self.tab.document.text, start, end)
        return (start, end) if end > start else None

    def cursor_offset(self) -> int:
        cursor = self.tab.reader.textCursor()
        return self.tab.offsets.to_offset(cursor.selectionStart())

    def section(self, entry: int) -> Section | None:
        sections = list(self.tab.document.walk_sections())
        return sections[entry] if 0 <= entry < len(sections) else None

    def current_section(self) -> Section | None:
        """The section holding the text cursor, else the one being read."""
        entry = self.tab.outline.index.entry_at(self.cursor_offset())
        if entry is None:
            entry = self.tab.outline.current_index()
        return self.section(entry) if entry is not None else None

    # Context menus -----------------------------------------------------------------------------

    def _extend_reader_menu(self, menu: QMenu, offset: int) -> None:
        first = menu.actions()[0] if menu.actions() else None
        add = menu.addAction("Add Note…")
        add.setObjectName("menu_add_note")
        add.setEnabled(self.editable and self.selection_range() is not None)
        add.triggered.connect(lambda: self.controller.add_note(self))
        entries: list = [add]
        note, covers = note_at(self.notes, offset)
        if note is not None and covers:
            go = menu.addAction("Go to Note")
            go.setObjectName("menu_go_to_note")
            go.triggered.connect(lambda: self.go_to(note.id))
            entries.append(go)
        if first is not None:
            for action in entries:
                menu.removeAction(action)
            menu.insertActions(first, entries)
            menu.insertSeparator(first)

    def _extend_section_menu(self, menu: QMenu, entry: int) -> None:
        section = self.section(entry)
        if section is None or not self.editable:
            return
        action = menu.addAction("Add Note on This Section…")
        action.setObjectName("menu_add_section_note")
        action.triggered.connect(lambda: self.controller.add_section_note(self, section))
