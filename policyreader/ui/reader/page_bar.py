"""The strip above a long policy's text: which part is shown, and the previous and next parts."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget


class PageBar(QWidget):
    """ "Part 3 of 12" between Previous and Next buttons; hidden when there is one part."""

    page_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageBar")
        self.setAccessibleName("Parts of the policy")
        self._index = 0
        self._count = 1
        self.previous = QPushButton("◀ Previous part", self)
        self.next = QPushButton("Next part ▶", self)
        self.label = QLabel(self)
        # Only numbers and a section title from the policy: never read as rich text.
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.previous)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.next)
        self.previous.clicked.connect(lambda: self.page_requested.emit(self._index - 1))
        self.next.clicked.connect(lambda: self.page_requested.emit(self._index + 1))
        self.hide()

    def show_page(self, index: int, count: int, first_title: str = "") -> None:
        self._index, self._count = index, count
        where = f"Part {index + 1} of {count}"
        self.label.setText(f"{where} · {first_title}" if first_title else where)
        self.previous.setEnabled(index > 0)
        self.next.setEnabled(index + 1 < count)
        self.setVisible(count > 1)

    @property
    def text(self) -> str:
        return self.label.text()
