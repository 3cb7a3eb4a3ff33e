"""Killing the reader while a note is typed loses at most the last second of typing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from policyreader.core.loading import load_path
from policyreader.storage.notes_store import NotesStore
from tests.conftest import REPO
from tests.notes_samples import POLICY_V1

TYPING_SECONDS = 2.5


def test_sigkill_while_typing_loses_at_most_the_last_second(tmp_path: Path) -> None:
    policy = tmp_path / "larkspur.md"
    policy.write_text(POLICY_V1, encoding="utf-8")
    database = tmp_path / "data" / "notes.db"
    database.parent.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    typist = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.notes_typist", str(database), str(policy)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert typist.stdout is not None
    keys: list[tuple[int, float]] = []
    started: float | None = None
    for line in typist.stdout:
        if line.startswith("ready"):
            started = time.monotonic()
        elif line.startswith("typed"):
            _word, count, moment = line.split()
            keys.append((int(count), float(moment)))
            if started is not None and time.monotonic() - started > TYPING_SECONDS:
                break
    typist.send_signal(signal.SIGKILL)
    killed = time.monotonic()
    typist.wait(10)
    assert typist.returncode == -signal.SIGKILL
    assert len(keys) > 20, "the typist never got going"

    store = NotesStore.open(database)
    opened = store.open_document(load_path(policy), policy)
    (note,) = store.notes_for(opened)
    store.database.close()
    saved = len(note.body)
    typed_a_second_before = max((n for n, moment in keys if moment <= killed - 1.0), default=0)
    assert saved >= typed_a_second_before > 0
    assert note.body == "x" * saved  # what was saved is what was typed, never torn
