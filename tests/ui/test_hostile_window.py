"""Issue 19 in the window: FIFOs, hostile bundles and rich text never hang, vanish or link out."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from policyreader.ui.shell.main_window import MainWindow
from tests.hostile.fuzz import bundles, notes_json
from tests.hostile.helpers import POLICY, bundle_members, make_fifo, zip_members
from tests.ui.notes_helpers import make_window, open_notes


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


WINDOW_FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@WINDOW_FUZZ
@given(data=bundles())
def test_fuzzed_bundles_open_or_say_why_through_the_window(
    window, recorder, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / f"fuzzed-{uuid.uuid4().hex}.policyreview"
    path.write_bytes(data)
    recorder.messages.clear()
    window.open_requested.emit([str(path)])
    assert window.tasks.wait(20_000)
    opened = window.tabs.tab_for_path(str(path)) is not None
    assert opened or len(recorder.messages) == 1
    assert not any("unexpected error" in message for _title, message in recorder.messages)
    while window.tabs.count():
        window.tabs.close_tab(0)


@WINDOW_FUZZ
@given(payload=notes_json())
def test_fuzzed_notes_import_through_the_window(
    qtbot, window, recorder, tmp_path: Path, payload: str
) -> None:
    policy = tmp_path / "policy.md"
    if not policy.exists():
        policy.write_text(POLICY, encoding="utf-8")
    _tab, notes = open_notes(qtbot, window, policy)
    source = tmp_path / "notes.json"
    source.write_text(payload, encoding="utf-8", errors="surrogatepass")
    recorder.messages.clear()
    added = window.notes.files.import_notes(notes, source)  # an escaping error fails the test
    assert added >= 0
    assert all(title == "Cannot import notes.json" for title, _message in recorder.messages)
