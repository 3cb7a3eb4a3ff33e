"""Where the reader left a policy: restored when it opens again, first screen first; kept on scroll."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from policyreader.ui.reader.document_tab import DocumentTab

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
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save)
        tab.reader.verticalScrollBar().valueChanged.connect(self._scrolled)
        if not self.restored:
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
        tab = self.tab
        position = tab.offsets.to_position(self._saved)
        bar = tab.reader.verticalScrollBar()
        if bar.maximum() < tab.position_y(position):
            # Qt reports the height of a long text once all of it is laid out; the view's
            # scroll range is asked to grow to the height laid out so far.
            layout = tab.reader.document().documentLayout()
            layout.documentSizeChanged.emit(layout.documentSize())
        if bar.maximum() < tab.position_y(position) and tab.reader.layout_pump.busy:
            self._wait_for_layout()  # the text laid out does not reach past it yet
            return
        tab.scroll_to_offset(self._saved, pin=False)
        self._reveal()

    def _reveal(self) -> None:
        self.restored = True
        self.tab.reader.viewport().setUpdatesEnabled(True)

    def _scrolled(self, _value: int) -> None:
        if self.restored:
            self._save_timer.start()

    def save(self) -> None:
        """Report the offset at the top of the view now (the tab is closing, the app quits)."""
        self._save_timer.stop()
        if self.restored:
            self._remember(self.tab.top_offset())
