"""Where the reader left a policy: restored when it opens again, first screen first; kept on scroll."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer

from policyreader.ui.reader.document_tab import SCROLL_PAD, DocumentTab

# The reading position is written this long after the scrolling stops (and when the tab closes).
SAVE_DELAY_MS = 1500
# Laid out this far past the saved place, the text there can be scrolled to the top of the view.
MARGIN_CHARS = 20_000
# The text is shown after this long even if the layout never got there (it always should).
REVEAL_AFTER_MS = 10_000

Remember = Callable[[int], None]


class ReadingPosition(QObject):
    """Scrolls a new tab to ``saved`` (an offset into its text) once Qt has laid the text out to
    there, painting nothing before, so the first screen shown is the one the reader left; then
    reports the offset at the top of the view to ``remember`` as the reader scrolls."""

    def __init__(self, tab: DocumentTab, saved: int | None, remember: Remember) -> None:
        super().__init__(tab)
        self.tab = tab
        self._remember = remember
        self._saved = min(saved or 0, max(0, len(tab.document.text) - 1))
        self.restored = self._saved == 0
        # Until the reader scrolls, the place is kept through re-wrapping (the side panels
        # showing, the layout finishing): the scroll value the restore set, else None.
        self._held: int | None = None
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save)
        tab.reader.verticalScrollBar().valueChanged.connect(self._scrolled)
        tab.reader.layout_pump.finished.connect(self._hold)
        tab.reader.viewport().installEventFilter(self)
        if not self.restored:
            tab.show_page_of(self._saved)  # a long policy: the part holding the place
            # Painting the top first and jumping later would show two first screens.
            tab.reader.viewport().setUpdatesEnabled(False)
            QTimer.singleShot(REVEAL_AFTER_MS, self, self._reveal)
            self._wait_for_layout()

    def _wait_for_layout(self) -> None:
        position = self.tab.offsets.to_position(self._saved)
        self.tab.reader.layout_pump.when_laid_out(position + MARGIN_CHARS, self._laid_out)

    def _laid_out(self) -> None:
        QTimer.singleShot(0, self, self._restore)  # not inside the pump's slice

    def _restore(self) -> None:
        if self.restored:
            return
        if self._place():
            self._reveal()
        else:
            self._wait_for_layout()

    def _place(self) -> bool:
        """Scroll the saved place to the top of the view; False while the text laid out (and
        so the scroll range) does not reach it yet."""
        tab = self.tab
        bar = tab.reader.verticalScrollBar()
        wanted = tab.position_y(tab.offsets.to_position(self._saved)) - SCROLL_PAD
        if bar.maximum() < wanted:
            # Qt reports the height of a long text once all of it is laid out; the view's
            # scroll range is asked to grow to the height laid out so far.
            layout = tab.reader.document().documentLayout()
            layout.documentSizeChanged.emit(layout.documentSize())
        if bar.maximum() < wanted and tab.reader.layout_pump.busy:
            return False
        tab.scroll_to_offset(self._saved, pin=False)
        self._held = bar.value()
        return True

    def _reveal(self) -> None:
        self.restored = True
        self.tab.reader.viewport().setUpdatesEnabled(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self._held is not None:
            QTimer.singleShot(0, self, self._hold)  # once the text is wrapped to the new width
        return False

    def _hold(self) -> None:
        """Bring the saved place back to the top if the text moved under it, not the reader
        (tried again when the layout pump finishes)."""
        if self._held is not None and self.tab.reader.verticalScrollBar().value() == self._held:
            self._place()

    def _scrolled(self, value: int) -> None:
        if value != self._held:
            self._held = None  # the reader's own scrolling (or a jump they asked for)
        if self.restored:
            self._save_timer.start()

    def save(self) -> None:
        """Report the offset at the top of the view now (the tab is closing, the app quits)."""
        self._save_timer.stop()
        if self.restored:
            self._remember(self.tab.top_offset())
