"""The cyclic collector is held off while detection runs, and comes back afterwards."""

from __future__ import annotations

import gc
import threading

from policyreader.core.gc_pause import cyclic_gc_paused


def test_the_collector_is_off_inside_and_back_after_nested_and_concurrent_pauses() -> None:
    assert gc.isenabled()
    inside = threading.Event()
    release = threading.Event()
    seen: list[bool] = []

    def worker() -> None:
        with cyclic_gc_paused():
            seen.append(gc.isenabled())
            inside.set()
            assert release.wait(5)

    thread = threading.Thread(target=worker)
    thread.start()
    assert inside.wait(5)
    with cyclic_gc_paused(), cyclic_gc_paused():  # overlapping detections, one nested
        assert not gc.isenabled()
    assert not gc.isenabled()  # the worker's pause still holds
    release.set()
    thread.join(5)
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off_and_an_error_still_ends_the_pause() -> None:
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    try:
        with cyclic_gc_paused():
            raise ValueError("detector failed")
    except ValueError:
        pass
    assert gc.isenabled()
