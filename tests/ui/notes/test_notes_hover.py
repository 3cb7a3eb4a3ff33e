"""Hovering noted text shows the note; over a practice highlight, the practice first, then the note."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip

from policyreader.core.loading import load_text
from policyreader.core.practices.taxonomy import Category
from policyreader.ui.practices.practices_feature import PracticesFeature
from policyreader.ui.reader.document_tab import DocumentTab
from tests.ui.notes_helpers import make_window, open_notes

TITLE = "Heronfield Books Privacy Policy"
SHARED = "We share your email address with advertisers"
INTRO = "Heronfield Books sells second-hand books online and explains here what it does."
# A fictitious policy with one plain sharing practice to hover over.
POLICY = f"""# {TITLE}

{INTRO}

## Sharing

{SHARED} and with the delivery companies that bring your parcels.

## Security

We use encryption to protect your personal information from unauthorized access.
"""


@pytest.fixture
def noted_tab(qtbot, tmp_path, settings, themes, recorder, store):
    path = tmp_path / "heronfield.md"
    path.write_text(POLICY, encoding="utf-8")
    document = load_text(POLICY, str(path))
    opened = store.open_document(document, path)
    start = document.text.index(SHARED)
    store.add_note(
        opened, start, start + len(SHARED), "Which advertisers?\nAsk them.", tags=["ask"]
    )
    heading = document.text.index(TITLE)
    store.add_note(opened, heading, heading + len(TITLE), "", colour="#c0392b")
    window = make_window(qtbot, settings, themes, recorder, store)
    tab, _notes = open_notes(qtbot, window, path)
    feature = PracticesFeature.of(tab)
    assert feature is not None
    qtbot.waitUntil(
        lambda: feature.summary is not None and not feature.painter.busy, timeout=10_000
    )
    yield tab, feature
    QToolTip.hideText()
    window.close()


def hover(tab: DocumentTab, offset: int) -> str:
    """Send the tooltip event a resting mouse would over ``offset``; the tooltip's text."""
    cursor = QTextCursor(tab.reader.document())
    cursor.setPosition(tab.offsets.to_position(offset) + 1)
    tab.reader.setTextCursor(cursor)
    tab.reader.ensureCursorVisible()
    point = tab.reader.cursorRect(cursor).center()
    viewport = tab.reader.viewport()
    QToolTip.hideText()
    QApplication.sendEvent(
        viewport, QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point))
    )
    return QToolTip.text()


def test_hovering_a_noted_practice_shows_the_practice_then_the_note(noted_tab):
    tab, feature = noted_tab
    offset = tab.document.text.index(SHARED) + 5
    kinds = {p.category for p in feature.hover.index.at(offset)}
    assert Category.THIRD_PARTY_SHARING in kinds  # the note sits on a highlighted practice
    text = hover(tab, offset)
    assert "Sharing with third parties" in text and "Because of" in text
    assert "Which advertisers?<br>Ask them." in text and "#ask" in text and "anchored" in text
    assert text.index("Sharing with third parties") < text.index("Which advertisers?")


def test_hovering_a_note_without_a_practice_shows_the_note_alone(noted_tab):
    tab, feature = noted_tab
    offset = tab.document.text.index(TITLE) + 3
    assert feature.hover.index.at(offset) == []
    text = hover(tab, offset)
    assert "Note" in text and "No text yet" in text and "#c0392b" in text
    assert "Because of" not in text and "<hr>" not in text


def test_plain_text_has_no_tooltip(noted_tab):
    tab, feature = noted_tab
    offset = tab.document.text.index(INTRO) + 12
    assert feature.hover.index.at(offset) == []
    assert tab.tooltip_at(offset) == ""
    assert hover(tab, offset) == ""


def test_providers_speak_in_their_order(noted_tab):
    tab, _feature = noted_tab
    tab.add_tooltip_provider(lambda _offset: "last", order=99)
    tab.add_tooltip_provider(lambda _offset: "first", order=-1)
    offset = tab.document.text.index(TITLE) + 3
    parts = tab.tooltip_at(offset).split("<hr>")
    assert parts[0] == "first" and parts[-1] == "last" and "No text yet" in parts[1]
