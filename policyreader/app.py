"""Start the desktop app: the QApplication, settings, theme, single instance and the main window."""

from __future__ import annotations

import ctypes.util
import os
import sys
import tempfile
import time
from collections.abc import MutableMapping
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from policyreader import APP_ID, APP_NAME, __version__
from policyreader.resources_path import resource
from policyreader.storage.analysis_cache import AnalysisCache
from policyreader.storage.corrections_store import CorrectionsStore
from policyreader.storage.db import StorageError
from policyreader.storage.notes_store import NotesStore
from policyreader.storage.paths import database_path
from policyreader.ui.common.theme import ThemeChoice, ThemeManager
from policyreader.ui.practices.practices_feature import PracticesFeature
from policyreader.ui.shell.main_window import MainWindow
from policyreader.ui.shell.settings import Settings

# ``light``, ``dark`` or ``system``: overrides the saved choice (screenshots, accessibility checks).
THEME_ENV = "POLICYREADER_THEME"
SCREENSHOT_SIZE = (1280, 820)
SCREENSHOT_TIMEOUT_MS = 60_000
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def run_app(files: list[str], screenshot: str | None = None) -> int:
    """Open ``files`` in the window; with ``screenshot``, render them, save a PNG and return."""
    if screenshot:
        fallback = offscreen_fallback(os.environ)
        if fallback:
            print(f"policyreader: {fallback}; rendering the screenshot offscreen.", file=sys.stderr)
    app = _application()
    if screenshot:
        return _screenshot(app, files, screenshot)
    from policyreader.ui.shell.single_instance import claim_instance
    from policyreader.ui.shell.startup_probe import install_startup_probe

    instance = claim_instance(app, files)
    if instance is None:  # a running policyreader took the files
        return 0
    settings = Settings()
    notes, notes_problem = _notes_store()
    # Corrections of the detector live in the same database, beside the notes.
    corrections = CorrectionsStore(notes.database) if notes is not None else None
    window = MainWindow(
        settings,
        _themes(app, settings),
        notes_store=notes,
        corrections_store=corrections,
        analysis_cache=AnalysisCache(),
    )
    instance.attach(window)
    instance.open_requested.connect(window.open_requested)
    install_startup_probe(window)
    if notes_problem:
        window.present_error("Notes are off", notes_problem)
    window.show()
    instance.start()
    return app.exec()


def offscreen_fallback(environ: MutableMapping[str, str]) -> str | None:
    """Why a screenshot cannot use the display (and ``QT_QPA_PLATFORM`` set to offscreen), or None.

    Qt aborts the process when its platform plugin cannot start, so this is decided before
    the application exists: no display at all, or X11 without the xcb-cursor library.
    """
    if environ.get("QT_QPA_PLATFORM") or not sys.platform.startswith("linux"):
        return None
    if not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        reason = "no display is available"
    elif not environ.get("WAYLAND_DISPLAY") and ctypes.util.find_library("xcb-cursor") is None:
        reason = "Qt cannot use this X display without the libxcb-cursor0 library"
    else:
        return None
    environ["QT_QPA_PLATFORM"] = "offscreen"
    return reason


def _notes_store() -> tuple[NotesStore | None, str | None]:
    """The notes database in the data directory (``POLICYREADER_DATA_DIR`` overrides it).

    Only a database from a newer policyreader stops notes: the second value says so, for the
    window to tell once, and the reader still opens policies.
    """
    try:
        return NotesStore.open(database_path()), None
    except StorageError as error:
        print(f"policyreader: notes are off: {error}", file=sys.stderr)
        return None, str(error)


def _application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("policyreader")
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    # Ties the running window to the installed .desktop file (taskbar icon, Wayland app id).
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(_icon())
    return app


def _icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        path = resource("icons", "hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png")
        if path.is_file():
            icon.addFile(str(path))
    return icon


def _themes(app: QApplication, settings: Settings) -> ThemeManager:
    choice = settings.theme_choice()
    override = os.environ.get(THEME_ENV, "").strip().lower()
    if override in {c.value for c in ThemeChoice}:
        choice = ThemeChoice(override)
    themes = ThemeManager(app, choice)
    themes.apply()
    return themes


def _screenshot(app: QApplication, files: list[str], output: str) -> int:
    """Render ``files`` in a window of fixed size and save it; the user's settings stay untouched."""
    failures: list[str] = []

    def report(title: str, message: str) -> None:
        failures.append(message)
        print(f"policyreader: {message}", file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="policyreader-shot-") as scratch:
        settings = Settings(Path(scratch))
        window = MainWindow(settings, _themes(app, settings), present_error=report)
        window.resize(*SCREENSHOT_SIZE)
        window.show()
        window.open_files(files)
        if not window.tasks.wait(SCREENSHOT_TIMEOUT_MS):
            print("policyreader: gave up waiting for the files to load", file=sys.stderr)
        _settle_practices(app, window)
        for _ in range(3):  # let layout and the current-section timer settle before grabbing
            app.processEvents()
        tab = window.current_tab()
        if tab is not None:
            tab.update_current_section()
        app.processEvents()
        saved = save_grab(window, output)
        # Closing stops the encoder's refine; a worker still running when Python finalises
        # aborts the process ("terminate called without an active exception").
        window.close()
        window.tasks.wait(SCREENSHOT_TIMEOUT_MS)
        window.deleteLater()
        app.processEvents()
    if not saved:
        return 1
    return 2 if failures else 0


def save_grab(widget: QWidget, output: str) -> bool:
    """Save what ``widget`` shows to ``output``; say so on stderr when it cannot be written."""
    if widget.grab().save(output):
        return True
    print(f"policyreader: could not write {output}", file=sys.stderr)
    return False


def _settle_practices(app: QApplication, window: MainWindow) -> None:
    """A screenshot shows the highlights and the label: detection normally waits for a paint."""
    for tab in window.tabs.document_tabs():
        feature = PracticesFeature.of(tab)
        if feature is not None:
            feature.begin_detection()
    window.tasks.wait(SCREENSHOT_TIMEOUT_MS)
    deadline = time.monotonic() + SCREENSHOT_TIMEOUT_MS / 1000
    features = [PracticesFeature.of(tab) for tab in window.tabs.document_tabs()]
    while any(f is not None and f.painter.busy for f in features) and time.monotonic() < deadline:
        app.processEvents()
