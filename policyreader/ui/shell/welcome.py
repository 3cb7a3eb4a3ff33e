"""The page shown when no policy is open: how to open one, and the recently read ones."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from policyreader.ui.common.plain_text import plain_tip

RECENT_SHOWN = 6


class WelcomePage(QWidget):
    """Emits ``choose_requested`` (the Open button) or ``open_requested([path])`` (a recent file)."""

    choose_requested = Signal()
    open_requested = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setAccessibleName("Welcome")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        title = QLabel("Open a privacy policy", self)
        title.setObjectName("welcomeTitle")
        title.setTextFormat(Qt.TextFormat.PlainText)
        hint = QLabel(
            "Markdown, plain text, a PDF or a web page saved from the browser.\n"
            "Drop files here, or press Ctrl+O.",
            self,
        )
        hint.setObjectName("welcomeHint")
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.open_button = QPushButton("Open a Policy…", self)
        self.open_button.setObjectName("welcomeOpen")
        self.open_button.clicked.connect(self.choose_requested)
        self.recent_label = QLabel("Recent", self)
        self.recent_label.setTextFormat(Qt.TextFormat.PlainText)
        self.recent_label.setObjectName("welcomeRecentTitle")
        self._recent_buttons: list[QPushButton] = []
        self._layout = QVBoxLayout(self)
        self._layout.addStretch(3)
        for widget in (title, hint, self.open_button):
            self._layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        self._layout.addSpacing(28)
        self._layout.addWidget(self.recent_label, 0, Qt.AlignmentFlag.AlignHCenter)
        self._recent_at = self._layout.count()
        self._layout.addStretch(4)

    def set_recent(self, paths: list[str]) -> None:
        for button in self._recent_buttons:
            self._layout.removeWidget(button)
            button.deleteLater()
        self._recent_buttons = []
        for offset, path in enumerate(paths[:RECENT_SHOWN]):
            button = QPushButton(Path(path).name, self)
            button.setObjectName("welcomeRecent")
            button.setFlat(True)
            button.setToolTip(plain_tip(path))
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(
                lambda _checked=False, path=path: self.open_requested.emit([path])
            )
            self._layout.insertWidget(
                self._recent_at + offset, button, 0, Qt.AlignmentFlag.AlignHCenter
            )
            self._recent_buttons.append(button)
        self.recent_label.setVisible(bool(self._recent_buttons))

    @property
    def recent_buttons(self) -> list[QPushButton]:
        return list(self._recent_buttons)
