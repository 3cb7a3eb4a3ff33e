"""Fixtures for the window tests: real settings on tmp_path, a theme, a shown main window."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from policyreader.storage.notes_store import NotesStore
from policyreader.ui.common.theme import ThemeChoice, ThemeManager
from policyreader.ui.practices import practices_feature
from policyreader.ui.reader.document_tab import DocumentTab
from policyreader.ui.shell.main_window import MainWindow
from policyreader.ui.shell.settings import Settings
from tests.notes_samples import POLICY_V1
from tests.ui.documents import KESTREL_MARKDOWN, PLAIN_TEXT


@dataclass
class Recorder:
    """Collects what the window would have shown or opened, instead of a dialog or a browser."""

    messages: list[tuple[str, str]] = field(default_factory=list)
    opened_urls: list[str] = field(default_factory=list)

    def present(self, title: str, message: str) -> None:
        self.messages.append((title, message))

    def open_url(self, url: QUrl) -> bool:
        self.opened_urls.append(url.toString())
        return True


@pytest.fixture(autouse=True)
def fast_path_only(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Window tests see the fast highlights alone, as without the encoder file: the encoder's
    refine takes seconds of CPU a document. Tests marked ``refine`` keep it."""
    if request.node.get_closest_marker("refine") is None:
        monkeypatch.setattr(practices_feature, "default_encoder_source", lambda: None)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "config")


@pytest.fixture
def themes(qapp: QApplication) -> Iterator[ThemeManager]:
    manager = ThemeManager(qapp, ThemeChoice.LIGHT)
    manager.apply()
    yield manager
    manager.deleteLater()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def window(
    qtbot: QtBot, settings: Settings, themes: ThemeManager, recorder: Recorder
) -> MainWindow:
    main = MainWindow(
        settings, themes, present_error=recorder.present, url_opener=recorder.open_url
    )
    qtbot.addWidget(main)
    main.resize(1100, 720)
    main.show()
    qtbot.waitExposed(main)
    return main


@pytest.fixture
def policy_files(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "policies"
    folder.mkdir()
    markdown = folder / "kestrel.md"
    markdown.write_text(KESTREL_MARKDOWN, encoding="utf-8")
    text = folder / "harbour.txt"
    text.write_text(PLAIN_TEXT, encoding="utf-8")
    return {"markdown": markdown, "text": text}


def open_and_wait(qtbot: QtBot, window: MainWindow, *paths: Path) -> list[DocumentTab]:
    """Open files through the window's one open signal and wait for the worker to deliver."""
    window.open_requested.emit([str(p) for p in paths])
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10_000)
    return window.tabs.document_tabs()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[NotesStore]:
    """A real notes store on tmp_path (the notes, compare and library tests share it)."""
    notes = NotesStore.open(tmp_path / "data" / "notes.db")
    yield notes
    notes.database.close()


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    """The notes tests' policy, first version, in a folder of its own."""
    path = tmp_path / "policies" / "larkspur.md"
    path.parent.mkdir()
    path.write_text(POLICY_V1, encoding="utf-8")
    return path
