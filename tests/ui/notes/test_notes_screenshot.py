"""The README's notes screenshot: notes after the policy changed, drawn beside calm highlights.

POLICYREADER_UPDATE_SCREENSHOTS=1 also refreshes docs/screenshots/notes-light.png.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from policyreader.ui.notes.note_editor import NOTE_COLOURS
from policyreader.ui.practices.practices_feature import PracticesFeature
from tests.notes_samples import NOTED, POLICY_V1, POLICY_V2
from tests.ui.notes_helpers import controller, make_window, open_notes

SCREENSHOT = Path(__file__).resolve().parents[3] / "docs" / "screenshots" / "notes-light.png"
COLOURS = dict(NOTE_COLOURS)


def test_screenshot_of_notes_after_a_change(
    qtbot: QtBot, settings, themes, recorder, store, tmp_path: Path
) -> None:
    window = make_window(qtbot, settings, themes, recorder, store)
    window.resize(1280, 820)
    policy = tmp_path / "larkspur.md"
    policy.write_text(POLICY_V1, encoding="utf-8")
    tab, notes = open_notes(qtbot, window, policy)
    opened = notes.opened
    text = tab.document.text
    colours = {"moved": COLOURS["Blue"], "fuzzy": COLOURS["Yellow"], "orphaned": COLOURS["Pink"]}
    for state, (quote, body) in NOTED.items():
        start = text.index(quote)
        store.add_note(opened, start, start + len(quote), body, colour=colours[state])
    choices = next(s for s in tab.document.walk_sections() if s.title == "Your Choices")
    store.add_section_note(
        opened,
        choices,
        "Is there a way to delete route history right away?",
        colour=COLOURS["Green"],
    )
    store.add_document_note(opened, "Overall: clear, but vague on sharing.")
    window.tabs.close_tab(0)
    policy.write_text(POLICY_V2, encoding="utf-8")
    tab, notes = open_notes(qtbot, window, policy)
    feature = PracticesFeature.of(tab)
    assert feature is not None
    feature.begin_detection()
    qtbot.waitUntil(
        lambda: feature.summary is not None and not feature.painter.busy, timeout=10_000
    )
    tab.side_tabs.setCurrentWidget(notes.panel)
    tab.go_to_section(tab.document.sections[1].start)
    QApplication.processEvents()
    states = sorted(str(note.state.value) for note in notes.notes)
    assert states.count("fuzzy") == 1 and states.count("orphaned") == 1
    image = window.grab()
    assert image.save(str(tmp_path / "notes.png")) and image.width() == 1280
    if os.environ.get("POLICYREADER_UPDATE_SCREENSHOTS") == "1":
        assert image.save(str(SCREENSHOT))
    assert controller(window) is not None
