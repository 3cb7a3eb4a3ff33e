"""Reload: a page fetched again with new text opens as a new version with the banner; else a note."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import ClassVar

import pytest
from pytestqt.qtbot import QtBot

from policyreader.ui.versions.versions_feature import ChangedBanner
from tests.core import version_pairs as pairs
from tests.local_server import serving
from tests.ui.conftest import open_and_wait
from tests.ui.notes_helpers import make_window


class _Changing(BaseHTTPRequestHandler):
    """Serves whatever Markdown-like text ``current`` holds, as a small HTML page."""

    current: ClassVar[list[str]] = [pairs.BASE]

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = _page(self.current[0]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _page(markdown: str) -> str:
    parts = []
    for piece in (p.strip() for p in markdown.split("\n\n")):
        if piece.startswith("# "):
            parts.append(f"<h1>{piece[2:]}</h1>")
        elif piece.startswith("## "):
            parts.append(f"<h2>{piece[3:]}</h2>")
        elif piece:
            parts.append(f"<p>{piece}</p>")
    return f"<html><body><main>{''.join(parts)}</main></body></html>"


@pytest.fixture
def server() -> Iterator[str]:
    _Changing.current[0] = pairs.BASE
    with serving(_Changing) as base:
        yield f"{base}/privacy"


def test_reload_finds_a_newer_version_of_a_page(
    qtbot: QtBot, settings, themes, recorder, store, server: str
) -> None:
    window = make_window(qtbot, settings, themes, recorder, store)
    (tab,) = open_and_wait(qtbot, window, server)  # type: ignore[arg-type]
    window.actions.file_reload.trigger()
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10_000)
    assert window.current_tab() is tab  # same text: the tab stays
    assert "No change" in window.statusBar().currentMessage()

    _Changing.current[0] = pairs.SHARING_ADDED
    window.actions.file_reload.trigger()
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10_000)
    (fresh,) = window.tabs.document_tabs()
    assert fresh is not tab and pairs.SHARING_SENTENCE in fresh.document.text
    banner = fresh.findChild(ChangedBanner)
    assert banner is not None
    (summary,) = window.notes.library.documents(with_notes_only=False)
    assert summary.versions == 2 and summary.paths == (server,)
    assert recorder.messages == []
