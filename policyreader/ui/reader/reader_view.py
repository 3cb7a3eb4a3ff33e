"""The rendered policy: a read-only QTextBrowser that fetches nothing and routes every link click."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QMimeData, Qt, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QKeyEvent,
    QResizeEvent,
    QTextDocument,
    QTextFrameFormat,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QScrollBar, QTextBrowser, QWidget

from policyreader.ui.reader.layout_pump import LayoutPump
from policyreader.ui.reader.render import ZERO_WIDTH_SPACE
from policyreader.ui.reader.typography import column_margins

UrlOpener = Callable[[QUrl], bool]

# Opened in the system's browser or mail program, and only when the reader clicks.
EXTERNAL_SCHEMES = frozenset({"http", "https", "mailto"})
TOP_MARGIN = 36.0
BOTTOM_MARGIN = 96.0


class LinkAction(Enum):
    OPEN_EXTERNAL = "open_external"
    GO_TO_FRAGMENT = "go_to_fragment"
    BLOCK = "block"


def classify_link(url: str) -> LinkAction:
    """What a click on ``url`` may do; anything not known to be harmless is blocked.

    ``javascript:``, ``file:``, ``data:`` and relative paths (which would resolve against the
    policy's folder) never open.
    """
    qurl = QUrl(url.strip())
    scheme = qurl.scheme().lower()
    if scheme == "mailto" and _asks_to_attach(qurl):
        return LinkAction.BLOCK
    if scheme in EXTERNAL_SCHEMES and qurl.isValid() and (scheme == "mailto" or qurl.host()):
        return LinkAction.OPEN_EXTERNAL
    if not scheme and url.strip().startswith("#") and len(url.strip()) > 1:
        return LinkAction.GO_TO_FRAGMENT
    return LinkAction.BLOCK


def _asks_to_attach(url: QUrl) -> bool:
    """A ``mailto:`` that names a file to attach (``attach=``, ``attachment=``; some mail
    programs honour them and would send a local file the reader never chose)."""
    query = url.query(QUrl.ComponentFormattingOption.FullyDecoded).lower()
    fields = {part.split("=", 1)[0].strip() for part in query.split("&")}
    return bool(fields & {"attach", "attachment", "attachments"})


class ReaderView(QTextBrowser):
    """Shows a rendered document in a centred column of bounded width.

    ``url_opener`` is the one way out to other programs; tests pass their own.
    """

    link_opened = Signal(str)
    link_blocked = Signal(str)
    fragment_requested = Signal(str)
    column_changed = Signal(float)
    zoom_requested = Signal(int)  # steps: Ctrl+wheel, handled by the window like Ctrl+= / Ctrl+-

    def __init__(self, parent: QWidget | None = None, url_opener: UrlOpener | None = None) -> None:
        super().__init__(parent)
        self._url_opener = url_opener or QDesktopServices.openUrl
        self._average_char_width = 8.0
        self._rendered: QTextDocument | None = None
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Drops go to the window, which opens the dropped files instead of inserting text.
        self.setAcceptDrops(False)
        self.setAccessibleName("Policy text")
        self.setAccessibleDescription("The text of the open privacy policy")
        self.anchorClicked.connect(self._route_link)
        # Lays a long policy out in short slices instead of Qt's ever longer lazy-layout steps.
        self.layout_pump = LayoutPump(self)

    def set_rendered_document(self, document: QTextDocument, average_char_width: float) -> None:
        previous, self._rendered = self._rendered, document
        self._average_char_width = average_char_width
        document.setParent(self)
        # Margins first: laying a long policy out twice (before and after them) costs real time.
        self._set_margins(document, column_margins(self.viewport().width(), average_char_width))
        self.setDocument(document)
        self.layout_pump.watch(document)
        if previous is not None and previous is not document:
            previous.deleteLater()
        self.apply_column()

    def createMimeDataFromSelection(self) -> QMimeData:
        """Copied text without the zero-width spaces the renderer puts into very long words."""
        data = super().createMimeDataFromSelection()
        if data.hasText():
            data.setText(data.text().replace(ZERO_WIDTH_SPACE, ""))
        if data.hasHtml():
            data.setHtml(data.html().replace(ZERO_WIDTH_SPACE, ""))
        return data

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        """Never load anything: no remote or local image, stylesheet or font reaches the view."""
        return None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Space pages down and Shift+Space up, as in a browser or an e-book reader."""
        if (
            event.key() == Qt.Key.Key_Space
            and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        ):
            bar = self.verticalScrollBar()
            up = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            bar.triggerAction(
                QScrollBar.SliderAction.SliderPageStepSub
                if up
                else QScrollBar.SliderAction.SliderPageStepAdd
            )
            return
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl+wheel zooms the whole reader (re-rendered), not just the widget's default font."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() // 120
            if steps:
                self.zoom_requested.emit(steps)
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.apply_column()

    def apply_column(self) -> None:
        """Centre the text in a column of comfortable measure; margins grow with the window."""
        margin = column_margins(self.viewport().width(), self._average_char_width)
        if self._set_margins(self.document(), margin):
            self.column_changed.emit(margin)

    @staticmethod
    def _set_margins(document: QTextDocument, margin: float) -> bool:
        frame = document.rootFrame()
        fmt: QTextFrameFormat = frame.frameFormat()
        if abs(fmt.leftMargin() - margin) < 0.5 and fmt.topMargin() == TOP_MARGIN:
            return False
        fmt.setLeftMargin(margin)
        fmt.setRightMargin(margin)
        fmt.setTopMargin(TOP_MARGIN)
        fmt.setBottomMargin(BOTTOM_MARGIN)
        frame.setFrameFormat(fmt)
        return True

    def column_margin(self) -> float:
        return self.document().rootFrame().frameFormat().leftMargin()

    def _route_link(self, url: QUrl) -> None:
        text = url.toString()
        action = classify_link(text)
        if action is LinkAction.OPEN_EXTERNAL:
            self._url_opener(url)
            self.link_opened.emit(text)
        elif action is LinkAction.GO_TO_FRAGMENT:
            self.fragment_requested.emit(url.fragment())
        else:
            self.link_blocked.emit(text)
