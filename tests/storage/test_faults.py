"""Faults: a killed writer, a damaged file, a read-only folder and a full disk lose no saved note."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from policyreader.core.anchoring import AnchorState
from policyreader.core.loading import load_text
from policyreader.storage.db import Database, StorageProblem
from policyreader.storage.notes_store import NotesStore, NotSaved
from tests.conftest import REPO
from tests.notes_samples import MOVED_QUOTE, POLICY_V1, POLICY_V2

DOCUMENT = load_text(POLICY_V1, "larkspur.md")


def add(store: NotesStore, body: str, opened=None):
    opened = opened or store.open_document(DOCUMENT)
    start = DOCUMENT.text.index(MOVED_QUOTE)
    return store.add_note(opened, start, start + len(MOVED_QUOTE), body)


def bodies(path: Path) -> list[str]:
    store = NotesStore(Database.open(path))
    found = sorted(n.body for n in store.notes_for(store.open_document(DOCUMENT)))
    store.database.close()
    return found


# --- a process killed while writing --------------------------------------------------------------


def test_sigkill_in_the_middle_of_1000_writes_keeps_every_committed_note(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    policy = tmp_path / "larkspur.md"
    policy.write_text(POLICY_V1, encoding="utf-8")
    writer = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.storage.note_writer",
            str(path),
            str(policy),
            "1000",
            "0.002",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    committed = [writer.stdout.readline().strip() for _ in range(300)]
    writer.send_signal(signal.SIGKILL)
    committed += writer.stdout.read().split()  # ids printed before the kill landed
    writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    assert 300 <= len(committed) < 1000, "the writer was not stopped in the middle"
    database = Database.open(path)
    assert database.moved_aside is None  # opened as it was, not recovered
    rows = database.query("PRAGMA integrity_check")
    assert [row[0] for row in rows] == ["ok"]
    saved = {row[0] for row in database.query("SELECT id FROM notes")}
    assert set(committed) <= saved
    # At most the one write in flight when the signal came was committed but not yet reported.
    assert len(saved) - len(committed) <= 1


# --- a damaged file ------------------------------------------------------------------------------


def test_a_file_that_is_not_a_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not SQLite at all\n" * 200)
    database = Database.open(path)
    assert database.moved_aside is not None
    assert database.moved_aside.name.startswith("notes.db.corrupt-")
    assert database.moved_aside.read_bytes().startswith(b"this is not SQLite")
    assert "damaged" in database.notice and database.moved_aside.name in database.notice
    store = NotesStore(database)
    add(store, "a fresh start")
    database.close()
    assert bodies(path) == ["a fresh start"]


def test_a_database_with_damaged_pages_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    store = NotesStore(Database.open(path))
    opened = store.open_document(DOCUMENT)
    for number in range(300):
        add(store, f"note {number} " + "words " * 40, opened)
    store.database.close()
    size = path.stat().st_size
    with path.open("r+b") as handle:  # scribble over pages in the middle of the notes table
        handle.seek(size // 2)
        handle.write(os.urandom(8192))
    database = Database.open(path)
    assert database.moved_aside is not None and database.notice
    assert database.query("SELECT COUNT(*) FROM notes")[0][0] == 0
    # The damaged file is kept for rescue, and still is the SQLite file it was.
    assert database.moved_aside.read_bytes()[:15] == b"SQLite format 3"


# --- a read-only folder --------------------------------------------------------------------------


@contextmanager
def read_only_folder(folder: Path) -> Iterator[None]:
    """Make ``folder`` refuse new files: by permissions, or for root (who ignores them) immutable."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        undo = lambda: folder.chmod(0o755)  # noqa: E731
    elif shutil.which("chattr"):
        made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
        if made.returncode:
            pytest.skip(f"cannot make a folder read-only here: {made.stderr.decode().strip()}")
        undo = lambda: subprocess.run(["chattr", "-i", str(folder)], check=True)  # noqa: E731
    else:
        pytest.skip("running as root without chattr: no way to make a folder read-only")
    try:
        try:
            (folder / "probe").touch()
        except OSError:
            pass
        else:
            pytest.skip("the folder is still writable")
        yield
    finally:
        undo()


def test_read_only_folder_keeps_notes_in_memory_and_saves_them_later(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "notes.db"
    store = NotesStore(Database.open(path))
    add(store, "written before")
    store.database.close()
    with read_only_folder(folder):
        store = NotesStore(Database.open(path))
        assert store.database.read_only and "read-only" in store.database.notice
        opened = store.open_document(DOCUMENT)
        assert [n.body for n in store.notes_for(opened)] == ["written before"]  # still readable
        with pytest.raises(NotSaved) as refused:
            add(store, "typed while read-only", opened)
        assert refused.value.problem is StorageProblem.READ_ONLY
        assert refused.value.note.body == "typed while read-only"
        assert "read-only" in str(refused.value)
        assert store.pending_count == 1
        assert sorted(n.body for n in store.notes_for(opened)) == [
            "typed while read-only",
            "written before",
        ]
        # A new version at the same path still shows the saved note, placed in memory.
        newer = store.open_document(load_text(POLICY_V2, "larkspur.md"))
        placed = {n.body: n.state for n in store.notes_for(newer)}
        assert placed["written before"] is AnchorState.MOVED
    assert store.flush_pending() == 1 and store.pending_count == 0
    store.database.close()
    assert bodies(path) == ["typed while read-only", "written before"]


def test_read_only_folder_without_a_database_yet(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    with read_only_folder(folder):
        store = NotesStore(Database.open(folder / "notes.db"))
        assert not store.database.available and store.database.notice
        opened = store.open_document(DOCUMENT)
        with pytest.raises(NotSaved):
            add(store, "kept in memory", opened)
        with pytest.raises(NotSaved) as refused:
            store.update_note(store.notes_for(opened)[0].id, body="kept and edited")
        assert refused.value.note.body == "kept and edited"
        assert [n.body for n in store.notes_for(opened)] == ["kept and edited"]
    store.flush_pending()
    assert bodies(folder / "notes.db") == ["kept and edited"]


# --- a full disk ---------------------------------------------------------------------------------


def test_full_database_keeps_the_note_pending_until_there_is_room(tmp_path: Path) -> None:
    """SQLite's own page limit makes it report SQLITE_FULL exactly as a full disk does."""
    path = tmp_path / "notes.db"
    store = NotesStore(Database.open(path))
    opened = store.open_document(DOCUMENT)
    add(store, "fits", opened)
    connection = store.database.connection
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(NotSaved) as refused:
        add(store, "does not fit " * 2000, opened)
    assert refused.value.problem is StorageProblem.DISK_FULL
    assert "full" in str(refused.value)
    assert store.pending_count == 1 and len(store.notes_for(opened)) == 2
    with pytest.raises(NotSaved):
        store.flush_pending()  # still full: still kept
    connection.execute("PRAGMA max_page_count = 1073741823")
    assert store.flush_pending() == 1
    store.database.close()
    assert len(bodies(path)) == 2


def _can_mount_tmpfs() -> bool:
    if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
    )
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="needs root and mount namespaces for a tmpfs")
def test_a_really_full_disk(tmp_path: Path) -> None:
    """A 512 KB tmpfs filled to the last byte: ENOSPC from the kernel, not a simulation."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    script = (
        f"mount -t tmpfs -o size=512k tmpfs '{folder}' && "
        f"'{sys.executable}' -m tests.storage.disk_full_check '{folder}'"
    )
    run = subprocess.run(
        ["unshare", "-m", "sh", "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "disk holding" in run.stdout and run.stdout.strip().endswith("ok")


def test_sqlite_error_codes_are_read_from_the_exception() -> None:
    """describe_error relies on sqlite_errorcode (Python 3.11+)."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("SELECT * FROM missing")
    except sqlite3.Error as error:
        assert isinstance(error.sqlite_errorcode, int)
