"""Opening a file writes its text in the loader's thread; the GUI thread only shows it."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QApplication

from policyreader.ui.common.theme import DARK, LIGHT
from policyreader.ui.reader import document_tab as document_tab_module
from policyreader.ui.reader.document_tab import PreparedTab
from policyreader.ui.reader.outline_panel import build_outline_items
from policyreader.ui.reader.render import render_in_worker
from policyreader.ui.reader.typography import Typography
from tests.ui.conftest import open_and_wait
from tests.ui.documents import kestrel_document


def _gui_thread_renders(monkeypatch) -> list[str]:
    """Names of the threads that call ``render_document`` through the tab (the GUI's, if any)."""
    calls: list[str] = []
    original = document_tab_module.render_document

    def counted(*args, **kwargs):
        calls.append(threading.current_thread().name)
        return original(*args, **kwargs)

    monkeypatch.setattr(document_tab_module, "render_document", counted)
    return calls


def test_an_opened_file_is_written_off_the_gui_thread(qtbot, window, policy_files, monkeypatch):
    calls = _gui_thread_renders(monkeypatch)
    tab = open_and_wait(qtbot, window, policy_files["markdown"])[0]
    assert calls == []
    shown = tab.reader.document()
    assert shown.thread() is QApplication.instance().thread()
    assert "Data retention" in shown.toPlainText()
    # The text holds what the tab needs to find policy text in it.
    start = tab.document.blocks[1].start
    cursor_text = shown.toPlainText()
    position = tab.offsets.to_position(start)
    assert cursor_text[position : position + 10] == tab.document.text[start : start + 10]


def test_a_text_written_for_another_theme_is_written_again(qtbot, window, monkeypatch):
    calls = _gui_thread_renders(monkeypatch)
    document = kestrel_document()
    stale = render_in_worker(
        document, DARK if window.themes.theme == LIGHT else LIGHT, Typography()
    )
    prepared = PreparedTab(stale, build_outline_items(document.sections))
    tab = window.tabs.add_document(document, prepared=prepared)
    assert len(calls) == 1
    assert tab.reader.document() is not stale.qdocument
    assert tab.outline.item(0) is prepared.outline.items[0]


def test_the_worker_hands_its_text_to_the_gui_thread(qapp):
    found = {}

    def work() -> None:
        rendered = render_in_worker(kestrel_document(), LIGHT, Typography())
        found["thread"] = rendered.qdocument.thread()
        found["rendered"] = rendered

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert found["thread"] is qapp.thread()
    assert found["rendered"].qdocument.toPlainText()
