"""The notes widgets on their own: the editor saves after a pause, the markers follow the text."""

from __future__ import annotations

from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from policyreader.core.anchoring import describe
from policyreader.core.notes import Note
from policyreader.ui.notes.note_editor import NOTE_COLOURS, NoteEditor, parse_tags
from policyreader.ui.notes.note_markers import Marker, NoteMarkers
from policyreader.ui.reader.reader_view import ReaderView

TEXT = "We collect your email address.\n\nWe share it with advertisers and keep it for a year."


def _note(body: str = "first thoughts") -> Note:
    anchor = describe(TEXT, 3, 10)
    return Note("n1", anchor.quote, anchor.position, body=body, tags=("ads",))


def test_the_editor_sends_one_change_after_typing_pauses(qtbot: QtBot) -> None:
    editor = NoteEditor()
    qtbot.addWidget(editor)
    editor.set_note(_note())
    assert editor.body.toPlainText() == "first thoughts" and editor.tags.text() == "ads"
    changes: list[tuple[object, ...]] = []
    editor.changed.connect(lambda *change: changes.append(change))
    editor.body.setPlainText("second thoughts")
    editor.tags.setText("ads, sharing")
    editor.tags.textEdited.emit("ads, sharing")
    assert editor.pending and changes == []
    qtbot.waitUntil(lambda: changes != [], timeout=3000)
    assert changes == [("n1", "second thoughts", ("ads", "sharing"), NOTE_COLOURS[0][1])]


def test_flush_sends_what_is_waiting_and_no_note_hides_the_editor(qtbot: QtBot) -> None:
    editor = NoteEditor()
    qtbot.addWidget(editor)
    editor.show()
    editor.set_note(_note())
    changes: list[tuple[object, ...]] = []
    editor.changed.connect(lambda *change: changes.append(change))
    editor.body.setPlainText("typed")
    editor.set_note(None)  # showing another note sends the change at once
    assert [c[1] for c in changes] == ["typed"] and not editor.isVisible()


def test_tags_are_split_at_commas_and_trimmed() -> None:
    assert parse_tags(" ads, data retention ,,") == ("ads", "data retention")


def test_markers_draw_a_bar_and_underline_the_passage(qtbot: QtBot) -> None:
    view = ReaderView()
    qtbot.addWidget(view)
    view.setPlainText(TEXT)
    view.resize(500, 300)
    view.show()
    markers = NoteMarkers(view)
    passage = Marker(3, 30, QColor("#c00"), underline=True)
    markers.set_markers([passage])
    assert markers.markers == [passage]
    bar = markers.bar_rect(passage)
    assert bar.height() >= 4 and 0 <= bar.x() < view.viewport().width()
    (line,) = markers.underline_rects(passage)
    # Under the first line, within the bar's height (the bar spans the passage).
    assert line.width() > 50 and bar.top() < line.y() <= bar.bottom() + 1
    assert markers.underline_rects(Marker(3, 3, QColor("#c00"))) == []
