"""Finding 2 of issue 19: one long unbroken word no longer freezes the window (layout stays linear)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from policyreader.core.loading import load_text
from policyreader.core.review_bundle import write_bundle
from policyreader.ui.reader.render import (
    BREAK_EVERY,
    MAX_BLOCK_CHARS,
    ZERO_WIDTH_SPACE,
    breakable_chunks,
    render_document,
)
from policyreader.ui.reader.typography import Typography
from tests.conftest import REPO

# Opens each file in a real window, offscreen, and prints how long until it was painted.
PROBE = r"""
import json, sys, time
from pathlib import Path
from policyreader.app import _application, _themes
from policyreader.ui.reader.document_tab import DocumentTab
from policyreader.ui.shell.main_window import MainWindow
from policyreader.ui.shell.settings import Settings
from policyreader.storage.notes_store import NotesStore
app = _application()
settings = Settings(Path(sys.argv[1]))
store = NotesStore.open(Path(sys.argv[1]) / "notes.db")
window = MainWindow(settings, _themes(app, settings), notes_store=store)
window.resize(1100, 760)
window.show()
times = {}
for path in sys.argv[2:]:
    started = time.perf_counter()
    window.open_files([path])
    while not isinstance(window.tabs.tab_for_path(path), DocumentTab):
        app.processEvents()
    tab = window.tabs.tab_for_path(path)
    while tab.reader.layout_pump.busy:
        app.processEvents()
    window.grab()
    times[Path(path).name] = time.perf_counter() - started
print(json.dumps(times))
"""


def test_long_runs_get_break_opportunities_and_keep_their_offsets(qapp, themes) -> None:
    word = "privacy" * 300
    document = load_text(f"# Terms\n\nWe keep {word} for you and {'é' * 200} too.\n", "w.md")
    rendered = render_document(document, themes.theme, Typography())
    shown = rendered.qdocument.toPlainText()
    assert shown.count(ZERO_WIDTH_SPACE) == len(word) // BREAK_EVERY + 200 // BREAK_EVERY
    assert document.text.split("\n\n")[-1] in shown.replace(ZERO_WIDTH_SPACE, "")
    for offset in range(0, len(document.text), 7):
        position = rendered.offsets.to_position(offset)
        assert rendered.offsets.to_offset(position) == offset
        if document.text[offset] not in "\n":
            assert shown[position] == document.text[offset]


def test_a_huge_paragraph_goes_on_in_blocks_that_read_as_one(qapp, themes) -> None:
    words = " ".join(["We collect and share your data"] * 2000)  # 62 KB of one paragraph
    run = "x" * 20_000
    document = load_text(f"# Terms\n\n{words}\n\n{run}\n", "w.md")
    rendered = render_document(document, themes.theme, Typography())
    qdocument = rendered.qdocument
    longest = max(qdocument.findBlockByNumber(n).length() for n in range(qdocument.blockCount()))
    assert longest <= MAX_BLOCK_CHARS + 200 and qdocument.blockCount() > 15
    shown = qdocument.toPlainText().replace(ZERO_WIDTH_SPACE, "").replace("\n", "")
    assert words in shown and run in shown
    for offset in range(0, len(document.text), 97):
        assert rendered.offsets.to_offset(rendered.offsets.to_position(offset)) == offset


def test_ordinary_text_is_written_whole() -> None:
    assert breakable_chunks("We collect your email address.") == [
        (0, "We collect your email address.")
    ]
    chunks = breakable_chunks("a " + "z" * 100)
    assert [offset for offset, _ in chunks] == [0, 2 + BREAK_EVERY, 2 + 2 * BREAK_EVERY]
    assert "".join(chunk for _, chunk in chunks) == "a " + "z" * 100


def test_a_300_kb_word_opens_in_seconds_from_a_file_and_from_a_bundle(tmp_path: Path) -> None:
    """On the old renderer a 200 KB word took 84 s and a 300 KB one in a bundle over 90 s."""
    word = "privacy" * 43_000
    policy = tmp_path / "word.md"
    policy.write_text(word, encoding="utf-8")
    bundle = tmp_path / "word.policyreview"
    bundle.write_bytes(write_bundle(load_text(word, "word.md")))
    assert len(bundle.read_bytes()) < 10_000
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "config"), str(policy), str(bundle)],
        cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    times = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(times) == {"word.md", "word.policyreview"}
