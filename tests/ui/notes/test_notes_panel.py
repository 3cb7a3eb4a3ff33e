"""Taking notes in the window: add, persist, jump, keyboard, delete and undo, states, filter, faults."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from policyreader.core.anchoring import AnchorState
from policyreader.core.loading import load_text
from policyreader.core.notes import NoteScope
from policyreader.storage.notes_store import NotesStore
from policyreader.ui.notes.notes_panel import note_matches
from policyreader.ui.notes.tab_notes import NOTES_LAYER, note_at, trimmed_range
from policyreader.ui.shell.main_window import MainWindow
from tests.notes_samples import (
    FUZZY_QUOTE,
    MOVED_QUOTE,
    NOTED,
    ORPHAN_QUOTE,
    POLICY_V1,
    POLICY_V2,
)
from tests.ui.notes_helpers import (
    controller,
    make_window,
    open_notes,
    put_cursor_in,
    select_quote,
    selected_text,
)

SHARING_QUOTE = "We share aggregated travel statistics with city transport authorities."


@pytest.fixture
def window(qtbot, settings, themes, recorder, store):
    return make_window(qtbot, settings, themes, recorder, store)


def add_note(window, tab, notes, quote: str, body: str = ""):
    select_quote(tab, quote)
    window.actions.notes_add.trigger()
    note = notes.panel.selected_note()
    assert note is not None and note.quote.exact == quote
    if body:
        controller(window).edit(notes, note.id, body, (), None)
    return notes.note(note.id)


@pytest.mark.timing
def test_select_a_passage_add_a_note_type_and_it_is_saved_within_a_second(
    qtbot, window, policy, store, settings, themes, recorder, tmp_path
):
    tab, notes = open_notes(qtbot, window, policy)
    start, end = select_quote(tab, MOVED_QUOTE)
    window.actions.notes_add.trigger()
    (card,) = notes.panel.cards.values()
    assert card.note.position.start == start and card.note.position.end == end
    editor = notes.panel.editor
    assert editor.isVisible() and editor.body.hasFocus()  # ready to type
    qtbot.keyClicks(editor.body, "Ask for the partner list")
    typed = time.monotonic()
    qtbot.waitUntil(
        lambda: store.notes_for(notes.opened)[0].body == "Ask for the partner list", timeout=2000
    )
    assert time.monotonic() - typed < 1.0
    assert card.body_label.text() == "Ask for the partner list"
    assert tab._layers[NOTES_LAYER][0][:2] == (start, end)  # the selected note is tinted
    (marker,) = notes.markers.markers
    assert (marker.first, marker.last) == tab.offsets.to_position_range(start, end)
    assert notes.markers.underline_rects(marker) and notes.markers.bar_rect(marker).height() > 0
    window.close()

    # A new store on the same file and a new window: the note is still there.
    reopened_store = NotesStore.open(store.database.path)
    again = make_window(qtbot, settings, themes, recorder, reopened_store)
    _tab, reopened = open_notes(qtbot, again, policy)
    assert [n.body for n in reopened.notes] == ["Ask for the partner list"]
    assert [c.body_label.text() for c in reopened.panel.cards.values()] == [
        "Ask for the partner list"
    ]
    again.close()
    reopened_store.database.close()


def test_context_menu_offers_add_note_for_a_selection(qtbot, window, policy):
    tab, notes = open_notes(qtbot, window, policy)
    select_quote(tab, SHARING_QUOTE)
    cursor_rect = tab.reader.cursorRect(tab.reader.textCursor())
    menu = tab.build_reader_menu(cursor_rect.center())
    texts = [action.text() for action in menu.actions()]
    assert texts[0] == "Add Note…" and "Copy" in " ".join(texts).replace("&", "")
    add = menu.actions()[0]
    assert add.isEnabled()
    add.trigger()
    assert [n.quote.exact for n in notes.notes] == [SHARING_QUOTE]
    # On the noted passage the menu now also leads to the note.
    cursor_rect = tab.reader.cursorRect(tab.reader.textCursor())
    menu = tab.build_reader_menu(cursor_rect.center())
    (go,) = [action for action in menu.actions() if action.text() == "Go to Note"]
    tab.side_tabs.setCurrentIndex(0)  # another side panel in front
    tab.reader.setFocus()
    go.trigger()
    assert tab.side_tabs.currentWidget() is notes.panel
    assert notes.panel.cards[notes.notes[0].id].hasFocus()


def test_a_note_on_a_section_from_the_outline_and_one_on_the_whole_policy(qtbot, window, policy):
    tab, notes = open_notes(qtbot, window, policy)
    item = tab.outline.item(2)  # "Sharing"
    rect = tab.outline.tree.visualItemRect(item)
    menu = tab.build_section_menu(rect.center())
    assert menu is not None
    (action,) = [a for a in menu.actions() if a.text() == "Add Note on This Section…"]
    action.trigger()
    notes.panel.add_button.click()
    scopes = {n.scope: n for n in notes.notes}
    assert scopes[NoteScope.SECTION].section_title == "Sharing"
    assert NoteScope.DOCUMENT in scopes
    headings = [h.text() for h, _cards in notes.panel.headings]
    assert headings == ["Whole policy", "Sharing"]
    assert (
        "On the whole section" in notes.panel.cards[scopes[NoteScope.SECTION].id].quote_label.text()
    )


def test_clicking_a_note_scrolls_to_and_selects_its_passage(qtbot, window, policy):
    window.resize(1200, 420)  # short enough that the last section is out of view
    tab, notes = open_notes(qtbot, window, policy)
    note = add_note(window, tab, notes, "You can turn off location tracking at any time")
    add_note(window, tab, notes, "When you create an account")
    tab.reader.verticalScrollBar().setValue(0)
    tab.reader.moveCursor(tab.reader.textCursor().MoveOperation.Start)
    assert selected_text(tab) == ""
    card = notes.panel.cards[note.id]
    notes.panel.scroll_area.ensureWidgetVisible(card)
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=QPoint(20, 8))
    assert selected_text(tab) == "You can turn off location tracking at any time"
    bar = tab.reader.verticalScrollBar()
    assert bar.value() > 0
    y = tab.position_y(tab.reader.textCursor().selectionStart())
    assert bar.value() <= y <= bar.value() + tab.reader.viewport().height()


def test_keyboard_goes_from_a_passage_to_its_note_and_back(qtbot, window, policy):
    tab, notes = open_notes(qtbot, window, policy)
    first = add_note(window, tab, notes, FUZZY_QUOTE, "retention")
    second = add_note(window, tab, notes, MOVED_QUOTE, "selling")
    tab.reader.setFocus()
    put_cursor_in(tab, FUZZY_QUOTE)
    window.actions.notes_go.trigger()
    card = notes.panel.cards[first.id]
    assert card.hasFocus() and notes.panel.selected_id == first.id
    qtbot.keyClick(card, Qt.Key.Key_Down)  # the next note, and the text follows
    assert notes.panel.cards[second.id].hasFocus()
    assert selected_text(tab) == MOVED_QUOTE
    qtbot.keyClick(notes.panel.cards[second.id], Qt.Key.Key_Return)
    assert tab.reader.hasFocus() and selected_text(tab) == MOVED_QUOTE
    # Ctrl+J from the panel goes back too.
    window.actions.notes_go.trigger()
    assert notes.panel.cards[second.id].hasFocus()
    window.actions.notes_go.trigger()
    assert tab.reader.hasFocus()


def test_delete_then_undo_with_ctrl_z_and_with_the_button(qtbot, window, policy, store):
    tab, notes = open_notes(qtbot, window, policy)
    note = add_note(window, tab, notes, MOVED_QUOTE, "keep me")
    card = notes.panel.cards[note.id]
    card.setFocus()
    qtbot.keyClick(card, Qt.Key.Key_Delete)
    assert notes.panel.cards == {} and store.notes_for(notes.opened) == []
    assert notes.panel.action_notice.isVisible()
    assert "deleted" in controller(window).last_status
    qtbot.keyClick(notes.panel.scroll_area, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [n.body for n in store.notes_for(notes.opened)] == ["keep me"]
    assert list(notes.panel.cards) == [note.id]
    # The editor's Delete button, then the notice's Undo button.
    notes.panel.editor.delete_button.click()
    assert store.notes_for(notes.opened) == []
    notes.panel.action_notice.button.click()
    assert [n.body for n in store.notes_for(notes.opened)] == ["keep me"]


def _notes_on_v1(store: NotesStore, policy: Path) -> dict[str, str]:
    document = load_text(POLICY_V1, str(policy))
    opened = store.open_document(document, policy)
    ids = {}
    for key, (quote, body) in NOTED.items():
        start = document.text.index(quote)
        ids[key] = store.add_note(opened, start, start + len(quote), body).id
    return ids


def test_notes_after_an_edit_show_their_states_and_fuzzy_ones_confirm(qtbot, window, policy, store):
    ids = _notes_on_v1(store, policy)
    policy.write_text(POLICY_V2, encoding="utf-8")
    _tab, notes = open_notes(qtbot, window, policy)
    notes.reveal_panel()  # the reader clicks the Notes tab of the side area
    states = {key: notes.note(note_id).state for key, note_id in ids.items()}
    assert states == {
        "moved": AnchorState.MOVED,
        "fuzzy": AnchorState.FUZZY,
        "orphaned": AnchorState.ORPHANED,
    }
    cards = {key: notes.panel.cards[note_id] for key, note_id in ids.items()}
    assert cards["moved"].state_label.text() == "Moved"
    assert not cards["moved"].confirm_button.isVisible()
    fuzzy = cards["fuzzy"]
    assert fuzzy.state_label.text() == "Needs review" and fuzzy.confirm_button.isVisible()
    assert "ninety days" in fuzzy.quote_label.text()  # where it is now
    assert "thirty days" in fuzzy.was_label.text()  # what it said
    orphan = cards["orphaned"]
    assert orphan.state_label.text() == "Passage removed"
    assert ORPHAN_QUOTE in orphan.quote_label.text()
    assert notes.panel.headings[-1][0].text() == "No longer in the text"
    assert "1 to review" in notes.panel.count_label.text()
    # Clicking the orphan says so instead of jumping anywhere.
    message_on_open = controller(window).last_status
    qtbot.mouseClick(orphan, Qt.MouseButton.LeftButton, pos=QPoint(20, 8))
    assert "no longer in the text" in controller(window).last_status

    assert "1 to review and 1 whose passage is gone" in message_on_open
    qtbot.mouseClick(fuzzy.confirm_button, Qt.MouseButton.LeftButton)
    confirmed = notes.note(ids["fuzzy"])
    assert confirmed.state is AnchorState.EXACT and "ninety days" in confirmed.quote.exact
    assert store.get_note(ids["fuzzy"]).state is AnchorState.EXACT
    assert not notes.panel.cards[ids["fuzzy"]].confirm_button.isVisible()
    assert notes.panel.cards[ids["fuzzy"]].state_label.text() == ""


def test_filter_box_shows_matching_notes_and_hides_empty_sections(qtbot, window, policy):
    tab, notes = open_notes(qtbot, window, policy)
    retention = add_note(window, tab, notes, FUZZY_QUOTE, "Ask about backups")
    selling = add_note(window, tab, notes, MOVED_QUOTE, "Partner list?")
    controller(window).edit(notes, selling.id, "Partner list?", ("sharing",), "#3d6fe0")
    qtbot.keyClicks(notes.panel.filter_box, "backups")
    assert notes.panel.visible_note_ids() == [retention.id]
    visible_headings = [h.text() for h, _c in notes.panel.headings if not h.isHidden()]
    assert visible_headings == ["How We Use Information"]
    assert notes.panel.count_label.text() == "1 of 2 notes"
    notes.panel.filter_box.setText("SHARING")  # tags and section titles count, any case
    assert notes.panel.visible_note_ids() == [selling.id]
    notes.panel.filter_box.clear()
    assert len(notes.panel.visible_note_ids()) == 2
    notes.panel.cards[selling.id].tags_label.linkActivated.emit("sharing")  # a click on #sharing
    assert notes.panel.filter_box.text() == "#sharing"
    assert notes.panel.visible_note_ids() == [selling.id]


def test_a_disk_that_refuses_writes_shows_a_message_and_keeps_the_note(
    qtbot, window, policy, store
):
    tab, notes = open_notes(qtbot, window, policy)
    note = add_note(window, tab, notes, MOVED_QUOTE, "saved")
    connection = store.database.connection
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages}")  # SQLite reports SQLITE_FULL
    long_text = "Too long to fit. " * 3000
    controller(window).edit(notes, note.id, long_text, (), None)
    assert notes.panel.save_notice.isVisible()
    assert "full" in notes.panel.save_notice.label.text()
    assert "full" in controller(window).last_status
    shown = notes.panel.cards[note.id].body_label.text()  # still shown, shortened
    assert shown.startswith("Too long to fit.") and shown.endswith("…")
    assert notes.panel.editor.note.body == long_text  # whole in the editor
    assert notes.panel.editor.state_label.text() == "Not saved yet"
    connection.execute("PRAGMA max_page_count = 1073741823")
    controller(window).retry()
    assert not notes.panel.save_notice.isVisible()
    assert store.pending_count == 0
    fresh = NotesStore.open(store.database.path)
    assert fresh.get_note(note.id).body == long_text
    fresh.database.close()


def test_a_damaged_database_is_reported_once(qtbot, tmp_path, settings, themes, recorder):
    path = tmp_path / "data" / "notes.db"
    path.parent.mkdir()
    path.write_bytes(b"this is not a database" * 100)
    store = NotesStore.open(path)
    window = make_window(qtbot, settings, themes, recorder, store)
    qtbot.waitUntil(lambda: bool(recorder.messages), timeout=2000)
    QApplication.processEvents()
    assert len(recorder.messages) == 1
    title, message = recorder.messages[0]
    assert title == "Notes database replaced" and "moved aside" in message
    window.close()
    store.database.close()


def test_a_window_without_a_store_has_no_notes_menu(qtbot, settings, themes, recorder):
    plain = MainWindow(settings, themes, present_error=recorder.present)
    qtbot.addWidget(plain)
    assert plain.notes is None
    assert not plain.notes_menu.menuAction().isVisible()
    assert not plain.actions.notes_add.isVisible()


def test_pure_helpers():
    text = "  Hello world.\n\n"
    assert trimmed_range(text, 0, len(text)) == (2, 14)
    assert trimmed_range(text, 0, 2) == (2, 2)


def test_note_at_prefers_the_covering_note_then_the_next(store, policy):
    ids = _notes_on_v1(store, policy)
    document = load_text(POLICY_V1, str(policy))
    notes = store.notes_for(store.open_document(document, policy))
    inside = document.text.index(FUZZY_QUOTE) + 5
    found, covers = note_at(notes, inside)
    assert found.id == ids["fuzzy"] and covers
    found, covers = note_at(notes, 0)
    assert found.id == ids["fuzzy"] and not covers
    assert note_at(notes, len(document.text)) == (None, False)
    assert note_matches(found, "THIRTY backups") and not note_matches(found, "thirty selling")


def test_closing_the_tab_right_after_typing_keeps_what_was_typed(qtbot, window, policy, store):
    tab, notes = open_notes(qtbot, window, policy)
    select_quote(tab, MOVED_QUOTE)
    window.actions.notes_add.trigger()
    opened = notes.opened
    qtbot.keyClicks(notes.panel.editor.body, "last words")
    assert notes.panel.editor.pending  # still inside the pause before saving
    window.actions.file_close.trigger()
    assert [n.body for n in store.notes_for(opened)] == ["last words"]


def test_typing_without_a_pause_is_still_saved_every_second(qtbot, window, policy, store):
    tab, notes = open_notes(qtbot, window, policy)
    select_quote(tab, MOVED_QUOTE)
    window.actions.notes_add.trigger()
    opened = notes.opened
    began = time.monotonic()
    saved_while_typing = []
    while time.monotonic() - began < 2.0:  # a key every 100 ms, never the 400 ms pause
        qtbot.keyClicks(notes.panel.editor.body, "a")
        qtbot.wait(100)
        body = store.notes_for(opened)[0].body
        if body:
            saved_while_typing.append((time.monotonic() - began, len(body)))
    assert saved_while_typing and saved_while_typing[0][0] < 1.2
    assert notes.panel.editor.pending  # the last keys still wait for the pause


def test_section_note_from_the_menu_uses_the_cursor_and_add_note_needs_a_selection(
    qtbot, window, policy
):
    tab, notes = open_notes(qtbot, window, policy)
    put_cursor_in(tab, MOVED_QUOTE)
    window.actions.notes_add.trigger()  # a cursor, no selection
    assert notes.notes == [] and "Select a passage" in controller(window).last_status
    window.actions.notes_add_section.trigger()
    (note,) = notes.notes
    assert note.scope is NoteScope.SECTION and note.section_title == "Sharing"
    editor = notes.panel.editor
    assert editor.body.hasFocus()
    qtbot.keyClick(editor.body, Qt.Key.Key_Escape)  # back from the editor to the note's card
    assert notes.panel.cards[note.id].hasFocus()


def test_the_same_policy_in_two_tabs_shows_the_same_notes(qtbot, window, policy, tmp_path):
    copy = tmp_path / "copy of larkspur.md"
    copy.write_text(POLICY_V1, encoding="utf-8")
    tab, notes = open_notes(qtbot, window, policy)
    _copy_tab, copied = open_notes(qtbot, window, copy)
    window.tabs.setCurrentWidget(tab)
    note = add_note(window, tab, notes, MOVED_QUOTE, "seen in both")
    assert [n.body for n in copied.notes] == ["seen in both"]
    assert copied.panel.cards[note.id].body_label.text() == "seen in both"
    controller(window).edit(notes, note.id, "edited in one", (), None)
    assert copied.panel.cards[note.id].body_label.text() == "edited in one"
    controller(window).delete(notes, note.id)
    assert copied.notes == []


def test_quitting_with_changes_the_disk_refuses_asks_first(qtbot, window, policy, store):
    tab, notes = open_notes(qtbot, window, policy)
    note = add_note(window, tab, notes, MOVED_QUOTE, "saved")
    connection = store.database.connection
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages}")
    controller(window).edit(notes, note.id, "Too long to fit. " * 3000, (), None)
    asked: list[str] = []
    controller(window).confirm_quit = lambda message: asked.append(message) or False
    assert not window.close()  # the reader chose to stay
    assert window.isVisible() and "1 note change could not be saved" in asked[0]
    connection.execute("PRAGMA max_page_count = 1073741823")
    assert window.close()  # now it saves and closes without asking
    assert len(asked) == 1 and store.pending_count == 0


def test_notes_written_by_another_instance_appear_on_coming_back(qtbot, window, policy, store):
    _tab, notes = open_notes(qtbot, window, policy)
    assert not notes.reload_if_changed()
    elsewhere = NotesStore.open(store.database.path)  # a second policyreader
    document = load_text(POLICY_V1, str(policy))
    opened = elsewhere.open_document(document, policy)
    start = document.text.index(MOVED_QUOTE)
    elsewhere.add_note(opened, start, start + len(MOVED_QUOTE), "from the other window")
    elsewhere.database.close()
    controller(window)._application_state_changed(Qt.ApplicationState.ApplicationActive)
    assert [c.body_label.text() for c in notes.panel.cards.values()] == ["from the other window"]


def test_clearing_the_selection_while_typing_selects_no_other_note(qtbot, window, policy):
    tab, notes = open_notes(qtbot, window, policy)
    add_note(window, tab, notes, FUZZY_QUOTE)
    add_note(window, tab, notes, MOVED_QUOTE)
    assert notes.panel.editor.body.hasFocus()
    notes.panel.select(None)
    assert notes.panel.selected_id is None and not notes.panel.editor.isVisibleTo(notes.panel)


def test_editing_a_note_another_window_deleted_is_refused_calmly(qtbot, window, policy, store):
    tab, notes = open_notes(qtbot, window, policy)
    note = add_note(window, tab, notes, MOVED_QUOTE, "here")
    store.database.connection.execute("DELETE FROM notes WHERE id = ?", (note.id,))
    controller(window).edit(notes, note.id, "still typing", (), None)
    assert "cannot be changed" in controller(window).last_status


def test_f6_goes_from_the_text_to_the_notes_panel_and_on_to_the_outline(qtbot, window, policy):
    tab, notes = open_notes(qtbot, window, policy)
    note = add_note(window, tab, notes, SHARING_QUOTE, "F6 here")
    notes.reveal_panel()
    window.activateWindow()
    tab.reader.setFocus()
    window.actions.go_switch_panel.trigger()
    # The panel's keyboard goes back where it was: the note's text, just typed.
    assert QApplication.focusWidget().objectName() == "noteBodyEdit"
    assert notes.panel.isAncestorOf(QApplication.focusWidget())
    notes.panel.cards[note.id].setFocus()  # the reader moves on to a card, leaves, comes back
    window.actions.go_switch_panel.trigger()
    assert QApplication.focusWidget() is tab.outline.tree
    window.actions.go_switch_panel.trigger()
    assert QApplication.focusWidget() is tab.reader
    window.actions.go_switch_panel.trigger()
    assert QApplication.focusWidget() is notes.panel.cards[note.id]
