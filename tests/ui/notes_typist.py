"""A reader typing a note without pause, for the SIGKILL test: ``python -m tests.ui.notes_typist DB POLICY``.

Prints ``typed <count> <monotonic time>`` after every key so the test knows how much was typed
when it killed the process.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from policyreader.storage.notes_store import NotesStore
from policyreader.ui.common.theme import ThemeChoice, ThemeManager
from policyreader.ui.shell.main_window import MainWindow
from policyreader.ui.shell.settings import Settings
from tests.notes_samples import MOVED_QUOTE
from tests.ui.notes_helpers import select_quote

KEY_INTERVAL_MS = 40


def main(database: str, policy: str) -> None:
    app = QApplication([])
    themes = ThemeManager(app, ThemeChoice.LIGHT)
    store = NotesStore.open(database)
    window = MainWindow(Settings(Path(database).parent / "config"), themes, notes_store=store)
    window.show()
    window.open_files([policy])
    window.tasks.wait(20_000)
    app.processEvents()
    assert window.notes is not None
    notes = window.notes.tab_notes()
    assert notes is not None
    select_quote(notes.tab, MOVED_QUOTE)
    window.actions.notes_add.trigger()
    body = notes.panel.editor.body
    typed = 0

    def key() -> None:
        nonlocal typed
        body.insertPlainText("x")
        typed += 1
        print(f"typed {typed} {time.monotonic():.3f}", flush=True)

    timer = QTimer()
    timer.timeout.connect(key)
    timer.start(KEY_INTERVAL_MS)
    print("ready", flush=True)
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
