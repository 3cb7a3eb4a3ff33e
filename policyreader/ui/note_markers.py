"""Margin markers: a coloured bar left of each noted passage, drawn over the reader without input."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QTextCursor
from PySide6.QtWidgets import QWidget

from policyreader.ui.reader_view import ReaderView

MARKER_WIDTH = 4.0
MARKER_GAP = 14.0  # between the bar and the text column


class NoteMarkers(QWidget):
    """Sits over the reader's viewport; ``set_markers`` takes QTextDocument position ranges.

    A child of the scroll area rather than of the viewport: Qt scrolls the viewport's children
    along with the text, which would move the overlay itself.
    """

    def __init__(self, reader: ReaderView) -> None:
        super().__init__(reader)
        self.reader = reader
        self.setObjectName("noteMarkers")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self._markers: list[tuple[int, int, QColor]] = []
        reader.viewport().installEventFilter(self)
        reader.verticalScrollBar().valueChanged.connect(lambda _value: self.update())
        self._follow_viewport()
        self.show()

    def set_markers(self, markers: list[tuple[int, int, QColor]]) -> None:
        self._markers = list(markers)
        self._follow_viewport()
        self.update()

    def marker_rects(self) -> list[QRectF]:
        """Where each marker is drawn, in this widget's coordinates (also used by tests)."""
        rects = []
        x = self.reader.column_margin() - self.reader.horizontalScrollBar().value() - MARKER_GAP
        document = self.reader.document()
        for first, last, _colour in self._markers:
            start = QTextCursor(document)
            start.setPosition(min(first, document.characterCount() - 1))
            end = QTextCursor(document)
            end.setPosition(min(last, document.characterCount() - 1))
            top = self.reader.cursorRect(start).top()
            bottom = self.reader.cursorRect(end).bottom()
            rects.append(QRectF(x, top, MARKER_WIDTH, max(bottom - top, 4.0)))
        return rects

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        height = self.height()
        for rect, (_first, _last, colour) in zip(self.marker_rects(), self._markers, strict=True):
            if rect.bottom() < 0 or rect.top() > height:
                continue
            painter.setBrush(colour)
            painter.drawRoundedRect(rect, 2, 2)
        painter.end()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self._follow_viewport()
        return super().eventFilter(watched, event)

    def _follow_viewport(self) -> None:
        self.setGeometry(self.reader.viewport().geometry())
        self.raise_()
