"""Every way in ends in one open job in a worker: the GUI thread does no loading, store or anchoring."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from policyreader.core import loading
from policyreader.core.loading import load_path
from policyreader.core.review_bundle import write_bundle
from policyreader.storage import fetch, notes_store, opening
from policyreader.storage.notes_store import NotesStore
from policyreader.ui.shell.main_window import MainWindow
from policyreader.ui.shell.single_instance import AppInstance, claim_instance
from tests.local_server import serving
from tests.notes_samples import POLICY_V1, POLICY_V2
from tests.ui.notes_helpers import make_window

# A second launch of policyreader, as a separate process, handing its file to this one.
SECOND_LAUNCH = """
import sys
from PySide6.QtWidgets import QApplication
from policyreader.ui.shell.single_instance import claim_instance
app = QApplication([])
print("forwarded" if claim_instance(app, sys.argv[2:], sys.argv[1]) is None else "primary")
"""
PAGE = POLICY_V2.replace("Larkspur Maps", "Brightwater Mail").encode("utf-8")


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/markdown; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *_args: object) -> None:
        pass


Calls = list[tuple[str, int]]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    """Each loading, store and anchoring step records the thread it ran on."""
    seen: Calls = []

    def spy(owner: object, name: str) -> None:
        original: Callable[..., object] = getattr(owner, name)

        def recorded(*args: object, **kwargs: object) -> object:
            seen.append((name, threading.get_ident()))
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, recorded)

    spy(loading, "load_path")  # a file (the open job reaches it through load_source)
    spy(fetch, "fetch")  # a web address
    spy(opening, "read_bundle")  # a .policyreview
    spy(NotesStore, "open_document")  # registering the text and its path
    spy(NotesStore, "notes_for")  # reading the notes
    spy(notes_store, "fingerprint")
    spy(notes_store, "reanchor")  # placing each note in the new text
    return seen


@pytest.fixture
def instance(qapp: QApplication) -> Iterator[tuple[AppInstance, str]]:
    directory = tempfile.mkdtemp(prefix="pr-op-")  # short: Unix socket paths are limited
    name = os.path.join(directory, "instance.sock")
    primary = claim_instance(qapp, [], name)
    assert primary is not None
    yield primary, name
    qapp.removeEventFilter(primary.file_open_filter)
    if primary.server is not None:
        primary.server.close()
    primary.deleteLater()
    shutil.rmtree(directory, ignore_errors=True)


def opened(qtbot: QtBot, window: MainWindow, count: int) -> None:
    qtbot.waitUntil(lambda: len(window.tabs.document_tabs()) == count, timeout=15_000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=15_000)


def test_every_source_is_opened_by_the_worker_job(
    qtbot: QtBot, qapp, settings, themes, recorder, store, tmp_path: Path, calls: Calls, instance
) -> None:
    primary, socket_name = instance
    folder = tmp_path / "in"
    folder.mkdir()
    policy = folder / "larkspur.md"
    policy.write_text(POLICY_V1, encoding="utf-8")
    noted = store.open_document(load_path(str(policy)))
    store.add_note(noted, 10, 40, "a note to re-anchor")
    review = folder / "shared.policyreview"
    review.write_bytes(write_bundle(load_path(str(policy)), store.notes_for(noted), []))
    policy.write_text(POLICY_V2, encoding="utf-8")  # a new version: its note must move
    second = folder / "second.md"
    second.write_text(POLICY_V2, encoding="utf-8")
    finder = folder / "finder.md"
    finder.write_text(POLICY_V2.replace("Larkspur", "Finder"), encoding="utf-8")
    window = make_window(qtbot, settings, themes, recorder, store)
    primary.open_requested.connect(window.open_requested)  # as app.py wires it
    primary.start()
    calls.clear()

    window.open_requested.emit([str(policy)])  # command line, File > Open, drop, recent files
    opened(qtbot, window, 1)
    with serving(_Page) as base:
        window.open_requested.emit([f"{base}/privacy"])
        opened(qtbot, window, 2)
    window.open_requested.emit([str(review)])
    opened(qtbot, window, 3)
    launch = subprocess.Popen(
        [sys.executable, "-c", SECOND_LAUNCH, socket_name, str(second)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    opened(qtbot, window, 4)
    assert launch.communicate(timeout=20)[0].strip() == "forwarded"
    QApplication.sendEvent(qapp, QFileOpenEvent(str(finder)))  # a macOS Finder double-click
    opened(qtbot, window, 5)

    titles = [tab.document.title for tab in window.tabs.document_tabs()]
    assert titles == [
        "Larkspur Maps Privacy Policy",
        "Brightwater Mail Privacy Policy",
        "Larkspur Maps Privacy Policy",
        "Larkspur Maps Privacy Policy",
        "Finder Maps Privacy Policy",
    ]
    assert recorder.messages == []
    gui = threading.get_ident()
    done = {name for name, _thread in calls}
    assert done >= {
        "load_path",
        "fetch",
        "read_bundle",
        "open_document",
        "notes_for",
        "fingerprint",
        "reanchor",
    }
    assert [name for name, thread in calls if thread == gui] == []
    # The work's results reached the features: the note is shown, re-anchored.
    first = window.notes.tab_notes(window.tabs.document_tabs()[0])
    assert first is not None and [n.body for n in first.notes] == ["a note to re-anchor"]
