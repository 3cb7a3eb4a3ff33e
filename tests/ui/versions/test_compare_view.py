"""The compare view alone, and the versions flow in the window: banner, Compare, Open Web Address."""

from __future__ import annotations

import os
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from policyreader.core.loading import load_text
from policyreader.core.versions import SectionChange, compare, text_only_document
from policyreader.ui.common.theme import DARK, LIGHT
from policyreader.ui.versions.compare_view import INLINE, CompareColours, CompareView, compare_html
from policyreader.ui.versions.open_url_dialog import OpenUrlDialog
from policyreader.ui.versions.versions_feature import ChangedBanner, CompareWindow, reading_date
from tests.core import version_pairs as pairs
from tests.local_server import serving
from tests.ui.conftest import open_and_wait
from tests.ui.notes_helpers import make_window

SCREENSHOT = Path(__file__).resolve().parents[3] / "docs" / "screenshots" / "compare.png"


def _all_changes_text() -> str:
    text = pairs.REORDERED_AND_RENAMED.replace("for 30 days", "for 2 years")
    text = text.replace(
        "These providers may use", pairs.SHARING_SENTENCE + " These providers may use"
    )
    return text.replace(pairs.RIGHT_SENTENCE + " ", "")


@pytest.fixture
def comparison():
    old = load_text(pairs.BASE, "policy.md")
    new = load_text(_all_changes_text(), "policy.md")
    old.metadata.extra["fetched_at"] = "2024-01-12T09:00:00+00:00"
    new.metadata.extra["fetched_at"] = "2024-06-03T09:00:00+00:00"
    return compare(old, new)


def test_outline_badges_mark_exactly_the_changed_sections(qtbot: QtBot, comparison) -> None:
    view = CompareView(comparison, LIGHT)
    qtbot.addWidget(view)
    assert view.badges() == {
        "Security": "moved",
        "Cookies and Similar Technologies": "changed",
        "Sharing Your Information": "changed",
        "How Long We Keep Your Data": "changed",
        "Your Rights": "changed",
    }
    assert view.outline.count() == 7  # the seven headed sections; the date is in the header
    view.only_changes.setChecked(True)
    assert view.outline.count() == 5


def test_practice_summary_and_marked_sentences(qtbot: QtBot, comparison) -> None:
    view = CompareView(comparison, LIGHT)
    qtbot.addWidget(view)
    summary = view.summary.text()
    assert "retention period from 30 days to 2 years" in summary
    assert "Added" in summary and "Removed" in summary
    page = view.browser.toPlainText()
    # Side by side: both versions of the edited sentence are on the page, aligned in one row.
    assert "trash folder for 30 days" in page and "trash folder for 2 years" in page
    assert page.index("30 days") < page.index("2 years")
    body = compare_html(comparison, CompareColours.for_theme(LIGHT))
    assert "line-through" in body  # the removed right is struck out on the old side
    assert "(was “How We Use Cookies”)" in body


def test_inline_mode_shows_the_new_text_with_the_removed_sentences(
    qtbot: QtBot, comparison
) -> None:
    view = CompareView(comparison, DARK)
    qtbot.addWidget(view)
    view.inline_button.setChecked(True)
    assert view.mode == INLINE
    page = view.browser.toPlainText()
    assert page.count("trash folder for 2 years") == 1
    assert pairs.RIGHT_SENTENCE in page


def test_clicking_a_section_scrolls_to_it(qtbot: QtBot, comparison) -> None:
    view = CompareView(comparison, LIGHT)
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.section_activated) as signal:
        view.outline.setCurrentRow(6)
    assert signal.args == [6]
    assert view.browser.verticalScrollBar().value() > 0


def test_screenshot_of_the_compare_view(qtbot: QtBot, comparison, tmp_path: Path) -> None:
    """Renders the view; POLICYREADER_UPDATE_SCREENSHOTS=1 also refreshes docs/screenshots."""
    view = CompareView(comparison, LIGHT)
    qtbot.addWidget(view)
    view.resize(1280, 820)
    view.show()
    qtbot.waitExposed(view)
    QApplication.processEvents()
    image = view.grab()
    assert image.save(str(tmp_path / "compare.png"))
    assert not image.toImage().isNull() and image.width() == 1280
    if os.environ.get("POLICYREADER_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        assert image.save(str(SCREENSHOT))


def test_rebuilt_stored_text_keeps_its_sections() -> None:
    new = load_text(pairs.RETENTION_CHANGED, "policy.md")
    old = text_only_document(load_text(pairs.BASE, "policy.md").text, new)
    result = compare(old, new, detect=lambda document: [])
    assert [s.change for s in result.sections].count(SectionChange.CHANGED) == 1
    assert len(result.sections) == 7


def test_reading_date() -> None:
    assert reading_date("2024-03-05T10:00:00.000Z") == "5 March 2024"


# --- the window ------------------------------------------------------------------------------------


def test_a_newer_version_shows_the_banner_and_compare_opens_the_view(
    qtbot: QtBot, settings, themes, recorder, store, tmp_path: Path
) -> None:
    window = make_window(qtbot, settings, themes, recorder, store)
    policy = tmp_path / "brightwater.md"
    policy.write_text(pairs.BASE, encoding="utf-8")
    (tab,) = open_and_wait(qtbot, window, policy)
    assert tab.findChild(ChangedBanner) is None  # first reading: nothing changed
    # Two notes: one on a sentence the new version keeps, one on the sentence it edits.
    opened = store.open_document(tab.document, str(policy))
    for quote in ("Billing records are kept", "trash folder for 30 days"):
        start = tab.document.text.index(quote)
        store.add_note(opened, start, start + len(quote), body="check")
    window.tabs.close_tab(0)
    policy.write_text(pairs.RETENTION_CHANGED, encoding="utf-8")
    (tab,) = open_and_wait(qtbot, window, policy)
    banner = tab.findChild(ChangedBanner)
    assert banner is not None and banner.isVisible()
    assert banner.height() < 60  # a strip above the text, not a pane
    assert banner.label.text().startswith("<b>Changed since you last read it</b> (")
    with qtbot.waitSignal(window.versions.compared, timeout=10_000) as shown:
        qtbot.mouseClick(banner.compare_button, Qt.MouseButton.LeftButton)
    compare_window = shown.args[0]
    assert isinstance(compare_window, CompareWindow)
    assert compare_window.view.badges() == {"How Long We Keep Your Data": "changed"}
    assert "from 30 days to 2 years" in compare_window.view.summary.text()
    notes_line = compare_window.view.summary.text()
    assert (
        "Your 2 notes on the new version: 1 in place, 1 re-attached to edited text (check them)."
        in notes_line
    )
    compare_window.close()


class _Policy(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = f"<html><body><main>{_as_html(pairs.BASE)}</main></body></html>".encode()
        status = 200 if self.path == "/privacy" else 404
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _as_html(markdown: str) -> str:
    parts = []
    for piece in markdown.split("\n\n"):
        piece = piece.strip()
        if piece.startswith("# "):
            parts.append(f"<h1>{piece[2:]}</h1>")
        elif piece.startswith("## "):
            parts.append(f"<h2>{piece[3:]}</h2>")
        elif piece:
            parts.append(f"<p>{piece}</p>")
    return "".join(parts)


@pytest.fixture
def server() -> Iterator[str]:
    with serving(_Policy) as base:
        yield base


def test_open_url_dialog_fetches_in_a_worker_and_opens_a_tab(
    qtbot: QtBot, settings, themes, recorder, store, server: str
) -> None:
    window = make_window(qtbot, settings, themes, recorder, store)
    dialog = window.versions.open_url()
    dialog.address.setText(f"{server}/privacy")
    with qtbot.waitSignal(window.open_requested, timeout=10_000):
        dialog.open_button.click()
    qtbot.waitUntil(lambda: window.current_tab() is not None, timeout=10_000)
    tab = window.current_tab()
    assert tab is not None and tab.document.title == "Brightwater Mail Privacy Policy"
    assert tab.property("source_path") == f"{server}/privacy"
    assert tab.document.metadata.source_url == f"{server}/privacy"
    # The snapshot is in the library under its address.
    versions = window.notes.library.documents(with_notes_only=False)
    assert versions[0].paths == (f"{server}/privacy",)


def test_a_web_address_that_fails_says_why(
    qtbot: QtBot, settings, themes, recorder, store, server: str
) -> None:
    window = make_window(qtbot, settings, themes, recorder, store)
    dialog = window.versions.open_url()
    dialog.address.setText(f"{server}/missing")
    dialog.open_button.click()
    qtbot.waitUntil(lambda: recorder.messages != [], timeout=10_000)
    ((title, message),) = recorder.messages
    assert title == "Cannot open missing" and "(HTTP 404)" in message
    assert window.tabs.count() == 0


def test_open_url_dialog_refuses_what_is_not_a_web_address(qtbot: QtBot) -> None:
    dialog = OpenUrlDialog()
    qtbot.addWidget(dialog)
    chosen: list[str] = []
    dialog.address_chosen.connect(chosen.append)
    dialog.address.setText("file:///etc/passwd")
    dialog.open_button.click()
    assert chosen == [] and "not a web address" in dialog.status.text()
    dialog.address.setText("example.com/privacy")
    dialog.open_button.click()
    assert chosen == ["https://example.com/privacy"]


def test_a_web_address_given_to_the_window_is_fetched_into_a_tab(
    qtbot: QtBot, settings, themes, recorder, store, server: str
) -> None:
    """What ``policyreader URL`` and a second instance forwarding an address both do."""
    window = make_window(qtbot, settings, themes, recorder, store)
    (tab,) = open_and_wait(qtbot, window, f"{server}/privacy")  # type: ignore[arg-type]
    assert tab.property("source_path") == f"{server}/privacy"
    assert tab.document.title == "Brightwater Mail Privacy Policy"
    assert recorder.messages == []


def test_the_compared_text_is_laid_out_by_the_pump(qtbot: QtBot, comparison) -> None:
    view = CompareView(comparison, LIGHT)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: not view.layout_pump.busy, timeout=10_000)
    assert view.layout_pump.slices >= 1
    document = view.browser.document()
    layout = document.documentLayout()
    last = layout.blockBoundingRect(document.lastBlock())
    assert last.bottom() <= layout.documentSize().height() + 1
    # A new mode writes the text again; the pump starts over and finishes it.
    view.inline_button.setChecked(True)
    assert view.layout_pump.busy
    qtbot.waitUntil(lambda: not view.layout_pump.busy, timeout=10_000)


@pytest.mark.parametrize("keys", ["Escape", "Ctrl+W"])
def test_the_compare_window_closes_with_esc_and_ctrl_w(qtbot: QtBot, comparison, keys) -> None:
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest

    shown = CompareWindow(comparison, LIGHT)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    qtbot.waitUntil(shown.isActiveWindow, timeout=2_000)
    shown.view.browser.setFocus()
    combination = QKeySequence(keys)[0]
    QTest.keyClick(shown.view.browser, combination.key(), combination.keyboardModifiers())
    qtbot.waitUntil(lambda: not shown.isVisible(), timeout=2_000)


def test_long_section_names_wrap_in_the_compare_outline(qtbot: QtBot) -> None:
    long_title = "How We Share Your Information With Our Partners, Affiliates and Service Providers"
    old = load_text(pairs.BASE.replace("Sharing Your Information", long_title), "policy.md")
    new = load_text(
        pairs.SHARING_ADDED.replace("Sharing Your Information", long_title), "policy.md"
    )
    view = CompareView(compare(old, new, detect=lambda document: []), LIGHT)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    qtbot.waitExposed(view)
    rows = [view.outline.item(row) for row in range(view.outline.count())]
    long_row = next(item for item in rows if item.toolTip() == long_title)
    short_row = next(item for item in rows if item.toolTip() == "Security")
    label = view.outline.itemWidget(long_row)
    assert label.wordWrap()
    assert long_row.sizeHint().height() > short_row.sizeHint().height()  # wrapped, not cut
    assert long_row.sizeHint().width() <= view.outline.viewport().width()
