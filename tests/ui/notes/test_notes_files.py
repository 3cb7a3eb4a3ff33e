"""Notes leaving and entering the window: Markdown/HTML/JSON export, JSON import, review bundles."""

from __future__ import annotations

import json

import pytest

from policyreader.core.anchoring import AnchorState
from policyreader.core.practices.corrections import Correction, CorrectionKind
from policyreader.core.review_bundle import read_bundle
from policyreader.storage.corrections_store import CorrectionsStore
from policyreader.storage.notes_store import NotesStore
from policyreader.ui.notes.notes_files import source_iri
from tests.notes_samples import FUZZY_QUOTE, MOVED_QUOTE
from tests.ui.conftest import open_and_wait
from tests.ui.notes_helpers import controller, make_window, open_notes, select_quote


@pytest.fixture
def window(qtbot, settings, themes, recorder, store):
    return make_window(qtbot, settings, themes, recorder, store)


def noted_tab(qtbot, window, policy):
    """The policy open with a passage note (tagged), a section note and a whole-policy note."""
    tab, notes = open_notes(qtbot, window, policy)
    c = controller(window)
    select_quote(tab, FUZZY_QUOTE)
    c.add_note(notes)
    c.edit(notes, notes.panel.selected_id, "Thirty days: what about backups?", ("retention",), None)
    select_quote(tab, MOVED_QUOTE)
    c.add_note(notes)
    c.edit(notes, notes.panel.selected_id, "Check the partner list.", (), "#3d6fe0")
    c.add_document_note(notes)
    c.edit(notes, notes.panel.selected_id, "Readable, but vague on sharing.", (), None)
    return tab, notes


def test_markdown_export_groups_notes_under_sections_with_their_quotes(
    qtbot, window, policy, tmp_path
):
    _tab, notes = noted_tab(qtbot, window, policy)
    out = tmp_path / "larkspur notes.md"
    assert controller(window).files.export_notes(notes, out)
    markdown = out.read_text(encoding="utf-8")
    assert markdown.startswith("# Notes on Larkspur Maps Privacy Policy\n")
    lines = markdown.splitlines()
    order = [line for line in lines if line.startswith("## ")]
    assert order == ["## On the whole document", "## How We Use Information", "## Sharing"]
    quote_line = lines.index(f"> {FUZZY_QUOTE}")
    assert lines[quote_line + 2] == "Thirty days: what about backups?"
    assert "*Tags: retention*" in markdown
    assert "Exported 3 notes" in controller(window).last_status


def test_html_and_json_exports_then_json_import_into_a_fresh_store(
    qtbot, window, policy, tmp_path, settings, themes, recorder
):
    _tab, notes = noted_tab(qtbot, window, policy)
    c = controller(window)
    html_out, json_out = tmp_path / "n.html", tmp_path / "n.json"
    assert c.files.export_notes(notes, html_out) and c.files.export_notes(notes, json_out)
    assert "<blockquote>" in html_out.read_text(encoding="utf-8")
    exported = json.loads(json_out.read_text(encoding="utf-8"))
    assert len(exported["annotations"]) == 3
    assert {a["type"] for a in exported["annotations"]} == {"Annotation"}
    window.close()

    other = NotesStore.open(tmp_path / "other" / "notes.db")
    second = make_window(qtbot, settings, themes, recorder, other)
    _tab2, imported = open_notes(qtbot, second, policy)
    assert imported.notes == []
    assert controller(second).files.import_notes(imported, json_out) == 3
    assert sorted(n.body for n in imported.notes) == sorted(n.body for n in notes.notes)
    assert {n.state for n in imported.notes} == {AnchorState.EXACT}
    assert "Imported 3 notes (3 exact)" in controller(second).last_status
    # Importing the same file again adds nothing.
    assert controller(second).files.import_notes(imported, json_out) == 0
    assert len(imported.notes) == 3
    second.close()
    other.database.close()


def test_importing_a_broken_file_says_why(qtbot, window, policy, tmp_path, recorder):
    _tab, notes = open_notes(qtbot, window, policy)
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json", encoding="utf-8")
    assert controller(window).files.import_notes(notes, broken) == 0
    ((title, message),) = recorder.messages
    assert title == "Cannot import broken.json" and "broken.json" in message


def test_a_review_bundle_opens_with_its_notes_and_merges_into_mine(
    qtbot, window, policy, tmp_path, settings, themes, recorder
):
    _tab, notes = noted_tab(qtbot, window, policy)
    start = _tab.document.text.index(MOVED_QUOTE)
    correction = Correction(
        notes.opened.fingerprint, start, start + len(MOVED_QUOTE), CorrectionKind.WRONG, "sharing"
    )
    CorrectionsStore(controller(window).store.database).add(correction)
    bundle = tmp_path / "shared" / "larkspur.policyreview"
    bundle.parent.mkdir()
    assert controller(window).files.export_review(notes, bundle)
    sent = read_bundle(bundle.read_bytes())
    assert len(sent.notes) == 3 and len(sent.corrections) == 1
    window.close()

    # Someone else, with their own empty notes, double-clicks the file.
    theirs = NotesStore.open(tmp_path / "theirs" / "notes.db")
    other = make_window(qtbot, settings, themes, recorder, theirs)
    open_and_wait(qtbot, other, bundle)
    review_tab = other.current_tab()
    assert review_tab is not None and review_tab.document.text == _tab.document.text
    assert other.tabs.tabText(other.tabs.currentIndex()).endswith("(review)")
    review = controller(other).tab_notes(review_tab)
    assert review is not None and not review.editable
    assert sorted(n.body for n in review.notes) == sorted(n.body for n in notes.notes)
    assert not review.panel.editor.isVisibleTo(review.panel)  # read-only until merged
    assert not other.actions.notes_add.isEnabled()
    notice = review.panel.action_notice
    assert notice.isVisibleTo(review.panel)
    assert notice.button.text() == "Merge these notes into mine"
    notice.button.click()
    assert review.editable and other.actions.notes_add.isEnabled()
    merged = theirs.notes_for(review.opened)
    assert sorted(n.body for n in merged) == sorted(n.body for n in notes.notes)
    assert "Merged 3 notes" in controller(other).last_status
    assert "and 1 correction" in controller(other).last_status
    (received,) = CorrectionsStore(theirs.database).for_text(review.opened.fingerprint)
    assert (received.start, received.kind) == (start, CorrectionKind.WRONG)
    other.close()
    theirs.database.close()


def test_a_file_that_is_not_a_review_is_refused_with_a_message(qtbot, window, tmp_path, recorder):
    fake = tmp_path / "fake.policyreview"
    fake.write_bytes(b"not a zip at all")
    window.open_requested.emit([str(fake)])
    qtbot.waitUntil(lambda: recorder.messages != [], timeout=5_000)
    assert window.tabs.count() == 0
    ((title, _message),) = recorder.messages
    assert title == "Cannot open fake.policyreview"


def test_the_annotations_source_is_a_file_uri_or_the_web_address():
    assert source_iri("/tmp/policies/larkspur.md") == "file:///tmp/policies/larkspur.md"
    assert source_iri("https://example.com/privacy") == "https://example.com/privacy"
    assert source_iri(None) is None and source_iri("relative.md") is None
