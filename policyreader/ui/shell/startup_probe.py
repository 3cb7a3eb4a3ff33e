"""Records when the main window first reaches the screen, for start-up measurements."""

# Set ``POLICYREADER_STARTUP_PROBE=/path/file`` and the app appends ``first-paint <unix time> pid
# <pid> cpu <seconds>`` to that file once the window's first paint is done; the packaging test
# compares the time with when it launched the installed program, and the CPU seconds (the process's
# own, so unaffected by a busy machine) with the same bar. Without the variable nothing is
# installed.

from __future__ import annotations

import os
import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

PROBE_ENV = "POLICYREADER_STARTUP_PROBE"


class FirstPaintProbe(QObject):
    """Watches paint events until one belongs to ``window``, then writes the time once."""

    def __init__(self, window: QWidget, target: str) -> None:
        super().__init__(window)
        self._window = window
        self._target = target

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self._window
        ):
            _application().removeEventFilter(self)
            # After this event the backing store is flushed; the zero timer runs after that.
            QTimer.singleShot(0, self._record)
        return False

    def _record(self) -> None:
        with open(self._target, "a", encoding="utf-8") as handle:
            handle.write(
                f"first-paint {time.time():.6f} pid {os.getpid()} cpu {time.process_time():.3f}\n"
            )


def install_startup_probe(window: QWidget) -> FirstPaintProbe | None:
    target = os.environ.get(PROBE_ENV)
    if not target:
        return None
    probe = FirstPaintProbe(window, target)
    _application().installEventFilter(probe)
    return probe


def _application() -> QCoreApplication:
    app = QApplication.instance()
    if app is None:
        raise RuntimeError("the startup probe needs a running QApplication")
    return app
