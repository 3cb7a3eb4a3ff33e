"""Finding 1 of issue 19: a bundle whose text is too tall for Qt's layout opens in parts, never crashes.

Qt's text layout ends at 2**23 px: blocks past that height are all placed at the top, and the
window crashed painting highlights and note bars over such a layout (19 MB of short blocks).
Such a text is now shown a part at a time (ui/reader/pages.py); a part too tall is refused.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policyreader.core.document import Block, BlockKind, DocumentFormat, PolicyDocument
from policyreader.core.errors import PolicyLoadError
from policyreader.core.outline import build_sections
from policyreader.core.review_bundle import write_bundle
from policyreader.ui.reader.pages import PAGE_BLOCKS, split_pages
from policyreader.ui.reader.render import MAX_LAYOUT_PX, check_fits, estimated_height
from policyreader.ui.reader.typography import ZOOM_STEPS, Typography
from tests.conftest import REPO

PROBE = r"""
import json, sys
from pathlib import Path
from policyreader.app import _application, _themes
from policyreader.storage.notes_store import NotesStore
from policyreader.ui.shell.main_window import MainWindow
from policyreader.ui.shell.settings import Settings
app = _application()
folder = Path(sys.argv[1])
settings = Settings(folder)
messages = []
window = MainWindow(settings, _themes(app, settings), notes_store=NotesStore.open(folder / "n.db"),
                    present_error=lambda title, message: messages.append(message))
window.resize(1100, 760)
window.show()
window.open_files([sys.argv[2]])
window.tasks.wait(300_000)
tab = window.current_tab()
if tab is not None:  # paint every part from its top to its bottom
    for index in range(len(tab.pages)):
        tab.show_page(index)
        bar = tab.reader.verticalScrollBar()
        for step in range(3):
            bar.setValue(bar.maximum() * step // 2)
            window.grab()
parts = len(tab.pages) if tab is not None else 0
print(json.dumps({"messages": messages, "opened": tab is not None, "parts": parts}))
"""


def short_blocks(count: int) -> PolicyDocument:
    """``count`` one-line paragraphs under a heading every 200: tall, but small as text."""
    parts: list[str] = []
    blocks: list[Block] = []
    position = 0
    for index in range(count):
        words = f"Part {index}" if index % 200 == 0 else "We keep it."
        kind = BlockKind.HEADING if index % 200 == 0 else BlockKind.PARAGRAPH
        if parts:
            parts.append("\n\n")
            position += 2
        parts.append(words)
        blocks.append(
            Block(kind, position, position + len(words), level=2 if index % 200 == 0 else 0)
        )
        position += len(words)
    text = "".join(parts)
    return PolicyDocument(text, blocks, build_sections(text, blocks), DocumentFormat.MARKDOWN)


def test_the_estimate_refuses_what_qt_cannot_lay_out() -> None:
    tall = short_blocks(300_000)
    assert estimated_height(tall, Typography()) > 2**23
    with pytest.raises(PolicyLoadError, match="too long to show"):
        check_fits(tall, Typography())
    check_fits(short_blocks(20_000), Typography())  # an ordinary long policy fits
    zoomed = Typography(len(ZOOM_STEPS) - 1)
    assert estimated_height(short_blocks(100_000), zoomed) > MAX_LAYOUT_PX
    # In parts, each fits even at the largest zoom.
    check_fits(tall, zoomed, split_pages(tall))


@pytest.mark.slow
def test_a_bundle_too_tall_to_lay_out_whole_opens_in_parts(tmp_path: Path) -> None:
    bundle = tmp_path / "tall.policyreview"
    bundle.write_bytes(write_bundle(short_blocks(260_000)))
    assert bundle.stat().st_size < 2_000_000  # a small file, as in the report
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "config"), str(bundle)],
        cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["opened"] and not result["messages"]
    assert result["parts"] == 260_000 // PAGE_BLOCKS + 1
