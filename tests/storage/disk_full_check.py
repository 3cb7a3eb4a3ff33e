"""Run inside a tiny tmpfs (see test_faults): fill the disk, add a note, free space, flush it."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

from policyreader.core.loading import load_text
from policyreader.storage.db import Database, StorageProblem
from policyreader.storage.notes_store import NotesStore, NotSaved
from tests.notes_samples import MOVED_QUOTE, POLICY_V1


def fill(folder: Path) -> Path:
    """Write until the file system refuses even one more byte."""
    filler = folder / "filler.bin"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    os.write(descriptor, b"\0" * size)
            except OSError as error:
                assert error.errno == errno.ENOSPC, error
    finally:
        os.close(descriptor)
    return filler


def main(folder: Path) -> int:
    store = NotesStore(Database.open(folder / "notes.db"))
    document = load_text(POLICY_V1, "larkspur.md")
    opened = store.open_document(document, folder / "larkspur.md")
    start = document.text.index(MOVED_QUOTE)
    store.add_note(opened, start, start + 10, "saved before the disk filled")
    filler = fill(folder)
    try:
        store.add_note(opened, start, start + len(MOVED_QUOTE), "typed on a full disk " * 400)
    except NotSaved as error:
        assert error.problem is StorageProblem.DISK_FULL, error.problem
        print("refused:", error)
    else:
        print("the note was saved on a full disk")
        return 1
    assert store.pending_count == 1
    assert len(store.notes_for(opened)) == 2  # still shown
    filler.unlink()
    assert store.flush_pending() == 1
    fresh = NotesStore(Database.open(folder / "notes.db"))
    bodies = sorted(n.body[:21] for n in fresh.notes_for(fresh.open_document(document)))
    assert bodies == ["saved before the disk", "typed on a full disk "], bodies
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
