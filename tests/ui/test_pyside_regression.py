"""PySide6 6.12.0 on Python 3.11 crashed ("none_dealloc") after a few thousand void Qt calls."""

from __future__ import annotations

import subprocess
import sys

CALLS = 20_000

SCRIPT = f"""
from PySide6.QtGui import QGuiApplication, QTextCursor, QTextDocument
app = QGuiApplication([])
document = QTextDocument()
document.setPlainText("privacy " * 100)
cursor = QTextCursor(document)
for index in range({CALLS}):
    cursor.setPosition(index % 800)  # returns nothing: each call once dropped a reference to None
    cursor.clearSelection()
print("ok", {CALLS})
"""


def test_twenty_thousand_void_calls_in_one_process(qapp):
    from PySide6.QtGui import QTextCursor, QTextDocument

    document = QTextDocument()
    document.setPlainText("privacy " * 100)
    cursor = QTextCursor(document)
    for index in range(CALLS):
        cursor.setPosition(index % 800)
    assert cursor.position() == (CALLS - 1) % 800


def test_void_calls_in_a_fresh_interpreter():
    # A fresh process, so an interpreter crash shows as a failed test rather than a dead run.
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == f"ok {CALLS}"
