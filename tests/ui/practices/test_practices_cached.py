"""A policy opened before reopens from the open cache: same highlights, no detection run."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from policyreader.storage.analysis_cache import AnalysisCache
from policyreader.ui.common.theme import ThemeManager
from policyreader.ui.practices.practices_feature import PracticesFeature
from policyreader.ui.shell.main_window import MainWindow
from policyreader.ui.shell.settings import Settings
from tests.ui.conftest import open_and_wait


def _window(qtbot: QtBot, settings: Settings, themes: ThemeManager, cache: AnalysisCache):
    main = MainWindow(settings, themes, analysis_cache=cache)
    qtbot.addWidget(main)
    main.resize(1000, 700)
    main.show()
    qtbot.waitExposed(main)
    return main


def _practices(qtbot: QtBot, main: MainWindow, path: Path) -> PracticesFeature:
    tab = open_and_wait(qtbot, main, path)[0]
    feature = PracticesFeature.of(tab)
    assert feature is not None
    qtbot.waitUntil(lambda: bool(feature.practices) and not main.tasks.busy, timeout=15_000)
    return feature


def test_reopening_shows_the_cached_detections(
    qtbot: QtBot,
    settings: Settings,
    themes: ThemeManager,
    policy_files: dict[str, Path],
    tmp_path: Path,
) -> None:
    cache = AnalysisCache(tmp_path / "open-cache")
    path = policy_files["markdown"]
    first = _practices(qtbot, _window(qtbot, settings, themes, cache), path)
    assert list((tmp_path / "open-cache").glob("*.json"))  # the practices job filled it

    second_window = _window(qtbot, settings, themes, cache)
    opened: list[object] = []
    second_window.tabs.opened.connect(lambda tab: opened.append(tab.result.detected))
    second = _practices(qtbot, second_window, path)
    assert opened and opened[0] == first.detected  # came from the cache, not the detector
    assert second.detected == first.detected
    assert second.practices == first.practices
