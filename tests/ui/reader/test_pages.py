"""A policy too long for one QTextDocument is shown a part at a time; jumps and notes cross parts.

The part size is injected small (a few kilobytes), so a short policy has three parts here.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from policyreader.core.document import BlockKind
from policyreader.ui.notes.tab_notes import NOTES_LAYER
from policyreader.ui.practices.practices_feature import PracticesFeature
from policyreader.ui.reader import pages
from policyreader.ui.reader.pages import Page, page_of, split_pages
from policyreader.ui.reader.reading_position import ReadingPosition
from tests.ui.conftest import open_and_wait
from tests.ui.documents import kestrel_document
from tests.ui.notes_helpers import make_window, open_notes, select_quote

FILLER = "We keep the files you upload on servers in two regions and copy them between them. "


def long_markdown(sections: int = 9) -> str:
    parts = ["# Heron Maps Privacy Policy\n\nLast updated: March 3, 2026\n"]
    for number in range(1, sections + 1):
        parts.append(
            f"## {number}. Section {number}\n\n{FILLER * 4}Marker {number} is here.\n\n"
            f"- Your location when section {number} applies.\n\n{FILLER * 3}\n"
        )
    parts.append("## Sharing\n\nWe share your location with advertising partners for ads.\n")
    return "\n".join(parts)


@pytest.fixture
def small_parts(monkeypatch) -> int:
    monkeypatch.setattr(pages, "PAGE_CHARS", 2_000)
    return 2_000


@pytest.fixture
def long_policy(tmp_path: Path) -> Path:
    path = tmp_path / "heron.md"
    path.write_text(long_markdown(), encoding="utf-8")
    return path


def shown(tab) -> str:
    return tab.reader.document().toPlainText()


def visible_text(tab) -> str:
    """The text at the top of the view: what a reader sees after a jump."""
    top = tab.top_offset()
    return tab.document.text[top : top + 200]


# --- the parts themselves (pure) -------------------------------------------------------------


def test_parts_are_whole_blocks_covering_every_offset_once(small_parts) -> None:
    from policyreader.core.loading import load_text

    document = load_text(long_markdown(), "heron.md")
    parts = split_pages(document)
    assert len(parts) >= 3
    assert parts[0].start == 0 and parts[-1].end == len(document.text)
    for before, after in pairwise(parts):
        assert before.end == after.start and before.end_block == after.first_block
        assert document.blocks[after.first_block].start == after.start
    for part in parts:
        text = document.text[part.start : part.end]
        assert len(text.rstrip()) <= small_parts or part.end_block - part.first_block == 1
    # A part ends before a heading when one starts late in it.
    assert all(document.blocks[p.first_block].kind is BlockKind.HEADING for p in parts[1:])
    assert [page_of(parts, p.start) for p in parts] == list(range(len(parts)))
    assert page_of(parts, len(document.text) + 5) == len(parts) - 1


def test_a_short_policy_is_one_part(small_parts) -> None:
    document = kestrel_document()
    assert split_pages(document, page_chars=len(document.text)) == [
        Page(0, len(document.blocks), 0, len(document.text))
    ]


# --- the window ---------------------------------------------------------------------------------


def test_a_long_policy_opens_on_its_first_part_with_a_page_control(
    qtbot, window, long_policy, small_parts
) -> None:
    (tab,) = open_and_wait(qtbot, window, long_policy)
    assert len(tab.pages) >= 3 and tab.page_index == 0
    assert tab.page_bar.isVisible()
    assert tab.page_bar.text.startswith(f"Part 1 of {len(tab.pages)}")
    assert not tab.page_bar.previous.isEnabled() and tab.page_bar.next.isEnabled()
    assert "Heron Maps Privacy Policy" in shown(tab)  # the header on the first part
    assert "Marker 1 is here" in shown(tab) and "Sharing" not in shown(tab)
    # The whole outline is there, every part's sections included.
    assert tab.outline.index.entries[-1].title == "Sharing"
    tab.page_bar.next.click()
    assert tab.page_index == 1 and tab.page_bar.text.startswith(f"Part 2 of {len(tab.pages)} · ")
    assert "Section" in tab.page_bar.text  # where the part starts
    assert "Marker 1 is here" not in shown(tab)
    assert tab.page_bar.previous.isEnabled()


def test_an_outline_jump_to_a_later_part_shows_it_and_scrolls_to_the_section(
    qtbot, window, long_policy, small_parts
) -> None:
    (tab,) = open_and_wait(qtbot, window, long_policy)
    window.resize(1100, 500)
    entries = tab.outline.index.entries
    target = next(e for e in entries if e.title == "8. Section 8")
    tab.go_to_section(target.start)
    assert tab.page_index == page_of(tab.pages, target.start) > 0
    assert "Marker 8 is here" in shown(tab)
    assert visible_text(tab).startswith("8. Section 8")
    assert tab.outline.current_index() == entries.index(target)
    # Back to the top of the policy: the first part again.
    tab.go_to_section(entries[0].start)
    assert tab.page_index == 0


def test_a_practice_jump_to_a_later_part_switches_part_and_shows_the_passage(
    qtbot, window, long_policy, small_parts
) -> None:
    (tab,) = open_and_wait(qtbot, window, long_policy)
    feature = PracticesFeature.of(tab)
    assert feature is not None
    qtbot.waitUntil(lambda: feature.summary is not None, timeout=60_000)
    sharing = tab.document.text.index("We share your location")
    practice = next(p for p in feature.practices if p.start <= sharing < p.end)
    feature.go_to(practice)
    assert tab.page_index == len(tab.pages) - 1
    first = tab.offsets.to_position(practice.start)
    assert shown(tab)[first : first + 22] == "We share your location"
    cursor = tab.reader.cursorRect()
    assert 0 <= cursor.top() < tab.reader.viewport().height()  # scrolled into view


def test_find_steps_into_the_part_holding_the_match(qtbot, window, long_policy, small_parts):
    (tab,) = open_and_wait(qtbot, window, long_policy)
    tab.open_find()
    tab.find_bar.query_box.setText("Marker 9")
    qtbot.waitUntil(lambda: tab.match_count == 1)
    assert tab.page_index == page_of(tab.pages, tab.document.text.index("Marker 9")) > 0
    assert "Marker 9 is here" in shown(tab)


def test_a_short_policy_has_no_page_control(qtbot, window, policy_files) -> None:
    (tab,) = open_and_wait(qtbot, window, policy_files["markdown"])
    assert len(tab.pages) == 1 and not tab.page_bar.isVisible()
    assert tab.on_page(0, len(tab.document.text))


def test_a_note_on_a_later_part_is_drawn_there_only(
    qtbot, settings, themes, recorder, store, long_policy, small_parts
) -> None:
    window = make_window(qtbot, settings, themes, recorder, store)
    tab, notes = open_notes(qtbot, window, long_policy)
    quote = "Marker 7 is here."
    start = tab.document.text.index(quote)
    tab.show_page_of(start)
    part = tab.page_index
    assert part > 0
    select_quote(tab, quote)
    window.actions.notes_add.trigger()
    note = notes.panel.selected_note()
    assert note is not None and note.position.start == start
    (marker,) = notes.markers.markers
    assert (marker.first, marker.last) == tab.offsets.to_position_range(start, start + len(quote))
    # On the first part the note is neither drawn nor tinted.
    tab.show_page(0)
    assert notes.markers.markers == []
    assert all(tab.on_page(s, e) is False for s, e, _f in tab._layers.get(NOTES_LAYER, []))
    # Going to the note from the panel brings its part back, with its bar.
    notes.show_passage(note.id, focus=False)
    assert tab.page_index == part and len(notes.markers.markers) == 1
    assert tab.reader.textCursor().selectedText() == quote


def test_a_saved_reading_place_on_a_later_part_opens_that_part(
    qtbot, window, long_policy, small_parts
) -> None:
    (tab,) = open_and_wait(qtbot, window, long_policy)
    place = tab.document.text.index("Marker 6 is here")
    restore = ReadingPosition(tab, place, lambda _offset: None)
    assert tab.page_index == page_of(tab.pages, place) > 0
    qtbot.waitUntil(lambda: restore.restored, timeout=10_000)
    assert "Marker 6 is here" in shown(tab)
