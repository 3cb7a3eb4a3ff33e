"""The note editor: text, tags and colour of the selected note, saved a moment after each change."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QHideEvent, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from policyreader.core.notes import Note, NoteScope

# Typing is saved this long after the last key, and at least this often while it goes on:
# a killed process loses at most the last second.
SAVE_DELAY_MS = 400
SAVE_AT_LEAST_EVERY_MS = 900
# The colours a note can take, as stored (CSS colours, so the HTML export can use them).
# Each stays apart from every practice colour in both themes (tests/ui/test_palette.py).
NOTE_COLOURS: tuple[tuple[str, str], ...] = (
    ("Yellow", "#c9a000"),
    ("Green", "#5f9a00"),
    ("Blue", "#3d6fe0"),
    ("Pink", "#f0509a"),
    ("Purple", "#8a5cf0"),
)
DEFAULT_COLOUR = NOTE_COLOURS[0][1]
# Notes saved with the earlier palette show in the colour of the same name now.
_EARLIER = {
    "#d4a20b": "#c9a000",
    "#2e9d5b": "#5f9a00",
    "#2f74d0": "#3d6fe0",
    "#d2457f": "#f0509a",
    "#7d55c7": "#8a5cf0",
}


def note_colour(note: Note) -> str:
    chosen = note.colour or DEFAULT_COLOUR
    return _EARLIER.get(chosen.lower(), chosen)


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags as typed: separated by commas (spaces stay inside a tag, "data retention")."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _swatch(colour: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


class NoteEditor(QWidget):
    """Edits one note at a time; emits ``changed(id, body, tags, colour)`` after a short pause.

    ``flush()`` sends a change still waiting (the panel calls it before showing another note).
    ``back_requested`` is Escape: the panel returns the focus to the note's card.
    """

    changed = Signal(str, str, tuple, object)
    delete_requested = Signal(str)
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noteEditor")
        self.setAccessibleName("Note editor")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.note: Note | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self._send)
        self._deadline = QTimer(self)  # not restarted by each key, unlike ``_timer``
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(SAVE_AT_LEAST_EVERY_MS)
        self._deadline.timeout.connect(self.flush)

        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setObjectName("noteEditorHeading")
        self.heading.setWordWrap(True)
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("noteBodyEdit")
        self.body.setAccessibleName("Note text")
        self.body.setPlaceholderText("Write your note… (saved as you type)")
        self.body.setTabChangesFocus(True)
        self.body.setMinimumHeight(64)
        self.body.setMaximumHeight(120)
        self.body.textChanged.connect(self._edited)
        self.body.installEventFilter(self)
        self.tags = QLineEdit(self)
        self.tags.setObjectName("noteTagsEdit")
        self.tags.setAccessibleName("Note tags")
        self.tags.setPlaceholderText("Tags, separated by commas")
        self.tags.textEdited.connect(self._edited)
        self.tags.installEventFilter(self)

        self.colours = QButtonGroup(self)
        self.colours.setExclusive(True)
        colour_row = QHBoxLayout()
        colour_row.setSpacing(2)
        for name, colour in NOTE_COLOURS:
            button = QToolButton(self)
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setIcon(_swatch(colour))
            button.setIconSize(QSize(14, 14))
            button.setToolTip(name)
            button.setAccessibleName(f"{name} note")
            button.setProperty("colour", colour)
            self.colours.addButton(button)
            colour_row.addWidget(button)
        self.colours.buttonClicked.connect(lambda _button: self._edited())
        colour_row.addStretch(1)
        self.state_label = QLabel("", self)
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        self.state_label.setObjectName("noteSaveState")
        colour_row.addWidget(self.state_label)
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setObjectName("noteDeleteButton")
        self.delete_button.setToolTip("Delete this note (Ctrl+Z in the notes panel brings it back)")
        self.delete_button.clicked.connect(self._delete)
        colour_row.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addWidget(self.body)
        layout.addWidget(self.tags)
        layout.addLayout(colour_row)

    def set_note(self, note: Note | None) -> None:
        """Show ``note`` (None hides the editor); a change still waiting is sent first."""
        self.flush()
        self.note = note
        self.setVisible(note is not None)
        if note is None:
            return
        self.heading.setText(_heading(note))
        self.body.blockSignals(True)
        self.body.setPlainText(note.body)
        self.body.blockSignals(False)
        self.tags.setText(", ".join(note.tags))
        colour = note_colour(note)
        for button in self.colours.buttons():
            button.setChecked(button.property("colour") == colour)
        self.state_label.setText("")

    def refresh(self, note: Note) -> None:
        """The saved note came back from the store: keep what is being typed, update the rest."""
        if self.note is not None and note.id == self.note.id:
            self.note = note

    def focus_text(self) -> None:
        self.body.setFocus(Qt.FocusReason.OtherFocusReason)
        self.body.moveCursor(self.body.textCursor().MoveOperation.End)

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def flush(self) -> None:
        """Send the change waiting for the pause to end, now."""
        if self._timer.isActive():
            self._timer.stop()
            self._send()

    def _send(self) -> None:
        self._timer.stop()
        self._deadline.stop()
        if self.note is None:
            return
        self.changed.emit(
            self.note.id,
            self.body.toPlainText(),
            parse_tags(self.tags.text()),
            self.selected_colour(),
        )

    def selected_colour(self) -> str | None:
        button = self.colours.checkedButton()
        return str(button.property("colour")) if button is not None else None

    def show_saved(self, saved: bool) -> None:
        self.state_label.setText("Saved" if saved else "Not saved yet")
        self.state_label.setProperty("problem", not saved)
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)

    def hideEvent(self, event: QHideEvent) -> None:
        # A closing tab or window hides the editor first: what was typed is saved then.
        self.flush()
        super().hideEvent(event)

    def _edited(self, *_args: object) -> None:
        if self.note is not None:
            self.state_label.setText("Editing…")
            self._timer.start()
            if not self._deadline.isActive():
                self._deadline.start()

    def _delete(self) -> None:
        if self.note is not None:
            self._timer.stop()
            self._deadline.stop()
            self.delete_requested.emit(self.note.id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.ShortcutOverride
            and event.key() == Qt.Key.Key_Escape
        ):
            event.accept()  # Escape is ours here, not the tab's close-the-find-bar shortcut
            return True
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        ):
            self.flush()
            self.back_requested.emit()
            return True
        return super().eventFilter(watched, event)


def _heading(note: Note) -> str:
    if note.scope is NoteScope.DOCUMENT:
        return "Note on the whole policy"
    if note.scope is NoteScope.SECTION:
        return f"Note on the section “{note.section_title or note.quote.exact}”"
    quote = " ".join(note.quote.exact.split())
    if len(quote) > 60:
        quote = quote[:57].rstrip() + "…"
    return f"Note on “{quote}”"
