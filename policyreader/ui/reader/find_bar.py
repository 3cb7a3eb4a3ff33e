"""The find bar under the text: query, "3 of 12", previous/next, highlight-all; Esc closes it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

# Typing pauses this long before a search runs, so a 1 MB policy is not searched per keystroke.
SEARCH_DELAY_MS = 120


class FindBar(QWidget):
    """Holds no matches itself: it asks (``*_requested``) and shows what it is told (``set_status``)."""

    query_changed = Signal(str)
    next_requested = Signal()
    previous_requested = Signal()
    highlight_all_changed = Signal(bool)
    case_sensitive_changed = Signal(bool)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.setAccessibleName("Find in document")

        self.query_box = QLineEdit(self)
        self.query_box.setObjectName("findQuery")
        self.query_box.setPlaceholderText("Find in policy")
        self.query_box.setAccessibleName("Find text")
        self.query_box.setClearButtonEnabled(True)
        self.query_box.installEventFilter(self)

        self.status_label = QLabel("", self)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setObjectName("findStatus")
        self.status_label.setAccessibleName("Matches")
        self.status_label.setMinimumWidth(90)

        self.previous_button = self._button("Previous", "Previous match (Shift+F3)")
        self.next_button = self._button("Next", "Next match (F3)")
        self.previous_button.clicked.connect(self.previous_requested)
        self.next_button.clicked.connect(self.next_requested)

        self.highlight_all = QCheckBox("Highlight all", self)
        self.highlight_all.setChecked(True)
        self.highlight_all.toggled.connect(self.highlight_all_changed)
        self.match_case = QCheckBox("Match case", self)
        self.match_case.toggled.connect(self.case_sensitive_changed)

        self.close_button = self._button("✕", "Close the find bar (Esc)")
        self.close_button.setAccessibleName("Close find bar")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.close_bar)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.query_box.textChanged.connect(lambda _text: self._timer.start())

        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(6)
        layout.addWidget(self.query_box, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addSpacing(8)
        layout.addWidget(self.highlight_all)
        layout.addWidget(self.match_case)
        layout.addStretch(0)
        layout.addWidget(self.close_button)
        self.setFocusProxy(self.query_box)
        self.hide()

    def _button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(text)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return button

    @property
    def query(self) -> str:
        return self.query_box.text()

    def open_bar(self, initial: str = "") -> None:
        """Show the bar with the cursor in the query box (``initial`` is e.g. the selection)."""
        if initial and "\n" not in initial and "\u2029" not in initial:
            self.query_box.setText(initial)
        self.show()
        self.query_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query_box.selectAll()
        self.flush()

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def flush(self) -> None:
        """Run the pending search now (typing waits ``SEARCH_DELAY_MS``)."""
        self._timer.stop()
        self.query_changed.emit(self.query_box.text())

    def set_status(self, text: str, found: bool) -> None:
        self.status_label.setText(text)
        self.query_box.setProperty("notFound", not found and bool(self.query.strip()))
        self.query_box.style().unpolish(self.query_box)
        self.query_box.style().polish(self.query_box)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter finds the next match, Shift+Enter the previous one, Esc closes the bar."""
        if watched is self.query_box and isinstance(event, QKeyEvent):
            if event.type() != QEvent.Type.KeyPress:
                return super().eventFilter(watched, event)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive():
                    self.flush()
                    return True
                shifted = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                (self.previous_requested if shifted else self.next_requested).emit()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)
