"""The QTextDocument built from blocks: headings, lists, tables, inline styles, the header."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor, QTextTable

from policyreader.core.builder import RawBlock, Run, assemble
from policyreader.core.document import BlockKind, DocumentFormat, Metadata
from policyreader.ui.common.theme import DARK, LIGHT
from policyreader.ui.reader.header import HeaderLink, header_for
from policyreader.ui.reader.render import render_document
from policyreader.ui.reader.typography import Typography, column_margins
from tests.ui.documents import kestrel_document


def _char_format_at(rendered, offset):
    cursor = QTextCursor(rendered.qdocument)
    cursor.setPosition(rendered.offsets.to_position(offset) + 1)
    return cursor.charFormat()


def _block_at(rendered, offset):
    return rendered.qdocument.findBlock(rendered.offsets.to_position(offset))


def test_headings_get_larger_type_by_outline_level(qapp):
    document = kestrel_document()
    rendered = render_document(document, LIGHT, Typography())
    body = _char_format_at(rendered, document.blocks[1].start).fontPointSize()
    sizes = {}
    for section in document.walk_sections():
        sizes.setdefault(section.level, _char_format_at(rendered, section.start).fontPointSize())
        assert _block_at(rendered, section.start).blockFormat().headingLevel() == section.level
        assert _char_format_at(rendered, section.start).font().bold()
    assert sizes[1] > sizes[2] > body
    title = _char_format_at(rendered, document.blocks[0].start).fontPointSize()
    assert title > sizes[1]


def test_paragraphs_have_generous_line_height(qapp):
    document = kestrel_document()
    rendered = render_document(document, LIGHT, Typography())
    fmt = _block_at(rendered, document.blocks[1].start).blockFormat()
    assert fmt.lineHeight() == 150


def test_nested_list_items_indent_and_hang_their_marker(qapp):
    document = kestrel_document()
    rendered = render_document(document, LIGHT, Typography())
    items = [b for b in document.blocks if b.kind is BlockKind.LIST_ITEM]
    top, nested = items[1], items[2]
    assert nested.level == 1 and top.level == 0
    top_format = _block_at(rendered, top.start).blockFormat()
    nested_format = _block_at(rendered, nested.start).blockFormat()
    assert nested_format.leftMargin() > top_format.leftMargin()
    assert top_format.textIndent() < 0  # the marker hangs to the left of the wrapped lines
    assert _block_at(rendered, nested.start).text().startswith("◦\t")


def test_tables_are_real_tables_with_a_bold_header_row(qapp):
    document = kestrel_document()
    rendered = render_document(document, LIGHT, Typography())
    table_block = next(b for b in document.blocks if b.kind is BlockKind.TABLE)
    cursor = QTextCursor(rendered.qdocument)
    cursor.setPosition(rendered.offsets.to_position(table_block.start))
    table = cursor.currentTable()
    assert isinstance(table, QTextTable)
    assert (table.rows(), table.columns()) == (4, 3)
    assert table.format().headerRowCount() == 1
    header_cell = table.cellAt(0, 1).firstCursorPosition()
    header_cell.movePosition(QTextCursor.MoveOperation.NextCharacter)
    assert header_cell.charFormat().font().bold()
    body_cell = table.cellAt(1, 0).firstCursorPosition()
    body_cell.movePosition(QTextCursor.MoveOperation.NextCharacter)
    assert not body_cell.charFormat().font().bold()
    assert table.cellAt(2, 1).firstCursorPosition().block().text() == "Device model, logs"
    assert table.cellAt(3, 1).firstCursorPosition().block().text() == ""


def test_inline_bold_italic_code_and_links(qapp):
    document = kestrel_document()
    rendered = render_document(document, LIGHT, Typography())
    text = document.text

    def at(word):
        return _char_format_at(rendered, text.index(word))

    assert at("service providers").font().bold()
    assert at("sell it").fontItalic()
    assert (
        "Mono" in " ".join(at("kestrel export").fontFamilies())
        or at("kestrel export").fontFamilies()[0] == "JetBrains Mono"
    )
    link = at("subprocessor page")
    assert link.isAnchor() and link.anchorHref() == "https://kestrel.example/subprocessors"
    assert link.toolTip() == "https://kestrel.example/subprocessors"
    assert not at("We share data").isAnchor()


def test_header_shows_dates_and_provenance_as_such(qapp):
    blocks = [
        RawBlock(kind=BlockKind.HEADING, runs=[Run("Otterline Privacy Policy")], level=1),
        RawBlock(kind=BlockKind.PARAGRAPH, runs=[Run("We run a ferry booking site.")]),
    ]
    metadata = Metadata(
        last_updated="2013-05-01",
        source_url="http://otterline.example/privacy",
        archived_on="2014-11-23",
        extra={"snapshot_url": "https://web.archive.org/web/2014/http://otterline.example/privacy"},
    )
    document = assemble(
        blocks,
        DocumentFormat.MARKDOWN,
        title="Otterline Privacy Policy",
        metadata=metadata,
        title_block=0,
    )
    header = header_for(document)
    assert header.dates == "Last updated 2013-05-01"
    assert (
        header.provenance_text
        == "Archived on 2014-11-23 from http://otterline.example/privacy · archived snapshot"
    )
    assert (
        HeaderLink("http://otterline.example/privacy", "http://otterline.example/privacy")
        in header.provenance
    )
    rendered = render_document(document, DARK, Typography())
    shown = rendered.qdocument.toPlainText().split("\n")
    assert shown[:4] == [
        "Otterline Privacy Policy",
        "Last updated 2013-05-01",
        "Archived on 2014-11-23 from http://otterline.example/privacy · archived snapshot",
        "We run a ferry booking site.",
    ]
    # The provenance is not part of the policy's text, so it is not in the offset map.
    assert (
        rendered.offsets.to_offset(rendered.offsets.to_position(document.blocks[1].start))
        == document.blocks[1].start
    )


def test_a_document_without_a_title_heading_still_shows_its_title(qapp):
    blocks = [RawBlock(kind=BlockKind.PARAGRAPH, runs=[Run("Plain words.")])]
    document = assemble(blocks, DocumentFormat.HTML, title="Page Title")
    rendered = render_document(document, LIGHT, Typography())
    assert rendered.qdocument.toPlainText().split("\n")[:2] == ["Page Title", "Plain words."]
    assert rendered.block_positions[0] == rendered.offsets.to_position(0)


def test_zoom_scales_every_size(qapp):
    assert (
        Typography().zoomed(2).body_size
        > Typography().body_size
        > Typography().zoomed(-2).body_size
    )
    assert Typography().zoomed(100).zoom_index == Typography().zoomed(50).zoom_index


def test_column_stays_a_comfortable_measure():
    narrow = column_margins(500, 8)
    wide = column_margins(2000, 8)
    assert narrow == 28  # small windows keep a minimum margin
    assert 2000 - 2 * wide == 74 * 8  # wide windows grow margins, not lines


def test_items_of_one_list_align_their_text_whatever_their_markers(qapp):
    blocks = [
        RawBlock(kind=BlockKind.LIST_ITEM, runs=[Run("first")], marker="1."),
        RawBlock(kind=BlockKind.LIST_ITEM, runs=[Run("nested")], marker="•", level=1),
        RawBlock(kind=BlockKind.LIST_ITEM, runs=[Run("tenth")], marker="10."),
        RawBlock(kind=BlockKind.LIST_ITEM, runs=[Run("roman")], marker="(viii)"),
    ]
    document = assemble(blocks, DocumentFormat.MARKDOWN)
    rendered = render_document(document, LIGHT, Typography())
    formats = [_block_at(rendered, b.start).blockFormat() for b in document.blocks]
    top = [formats[i] for i in (0, 2, 3)]
    assert len({f.leftMargin() for f in top}) == 1  # one text column for the whole list
    # The nested marker starts where its parent's text starts.
    nested = formats[1]
    assert abs((nested.leftMargin() + nested.textIndent()) - top[0].leftMargin()) < 0.01


def test_code_blocks_sit_in_one_shaded_frame(qapp):
    blocks = [
        RawBlock(kind=BlockKind.PARAGRAPH, runs=[Run("Example:")]),
        RawBlock(kind=BlockKind.CODE, runs=[Run("line one\nline two")]),
        RawBlock(kind=BlockKind.PARAGRAPH, runs=[Run("After.")]),
    ]
    document = assemble(blocks, DocumentFormat.MARKDOWN)
    rendered = render_document(document, DARK, Typography())
    assert rendered.qdocument.toPlainText().split("\n") == [
        "Example:",
        "line one",
        "line two",
        "After.",
    ]
    cursor = QTextCursor(rendered.qdocument)
    cursor.setPosition(rendered.offsets.to_position(document.blocks[1].start))
    frame = cursor.currentFrame()
    assert frame is not rendered.qdocument.rootFrame()
    assert frame.frameFormat().background().color().name() == DARK.code_background


def test_consecutive_quoted_paragraphs_share_one_ruled_cell(qapp):
    blocks = [
        RawBlock(kind=BlockKind.PARAGRAPH, runs=[Run("Before.")]),
        RawBlock(kind=BlockKind.QUOTE, runs=[Run("First quoted.")]),
        RawBlock(kind=BlockKind.QUOTE, runs=[Run("Second quoted.")]),
        RawBlock(kind=BlockKind.PARAGRAPH, runs=[Run("After.")]),
    ]
    document = assemble(blocks, DocumentFormat.MARKDOWN)
    rendered = render_document(document, LIGHT, Typography())
    tables = []
    for block in document.blocks[1:3]:
        cursor = QTextCursor(rendered.qdocument)
        cursor.setPosition(rendered.offsets.to_position(block.start))
        tables.append(cursor.currentTable())
        assert (
            cursor.charFormat().fontItalic() or _char_format_at(rendered, block.start).fontItalic()
        )
    assert tables[0] is not None and tables[0] == tables[1]
    assert tables[0].cellAt(0, 0).format().toTableCellFormat().leftBorder() == 3
    assert rendered.qdocument.toPlainText().split("\n") == [
        "Before.",
        "First quoted.",
        "Second quoted.",
        "After.",
    ]
