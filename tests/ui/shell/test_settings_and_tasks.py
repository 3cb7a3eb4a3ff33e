"""Settings on tmp_path and the background task runner (callbacks on the GUI thread)."""

from __future__ import annotations

import threading

from policyreader.core.errors import LoadProblem, PolicyLoadError
from policyreader.ui.common.tasks import TaskRunner
from policyreader.ui.common.theme import ThemeChoice
from policyreader.ui.shell.settings import Settings, push_recent


def test_push_recent_moves_to_front_without_duplicates():
    assert push_recent(["b", "a", "c"], "a") == ["a", "b", "c"]
    assert push_recent([str(i) for i in range(10)], "new", limit=3) == ["new", "0", "1"]


def test_settings_round_trip(tmp_path):
    settings = Settings(tmp_path)
    settings.add_recent_file("/p/one.md")
    settings.add_recent_file("/p/two.md")
    settings.set_zoom_index(7)
    settings.set_theme_choice(ThemeChoice.DARK)
    settings.sync()
    again = Settings(tmp_path)
    assert again.recent_files() == ["/p/two.md", "/p/one.md"]
    assert again.zoom_index() == 7
    assert again.theme_choice() is ThemeChoice.DARK
    again.clear_recent_files()
    assert again.recent_files() == []


def test_corrupt_values_fall_back_to_defaults(tmp_path):
    (tmp_path / "settings.ini").write_text("[reader]\nzoom=huge\n[view]\ntheme=purple\n")
    settings = Settings(tmp_path)
    assert settings.zoom_index() == 4
    assert settings.theme_choice() is ThemeChoice.SYSTEM
    assert settings.window_geometry() is None


def test_work_runs_off_the_gui_thread_and_callbacks_on_it(qtbot):
    runner = TaskRunner()
    seen = {}

    def work():
        seen["work"] = threading.current_thread() is threading.main_thread()
        return 42

    def done(value):
        seen["callback"] = threading.current_thread() is threading.main_thread()
        seen["value"] = value

    with qtbot.waitSignal(runner.busy_changed, timeout=5000, check_params_cb=lambda busy: not busy):
        runner.run(work, done, lambda error: None)
    assert seen == {"work": False, "callback": True, "value": 42}
    assert not runner.busy


def test_failures_reach_the_failure_callback(qtbot):
    runner = TaskRunner()
    errors = []

    def work():
        raise PolicyLoadError(LoadProblem.EMPTY, "x.md is empty.")

    runner.run(work, lambda value: None, errors.append)
    assert runner.wait(5000)
    assert [str(e) for e in errors] == ["x.md is empty."]


def test_a_result_arriving_after_its_window_closed_is_dropped(qtbot, settings, themes, tmp_path):
    import time

    from policyreader.ui.shell.main_window import MainWindow

    release = threading.Event()

    def slow_loader(path):
        release.wait(5)
        time.sleep(0.05)
        raise PolicyLoadError(LoadProblem.EMPTY, "late")

    calls = []
    window = MainWindow(
        settings, themes, loader=slow_loader, present_error=lambda *a: calls.append(a)
    )
    window.open_files([str(tmp_path / "slow.md")])
    threading.Timer(0.2, release.set).start()
    window.deleteLater()  # the worker pool waits for the load, whose result must then go nowhere
    qtbot.wait(400)
    assert calls == []


def test_a_result_whose_context_was_deleted_is_dropped(qtbot):
    from PySide6.QtCore import QObject

    runner = TaskRunner()
    release = threading.Event()
    context = QObject()
    delivered: list[object] = []
    runner.run(lambda: release.wait(5) and 42, delivered.append, delivered.append, context=context)
    kept = QObject()
    runner.run(lambda: 7, delivered.append, delivered.append, context=kept)
    context.deleteLater()
    qtbot.waitUntil(lambda: delivered == [7], timeout=5_000)
    qtbot.wait(50)  # the deleteLater has run by now
    release.set()
    assert runner.wait(5_000)
    assert delivered == [7]


def test_reports_arrive_in_order_on_the_gui_thread_before_the_result(qtbot):
    import os
    import sys

    runner = TaskRunner()
    seen: list[object] = []
    niceness: list[int] = []

    def work(report):
        if sys.platform.startswith("linux"):
            niceness.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        for step in range(5):
            report(step)
        return "done"

    def progress(value):
        assert threading.current_thread() is threading.main_thread()
        seen.append(value)

    runner.run_reporting(work, progress, seen.append, seen.append)
    assert runner.wait(5_000)
    assert seen == [0, 1, 2, 3, 4, "done"]
    if niceness:  # the background thread yields to the window's
        assert niceness[0] > os.getpriority(os.PRIO_PROCESS, 0)


def test_reports_for_a_deleted_context_are_dropped(qtbot):
    from PySide6.QtCore import QObject

    runner = TaskRunner()
    started, release = threading.Event(), threading.Event()
    context = QObject()
    seen: list[object] = []

    def work(report):
        started.set()
        release.wait(5)
        report("late")
        return "late result"

    runner.run_reporting(work, seen.append, seen.append, seen.append, context=context)
    assert started.wait(5)
    context.deleteLater()
    qtbot.wait(50)
    release.set()
    assert runner.wait(5_000)
    assert seen == []
