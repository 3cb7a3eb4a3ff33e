"""Slow work in a worker thread, its result handed back to callbacks that run on the GUI thread."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, QThreadPool, Signal, Slot


class _Relay(QObject):
    """Lives on the GUI thread; a signal emitted from the worker reaches it through the event queue."""

    finished = Signal(bool, object)

    def __init__(
        self,
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
        done: Callable[[_Relay], None],
        parent: QObject,
    ) -> None:
        # Parented to the runner: if the window goes away mid-load, the late result is dropped.
        super().__init__(parent)
        self._on_success = on_success
        self._on_failure = on_failure
        self._done = done
        self.finished.connect(self._deliver)

    @Slot(bool, object)
    def _deliver(self, ok: bool, value: object) -> None:
        try:
            if ok:
                self._on_success(value)
            else:
                self._on_failure(value)  # type: ignore[arg-type]
        finally:
            self._done(self)


class TaskRunner(QObject):
    """Runs callables off the GUI thread (like Anki's ``QueryOp``); never touches widgets itself.

    ``busy_changed`` lets the window show progress while anything is running.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relays: set[_Relay] = set()

    @property
    def busy(self) -> bool:
        return bool(self._relays)

    def run(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
    ) -> None:
        """Call ``work()`` in a worker; then ``on_success(result)`` or ``on_failure(error)`` here."""
        relay = _Relay(on_success, on_failure, self._finished, self)
        was_busy = self.busy
        self._relays.add(relay)
        if not was_busy:
            self.busy_changed.emit(True)

        def job() -> None:
            try:
                result = work()
            except Exception as error:  # handed to on_failure, which decides what the user sees
                outcome: tuple[bool, object] = (False, error)
            else:
                outcome = (True, result)
            # If the runner (and so its relay) was deleted meanwhile, the result has nowhere to go.
            with contextlib.suppress(RuntimeError):
                relay.finished.emit(*outcome)

        self._pool.start(job)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until every task has run and delivered its callbacks (scripts and tests only)."""
        deadline = QDeadlineTimer(timeout_ms)
        while self._relays and not deadline.hasExpired():
            self._pool.waitForDone(50)
            QCoreApplication.processEvents()
        return not self._relays

    def _finished(self, relay: _Relay) -> None:
        self._relays.discard(relay)
        relay.deleteLater()
        if not self._relays:
            self.busy_changed.emit(False)


def on_gui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
