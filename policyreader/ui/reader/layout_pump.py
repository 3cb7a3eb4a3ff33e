"""Lays a long text out in short slices, so the window never waits on Qt's lazy layout."""

# Qt lays a QTextDocument out lazily from a 10 ms timer, but each timer step doubles in size (up to
# 200,000 characters: well over 100 ms on a 1 MB policy) and the window answers nothing meanwhile.
# The pump takes each of those timer events over: instead of Qt's step it asks for the layout block
# by block (``blockBoundingRect``, which lays out just far enough and never grows Qt's step), a
# couple of thousand characters at a time, for at most ``SLICE_S``. Qt's timer runs only while part
# of the text is not laid out, so a slice that ends early over text Qt has finished queues the
# next one itself; Qt's other timer on the layout (the one reporting the new size) goes through.

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractEventDispatcher,
    QEvent,
    QObject,
    QRectF,
    QTimer,
    QTimerEvent,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QTextDocument

# Work per event of Qt's layout timer. One ask lays out a couple of thousand characters (to Qt's
# next checkpoint, every 2000 px), a few milliseconds; the slice stops once past the budget.
SLICE_S = 0.02
STRIDE_CHARS = 2_000
# Over text already laid out an ask is instant: the stride grows to cross it quickly, but stays
# small enough that landing in text not laid out yet costs one short ask, not a stall.
MAX_STRIDE_CHARS = 16_000
INSTANT_S = 0.0005


class LayoutPump(QObject):
    """Does one document's lazy layout in slices; ``finished`` once all of it is laid out."""

    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document: QTextDocument | None = None
        self._layout: QAbstractTextDocumentLayout | None = None
        self._position = 0  # all text before this is laid out (since the last restart)
        self._stride = STRIDE_CHARS
        self.slices = 0  # slices the current layout has taken so far (tests, benchmarks)
        self.longest_slice_s = 0.0
        # Part of the text may not be laid out yet. Editors wait while it is: Qt skips laying out
        # blocks past its lazy-layout point that follow an edit, and they stay without lines.
        self.busy = False
        self._check = QTimer(self)
        self._check.setSingleShot(True)
        self._check.setInterval(0)
        self._check.timeout.connect(self.step)
        # (position, callback): called once all text before ``position`` is laid out (kept
        # through a new rendering of the text, whose positions the caller works out again).
        self._waiting: list[tuple[int, Callable[[], None]]] = []

    def watch(self, document: QTextDocument) -> None:
        """Pump ``document`` from now on (the one the reader shows); forget the previous one."""
        if self._layout is not None:
            self._layout.removeEventFilter(self)
            self._layout.update.disconnect(self._restart)
        self._document = document
        self._layout = document.documentLayout()
        self._layout.installEventFilter(self)
        # Qt announces every change it lays out again (new width, margins, edits) with
        # ``update``; the walk then starts over from the top (cheap over text laid out).
        self._layout.update.connect(self._restart)
        self._restart()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self._layout
            and event.type() == QEvent.Type.Timer
            and isinstance(event, QTimerEvent)
            and _is_layout_step(watched, event.timerId())
        ):
            self.step()
            return True  # Qt's own (ever bigger) step does not run
        return False

    def when_laid_out(self, position: int, callback: Callable[[], None]) -> None:
        """Call ``callback`` (once) when the text before ``position`` is laid out."""
        self._waiting.append((position, callback))
        self._check.start()

    def _call_waiting(self) -> None:
        done = self._position if self.busy else math.inf
        ready = [callback for position, callback in self._waiting if position <= done]
        if ready:
            self._waiting = [(p, c) for p, c in self._waiting if p > done]
            for callback in ready:
                callback()

    def finish_now(self) -> None:
        """Lay out the rest in one go (tests, printing)."""
        self.step(budget=float("inf"))

    def _restart(self, _rect: QRectF | None = None) -> None:
        self._position = 0
        self._stride = STRIDE_CHARS
        self.slices = 0
        # Whether Qt has more to lay out is known by walking: at once if all is laid out.
        self.busy = True
        self._check.start()

    def step(self, budget: float = SLICE_S) -> None:
        """Lay out for about ``budget`` seconds, from where the last slice stopped."""
        document, layout = self._document, self._layout
        if document is None or layout is None:
            return
        started = time.perf_counter()
        end = document.characterCount()
        self.slices += 1
        while self._position < end:
            self._position = min(self._position + self._stride, end)
            asked = time.perf_counter()
            # Lays out up to the end of this block, in Qt's small steps; instant if done already.
            layout.blockBoundingRect(document.findBlock(self._position - 1))
            now = time.perf_counter()
            if now - asked < INSTANT_S:
                self._stride = min(self._stride * 2, MAX_STRIDE_CHARS)
            else:
                self._stride = STRIDE_CHARS
            if now - started >= budget:
                break
        self.longest_slice_s = max(self.longest_slice_s, time.perf_counter() - started)
        if self._position < end:
            self._call_waiting()
            # Qt's timer stops once its layout is done, yet a walk over text already laid out can
            # still run out of budget (a loaded machine): then nothing else would call us again.
            self._check.start()
            return
        # The last ask finished Qt's layout: it stopped its timer and reports the full size.
        self.busy = False
        self._call_waiting()
        self.finished.emit()


def _is_layout_step(layout: QObject, timer_id: int) -> bool:
    """Whether ``timer_id`` is the layout's lazy-layout timer (10 ms), not its 0 ms size timer."""
    dispatcher = QAbstractEventDispatcher.instance()
    if dispatcher is None:
        return False
    return any(
        info.timerId == timer_id and info.interval > 0
        for info in dispatcher.registeredTimers(layout)
    )
