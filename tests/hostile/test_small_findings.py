"""Finding 10 of issue 19: the read-only file's message, moved-aside names, note size, mailto attach."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from policyreader.core.loading import load_text
from policyreader.core.notes import MAX_NOTE_CHARS
from policyreader.storage import db as db_module
from policyreader.storage.db import Database, StorageProblem
from policyreader.storage.notes_store import NotesStore, NotSaved
from policyreader.ui.reader.reader_view import LinkAction, classify_link
from tests.hostile.helpers import POLICY


@contextmanager
def read_only_file(path: Path) -> Iterator[None]:
    """Make ``path`` refuse writes while its folder takes them (root ignores modes: immutable)."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        undo = lambda: path.chmod(0o644)  # noqa: E731
    elif shutil.which("chattr") and not subprocess.run(["chattr", "+i", str(path)]).returncode:
        undo = lambda: subprocess.run(["chattr", "-i", str(path)], check=True)  # noqa: E731
    else:
        pytest.skip("cannot make a file read-only here")
    try:
        yield
    finally:
        undo()


def test_a_read_only_notes_file_is_named_not_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    store = NotesStore(Database.open(path))
    opened = store.open_document(load_text(POLICY, "p.md"))
    store.add_document_note(opened, "before")
    store.database.close()
    with read_only_file(path):
        store = NotesStore(Database.open(path))
        opened = store.open_document(load_text(POLICY, "p.md"))
        with pytest.raises(NotSaved) as refused:
            store.add_document_note(opened, "after")
        assert refused.value.problem is StorageProblem.READ_ONLY
        message = str(refused.value)
        assert f"the notes file {path} is read-only" in message
        assert "the folder" not in message
        store.database.close()


class _FrozenClock(datetime):
    """Every moved-aside copy made in the same instant."""

    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        return datetime(2026, 12, 7, 12, 0, 0, tzinfo=UTC)


def test_damaged_databases_moved_aside_in_one_instant_keep_every_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "datetime", _FrozenClock)
    path = tmp_path / "notes.db"
    for number in range(3):
        path.write_bytes(f"damaged copy {number}\n".encode() * 200)
        database = Database.open(path)
        assert database.moved_aside is not None
        database.close()
    copies = sorted(p for p in tmp_path.iterdir() if p.name.startswith("notes.db.corrupt-"))
    assert len(copies) == 3
    assert {p.read_bytes()[:14] for p in copies} == {
        b"damaged copy 0",
        b"damaged copy 1",
        b"damaged copy 2",
    }


def test_a_note_body_is_capped(tmp_path: Path) -> None:
    store = NotesStore(Database.open(tmp_path / "notes.db"))
    opened = store.open_document(load_text(POLICY, "p.md"))
    note = store.add_document_note(opened, "x" * (30 * 1024 * 1024))
    assert len(note.body) == MAX_NOTE_CHARS
    edited = store.update_note(note.id, body="y" * (MAX_NOTE_CHARS + 5))
    assert len(edited.body) == MAX_NOTE_CHARS
    assert len(store.notes_for(opened)[0].body) == MAX_NOTE_CHARS
    store.database.close()


@pytest.mark.parametrize(
    "url",
    [
        "mailto:privacy@example.com?attach=/etc/passwd",
        "mailto:privacy@example.com?subject=Hi&attachment=%2Fhome%2Fme%2F.ssh%2Fid_rsa",
        "mailto:privacy@example.com?%61ttach=file:///etc/passwd",
        "MAILTO:privacy@example.com?ATTACH=x",
    ],
)
def test_mailto_links_that_attach_files_are_blocked(url: str) -> None:
    assert classify_link(url) is LinkAction.BLOCK


def test_ordinary_mailto_links_still_open() -> None:
    assert (
        classify_link("mailto:privacy@example.com?subject=Data%20request")
        is LinkAction.OPEN_EXTERNAL
    )
