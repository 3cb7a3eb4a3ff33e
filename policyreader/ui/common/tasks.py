"""Slow work in a worker thread, its result handed back to callbacks that run on the GUI thread."""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, QThreadPool, Signal, Slot

Callbacks = tuple[Callable[[Any], object], Callable[[Exception], object], QObject | None]
# What a reporting task gets: call it from the worker with a value for ``on_progress``.
Report = Callable[[object], None]


class TaskRunner(QObject):
    """Runs callables off the GUI thread (like Anki's ``QueryOp``); never touches widgets itself.

    The worker only emits ``_finished``; the runner lives on the GUI thread, so Qt queues that
    signal and the callbacks run there. If the runner is deleted first (its window closed
    mid-load), the result is dropped. ``busy_changed`` lets the window show progress.
    """

    busy_changed = Signal(bool)
    _finished = Signal(int, bool, object)
    _progress = Signal(int, object)

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        # Long, optional work (the encoder's refine) runs in a thread of its own at a lower OS
        # priority, so the window's thread (and the fast detection) wins a busy core.
        self._background = QThreadPool(self)
        self._background.setMaxThreadCount(1)
        # Background work is stopped, not waited for, when the window goes: the pools' own
        # destruction waits for their threads, and a refine may have minutes left.
        self._cancels: list[threading.Event] = []
        self.destroyed.connect(functools.partial(_set_all, self._cancels))
        self._pending: dict[int, Callbacks] = {}
        self._reporting: dict[int, Callable[[Any], object]] = {}
        self._ids = itertools.count(1)
        self._finished.connect(self._deliver)
        self._progress.connect(self._deliver_progress)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], object],
        on_failure: Callable[[Exception], None],
        context: QObject | None = None,
    ) -> None:
        """Call ``work()`` in a worker; then ``on_success(result)`` or ``on_failure(error)`` here.

        With ``context``, the callbacks are skipped if that object was deleted meanwhile (its tab
        closed while the work ran).
        """
        self._start(work, on_success, on_failure, context)

    def run_reporting(
        self,
        work: Callable[[Report], Any],
        on_progress: Callable[[Any], object],
        on_success: Callable[[Any], object],
        on_failure: Callable[[Exception], None],
        context: QObject | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        """As ``run``, in the background thread (lower priority), and ``work(report)`` may call
        ``report(value)`` from the worker: each value reaches ``on_progress`` here, in order,
        before ``on_success``. ``cancel`` is set when the runner is deleted or ``cancel_all``
        is called (``work`` should then stop soon)."""
        if cancel is not None:
            self._cancels[:] = [event for event in self._cancels if not event.is_set()]
            self._cancels.append(cancel)
        task = self._start(work, on_success, on_failure, context, reporting=True)
        self._reporting[task] = on_progress

    def cancel_all(self) -> None:
        """Ask every background task to stop (the window is closing)."""
        _set_all(self._cancels)

    def _start(
        self,
        work: Callable[..., Any],
        on_success: Callable[[Any], object],
        on_failure: Callable[[Exception], None],
        context: QObject | None,
        reporting: bool = False,
    ) -> int:
        task = next(self._ids)
        was_busy = self.busy
        self._pending[task] = (on_success, on_failure, context)
        if not was_busy:
            self.busy_changed.emit(True)
        finished, progress = self._finished, self._progress

        def report(value: object) -> None:
            with contextlib.suppress(RuntimeError):  # the runner is gone: nobody to tell
                progress.emit(task, value)

        def job() -> None:
            if reporting:
                lower_thread_priority()
            try:
                result = work(report) if reporting else work()
            except Exception as error:  # handed to on_failure, which decides what the user sees
                outcome: tuple[bool, object] = (False, error)
            else:
                outcome = (True, result)
            # A deleted runner has nobody left to tell.
            with contextlib.suppress(RuntimeError):
                finished.emit(task, *outcome)

        (self._background if reporting else self._pool).start(job)
        return task

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until every task has run and delivered its callbacks (scripts and tests only)."""
        deadline = QDeadlineTimer(timeout_ms)
        while self._pending and not deadline.hasExpired():
            self._pool.waitForDone(25)
            self._background.waitForDone(25)
            QCoreApplication.processEvents()
        return not self._pending

    @Slot(int, object)
    def _deliver_progress(self, task: int, value: object) -> None:
        on_progress = self._reporting.get(task)
        callbacks = self._pending.get(task)
        if on_progress is None or callbacks is None:
            return
        context = callbacks[2]
        if context is None or shiboken6.isValid(context):
            on_progress(value)

    @Slot(int, bool, object)
    def _deliver(self, task: int, ok: bool, value: object) -> None:
        self._reporting.pop(task, None)
        callbacks = self._pending.pop(task, None)
        if callbacks is None:
            return
        on_success, on_failure, context = callbacks
        try:
            if context is not None and not shiboken6.isValid(context):
                return
            if ok:
                on_success(value)
            else:
                assert isinstance(value, Exception)  # the worker hands back what it caught
                on_failure(value)
        finally:
            if not self._pending:
                self.busy_changed.emit(False)


def _set_all(events: list[threading.Event], *_args: object) -> None:
    for event in events:
        event.set()


BACKGROUND_NICENESS = 5  # the window's thread wins about three to one, without starving it
_lowered: set[int] = set()


def lower_thread_priority() -> None:
    """Make the calling thread (and threads it starts, such as onnxruntime's) yield to the
    window's: Linux gives threads their own niceness; elsewhere nothing changes."""
    thread = threading.get_native_id()
    # Only Linux takes a thread id where setpriority wants a process id.
    if thread in _lowered or not sys.platform.startswith("linux"):
        return
    _lowered.add(thread)  # once: an unprivileged thread cannot raise its priority back
    with contextlib.suppress(OSError):
        current = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(19, current + BACKGROUND_NICENESS))


def on_gui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
