"""``policyreader compare-policies A B C``: the reader's window with the side-by-side window on top."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from policyreader.app import _application, _themes, save_grab
from policyreader.ui.shell.main_window import MainWindow
from policyreader.ui.shell.settings import Settings

SCREENSHOT_SIZE = (1280, 820)


def run_compare_policies(
    paths: list[str], screenshot: str | None = None, differences: bool = False
) -> int:
    app = _application()
    if screenshot:
        return _screenshot(paths, screenshot, differences)
    settings = Settings()
    window = MainWindow(settings, _themes(app, settings))
    window.show()
    window.compare_policies.show(paths).set_only_differences(differences)
    return app.exec()


def _screenshot(paths: list[str], output: str, differences: bool) -> int:
    """Analyse ``paths``, render the side-by-side window alone and save it; settings untouched."""
    app = _application()
    with tempfile.TemporaryDirectory(prefix="policyreader-shot-") as scratch:
        settings = Settings(Path(scratch))
        window = MainWindow(settings, _themes(app, settings))
        compare = window.compare_policies.show(paths)
        compare.resize(*SCREENSHOT_SIZE)
        if not compare.wait():
            print("policyreader: gave up waiting for the policies to be analysed", file=sys.stderr)
        compare.set_only_differences(differences)
        for _ in range(3):
            app.processEvents()
        saved = save_grab(compare, output)
        compare.close()
        window.deleteLater()
        app.processEvents()
    return 0 if saved else 1
