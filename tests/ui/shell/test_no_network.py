"""Opening a document never touches the network, whatever the document references."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from policyreader.ui.shell.main_window import MainWindow
from tests.local_server import serving
from tests.ui.conftest import Recorder, open_and_wait


class CountingServer:
    """Records every request the loopback server receives."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.base = ""

    def handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(b"\x89PNG\r\n\x1a\n")

            def log_message(self, *args: object) -> None:
                pass

        return Handler


@pytest.fixture
def server() -> Iterator[CountingServer]:
    counting = CountingServer()
    with serving(counting.handler()) as base:
        counting.base = base
        yield counting


def hostile_markdown(base: str) -> str:
    return f"""# Tracker-laden Privacy Policy

![logo]({base}/logo.png) Our promise.

<img src="{base}/pixel.gif"> <link rel="stylesheet" href="{base}/style.css">
<script src="{base}/evil.js"></script>

## Sharing

We share with [partners]({base}/partners) and [nobody](javascript:alert(1)).
A [local file](file:///etc/passwd) link, and ![remote]({base}/chart.svg "chart").
"""


def hostile_html(base: str) -> str:
    return f"""<!DOCTYPE html><html><head><title>Pixel Co Privacy</title>
<link rel="stylesheet" href="{base}/site.css"><script src="{base}/app.js"></script>
<style>@import url("{base}/more.css"); @font-face {{ font-family: X; src: url({base}/font.woff); }}
body {{ background: url({base}/bg.png); }}</style></head>
<body><main><h1>Pixel Co Privacy</h1><img src="{base}/hero.jpg" srcset="{base}/hero2.jpg 2x">
<h2>What we collect</h2><p>Your email. <img src="{base}/beacon.gif" width="1" height="1"></p>
<iframe src="{base}/frame.html"></iframe><video poster="{base}/poster.jpg" src="{base}/v.mp4"></video>
<object data="{base}/obj.svg"></object>
<h2>Links</h2><p><a href="javascript:fetch('{base}/js')">Click</a> and
<a href="{base}/more">more</a>.</p></main></body></html>"""


def test_opening_and_reading_hostile_policies_makes_no_request(
    qtbot: QtBot, window: MainWindow, server: CountingServer, tmp_path: Path
) -> None:
    markdown = tmp_path / "tracker.md"
    markdown.write_text(hostile_markdown(server.base), encoding="utf-8")
    page = tmp_path / "pixel.html"
    page.write_text(hostile_html(server.base), encoding="utf-8")
    tabs = open_and_wait(qtbot, window, markdown, page)
    assert len(tabs) == 2
    for index, tab in enumerate(tabs):
        window.tabs.setCurrentIndex(index)
        bar = tab.reader.verticalScrollBar()
        bar.setValue(bar.maximum())
        window.grab()  # paint everything once, as a user looking at it would
        assert tab.reader.document().toPlainText().strip()
    qtbot.wait(300)
    assert server.requests == []
    # Nothing was even asked for: the rendered text holds no image to load.
    for tab in tabs:
        assert not _image_formats(tab.reader.document())


def _image_formats(document: QTextDocument) -> list[str]:
    found = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fmt = iterator.fragment().charFormat()
            if fmt.isImageFormat():
                found.append(fmt.toImageFormat().name())
            iterator += 1
        block = block.next()
    return found


def test_scheme_links_are_never_opened_and_web_links_only_on_click(
    qtbot: QtBot, window: MainWindow, recorder: Recorder, server: CountingServer, tmp_path: Path
) -> None:
    markdown = tmp_path / "tracker.md"
    markdown.write_text(hostile_markdown(server.base), encoding="utf-8")
    (tab,) = open_and_wait(qtbot, window, markdown)
    assert recorder.opened_urls == []
    for url in ("javascript:alert(1)", "file:///etc/passwd", f"{server.base}/partners"):
        tab.reader.anchorClicked.emit(QUrl(url))
    assert recorder.opened_urls == [f"{server.base}/partners"]
    assert server.requests == []  # handed to the system browser, not fetched by us
