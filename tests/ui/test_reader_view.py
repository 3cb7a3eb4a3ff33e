"""The reader view: links open only when clicked and only on the web or mail; nothing is fetched."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument

from policyreader.ui.reader_view import LinkAction, ReaderView, classify_link
from tests.ui.conftest import Recorder, open_and_wait
from tests.ui.documents import kestrel_document


@pytest.mark.parametrize(
    ("url", "action"),
    [
        ("https://kestrel.example/subprocessors", LinkAction.OPEN_EXTERNAL),
        ("http://kestrel.example", LinkAction.OPEN_EXTERNAL),
        ("mailto:privacy@kestrel.example", LinkAction.OPEN_EXTERNAL),
        ("#data-retention", LinkAction.GO_TO_FRAGMENT),
        ("javascript:alert(1)", LinkAction.BLOCK),
        ("JavaScript:alert(1)", LinkAction.BLOCK),
        (" javascript:void(0)", LinkAction.BLOCK),
        ("file:///etc/passwd", LinkAction.BLOCK),
        ("data:text/html,<script>alert(1)</script>", LinkAction.BLOCK),
        ("../secrets.txt", LinkAction.BLOCK),
        ("ftp://kestrel.example/file", LinkAction.BLOCK),
        ("https://", LinkAction.BLOCK),
    ],
)
def test_classify_link(url, action):
    assert classify_link(url) is action


def test_clicked_links_are_routed_and_javascript_never_opens(qtbot):
    recorder = Recorder()
    view = ReaderView(url_opener=recorder.open_url)
    qtbot.addWidget(view)
    blocked, fragments = [], []
    view.link_blocked.connect(blocked.append)
    view.fragment_requested.connect(fragments.append)
    for url in (
        "javascript:alert(1)",
        "file:///etc/passwd",
        "https://kestrel.example/a",
        "#rights",
    ):
        view.anchorClicked.emit(QUrl(url))
    assert recorder.opened_urls == ["https://kestrel.example/a"]
    assert blocked == ["javascript:alert(1)", "file:///etc/passwd"]
    assert fragments == ["rights"]
    # Following a link never replaces the document (setOpenLinks(False)).
    assert not view.openLinks() and not view.openExternalLinks()


def test_the_javascript_link_in_a_rendered_policy_is_not_opened(qtbot, window, recorder):
    tab = window.tabs.add_document(kestrel_document())
    hrefs = []
    block = tab.reader.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().isAnchor():
                hrefs.append(fragment.charFormat().anchorHref())
            iterator += 1
        block = block.next()
    assert "javascript:alert(1)" in hrefs and "https://kestrel.example/subprocessors" in hrefs
    for href in hrefs:
        tab.reader.anchorClicked.emit(QUrl(href))
    assert "javascript:alert(1)" not in recorder.opened_urls
    assert recorder.opened_urls == [
        "https://kestrel.example/subprocessors",
        "mailto:privacy@kestrel.example",
    ]
    assert "Not opened" in window.statusBar().currentMessage()


def test_load_resource_never_returns_anything(qtbot):
    view = ReaderView()
    qtbot.addWidget(view)
    for kind in (
        QTextDocument.ResourceType.ImageResource,
        QTextDocument.ResourceType.StyleSheetResource,
    ):
        assert view.loadResource(kind.value, QUrl("http://127.0.0.1:9/x.png")) is None
        assert view.loadResource(kind.value, QUrl("picture.png")) is None


class _CountingHandler(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _CountingHandler.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(b"\x89PNG\r\n\x1a\n")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server():
    _CountingHandler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_opening_policies_fetches_no_remote_resources(qtbot, window, tmp_path: Path, local_server):
    base = local_server
    markdown = tmp_path / "remote.md"
    markdown.write_text(
        f"# Remote Things Policy\n\n![logo]({base}/logo.png)\n\n"
        f'<img src="{base}/raw.png"> <link rel="stylesheet" href="{base}/style.css">\n\n'
        f"## Tracking\n\nWe use a [pixel]({base}/pixel.gif) and ![beacon]({base}/beacon.gif).\n",
        encoding="utf-8",
    )
    html = tmp_path / "remote.html"
    html.write_text(
        "<html><head><title>Remote Page Policy</title>"
        f'<link rel="stylesheet" href="{base}/site.css">'
        f"<style>@font-face {{ font-family: X; src: url({base}/font.woff2); }} "
        f"body {{ background: url({base}/bg.png); }}</style>"
        f'<script src="{base}/app.js"></script></head><body><main>'
        f'<h1>Remote Page Policy</h1><p><img src="{base}/hero.jpg">We collect your email.</p>'
        f'<h2>Cookies</h2><p>We set cookies. <iframe src="{base}/frame.html"></iframe></p>'
        f'<object data="{base}/obj.svg"></object><video src="{base}/v.mp4"></video>'
        "</main></body></html>",
        encoding="utf-8",
    )
    tabs = open_and_wait(qtbot, window, markdown, html)
    assert len(tabs) == 2
    for tab in tabs:
        window.tabs.setCurrentWidget(tab)
        tab.reader.verticalScrollBar().setValue(tab.reader.verticalScrollBar().maximum())
        tab.reader.viewport().repaint()
    qtbot.wait(300)
    assert _CountingHandler.requests == []
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


def test_space_pages_down_and_shift_space_up(qtbot, window):
    tab = window.tabs.add_document(kestrel_document())
    bar = tab.reader.verticalScrollBar()
    qtbot.keyClick(tab.reader, Qt.Key.Key_Space)
    assert bar.value() == bar.pageStep()
    qtbot.keyClick(tab.reader, Qt.Key.Key_Space, Qt.KeyboardModifier.ShiftModifier)
    assert bar.value() == 0


def test_ctrl_wheel_zooms_the_reader(qtbot, window):
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    tab = window.tabs.add_document(kestrel_document())
    size = tab.typography.body_size
    wheel = QWheelEvent(
        QPointF(50, 50),
        QPointF(tab.reader.viewport().mapToGlobal(QPoint(50, 50))),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(tab.reader.viewport(), wheel)
    assert tab.typography.body_size > size
