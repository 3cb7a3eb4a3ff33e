"""The notes panel: a policy's notes grouped by section, filterable, each showing how it is anchored."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from policyreader.core.anchoring import AnchorState
from policyreader.core.notes import Note, NoteScope, group_notes
from policyreader.ui.common.theme import Theme
from policyreader.ui.notes.note_editor import NoteEditor, note_colour

# What each anchoring state is called on a card, and what its tooltip explains.
STATE_WORDS: dict[AnchorState, tuple[str, str]] = {
    AnchorState.EXACT: ("", ""),
    AnchorState.MOVED: ("Moved", "The passage is unchanged but now stands elsewhere in the text."),
    AnchorState.FUZZY: (
        "Needs review",
        "The passage changed. Check the place it was found and confirm it, or delete the note.",
    ),
    AnchorState.ORPHANED: (
        "Passage removed",
        "The passage is no longer in this text; the note keeps its original quote.",
    ),
}
QUOTE_CHARS = 220
BODY_CHARS = 600
UNDO_NOTICE_MS = 12_000


def note_matches(note: Note, query: str) -> bool:
    """Whether every word of ``query`` is in the note's text, quote, tags or section title."""
    words = [word.lstrip("#") for word in query.casefold().split()]  # "#retention" is a tag
    haystack = " ".join(
        (note.body, note.quote.exact, " ".join(note.tags), note.section_title or "")
    ).casefold()
    return all(word in haystack for word in words)


def short_quote(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def group_title(kind: str, title: str | None) -> str:
    if kind == "document":
        return "Whole policy"
    if kind == "orphaned":
        return "No longer in the text"
    return title or "Before the first section"


class NoteCard(QFrame):
    """One note: its state, tags, quote and text, with a stripe in the note's colour."""

    clicked = Signal(str)
    activated = Signal(str)
    confirm_requested = Signal(str)
    delete_requested = Signal(str)
    step_requested = Signal(str, int)
    edit_requested = Signal(str)
    tag_clicked = Signal(str)

    def __init__(
        self, note: Note, theme: Theme, text: str, editable: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("noteCard")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Preferred, not Maximum: a wrapped card needs its height for its real width, which can
        # exceed its size hint (measured wider); capped, its text would be cut off.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setToolTip(
            "Click or Enter: go to the passage · F2: edit · Delete: delete · Ctrl+Z: undo"
            if editable
            else "Click or Enter: go to the passage"
        )
        self.theme = theme
        self.text = text
        self.editable = editable
        self.selected = False
        self.note = note

        self.state_label = QLabel(self)
        self.state_label.setObjectName("noteState")
        self.state_label.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.tags_label = QLabel(self)
        self.tags_label.setObjectName("noteTags")
        self.tags_label.setWordWrap(True)
        self.confirm_button = QPushButton("Confirm", self)
        self.confirm_button.setObjectName("noteConfirm")
        self.confirm_button.setToolTip("This is the right passage: anchor the note to it")
        self.confirm_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.confirm_button.clicked.connect(lambda: self.confirm_requested.emit(self.note.id))
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(6)
        top.addWidget(self.state_label)
        top.addStretch(1)
        top.addWidget(self.confirm_button)
        self.quote_label = QLabel(self)
        self.quote_label.setObjectName("noteQuote")
        self.quote_label.setWordWrap(True)
        self.was_label = QLabel(self)
        self.was_label.setObjectName("noteWas")
        self.was_label.setWordWrap(True)
        self.body_label = QLabel(self)
        self.body_label.setObjectName("noteBody")
        self.body_label.setWordWrap(True)
        self.body_label.setTextFormat(Qt.TextFormat.PlainText)
        for label in (self.quote_label, self.was_label, self.state_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.tags_label.setTextFormat(Qt.TextFormat.RichText)
        self.tags_label.setToolTip("Show only the notes with this tag")
        self.tags_label.linkActivated.connect(self.tag_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 10, 9)
        layout.setSpacing(4)
        self.top_row = QWidget(self)
        self.top_row.setLayout(top)
        layout.addWidget(self.top_row)
        layout.addWidget(self.quote_label)
        layout.addWidget(self.was_label)
        layout.addWidget(self.body_label)
        layout.addWidget(self.tags_label)
        self.set_note(note)

    def set_note(self, note: Note) -> None:
        self.note = note
        word, tip = STATE_WORDS[note.state]
        self.state_label.setText(word)
        self.state_label.setToolTip(tip)
        self.state_label.setProperty("state", note.state.value)
        self.state_label.setVisible(bool(word))
        self.tags_label.setText(
            "&nbsp; ".join(
                f'<a href="{html.escape(tag, quote=True)}" style="text-decoration:none">'
                f"#{html.escape(tag)}</a>"
                for tag in note.tags
            )
        )
        self.tags_label.setVisible(bool(note.tags))
        self.confirm_button.setVisible(self.editable and note.state is AnchorState.FUZZY)
        self.top_row.setVisible(bool(word))
        self.quote_label.setText(self._quote_line(note))
        self.quote_label.setVisible(note.scope is not NoteScope.DOCUMENT)
        was = self._was_line(note)
        self.was_label.setText(was)
        self.was_label.setVisible(bool(was))
        body = note.body.strip()
        if len(body) > BODY_CHARS:  # the editor holds the whole text; the card is a glance
            body = body[: BODY_CHARS - 1].rstrip() + "…"
        self.body_label.setText(body or "Empty note")
        self.body_label.setProperty("empty", not note.body.strip())
        for label in (self.state_label, self.body_label):
            label.style().unpolish(label)
            label.style().polish(label)
        self.setAccessibleName(self._accessible_text(note))
        self.update()

    def _quote_line(self, note: Note) -> str:
        if note.scope is NoteScope.SECTION:
            return f"On the whole section “{note.section_title or note.quote.exact}”"
        if note.state is AnchorState.FUZZY and self.text:
            now = self.text[note.position.start : note.position.end]
            return f"“{short_quote(now)}”"
        return f"“{short_quote(note.quote.exact)}”"

    def _was_line(self, note: Note) -> str:
        if note.state is AnchorState.FUZZY and self.text:
            now = self.text[note.position.start : note.position.end]
            if now != note.quote.exact:
                return f"It read: “{short_quote(note.quote.exact, 160)}”"
        if note.state is AnchorState.ORPHANED and note.section_title:
            return f"Was in: {note.section_title}"
        return ""

    @staticmethod
    def _accessible_text(note: Note) -> str:
        state = STATE_WORDS[note.state][0]
        parts = [note.body.strip() or "Empty note"]
        if note.scope is NoteScope.PASSAGE:
            parts.append(f"on “{short_quote(note.quote.exact, 80)}”")
        if state:
            parts.append(state)
        return ", ".join(parts)

    def set_selected(self, selected: bool) -> None:
        if selected != self.selected:
            self.selected = selected
            self.update()

    # Painting and input ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        path = QPainterPath()
        path.addRoundedRect(rect, 6, 6)
        accent = QColor(self.theme.accent)
        background = QColor(self.theme.page)
        if self.selected:
            background = _blend(background, accent, 0.10)
        painter.fillPath(path, background)
        painter.save()
        painter.setClipPath(path)
        painter.fillRect(QRectF(0, 0, 5, self.height()), QColor(note_colour(self.note)))
        painter.restore()
        border = accent if (self.selected or self.hasFocus()) else QColor(self.theme.rule)
        pen = painter.pen()
        pen.setColor(border)
        pen.setWidthF(2.0 if self.hasFocus() else 1.0)
        painter.setPen(pen)
        painter.drawPath(path)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.clicked.emit(self.note.id)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.activated.emit(self.note.id)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
            self.clicked.emit(self.note.id)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated.emit(self.note.id)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.step_requested.emit(self.note.id, -1 if key == Qt.Key.Key_Up else 1)
        elif key == Qt.Key.Key_Delete and self.editable:
            self.delete_requested.emit(self.note.id)
        elif key == Qt.Key.Key_F2 and self.editable:
            self.edit_requested.emit(self.note.id)
        else:
            super().keyPressEvent(event)


def _blend(base: QColor, over: QColor, amount: float) -> QColor:
    return QColor(
        round(base.red() + (over.red() - base.red()) * amount),
        round(base.green() + (over.green() - base.green()) * amount),
        round(base.blue() + (over.blue() - base.blue()) * amount),
    )


class Notice(QFrame):
    """A one-line message at the top of the panel with an optional button; it never blocks."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.button = QPushButton(self)
        self._callback: Callable[[], object] | None = None
        self.button.clicked.connect(self._clicked)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def show_message(
        self,
        text: str,
        button: str | None = None,
        callback: Callable[[], object] | None = None,
        timeout_ms: int | None = None,
    ) -> None:
        self.label.setText(text)
        self.button.setText(button or "")
        self.button.setVisible(button is not None)
        self._callback = callback
        if timeout_ms:
            self._timer.start(timeout_ms)
        else:
            self._timer.stop()
        self.show()

    def _clicked(self) -> None:
        callback = self._callback
        self.hide()
        if callback is not None:
            callback()


class NotesPanel(QWidget):
    """Shows notes in reading order under their sections; emits what the reader asks for.

    ``note_selected`` (click, Tab) asks the tab to show the passage; ``note_activated`` (Enter,
    double-click) also moves the keyboard there. The panel keeps no notes of its own beyond what
    ``set_notes`` gave it: the controller owns the store.
    """

    note_selected = Signal(str)
    note_activated = Signal(str)
    confirm_requested = Signal(str)
    delete_requested = Signal(str)
    undo_requested = Signal()
    document_note_requested = Signal()
    note_edited = Signal(str, str, tuple, object)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notesPanel")
        self.setAccessibleName("Notes")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.theme = theme
        self.editable = True
        self.text = ""
        self.notes: list[Note] = []
        self.cards: dict[str, NoteCard] = {}
        self.headings: list[tuple[QLabel, list[NoteCard]]] = []
        self.selected_id: str | None = None
        self.add_shortcut = "Ctrl+Shift+N"  # the window says which keys add a note here

        self.filter_box = QLineEdit(self)
        self.filter_box.setObjectName("notesFilter")
        self.filter_box.setPlaceholderText("Filter notes")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.setAccessibleName("Filter notes")
        self.filter_box.textChanged.connect(self.apply_filter)
        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setObjectName("notesCount")
        self.add_button = QPushButton("Note on the policy", self)
        self.add_button.setObjectName("notesAddDocument")
        self.add_button.setToolTip("Add a note about the whole policy")
        self.add_button.clicked.connect(self.document_note_requested)
        counts = QHBoxLayout()
        counts.setContentsMargins(2, 0, 0, 0)
        counts.addWidget(self.count_label, 1)
        counts.addWidget(self.add_button)

        self.save_notice = Notice("notesSaveNotice", self)
        self.action_notice = Notice("notesActionNotice", self)

        self.list_widget = QWidget()
        self.list_widget.setObjectName("notesList")
        self.list_layout = QVBoxLayout(self.list_widget)
        self.list_layout.setContentsMargins(2, 2, 6, 8)
        self.list_layout.setSpacing(8)
        self.list_layout.addStretch(1)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("notesScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.list_widget)
        self.empty_label = QLabel(self)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setObjectName("notesEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.editor = NoteEditor(self)
        self.editor.hide()
        self.editor.changed.connect(self.note_edited)
        self.editor.delete_requested.connect(self.delete_requested)
        self.editor.back_requested.connect(lambda: self.focus_note(self.selected_id))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.filter_box)
        layout.addLayout(counts)
        layout.addWidget(self.save_notice)
        layout.addWidget(self.action_notice)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.editor)

        undo = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        undo.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        undo.activated.connect(self.undo_requested)
        self.apply_theme(theme)

    # Content -----------------------------------------------------------------------------------

    def set_notes(self, notes: Sequence[Note], text: str = "", editable: bool = True) -> None:
        """Show ``notes`` (placed in ``text``); the selection and keyboard focus are kept."""
        had_focus = self._focused_card_id()
        same_context = editable == self.editable and text == self.text
        self.editable = editable
        self.text = text
        self.notes = list(notes)
        # Cards of notes still shown are kept (building hundreds of widgets takes a second);
        # the layout is rebuilt in the new order with the updates paused.
        self.list_widget.setUpdatesEnabled(False)
        old_cards = self._clear()
        for group in group_notes(self.notes):
            heading = QLabel(group_title(group.kind, group.title), self.list_widget)
            heading.setObjectName("notesGroupHeading")
            heading.setWordWrap(True)
            heading.setTextFormat(Qt.TextFormat.PlainText)
            heading.setProperty("kind", group.kind)
            self._append(heading)
            cards = [
                self._card_for(note, old_cards.pop(note.id, None), same_context)
                for note in group.notes
            ]
            self.headings.append((heading, cards))
        for card in old_cards.values():
            card.hide()
            card.deleteLater()
        self.list_widget.setUpdatesEnabled(True)
        self.add_button.setVisible(editable)
        if self.selected_id not in self.cards:
            self.selected_id = None
        self._show_selection()
        self.apply_filter(self.filter_box.text())
        if had_focus in self.cards:
            self.cards[had_focus].setFocus(Qt.FocusReason.OtherFocusReason)

    def update_note(self, note: Note) -> None:
        """A note changed without moving (its text, tags or colour): update its card only."""
        self.notes = [note if n.id == note.id else n for n in self.notes]
        card = self.cards.get(note.id)
        if card is not None:
            card.set_note(note)
        self.editor.refresh(note)

    def _card_for(self, note: Note, card: NoteCard | None, same_context: bool) -> NoteCard:
        if card is None:
            return self._make_card(note)
        if not same_context:
            card.text, card.editable = self.text, self.editable
            card.set_note(note)
        elif card.note != note:
            card.set_note(note)
        self.cards[note.id] = card
        self._append(card)
        return card

    def _make_card(self, note: Note) -> NoteCard:
        card = NoteCard(note, self.theme, self.text, self.editable, self.list_widget)
        card.clicked.connect(self.select)
        card.clicked.connect(self.note_selected)
        card.activated.connect(self._activate)
        card.confirm_requested.connect(self.confirm_requested)
        card.delete_requested.connect(self.delete_requested)
        card.step_requested.connect(self._step)
        card.edit_requested.connect(lambda _id: self.editor.focus_text())
        card.tag_clicked.connect(lambda tag: self.filter_box.setText(f"#{tag}"))
        self.cards[note.id] = card
        self._append(card)
        return card

    def _append(self, widget: QWidget) -> None:
        self.list_layout.insertWidget(self.list_layout.count() - 1, widget)

    def _clear(self) -> dict[str, NoteCard]:
        """Take every heading and card out of the list; returns the cards, by note id."""
        for heading, listed in self.headings:
            self.list_layout.removeWidget(heading)
            heading.hide()
            heading.deleteLater()
            for card in listed:
                self.list_layout.removeWidget(card)
        cards = self.cards
        self.cards, self.headings = {}, []
        return cards

    # Selection and keyboard ----------------------------------------------------------------------

    def select(self, note_id: str | None) -> None:
        """Mark ``note_id`` as the current note and show it in the editor (no focus change)."""
        if note_id == self.selected_id and (note_id is None or self.editor.note is not None):
            return
        self.selected_id = note_id if note_id in self.cards else None
        self._show_selection()

    def focus_note(self, note_id: str | None) -> None:
        """Select the note, scroll its card into view and give it the keyboard."""
        if note_id is None or note_id not in self.cards:
            return
        self.select(note_id)
        card = self.cards[note_id]
        if card.isHidden():
            self.filter_box.clear()
        self.scroll_area.ensureWidgetVisible(card, 0, 24)
        card.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def selected_note(self) -> Note | None:
        card = self.cards.get(self.selected_id or "")
        return card.note if card is not None else None

    def _show_selection(self) -> None:
        for note_id, card in self.cards.items():
            card.set_selected(note_id == self.selected_id)
        note = self.selected_note()
        focus = QApplication.focusWidget()
        if note is None and focus is not None and self.editor.isAncestorOf(focus):
            # Hiding the focused editor would pass the focus on as if Tab were pressed, and the
            # next card would select itself: park the focus on the list instead.
            self.scroll_area.setFocus(Qt.FocusReason.OtherFocusReason)
        self.editor.set_note(note if self.editable else None)

    def _activate(self, note_id: str) -> None:
        self.select(note_id)
        self.note_activated.emit(note_id)

    def _step(self, note_id: str, steps: int) -> None:
        visible = [key for key, card in self.cards.items() if not card.isHidden()]
        if note_id not in visible:
            return
        index = visible.index(note_id) + steps
        if 0 <= index < len(visible):
            self.focus_note(visible[index])
            self.note_selected.emit(visible[index])

    def _focused_card_id(self) -> str | None:
        return next((key for key, card in self.cards.items() if card.hasFocus()), None)

    # Filter ------------------------------------------------------------------------------------

    def apply_filter(self, query: str) -> None:
        shown = 0
        for heading, cards in self.headings:
            any_shown = False
            for card in cards:
                match = note_matches(card.note, query)
                if card.isHidden() == match:  # showing a widget costs a polish: only on change
                    card.setVisible(match)
                any_shown = any_shown or match
                shown += match
            if heading.isHidden() == any_shown:
                heading.setVisible(any_shown)
        self._update_counts(shown, query)

    def visible_note_ids(self) -> list[str]:
        return [key for key, card in self.cards.items() if not card.isHidden()]

    def _update_counts(self, shown: int, query: str) -> None:
        total = len(self.notes)
        review = sum(1 for n in self.notes if n.state is AnchorState.FUZZY)
        if query.strip():
            text = f"{shown} of {total} notes"
        else:
            text = f"{total} note{'s' if total != 1 else ''}"
            if review:
                text += f" · {review} to review"
        self.count_label.setText(text)
        has_notes = bool(self.notes)
        self.scroll_area.setVisible(has_notes)
        self.empty_label.setVisible(not has_notes)
        self.filter_box.setEnabled(has_notes)
        if self.editable:
            self.empty_label.setText(
                f"No notes yet.\n\nSelect a passage and press {self.add_shortcut}, or right-click "
                "it and choose “Add Note”. Right-click a section in the outline to note the whole "
                "section."
            )
        else:
            self.empty_label.setText("This review holds no notes.")

    # Messages ----------------------------------------------------------------------------------

    def show_save_problem(self, message: str | None) -> None:
        """Say that notes wait in memory (``message``), or that all are saved again (None)."""
        if message:
            self.save_notice.show_message(message)
        else:
            self.save_notice.hide()
        if self.editor.note is not None:
            self.editor.show_saved(message is None)

    def offer_undo(self, text: str) -> None:
        self.action_notice.show_message(
            text, "Undo", lambda: self.undo_requested.emit(), UNDO_NOTICE_MS
        )

    def offer_merge(self, text: str, callback: Callable[[], object]) -> None:
        self.action_notice.show_message(text, "Merge these notes into mine", callback)

    # Theme -------------------------------------------------------------------------------------

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        for card in self.cards.values():
            card.theme = theme
            card.update()
        warn_bg, warn_fg = ("#4a3a12", "#f3dfa4") if theme.dark else ("#fff3cd", "#5c4500")
        review_bg = "#5a4413" if theme.dark else "#fbe3a6"
        gone_bg = "#4d2a2a" if theme.dark else "#f6d5d2"
        gone_fg = "#f2c1bb" if theme.dark else "#7a2219"
        self.setStyleSheet(
            f"""
            #notesPanel, #notesList {{ background: {theme.panel}; }}
            QLabel#notesGroupHeading {{ color: {theme.muted}; font-weight: 600;
                padding: 6px 2px 0 2px; }}
            QLabel#notesGroupHeading[kind="orphaned"] {{ color: {gone_fg}; }}
            QLabel#notesCount, QLabel#notesEmpty {{ color: {theme.muted}; }}
            QLabel#noteQuote {{ color: {theme.quote}; font-style: italic; }}
            QLabel#noteWas {{ color: {theme.muted}; font-size: 11px; }}
            QLabel#noteBody {{ color: {theme.text}; }}
            QLabel#noteBody[empty="true"] {{ color: {theme.muted}; font-style: italic; }}
            QLabel#noteTags {{ color: {theme.accent}; font-size: 11px; }}
            QLabel#noteState {{ border-radius: 3px; padding: 0 5px; font-size: 11px;
                font-weight: 600; background: {theme.chrome}; color: {theme.muted}; }}
            QLabel#noteState[state="fuzzy"] {{ background: {review_bg}; color: {warn_fg}; }}
            QLabel#noteState[state="orphaned"] {{ background: {gone_bg}; color: {gone_fg}; }}
            QPushButton#noteConfirm {{ padding: 1px 10px; }}
            #notesSaveNotice {{ background: {warn_bg}; color: {warn_fg}; border-radius: 4px; }}
            #notesSaveNotice QLabel {{ color: {warn_fg}; }}
            #notesActionNotice {{ background: {theme.chrome}; border: 1px solid {theme.rule};
                border-radius: 4px; }}
            #noteEditor {{ background: {theme.chrome}; border-top: 1px solid {theme.rule}; }}
            QLabel#noteEditorHeading {{ color: {theme.muted}; font-size: 11px; }}
            QLabel#noteSaveState {{ color: {theme.muted}; font-size: 11px; }}
            QLabel#noteSaveState[problem="true"] {{ color: {gone_fg}; font-weight: 600; }}
            """
        )
