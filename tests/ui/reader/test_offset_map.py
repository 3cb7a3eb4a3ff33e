"""Text offsets ↔ QTextDocument positions: the pure map, and the map the renderer really builds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor

from policyreader.core.builder import RawBlock, Run, assemble, text_block
from policyreader.core.document import BlockKind, DocumentFormat
from policyreader.ui.common.theme import LIGHT
from policyreader.ui.reader.offset_map import OffsetMapBuilder, Segment
from policyreader.ui.reader.render import render_document
from policyreader.ui.reader.typography import Typography
from tests.ui.documents import kestrel_document


def test_segments_merge_when_they_continue_each_other():
    builder = OffsetMapBuilder()
    assert builder.add(0, "abc", 10) == 13
    assert builder.add(3, "def", 13) == 16
    builder.add(8, "gh", 20)  # after a gap in both: a new segment
    offsets = builder.build(10)
    assert offsets.segments == [Segment(0, 6, 10, 16), Segment(8, 10, 20, 22)]


def test_gaps_map_to_the_neighbouring_text():
    builder = OffsetMapBuilder()
    builder.add(0, "abc", 0)  # "abc\n\n" then a list item whose marker takes positions 4..6
    builder.add(5, "def", 7)
    offsets = builder.build(8)
    assert offsets.to_position(4) == 3  # the block separator maps to the end of "abc"
    assert offsets.to_offset(5) == 5  # a position inside the marker maps to the item's text
    assert offsets.to_offset(7) == 5
    assert offsets.to_position(8) == 10
    assert offsets.to_position(99) == 10 and offsets.to_position(-3) == 0


def test_astral_characters_take_two_positions():
    builder = OffsetMapBuilder()
    end = builder.add(0, "a🍪b", 0)
    assert end == 4
    offsets = builder.build(3)
    assert [offsets.to_position(i) for i in range(4)] == [0, 1, 3, 4]
    assert [offsets.to_offset(p) for p in (0, 1, 3, 4)] == [0, 1, 2, 3]


@given(
    pieces=st.lists(
        st.tuples(
            st.text(alphabet=st.sampled_from("ab 🍪é"), min_size=0, max_size=8),
            st.integers(0, 3),  # text gap before the piece
            st.integers(0, 3),  # position gap before the piece
        ),
        max_size=12,
    )
)
def test_every_offset_inside_text_round_trips(pieces):
    builder = OffsetMapBuilder()
    offset = position = 0
    covered = []
    for text, text_gap, pos_gap in pieces:
        offset += text_gap
        # Text between pieces (block and cell separators) is always some structure in Qt too.
        position += max(pos_gap, 1) if text_gap else pos_gap
        position = builder.add(offset, text, position)
        if text:  # an empty piece writes nothing and claims no offset
            covered.extend(range(offset, offset + len(text) + 1))
        offset += len(text)
    offsets = builder.build(offset)
    for value in covered:
        assert offsets.to_offset(offsets.to_position(value)) == value
    positions = [offsets.to_position(v) for v in range(offset + 1)]
    assert positions == sorted(positions)  # monotonic: a range never turns inside out


def _character_at(document, position: int) -> str:
    cursor = QTextCursor(document)
    cursor.setPosition(position)
    cursor.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


def _assert_rendered_text_matches(document, qapp) -> None:
    rendered = render_document(document, LIGHT, Typography())
    qdocument = rendered.qdocument
    text = document.text
    for block in document.blocks:
        for offset in range(block.start, block.end):
            if text[offset] in "\t\n":  # table cell and row separators are structure, not text
                continue
            position = rendered.offsets.to_position(offset)
            shown = _character_at(qdocument, position)
            if ord(text[offset]) > 0xFFFF:
                cursor = QTextCursor(qdocument)
                cursor.setPosition(position)
                cursor.setPosition(position + 2, QTextCursor.MoveMode.KeepAnchor)
                shown = cursor.selectedText()
            assert shown == text[offset], (offset, text[offset], shown)
            assert rendered.offsets.to_offset(position) == offset
    qdocument.deleteLater()


def test_the_renderer_puts_every_character_where_the_map_says(qapp):
    _assert_rendered_text_matches(kestrel_document(), qapp)


@settings(max_examples=30, deadline=None)
@given(
    blocks=st.lists(
        st.one_of(
            st.builds(
                lambda t, lvl: text_block(BlockKind.HEADING, t, level=lvl),
                st.text(min_size=1, max_size=20),
                st.integers(1, 4),
            ),
            st.builds(
                lambda t: text_block(BlockKind.PARAGRAPH, t), st.text(min_size=1, max_size=40)
            ),
            st.builds(
                lambda t, m, lvl: text_block(BlockKind.LIST_ITEM, t, level=lvl, marker=m),
                st.text(min_size=1, max_size=30),
                st.sampled_from(["•", "1.", "(iv)", "", "🍪"]),
                st.integers(0, 2),
            ),
            st.builds(
                lambda cells: RawBlock(
                    kind=BlockKind.TABLE,
                    rows=[[[Run(c)] for c in cells[:2]], [[Run(c)] for c in cells[2:4]]],
                    header_rows=1,
                ),
                st.lists(st.text(max_size=10), min_size=4, max_size=4),
            ),
            st.builds(
                lambda t: text_block(BlockKind.CODE, t),
                st.text(alphabet="ab \n{}", min_size=1, max_size=30),
            ),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_random_documents_render_where_the_map_says(qapp, blocks):
    document = assemble(blocks, DocumentFormat.MARKDOWN)
    if not document.text:
        return
    _assert_rendered_text_matches(document, qapp)


@pytest.mark.parametrize("marker", ["•", "3.", "(a)", "viii."])
def test_list_markers_are_shown_but_are_not_text(qapp, marker):
    document = assemble(
        [text_block(BlockKind.LIST_ITEM, "Item text", marker=marker)], DocumentFormat.TEXT
    )
    rendered = render_document(document, LIGHT, Typography())
    assert rendered.qdocument.toPlainText().startswith(marker + "\t")
    assert rendered.offsets.to_position(0) == len(marker) + 1
    assert rendered.offsets.to_offset(0) == 0
