"""Holding Python's cyclic garbage collector off around allocation-heavy work."""

# Kept in core, process-wide as the collector is: detection allocates much and leaves no cycles,
# every caller (CLI, window, batch) gains, the pauses are counted and the prior state restored,
# and results never depend on it.

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_gc_pauses = 0
_gc_was_enabled = False
_gc_lock = threading.Lock()


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Hold Python's cyclic garbage collector off while a worker allocates heavily.

    A full collection runs in whichever thread triggers it and holds the GIL throughout: during
    practice detection on a 1 MB policy those took 40-90 ms each, and the GUI thread (every
    slot, paint hook and timer in Python) waited for them; on one core they cost detection
    a third of its time. Detection leaves no cyclic garbage, so nothing piles up; reference
    counting still frees everything. Nested and concurrent uses
    are counted: the collector comes back when the last one ends, as it was before the first.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()
