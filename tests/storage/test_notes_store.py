"""The notes store on real temporary databases: identity, versions, re-anchoring, edits, library."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from policyreader.core.anchoring import AnchorState, describe_in
from policyreader.core.fingerprint import fingerprint
from policyreader.core.loading import load_path, load_text
from policyreader.core.notes import Note, NoteScope, new_note_id
from policyreader.core.practices.corrections import Correction, CorrectionKind
from policyreader.core.review_bundle import read_bundle, write_bundle
from policyreader.storage import db as db_module
from policyreader.storage.corrections_store import CorrectionsStore
from policyreader.storage.db import SCHEMA_VERSION, Database, StorageError, StorageProblem
from policyreader.storage.library import Library
from policyreader.storage.notes_store import NotesStore, OpenedDocument
from policyreader.storage.paths import data_dir, database_path
from tests.conftest import REPO
from tests.notes_samples import (
    FUZZY_NEW,
    FUZZY_QUOTE,
    MOVED_QUOTE,
    NOTED,
    ORPHAN_QUOTE,
    POLICY_V1,
    POLICY_V2,
)


@pytest.fixture
def database(tmp_path: Path) -> Database:
    database = Database.open(tmp_path / "store" / "notes.db")
    yield database
    database.close()


@pytest.fixture
def store(database: Database) -> NotesStore:
    return NotesStore(database)


def write_policy(path: Path, text: str = POLICY_V1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def open_file(store: NotesStore, path: Path) -> OpenedDocument:
    return store.open_document(load_path(path), path)


def note_on(store: NotesStore, opened: OpenedDocument, quote: str, body: str):
    start = opened.document.text.index(quote)
    return store.add_note(opened, start, start + len(quote), body)


# --- paths and schema ----------------------------------------------------------------------------


def test_data_dir_follows_the_environment_variable(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("POLICYREADER_DATA_DIR", str(tmp_path / "portable"))
    assert data_dir() == tmp_path / "portable"
    assert database_path() == tmp_path / "portable" / "notes.db"
    monkeypatch.delenv("POLICYREADER_DATA_DIR")
    assert data_dir().name == "policyreader"


def test_new_database_has_schema_version_wal_and_busy_timeout(database: Database) -> None:
    connection = database.connection
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_migrations_run_in_order_from_the_files_version(monkeypatch, tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    Database.open(path).close()
    extra = ("ALTER TABLE notes ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0",)
    monkeypatch.setattr(db_module, "MIGRATIONS", (*db_module.MIGRATIONS, extra))
    monkeypatch.setattr(db_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    reopened = Database.open(path)
    connection = reopened.connection
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    columns = [row[1] for row in connection.execute("PRAGMA table_info(notes)")]
    assert "pinned" in columns
    reopened.close()


def test_a_file_from_a_newer_version_is_refused_not_damaged(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    connection.close()
    with pytest.raises(StorageError) as raised:
        Database.open(path)
    assert raised.value.problem is StorageProblem.NEWER_SCHEMA
    assert "newer policyreader" in str(raised.value)
    assert path.exists() and not list(tmp_path.glob("*.corrupt-*"))


# --- identity ------------------------------------------------------------------------------------


def test_a_note_survives_moving_and_renaming_its_file(store: NotesStore, tmp_path: Path) -> None:
    first = write_policy(tmp_path / "downloads" / "larkspur.md")
    opened = open_file(store, first)
    note = note_on(store, opened, MOVED_QUOTE, "Check this.")
    moved = tmp_path / "archive" / "2026" / "larkspur-maps-policy.md"
    moved.parent.mkdir(parents=True)
    shutil.move(first, moved)
    reopened = open_file(store, moved)
    assert reopened.document_id == opened.document_id
    assert not reopened.new_version
    (found,) = store.notes_for(reopened)
    assert (found.id, found.body, found.state) == (note.id, "Check this.", AnchorState.EXACT)
    library = Library(store.database)
    (summary,) = library.documents()
    assert set(summary.paths) == {str(first), str(moved)}


def test_same_path_with_new_text_is_a_new_version_and_notes_reanchor(
    store: NotesStore, tmp_path: Path
) -> None:
    path = write_policy(tmp_path / "larkspur.md")
    opened = open_file(store, path)
    made = {state: note_on(store, opened, quote, body) for state, (quote, body) in NOTED.items()}
    write_policy(path, POLICY_V2)
    newer = open_file(store, path)
    assert newer.document_id == opened.document_id
    assert newer.new_version and newer.previous_fingerprint == opened.fingerprint
    notes = {note.id: note for note in store.notes_for(newer)}
    assert len(notes) == 3  # none lost
    moved, fuzzy, orphan = (notes[made[s].id] for s in ("moved", "fuzzy", "orphaned"))
    text = newer.document.text
    assert moved.state is AnchorState.MOVED
    assert text[moved.position.start : moved.position.end] == MOVED_QUOTE
    assert fuzzy.state is AnchorState.FUZZY
    assert text[fuzzy.position.start : fuzzy.position.end] == FUZZY_NEW
    assert fuzzy.quote.exact == FUZZY_QUOTE  # the original stays until the reader confirms
    assert orphan.state is AnchorState.ORPHANED and orphan.quote.exact == ORPHAN_QUOTE
    # The states were saved: a fresh store on the same file sees them without re-anchoring.
    again = NotesStore(Database.open(store.database.path))
    states = {n.id: n.state for n in again.notes_for(again.open_document(newer.document, path))}
    assert states == {n.id: n.state for n in notes.values()}
    library = Library(store.database)
    versions = library.versions(newer.document_id)
    assert [v.fingerprint for v in versions] == [opened.fingerprint, newer.fingerprint]
    assert versions[0].paths == (str(path),)
    assert library.version_text(opened.fingerprint) == opened.document.text


def test_confirming_a_fuzzy_anchor_quotes_the_new_passage(
    store: NotesStore, tmp_path: Path
) -> None:
    path = write_policy(tmp_path / "larkspur.md")
    note = note_on(store, open_file(store, path), FUZZY_QUOTE, "Short?")
    write_policy(path, POLICY_V2)
    newer = open_file(store, path)
    confirmed = store.confirm_anchor(note.id)
    assert confirmed.state is AnchorState.EXACT and confirmed.quote.exact == FUZZY_NEW
    (listed,) = [n for n in store.notes_for(newer) if n.id == note.id]
    assert listed.state is AnchorState.EXACT
    # Opening the old text again finds the new quote gone there: fuzzy the other way round.
    old = store.open_document(load_text(POLICY_V1, "old.md"), tmp_path / "old.md")
    (back,) = store.notes_for(old)
    assert back.state is AnchorState.FUZZY


def test_manual_link_joins_two_documents(store: NotesStore, tmp_path: Path) -> None:
    one = open_file(store, write_policy(tmp_path / "one.md"))
    two = open_file(store, write_policy(tmp_path / "two.md", POLICY_V2))
    assert one.document_id != two.document_id
    note_on(store, one, MOVED_QUOTE, "from one")
    note_on(store, two, MOVED_QUOTE, "from two")
    store.link_documents(one, two)
    reopened = open_file(store, tmp_path / "two.md")
    assert reopened.document_id == one.document_id
    assert sorted(n.body for n in store.notes_for(reopened)) == ["from one", "from two"]


def test_a_link_makes_the_newer_file_the_one_the_library_opens(
    store: NotesStore, tmp_path: Path
) -> None:
    newer = open_file(store, write_policy(tmp_path / "newer.md", POLICY_V2))
    older = open_file(store, write_policy(tmp_path / "older.md"))  # opened last
    note_on(store, older, MOVED_QUOTE, "on the older")
    store.link_documents(newer, older)
    (summary,) = Library(store.database).documents()
    assert summary.id == newer.document_id and summary.versions == 2
    assert summary.paths == (str(tmp_path / "newer.md"), str(tmp_path / "older.md"))


def test_unlinking_gives_the_older_document_back_its_versions_and_notes(
    store: NotesStore, tmp_path: Path
) -> None:
    newer = open_file(store, write_policy(tmp_path / "newer.md", POLICY_V2))
    older = open_file(store, write_policy(tmp_path / "older.md"))
    kept = note_on(store, newer, MOVED_QUOTE, "on the newer")
    brought = note_on(store, older, MOVED_QUOTE, "on the older")
    store.link_documents(newer, older)
    library = Library(store.database)
    (link,) = library.links(newer.document_id)
    assert link.versions == 1 and link.title == older.title
    later = note_on(store, open_file(store, tmp_path / "newer.md"), MOVED_QUOTE, "after the link")
    back = store.unlink(link.id)
    assert back is not None and back != newer.document_id
    assert library.links(newer.document_id) == [] and store.unlink(link.id) is None
    again_older = open_file(store, tmp_path / "older.md")
    again_newer = open_file(store, tmp_path / "newer.md")
    assert again_older.document_id == back and again_newer.document_id == newer.document_id
    assert [n.id for n in store.notes_for(again_older)] == [brought.id]
    assert {n.id for n in store.notes_for(again_newer)} == {kept.id, later.id}
    assert sorted(s.versions for s in library.documents()) == [1, 1]


# --- editing -------------------------------------------------------------------------------------


def test_add_update_delete_restore(store: NotesStore, tmp_path: Path) -> None:
    opened = open_file(store, write_policy(tmp_path / "p.md"))
    note = note_on(store, opened, MOVED_QUOTE, "first draft")
    assert note.section_title == "Sharing" and note.quote.exact == MOVED_QUOTE
    updated = store.update_note(note.id, body="second draft", tags=["ask", " Ask ", "legal"])
    assert updated.tags == ("ask", "legal") and updated.updated >= note.updated
    coloured = store.update_note(note.id, colour="#ffcc00")
    assert coloured.body == "second draft" and coloured.colour == "#ffcc00"
    removed = store.delete_note(note.id)
    assert removed.body == "second draft"
    assert store.notes_for(opened) == []
    assert [n.id for n in store.notes_for(opened, include_deleted=True)] == [note.id]
    store.restore_note(note.id)
    (back,) = store.notes_for(opened)
    assert (back.body, back.tags, back.colour) == ("second draft", ("ask", "legal"), "#ffcc00")


def test_section_and_document_notes(store: NotesStore, tmp_path: Path) -> None:
    opened = open_file(store, write_policy(tmp_path / "p.md"))
    sharing = next(s for s in opened.document.walk_sections() if s.title == "Sharing")
    section_note = store.add_section_note(opened, sharing, "Whole section is vague.")
    whole = store.add_document_note(opened, "Overall fine.", tags=["summary"])
    assert section_note.scope is NoteScope.SECTION and section_note.quote.exact == "Sharing"
    assert whole.scope is NoteScope.DOCUMENT and whole.quote.exact == ""
    newer = store.open_document(load_text(POLICY_V2, "p.md"), tmp_path / "p.md")
    states = {n.scope: n.state for n in store.notes_for(newer)}
    assert states == {NoteScope.SECTION: AnchorState.MOVED, NoteScope.DOCUMENT: AnchorState.EXACT}


def test_notes_come_in_reading_order(store: NotesStore, tmp_path: Path) -> None:
    opened = open_file(store, write_policy(tmp_path / "p.md"))
    for quote in (MOVED_QUOTE, ORPHAN_QUOTE, FUZZY_QUOTE):
        note_on(store, opened, quote, quote[:10])
    starts = [n.position.start for n in store.notes_for(opened)]
    assert starts == sorted(starts)


# --- corrections and library ---------------------------------------------------------------------


def test_corrections_crud(database: Database) -> None:
    corrections = CorrectionsStore(database)
    text_id = fingerprint(POLICY_V1)
    wrong = corrections.add(Correction(text_id, 10, 40, CorrectionKind.WRONG, "data_retention"))
    moved = corrections.add(
        Correction(text_id, 5, 9, CorrectionKind.RECATEGORISED, "first_party", "third_party")
    )
    added = corrections.add(Correction(text_id, 50, 80, CorrectionKind.ADDED, None, "user_choice"))
    assert [c.id for c in corrections.for_text(text_id)] == [moved.id, wrong.id, added.id]
    assert corrections.for_text("sha256:other") == []
    assert corrections.get(wrong.id).original_category == "data_retention"
    corrections.update(
        Correction(text_id, 10, 44, CorrectionKind.RECATEGORISED, "data_retention", "security",
                   id=wrong.id)
    )  # fmt: skip
    changed = corrections.get(wrong.id)
    assert (changed.end, changed.kind, changed.new_category) == (
        44,
        CorrectionKind.RECATEGORISED,
        "security",
    )
    corrections.delete(added.id)
    assert corrections.get(added.id) is None and len(corrections.for_text(text_id)) == 2


def test_library_lists_documents_with_notes_and_searches_them(
    store: NotesStore, tmp_path: Path
) -> None:
    larkspur = open_file(store, write_policy(tmp_path / "larkspur.md"))
    other_text = POLICY_V1.replace("Larkspur Maps", "Quillfeather Books")
    other = open_file(store, write_policy(tmp_path / "quill.md", other_text))
    open_file(store, write_policy(tmp_path / "no-notes.md", POLICY_V1 + "\nExtra.\n"))
    note_on(store, larkspur, MOVED_QUOTE, "Ask about data brokers")
    store.update_note(note_on(store, other, FUZZY_QUOTE, "retention").id, tags=["Brokers"])
    note_on(store, other, ORPHAN_QUOTE, "statistics")
    library = Library(store.database)
    summaries = {s.title: s for s in library.documents()}
    assert set(summaries) == {"Larkspur Maps Privacy Policy", "Quillfeather Books Privacy Policy"}
    assert summaries["Quillfeather Books Privacy Policy"].note_count == 2
    assert len(library.documents(with_notes_only=False)) == 3
    hits = library.search("brokers")
    assert sorted(h.document_title for h in hits) == [
        "Larkspur Maps Privacy Policy",
        "Quillfeather Books Privacy Policy",
    ]
    assert [h.note.body for h in library.search("route history")] == ["retention"]
    assert library.search("100%_") == []


# --- two instances -------------------------------------------------------------------------------


def test_two_instances_write_at_the_same_time(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    policy = write_policy(tmp_path / "p.md")
    here = NotesStore(Database.open(path))
    opened = open_file(here, policy)
    other = subprocess.Popen(
        [sys.executable, "-m", "tests.storage.note_writer", str(path), str(policy), "150"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    mine = []
    threads_done = threading.Event()

    def write_mine() -> None:
        for number in range(150):
            mine.append(here.add_note(opened, number, number + 20, f"mine {number}").id)
        threads_done.set()

    # Start writing only once the other process is writing too, so the two really overlap.
    assert other.stdout is not None
    first = other.stdout.readline().strip()
    writer = threading.Thread(target=write_mine)
    writer.start()
    # read() on the same buffered stream: communicate() would skip what readline buffered.
    theirs = [first, *other.stdout.read().split()]
    other.wait(timeout=60)
    writer.join(timeout=60)
    assert other.returncode == 0 and threads_done.is_set()
    assert len(theirs) == 150 and len(mine) == 150
    notes = here.notes_for(opened)
    assert {n.id for n in notes} == set(mine) | set(theirs)
    # The two really wrote at the same time: their spans of creation times overlap.
    mine_times = [n.created for n in notes if n.id in set(mine)]
    their_times = [n.created for n in notes if n.id in set(theirs)]
    assert min(their_times) < max(mine_times) and min(mine_times) < max(their_times)


# --- review bundles ------------------------------------------------------------------------------


def test_review_bundle_notes_merge_into_the_readers_own(store: NotesStore, tmp_path: Path) -> None:
    mine = open_file(store, write_policy(tmp_path / "larkspur.md"))
    note_on(store, mine, MOVED_QUOTE, "my own note")
    # A colleague annotated the newer text and sent a review.
    theirs = load_text(POLICY_V2, "larkspur.md")
    start = theirs.text.index(FUZZY_NEW)
    anchor = describe_in(theirs, start, start + len(FUZZY_NEW))
    sent = Note(
        id=new_note_id(),
        quote=anchor.quote,
        position=anchor.position,
        body="Ninety days now?",
        section_title=anchor.section_title,
        created="2026-06-01T08:00:00.000Z",
        updated="2026-06-01T08:00:00.000Z",
    )
    bundle = read_bundle(write_bundle(theirs, [sent]))
    assert bundle.notes[0].state is AnchorState.EXACT  # in the bundle's own text
    report = store.import_notes(mine, bundle.notes)
    (merged,) = report.added
    assert merged.state is AnchorState.FUZZY
    assert mine.document.text[merged.position.start : merged.position.end] == FUZZY_QUOTE
    assert sorted(n.body for n in store.notes_for(mine)) == ["Ninety days now?", "my own note"]
    assert store.import_notes(mine, bundle.notes).skipped == 1
