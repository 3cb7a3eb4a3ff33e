"""Noted passages drawn over the reader: a thick underline in the note's colour and a margin bar."""

# Practice highlights tint the text, use thin underlines of several styles and mark the left margin;
# notes use a solid 2.5 px underline and a bar in the right margin, so the two never read alike even
# on the same sentence.

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QTextBlock, QTextCursor, QTextLine
from PySide6.QtWidgets import QWidget

from policyreader.ui.reader.reader_view import ReaderView

BAR_WIDTH = 4.0
BAR_GAP = 14.0  # between the text column and the bar
UNDERLINE = 2.5
UNDERLINE_DROP = 2.0  # below the baseline, clear of the practices' thin underlines


@dataclass(frozen=True, slots=True)
class Marker:
    """QTextDocument positions ``first:last`` of one noted passage, and how to draw it."""

    first: int
    last: int
    colour: QColor
    underline: bool = True  # a section note marks its heading with the bar only


class NoteMarkers(QWidget):
    """Sits over the reader's viewport without taking input; ``set_markers`` says what to draw.

    A child of the scroll area rather than of the viewport: Qt scrolls the viewport's children
    along with the text, which would move the overlay itself.
    """

    def __init__(self, reader: ReaderView) -> None:
        super().__init__(reader)
        self.reader = reader
        self.setObjectName("noteMarkers")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.markers: list[Marker] = []
        reader.viewport().installEventFilter(self)
        reader.verticalScrollBar().valueChanged.connect(lambda _value: self.update())
        self._follow_viewport()
        self.show()

    def set_markers(self, markers: list[Marker]) -> None:
        self.markers = list(markers)
        self._follow_viewport()
        self.update()

    # Geometry ------------------------------------------------------------------------------------

    def bar_rect(self, marker: Marker) -> QRectF:
        """The margin bar beside the passage, in this widget's (the viewport's) coordinates."""
        document = self.reader.document()
        limit = max(document.characterCount() - 1, 0)
        start, end = QTextCursor(document), QTextCursor(document)
        start.setPosition(min(marker.first, limit))
        end.setPosition(min(marker.last, limit))
        top = self.reader.cursorRect(start).top()
        bottom = self.reader.cursorRect(end).bottom()
        right_edge = self.reader.viewport().width() - self.reader.column_margin()
        x = right_edge + BAR_GAP - self.reader.horizontalScrollBar().value()
        x = min(x, self.reader.viewport().width() - BAR_WIDTH - 2)  # narrow windows: stay in view
        return QRectF(x, top, BAR_WIDTH, max(bottom - top, 4.0))

    def underline_rects(self, marker: Marker) -> list[QRectF]:
        """One rectangle under each line piece of the passage, in viewport coordinates."""
        document = self.reader.document()
        layout = document.documentLayout()
        dx = -self.reader.horizontalScrollBar().value()
        dy = -self.reader.verticalScrollBar().value()
        rects: list[QRectF] = []
        block: QTextBlock = document.findBlock(marker.first)
        while block.isValid() and block.position() < marker.last:
            text_layout = block.layout()
            origin = layout.blockBoundingRect(block).topLeft()
            base = block.position()
            for index in range(text_layout.lineCount() if text_layout else 0):
                line = text_layout.lineAt(index)
                line_start = base + line.textStart()
                first = max(marker.first, line_start)
                last = min(marker.last, line_start + line.textLength())
                if first >= last:
                    continue
                x1, x2 = _x(line, first - base), _x(line, last - base)
                y = origin.y() + line.y() + line.ascent() + UNDERLINE_DROP
                rects.append(QRectF(origin.x() + x1 + dx, y + dy, max(x2 - x1, 1.0), UNDERLINE))
            block = block.next()
        return rects

    # Painting ------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        height = self.height()
        for marker in self.markers:
            bar = self.bar_rect(marker)
            if bar.bottom() < 0 or bar.top() > height:
                continue
            painter.setBrush(marker.colour)
            painter.drawRoundedRect(bar, 2, 2)
            if marker.underline:
                for rect in self.underline_rects(marker):
                    painter.drawRoundedRect(rect, 1, 1)
        painter.end()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self._follow_viewport()
        return super().eventFilter(watched, event)

    def _follow_viewport(self) -> None:
        self.setGeometry(self.reader.viewport().geometry())
        self.raise_()


def _x(line: QTextLine, position: int) -> float:
    """Where ``position`` in the line's block is drawn; PySide6 types the (x, cursor) pair as object."""
    return cast(tuple[float, int], line.cursorToX(position))[0]
