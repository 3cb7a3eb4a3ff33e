"""A second process for the storage tests: writes notes and prints each id once it is committed."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from policyreader.core.loading import load_path
from policyreader.storage.db import Database
from policyreader.storage.notes_store import NotesStore


def main(database: str, policy: str, count: int, pause: float = 0.0) -> int:
    store = NotesStore(Database.open(Path(database)))
    document = load_path(policy)
    opened = store.open_document(document, policy)
    text = document.text
    for number in range(count):
        start = (number * 37) % (len(text) - 40)
        note = store.add_note(opened, start, start + 30, f"note number {number}", tags=["bulk"])
        # add_note returns only after COMMIT: the id printed is durable.
        sys.stdout.write(note.id + "\n")
        sys.stdout.flush()
        if pause:
            time.sleep(pause)  # keeps a killer's aim "in the middle" even on a loaded machine
    return 0


if __name__ == "__main__":
    pause = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), pause))
