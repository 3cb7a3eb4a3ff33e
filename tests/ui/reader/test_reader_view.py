"""The reader view: links open only when clicked and only on the web or mail; nothing is fetched."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument

from policyreader.ui.reader.reader_view import LinkAction, ReaderView, classify_link
from tests.ui.conftest import Recorder
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
