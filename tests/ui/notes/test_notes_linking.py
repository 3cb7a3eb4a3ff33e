"""Linking two documents by hand in the library: one policy, the older notes on the newer text."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from policyreader.core.anchoring import AnchorState
from policyreader.core.loading import load_text
from policyreader.storage.library import DocumentSummary, Library
from policyreader.storage.notes_store import NotesStore
from policyreader.ui.library.library_window import LibraryWindow, LinkDialog, likely_newer
from tests.notes_samples import INSERTED, NOTED, POLICY_V1, POLICY_V2
from tests.ui.notes_helpers import controller, make_window


def noted_file(store: NotesStore, path: Path, text: str, notes: list[tuple[str, str]]) -> None:
    path.write_text(text, encoding="utf-8")
    document = load_text(text, str(path))
    opened = store.open_document(document, path)
    for quote, body in notes:
        start = document.text.index(quote)
        store.add_note(opened, start, start + len(quote), body)


@pytest.fixture
def two_files(store: NotesStore, tmp_path: Path) -> tuple[Path, Path]:
    """The newer text saved under another name (so not linked by its path), then the older."""
    newer, older = tmp_path / "larkspur-2026.md", tmp_path / "larkspur.md"
    noted_file(store, newer, POLICY_V2, [(INSERTED, "New: phone model")])
    noted_file(store, older, POLICY_V1, list(NOTED.values()))  # opened last
    return newer, older


def select_rows(shown: LibraryWindow, rows: list[int]) -> None:
    model = shown.documents.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        model.select(shown.documents.model().index(row, 0), flags)


def row_of(shown: LibraryWindow, file_name: str) -> int:
    table = shown.documents
    return next(r for r in range(table.rowCount()) if table.item(r, 4).text().endswith(file_name))


def test_two_documents_linked_in_the_library_become_one_policy(
    qtbot, tmp_path, settings, themes, recorder, store, two_files
):
    newer, older = two_files
    window = make_window(qtbot, settings, themes, recorder, store)
    shown = controller(window).show_library()
    table = shown.documents
    assert table.rowCount() == 2
    assert not shown.link_button.isEnabled()  # nothing selected yet
    select_rows(shown, [0])
    assert not shown.link_button.isEnabled() and not shown.link_action.isEnabled()
    select_rows(shown, [0, 1])
    assert shown.link_button.isEnabled() and shown.link_action.isEnabled()

    asked: list[tuple[str, ...]] = []

    def choose(one: DocumentSummary, two: DocumentSummary) -> DocumentSummary:
        asked.append((one.paths[0], two.paths[0]))
        return one if one.paths[0] == str(newer) else two

    shown.choose_newer = choose
    qtbot.mouseClick(shown.link_button, Qt.MouseButton.LeftButton)
    assert sorted(asked[0]) == sorted((str(newer), str(older)))

    # The library now lists one policy with two linked versions and all four notes.
    assert table.rowCount() == 1
    assert table.item(0, 2).text() == "4"
    assert table.item(0, 3).text() == "2 linked"
    tip = table.item(0, 3).toolTip()
    assert "larkspur.md" in tip and "larkspur-2026.md" in tip
    assert table.item(0, 4).text() == str(newer)  # the newer file is the one opened
    assert "1 policy with notes · 4 notes" in shown.summary.text()

    # Opening it shows the older version's notes re-anchored onto the newer text.
    table.itemActivated.emit(table.item(0, 0))
    qtbot.waitUntil(lambda: not window.tasks.busy and window.current_tab() is not None)
    tab = window.current_tab()
    assert tab.property("source_path") == str(newer)
    notes = controller(window).tab_notes(tab)
    states = {n.body: n.state for n in notes.notes}
    assert states == {
        "New: phone model": AnchorState.EXACT,
        NOTED["moved"][1]: AnchorState.MOVED,
        NOTED["fuzzy"][1]: AnchorState.FUZZY,
        NOTED["orphaned"][1]: AnchorState.ORPHANED,
    }
    words = {notes.panel.cards[n.id].state_label.text() for n in notes.notes}
    assert {"Moved", "Needs review", "Passage removed"} <= words
    window.close()


def test_a_tab_open_while_linking_follows_the_link(
    qtbot, tmp_path, settings, themes, recorder, store, two_files
):
    newer, _older = two_files
    window = make_window(qtbot, settings, themes, recorder, store)
    window.open_requested.emit([str(newer)])
    qtbot.waitUntil(lambda: not window.tasks.busy and window.current_tab() is not None)
    notes = controller(window).tab_notes(window.current_tab())
    assert [n.body for n in notes.notes] == ["New: phone model"]
    shown = controller(window).show_library()
    select_rows(shown, [0, 1])
    (kept,) = [s for s in shown.selected_documents() if s.paths[0] == str(newer)]
    shown.choose_newer = lambda one, two: one if one.id == kept.id else two
    shown.link_action.trigger()
    assert len(notes.notes) == 4  # the older notes appear at once, re-anchored
    assert notes.opened is not None and notes.opened.document_id == kept.id
    # A note added now is saved under the linked policy (the merged id no longer exists).
    start = notes.tab.document.text.index(INSERTED)
    added = store.add_note(notes.opened, start, start + 10, "after the link")
    assert store.pending_count == 0 and store.get_note(added.id) is not None
    window.close()


def test_cancelling_the_question_links_nothing(
    qtbot, tmp_path, settings, themes, recorder, store, two_files
):
    window = make_window(qtbot, settings, themes, recorder, store)
    shown = controller(window).show_library()
    select_rows(shown, [0, 1])
    shown.choose_newer = lambda _one, _two: None
    shown.link_action.trigger()
    assert shown.documents.rowCount() == 2
    window.close()


def test_the_link_dialog_proposes_the_more_recently_opened_as_newer(qtbot, store, two_files):
    summaries = {Path(s.paths[0]).name: s for s in Library(store.database).documents()}
    newer, older = summaries["larkspur-2026.md"], summaries["larkspur.md"]
    assert likely_newer(newer, older) is older  # the older file was opened last
    dialog = LinkDialog(newer, older)
    qtbot.addWidget(dialog)
    assert dialog.newer() is older
    dialog.group.button(0).setChecked(True)
    assert dialog.newer() is newer
    assert "larkspur-2026.md" in dialog.group.button(0).text()


def test_unlink_makes_the_older_version_a_policy_of_its_own_again(
    qtbot, tmp_path, settings, themes, recorder, store, two_files
):
    newer, older = two_files
    window = make_window(qtbot, settings, themes, recorder, store)
    window.open_requested.emit([str(older)])
    qtbot.waitUntil(lambda: not window.tasks.busy and window.current_tab() is not None)
    notes = controller(window).tab_notes(window.current_tab())
    shown = controller(window).show_library()
    select_rows(shown, [0])
    assert not shown.unlink_button.isEnabled()  # nothing was linked yet
    select_rows(shown, [0, 1])
    shown.choose_newer = lambda one, two: one if one.paths[0] == str(newer) else two
    shown.link_action.trigger()
    assert shown.documents.rowCount() == 1 and len(notes.notes) == 4
    select_rows(shown, [0])
    assert shown.unlink_button.isEnabled() and shown.unlink_action.isEnabled()
    qtbot.mouseClick(shown.unlink_button, Qt.MouseButton.LeftButton)
    table = shown.documents
    assert table.rowCount() == 2
    counts = {Path(table.item(r, 4).text()).name: table.item(r, 2).text() for r in range(2)}
    assert counts == {"larkspur.md": "3", "larkspur-2026.md": "1"}
    assert {table.item(r, 3).text() for r in range(2)} == {"1"}
    # The open tab of the older file shows its own three notes again, placed in its own text.
    assert sorted(n.body for n in notes.notes) == sorted(body for _q, body in NOTED.values())
    assert {n.state for n in notes.notes} == {AnchorState.EXACT}
    window.close()
