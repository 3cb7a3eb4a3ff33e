"""Versions keep their original bytes, once per distinct file; older stores migrate as text only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from policyreader.core.fingerprint import fingerprint
from policyreader.core.loading import load_path
from policyreader.storage.db import MIGRATIONS, SCHEMA_VERSION
from policyreader.storage.documents import compress
from policyreader.storage.library import Library
from policyreader.storage.notes_store import NotesStore
from tests.core import section_edits as edits
from tests.core import version_pairs as pairs


def _old_store(path: Path, text: str) -> None:
    """A database as the release before originals made it, holding one version of ``text``."""
    connection = sqlite3.connect(path)
    for statements in MIGRATIONS[:2]:
        for statement in statements:
            connection.execute(statement)
    connection.execute("PRAGMA user_version = 2")
    connection.execute("INSERT INTO documents VALUES (1, 'Policy', '2024-01-01', '2024-01-01')")
    connection.execute(
        "INSERT INTO versions VALUES (1, 1, ?, 'Policy', ?, '2024-01-01', '2024-01-01')",
        (fingerprint(text), compress(text)),
    )
    connection.commit()
    connection.close()


def test_a_store_from_before_originals_migrates_its_versions_as_text_only(tmp_path: Path) -> None:
    policy = tmp_path / "policy.pdf"
    policy.write_bytes(edits.render(pairs.SECTIONS, "pdf"))
    document = load_path(policy)
    _old_store(tmp_path / "notes.db", document.text)
    store = NotesStore.open(tmp_path / "notes.db")
    library = Library(store.database)
    assert store.database.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION
    key = fingerprint(document.text)
    assert library.version_original(key) is None  # text only: compared as text
    assert library.version_text(key) == document.text
    # Reading the same text again gives that version its original.
    store.open_document(document, str(policy))
    kept = library.version_original(key)
    assert kept is not None and kept.data == policy.read_bytes()
    store.database.close()


def test_originals_are_kept_once_however_many_versions_share_them(tmp_path: Path) -> None:
    store = NotesStore.open(tmp_path / "notes.db")
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    for path in (first, second):
        path.write_bytes(edits.render(pairs.SECTIONS, "html"))
    third = tmp_path / "c.html"
    third.write_bytes(edits.render(edits.edited(2), "html"))
    for path in (first, second, third):
        store.open_document(load_path(path), str(path))
    (count,) = store.database.query("SELECT COUNT(*) FROM originals")[0]
    (size,) = store.database.query("SELECT SUM(LENGTH(data)) FROM originals")[0]
    assert count == 2
    assert size < first.stat().st_size + third.stat().st_size  # compressed
    original = Library(store.database).version_original(fingerprint(load_path(third).text))
    assert original is not None and original.data == third.read_bytes()
    store.database.close()
