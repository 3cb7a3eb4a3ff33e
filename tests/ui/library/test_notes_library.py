"""The notes library window: documents with notes, search across all notes, opening from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from policyreader.core.loading import load_text
from policyreader.storage.notes_store import NotesStore
from policyreader.storage.opening import is_review_path
from policyreader.ui.library.library_window import LibraryWindow, when
from tests.notes_samples import FUZZY_QUOTE, MOVED_QUOTE, POLICY_V1
from tests.ui.notes_helpers import controller, make_window

OTHER_POLICY = """\
# Quillfeather Notes Privacy Policy

## Data We Keep

We keep your notebooks encrypted and never read them.

## Contact

Write to our privacy team at any time.
"""


def note_on(store: NotesStore, path: Path, text: str, quote: str, body: str) -> None:
    path.write_text(text, encoding="utf-8")
    document = load_text(text, str(path))
    opened = store.open_document(document, path)
    start = document.text.index(quote)
    store.add_note(opened, start, start + len(quote), body)


@pytest.fixture
def library(qtbot, tmp_path, settings, themes, recorder, store):
    folder = tmp_path / "policies"
    folder.mkdir()
    note_on(store, folder / "larkspur.md", POLICY_V1, FUZZY_QUOTE, "Ask about backups")
    note_on(store, folder / "larkspur.md", POLICY_V1, MOVED_QUOTE, "Partner list?")
    note_on(
        store, folder / "quill.md", OTHER_POLICY, "never read them", "Even for support tickets?"
    )
    window = make_window(qtbot, settings, themes, recorder, store)
    return window, controller(window).show_library()


def test_library_lists_every_document_with_notes(library):
    _window, shown = library
    table = shown.documents
    assert shown.stack.currentWidget() is table
    rows = {table.item(r, 0).text(): table.item(r, 2).text() for r in range(table.rowCount())}
    assert rows == {"Larkspur Maps Privacy Policy": "2", "Quillfeather Notes Privacy Policy": "1"}
    assert "2 policies with notes · 3 notes" in shown.summary.text()


def test_search_finds_a_note_by_a_word_in_any_document(qtbot, library):
    _window, shown = library
    qtbot.keyClicks(shown.search_box, "support")
    qtbot.waitUntil(lambda: shown.stack.currentWidget() is shown.hits, timeout=2000)
    assert shown.hits.rowCount() == 1
    assert shown.hits.item(0, 0).text() == "Quillfeather Notes Privacy Policy"
    assert shown.hits.item(0, 2).text() == "Even for support tickets?"
    shown.search_box.setText("thirty")  # words of the quoted passage count too
    shown.search()
    assert [shown.hits.item(r, 2).text() for r in range(shown.hits.rowCount())] == [
        "Ask about backups"
    ]
    qtbot.keyClick(shown.search_box, Qt.Key.Key_Escape)
    assert shown.search_box.text() == ""
    qtbot.waitUntil(lambda: shown.stack.currentWidget() is shown.documents, timeout=2000)


def test_activating_a_row_opens_the_document(qtbot, library):
    window, shown = library
    table = shown.documents
    row = next(
        r for r in range(table.rowCount()) if table.item(r, 0).text().startswith("Quillfeather")
    )
    table.itemActivated.emit(table.item(row, 1))
    qtbot.waitUntil(lambda: not window.tasks.busy and window.current_tab() is not None)
    assert window.current_tab().document.title == "Quillfeather Notes Privacy Policy"
    notes = controller(window).tab_notes()
    assert [n.body for n in notes.notes] == ["Even for support tickets?"]


def test_a_note_found_by_search_opens_its_policy_at_that_note(qtbot, library):
    window, shown = library
    shown.search_box.setText("partner")
    shown.search()
    assert shown.hits.rowCount() == 1
    shown.hits.itemActivated.emit(shown.hits.item(0, 2))
    qtbot.waitUntil(lambda: not window.tasks.busy and window.current_tab() is not None)
    tab = window.current_tab()
    notes = controller(window).tab_notes(tab)
    assert notes.panel.selected_note().body == "Partner list?"
    assert tab.reader.textCursor().selectedText() == MOVED_QUOTE
    # Asked again while the policy is open: its tab shows the note, no second tab opens.
    notes.panel.select(None)
    shown.hits.itemActivated.emit(shown.hits.item(0, 0))
    assert window.tabs.count() == 1 and notes.panel.selected_note().body == "Partner list?"


def test_a_moved_file_is_reported_not_opened(qtbot, library, tmp_path, recorder):
    window, shown = library
    (tmp_path / "policies" / "quill.md").rename(tmp_path / "quill-moved.md")
    shown.reload()
    table = shown.documents
    row = next(
        r for r in range(table.rowCount()) if table.item(r, 0).text().startswith("Quillfeather")
    )
    assert table.item(row, 4).text().endswith("(not found)")
    table.itemActivated.emit(table.item(row, 0))
    assert window.tabs.count() == 0
    ((title, message),) = recorder.messages
    assert title == "File not found" and "its notes follow it" in message


def test_an_empty_library_says_how_to_start(qtbot, tmp_path, settings, themes, recorder):
    empty = NotesStore.open(tmp_path / "empty" / "notes.db")
    window = make_window(qtbot, settings, themes, recorder, empty)
    shown = controller(window).show_library()
    assert shown.stack.currentWidget() is shown.empty
    assert isinstance(shown, LibraryWindow)
    window.close()
    empty.database.close()


def test_timestamps_are_shown_as_local_dates():
    assert "2026" in when("2026-03-12T14:05:00.000Z")
    assert when("not a date") == "not a date"


def test_a_policy_read_from_the_web_is_listed_and_opened_by_its_address(
    qtbot, tmp_path, settings, themes, recorder
):
    web = NotesStore.open(tmp_path / "web" / "notes.db")
    address = "https://example.com/privacy"
    document = load_text(OTHER_POLICY, address)
    opened = web.open_document(document, address)
    start = document.text.index("never read them")
    web.add_note(opened, start, start + 15, "fetched, then noted")
    window = make_window(qtbot, settings, themes, recorder, web)
    shown = controller(window).show_library()
    assert shown.documents.item(0, 4).text() == address
    shown.open_requested.disconnect()  # only listen: the test fetches nothing
    with qtbot.waitSignal(shown.open_requested) as opening:
        shown.documents.itemActivated.emit(shown.documents.item(0, 0))
    assert opening.args == [[address]]
    assert not is_review_path("https://example.com/shared.policyreview")
    window.close()
    web.database.close()
