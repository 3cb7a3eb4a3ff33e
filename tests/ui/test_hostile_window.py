"""Issue 19 in the window: FIFOs, hostile bundles and rich text never hang, vanish or link out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from policyreader.ui.main_window import MainWindow
from tests.hostile.helpers import POLICY, bundle_members, make_fifo, zip_members
from tests.ui.notes_helpers import make_window


@pytest.fixture
def window(qtbot, settings, themes, recorder, store):
    return make_window(qtbot, settings, themes, recorder, store)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_fifos_are_refused_and_the_loaders_stay_free(window, recorder, tmp_path: Path) -> None:
    fifos = [make_fifo(tmp_path / name) for name in ("a.md", "b.md", "c.md", "x.policyreview")]
    window.open_requested.emit([str(f) for f in fifos])
    assert window.tasks.wait(10_000)
    assert len(recorder.messages) == 4
    assert all("not a regular file" in message for _title, message in recorder.messages)
    policy = tmp_path / "policy.md"
    policy.write_text(POLICY, encoding="utf-8")
    window.open_requested.emit([str(policy)])
    assert window.tasks.wait(10_000)
    assert window.current_tab() is not None


@pytest.mark.parametrize(
    "document",
    [
        {"metadata": ["a", "list"]},
        {"blocks": [{"kind": "paragraph", "start": 0, "end": 3, "inlines": [[0, 3, 0, 0, 0, 9]]}]},
        {"format": "<a href='file:///etc/passwd'>Details</a>"},
    ],
    ids=["metadata-list", "href-number", "format-link"],
)
def test_a_hostile_bundle_says_why_it_does_not_open(
    window, recorder, tmp_path: Path, document: dict[str, object]
) -> None:
    members = bundle_members()
    members["document.json"] = {**members["document.json"], **document}
    path = tmp_path / "hostile.policyreview"
    path.write_bytes(zip_members(members))
    window.open_requested.emit([str(path)])
    assert window.tasks.wait(10_000)
    assert window.tabs.count() == 0
    ((title, message),) = recorder.messages
    assert title == "Cannot open hostile.policyreview" and "cannot be read" in message


LINK = '<a href="file:///etc/passwd">Details</a>'
IMAGE = "<img src=x>"
HOSTILE_MARKDOWN = f"""# {LINK} Privacy

Last updated: {LINK}

## {IMAGE} Sharing

We share your email {LINK} with advertisers.
"""


def _labels_and_boxes() -> list[QLabel | QMessageBox]:
    widgets = QApplication.allWidgets()
    return [w for w in widgets if isinstance(w, QLabel | QMessageBox)]


def _shows_markup(widget: QLabel | QMessageBox) -> bool:
    text = widget.text()
    return (LINK in text or IMAGE in text) and (widget.textFormat() is not Qt.TextFormat.PlainText)


def test_no_label_or_message_box_interprets_file_content(
    qtbot, settings, themes, store, tmp_path: Path
) -> None:
    """Every label and box of the window, walked after hostile names, titles, notes and errors."""
    window = MainWindow(settings, themes, notes_store=store)
    qtbot.addWidget(window)
    window.show()
    policy = tmp_path / f"{IMAGE}.md"
    policy.write_text(HOSTILE_MARKDOWN, encoding="utf-8")
    window.open_requested.emit([str(policy)])
    assert window.tasks.wait(20_000)
    tab = window.current_tab()
    assert tab is not None
    notes = window.notes.tab_notes(tab)
    window.notes.add_document_note(notes)
    window.notes.edit(notes, notes.panel.selected_id, LINK, (IMAGE,), None)
    members = bundle_members()
    members["document.json"] = {**members["document.json"], "format": LINK}
    review = tmp_path / f"{IMAGE}.policyreview"
    review.write_bytes(zip_members(members))
    window.open_requested.emit([str(review)])
    assert window.tasks.wait(20_000)
    window.present_error(f"Cannot open {IMAGE}", f"{LINK} {IMAGE}")
    qtbot.wait(50)
    shown = _labels_and_boxes()
    boxes = [w for w in shown if isinstance(w, QMessageBox)]
    assert len(boxes) == 2 and all(b.textFormat() is Qt.TextFormat.PlainText for b in boxes)
    assert any(LINK in w.text() for w in shown)  # the walk did reach file content
    assert [w.objectName() or w.text()[:60] for w in shown if _shows_markup(w)] == []
    own = [w for w in shown if not w.objectName().startswith("qt_")]
    auto = [
        w.objectName() or w.text()[:60] for w in own if w.textFormat() is Qt.TextFormat.AutoText
    ]
    assert auto == []
    window.close()
