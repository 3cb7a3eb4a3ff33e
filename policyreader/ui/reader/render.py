"""Build the QTextDocument the reader shows straight from a PolicyDocument's blocks."""

# The source (Markdown, HTML) is never rendered as HTML: every block is written with a QTextCursor
# in one edit block, so nothing in a policy can fetch, run or style anything, and every piece of
# policy text is recorded in an OffsetMap on the way.

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFrameFormat,
    QTextLength,
    QTextOption,
    QTextTableCellFormat,
    QTextTableFormat,
)

from policyreader.core.document import Block, BlockKind, Inline, PolicyDocument
from policyreader.core.errors import LoadProblem, PolicyLoadError
from policyreader.ui.common.plain_text import plain_tip
from policyreader.ui.common.theme import Theme
from policyreader.ui.reader.header import HeaderContent, HeaderLink, header_for
from policyreader.ui.reader.offset_map import OffsetMap, OffsetMapBuilder
from policyreader.ui.reader.pages import Page
from policyreader.ui.reader.typography import (
    BODY_FAMILIES,
    COLUMN_CHARACTERS,
    HEADING_FAMILIES,
    LINE_HEIGHT_PERCENT,
    MONO_FAMILIES,
    Typography,
)

_PROPORTIONAL = QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
# Qt's line breaking is quadratic in the length of a run with no break opportunity (a 200 KB
# "word" took 84 s), so the rendered text gets a zero-width space every BREAK_EVERY characters of
# such a run. Only the QTextDocument has them: the offset map skips them, document.text has none.
BREAK_EVERY = 48
ZERO_WIDTH_SPACE = "\u200b"
_UNBROKEN = re.compile(rf"[^\s\u200b]{{{BREAK_EVERY + 1},}}")
# Qt lays out a whole paragraph at once (1 MB of one paragraph: 3 s on the GUI thread); past this
# many characters, at a break, a paragraph goes on in a new block with no margin between, so the
# layout pump can lay it out in slices. Like the zero-width spaces, the splits have no offsets.
MAX_BLOCK_CHARS = 4096
_SPACE = re.compile(r"\s")
# Qt's text layout ends at 2**23 px: every block past that height is placed at the top, over the
# others, and painting highlights over such a layout crashed the window (19 MB of short blocks).
# A text estimated taller than this share of it (room for a narrower column) is not laid out.
MAX_LAYOUT_PX = 0.8 * 2**23
# Point sizes become pixels at 96 dpi in a QTextDocument; margins are written in pixels.
_PX_PER_PT = 96 / 72


@dataclass(slots=True)
class RenderedDocument:
    """The QTextDocument plus what it takes to find policy text in it."""

    qdocument: QTextDocument
    offsets: OffsetMap
    # Position where the text of each ``document.blocks[i]`` starts (after any list marker).
    block_positions: list[int]
    # What it was written with: a text prepared ahead is used only if these still hold.
    theme: Theme | None = None
    typography: Typography | None = None
    # The part of a long policy it holds (None: all of it).
    page: Page | None = None


def font(families: Sequence[str], point_size: float, bold: bool = False) -> QFont:
    chosen = QFont()
    chosen.setFamilies(list(families))
    chosen.setPointSizeF(point_size)
    chosen.setBold(bold)
    chosen.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return chosen


def average_char_width(typography: Typography) -> float:
    """The mean advance of running English text in the body font, for the column width."""
    sample = "the quick brown fox jumps over a lazy dog, and we collect your data "
    metrics = QFontMetricsF(font(BODY_FAMILIES, typography.body_size))
    return metrics.horizontalAdvance(sample) / len(sample)


class _Styles:
    """Block and character formats for one theme and zoom step."""

    def __init__(self, theme: Theme, typography: Typography) -> None:
        self.theme = theme
        self.typography = typography
        size = typography.body_size
        self.em = size * _PX_PER_PT
        self.body_font = font(BODY_FAMILIES, size)
        self.body = QTextCharFormat()
        self.body.setFont(self.body_font)
        self.body.setForeground(QColor(theme.text))
        self.marker = QTextCharFormat(self.body)
        self.marker.setForeground(QColor(theme.marker))
        self.quote = QTextCharFormat(self.body)
        self.quote.setForeground(QColor(theme.quote))
        self.quote.setFontItalic(True)
        self.code = QTextCharFormat()
        self.code.setFont(font(MONO_FAMILIES, typography.code_size))
        self.code.setForeground(QColor(theme.text))
        self.marker_metrics = QFontMetricsF(self.body_font)
        # Formats are built once per render and shared: a 1 MB policy has thousands of blocks.
        self._headings: dict[int, QTextCharFormat] = {}
        self._title = self._heading_format(round(size * 1.9, 1), theme.heading)
        self._meta = QTextCharFormat()
        self._meta.setFont(font(HEADING_FAMILIES, round(size * 0.82, 1)))
        self._meta.setForeground(QColor(theme.muted))
        self._paragraph_block = QTextBlockFormat()
        self._paragraph_block.setLineHeight(LINE_HEIGHT_PERCENT, _PROPORTIONAL)
        self._paragraph_block.setBottomMargin(0.55 * self.em)

    def _heading_format(self, point_size: float, colour: str) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFont(font(HEADING_FAMILIES, point_size, bold=True))
        fmt.setForeground(QColor(colour))
        return fmt

    def heading(self, level: int) -> QTextCharFormat:
        if level not in self._headings:
            size = self.typography.heading_size(level)
            self._headings[level] = self._heading_format(size, self.theme.heading)
        return self._headings[level]

    def title(self) -> QTextCharFormat:
        return self._title

    def meta(self) -> QTextCharFormat:
        return self._meta

    def paragraph_block(self) -> QTextBlockFormat:
        return QTextBlockFormat(self._paragraph_block)

    def heading_block(self, level: int, first: bool) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setHeadingLevel(min(level, 6))
        fmt.setLineHeight(120, _PROPORTIONAL)
        fmt.setTopMargin(0 if first else (1.5 if level <= 2 else 1.1) * self.em)
        fmt.setBottomMargin(0.45 * self.em)
        return fmt

    def marker_hang(self, marker: str) -> float:
        """Room for a list marker in the margin: at least 1.6 em, more for "(viii)" or "10."."""
        return max(1.6 * self.em, self.marker_metrics.horizontalAdvance(marker + "  "))

    def list_block(self, left: float, hang: float) -> QTextBlockFormat:
        """A hanging indent: the marker sits in the margin, wrapped lines align with the text."""
        fmt = QTextBlockFormat()
        fmt.setLineHeight(LINE_HEIGHT_PERCENT, _PROPORTIONAL)
        fmt.setLeftMargin(left)
        fmt.setTextIndent(-hang)
        # Tab stops count from where the first line starts, i.e. from the hanging marker.
        fmt.setTabPositions([QTextOption.Tab(hang, QTextOption.TabType.LeftTab)])
        fmt.setBottomMargin(0.3 * self.em)
        return fmt

    def quote_block(self) -> QTextBlockFormat:
        fmt = self.paragraph_block()
        fmt.setBottomMargin(0.3 * self.em)
        return fmt

    def quote_table(self) -> QTextTableFormat:
        """A quotation is a borderless one-cell table whose cell draws a rule down its left."""
        fmt = QTextTableFormat()
        fmt.setBorder(0)
        fmt.setBorderCollapse(True)
        fmt.setCellSpacing(0)
        fmt.setCellPadding(0)
        fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        fmt.setTopMargin(0.2 * self.em)
        fmt.setBottomMargin(0.7 * self.em)
        return fmt

    def quote_cell(self) -> QTextTableCellFormat:
        fmt = QTextTableCellFormat()
        fmt.setLeftBorder(3)
        fmt.setLeftBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        fmt.setLeftBorderBrush(QBrush(QColor(self.theme.marker)))
        fmt.setLeftPadding(1.0 * self.em)
        return fmt

    def code_frame(self) -> QTextFrameFormat:
        """Code sits in one shaded box with padding, not a stripe per line."""
        fmt = QTextFrameFormat()
        fmt.setBackground(QColor(self.theme.code_background))
        fmt.setPadding(0.6 * self.em)
        fmt.setBorder(0)
        fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        fmt.setTopMargin(0.2 * self.em)
        fmt.setBottomMargin(0.9 * self.em)
        return fmt

    def code_block(self) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setLineHeight(118, _PROPORTIONAL)
        return fmt

    def meta_block(self, bottom: float, line_height: int = 135) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setLineHeight(line_height, _PROPORTIONAL)
        fmt.setBottomMargin(bottom * self.em)
        return fmt

    def table(self, header_rows: int) -> QTextTableFormat:
        fmt = QTextTableFormat()
        fmt.setBorder(1)
        fmt.setBorderBrush(QBrush(QColor(self.theme.rule)))
        fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        fmt.setBorderCollapse(True)
        fmt.setCellSpacing(0)
        fmt.setCellPadding(0.4 * self.em)
        fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        fmt.setHeaderRowCount(header_rows)
        fmt.setTopMargin(0.3 * self.em)
        fmt.setBottomMargin(0.9 * self.em)
        return fmt

    def header_cell(self) -> QTextTableCellFormat:
        fmt = QTextTableCellFormat()
        fmt.setBackground(QColor(self.theme.table_header))
        return fmt

    def cell_block(self) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setLineHeight(130, _PROPORTIONAL)
        return fmt

    def inline(self, base: QTextCharFormat, inline: Inline) -> QTextCharFormat:
        fmt = QTextCharFormat(base)
        if inline.bold:
            fmt.setFontWeight(QFont.Weight.Bold)
        if inline.italic:
            fmt.setFontItalic(not base.fontItalic())
        if inline.code:
            fmt.setFontFamilies(list(MONO_FAMILIES))
            fmt.setFontPointSize(base.fontPointSize() * 0.9)
            fmt.setBackground(QColor(self.theme.code_background))
        if inline.href:
            self.make_link(fmt, inline.href)
        return fmt

    def make_link(self, fmt: QTextCharFormat, href: str) -> None:
        fmt.setAnchor(True)
        fmt.setAnchorHref(href)
        fmt.setForeground(QColor(self.theme.link))
        fmt.setFontUnderline(True)
        fmt.setUnderlineColor(QColor(self.theme.link))
        # The target is shown before anyone clicks: a policy's link text can say anything.
        fmt.setToolTip(plain_tip(href))


def estimated_height(
    document: PolicyDocument, typography: Typography, page: Page | None = None
) -> float:
    """About how tall ``document`` (or its ``page``) lays out, in pixels: its lines in the
    column plus block gaps."""
    em = typography.body_size * _PX_PER_PT
    # Wrapping at word ends fills a line to about 80 % of the column (measured on the samples).
    per_line = int(COLUMN_CHARACTERS * 0.8)
    blocks = _blocks_of(document, page)
    lines = sum((block.end - block.start) // per_line + 1 for block in blocks)
    return lines * em * LINE_HEIGHT_PERCENT / 100 + len(blocks) * 0.8 * em


def check_fits(
    document: PolicyDocument, typography: Typography, pages: Sequence[Page] | None = None
) -> None:
    """Raise ``PolicyLoadError`` for a text (or any of its ``pages``) taller than Qt can lay out
    (see ``MAX_LAYOUT_PX``)."""
    for page in pages or (None,):
        height = estimated_height(document, typography, page)
        if height <= MAX_LAYOUT_PX:
            continue
        name = document.path or "This policy"
        blocks = len(_blocks_of(document, page))
        raise PolicyLoadError(
            LoadProblem.TOO_LARGE,
            f"{name} is too long to show in the window at this zoom: {blocks:,} "
            f"paragraphs would be about {height / 1e6:.0f} million pixels tall, more than the "
            f"text view can lay out ({MAX_LAYOUT_PX / 1e6:.1f} million). Zoom out, or read it "
            "whole with: policyreader inspect FILE --json",
            document.path,
        )


def _blocks_of(document: PolicyDocument, page: Page | None) -> Sequence[Block]:
    return document.blocks if page is None else document.blocks[page.first_block : page.end_block]


def render_document(
    document: PolicyDocument, theme: Theme, typography: Typography, page: Page | None = None
) -> RenderedDocument:
    """Write ``document`` (or only its ``page``) into a new QTextDocument; the caller parents
    or deletes it. Offsets stay those of the whole ``document.text``."""
    styles = _Styles(theme, typography)
    qdocument = QTextDocument()
    qdocument.setUndoRedoEnabled(False)
    qdocument.setDefaultFont(styles.body_font)
    qdocument.setDocumentMargin(0)
    writer = _Writer(document, qdocument, styles, page)
    writer.write_all()
    return RenderedDocument(
        qdocument,
        writer.offsets.build(len(document.text)),
        writer.positions,
        theme,
        typography,
        page,
    )


def render_in_worker(
    document: PolicyDocument, theme: Theme, typography: Typography, page: Page | None = None
) -> RenderedDocument:
    """``render_document`` for a worker thread; the result belongs to the GUI thread.

    Writing a long policy takes the GUI thread half a second per megabyte; QTextDocument and
    QTextCursor are reentrant, so the loader's thread writes it and hands it over.
    """
    rendered = render_document(document, theme, typography, page)
    application = QCoreApplication.instance()
    if application is not None:
        rendered.qdocument.moveToThread(application.thread())
    return rendered


class _Writer:
    """Walks the blocks once, writing each with the cursor and recording where its text went."""

    def __init__(
        self,
        document: PolicyDocument,
        qdocument: QTextDocument,
        styles: _Styles,
        page: Page | None = None,
    ) -> None:
        self.document = document
        self.first_block = page.first_block if page is not None else 0
        self.blocks = _blocks_of(document, page)
        self.text = document.text
        self.styles = styles
        self.cursor = QTextCursor(qdocument)
        self.offsets = OffsetMapBuilder()
        self.positions: list[int] = []
        self.levels = {section.start: section.level for section in document.walk_sections()}
        # The document starts with one empty block, and a table leaves one after it: reuse those.
        self.fresh_block = True
        self.previous_kind: BlockKind | None = None
        self.quote_cursor: QTextCursor | None = None
        self.header = header_for(document)
        self.list_geometry = _list_geometry(self.blocks, styles)

    def write_all(self) -> None:
        title_block = self.document.title_block
        self.cursor.beginEditBlock()
        if title_block is None and self.first_block == 0:  # the header heads the first part only
            self._write_header(self.header, with_title=True)
        for index, block in enumerate(self.blocks, self.first_block):
            self.positions.append(self._write_block(block, index == title_block))
            if index == title_block:
                self._write_header(self.header, with_title=False)
        self.cursor.endEditBlock()

    def _new_block(self, block_format: QTextBlockFormat, char_format: QTextCharFormat) -> None:
        if self.fresh_block:
            self.cursor.setBlockFormat(block_format)
            self.cursor.setBlockCharFormat(char_format)
            self.fresh_block = False
        else:
            self.cursor.insertBlock(block_format, char_format)

    def _write_header(self, header: HeaderContent, *, with_title: bool) -> None:
        styles = self.styles
        lines: list[tuple[str | HeaderLink, ...]] = []
        if header.dates:
            lines.append((header.dates,))
        if header.provenance:
            lines.append(header.provenance)
        if with_title and header.title:
            self._new_block(styles.meta_block(0.5 if lines else 1.2, 112), styles.title())
            self.cursor.insertText(header.title, styles.title())
        for number, pieces in enumerate(lines, 1):
            # The last line keeps a wider gap below, so the metadata reads as a header.
            self._new_block(styles.meta_block(1.6 if number == len(lines) else 0.1), styles.meta())
            for piece in pieces:
                if isinstance(piece, HeaderLink):
                    link = QTextCharFormat(styles.meta())
                    styles.make_link(link, piece.href)
                    self.cursor.insertText(piece.text, link)
                else:
                    self.cursor.insertText(piece, styles.meta())

    def _write_block(self, block: Block, is_title: bool) -> int:
        kind = block.kind
        if kind is BlockKind.TABLE:
            position = self._write_table(block)
        elif kind is BlockKind.CODE:
            position = self._write_code(block)
        elif kind is BlockKind.QUOTE:
            position = self._write_quote(block)
        else:
            block_format, base = self._formats(block, is_title)
            if self.previous_kind is BlockKind.LIST_ITEM and kind is not BlockKind.LIST_ITEM:
                # A list ends with the breathing room a paragraph has, not a list item's.
                block_format.setTopMargin(max(block_format.topMargin(), 0.7 * self.styles.em))
            self._new_block(block_format, base)
            if kind is BlockKind.LIST_ITEM:
                self.cursor.insertText(block.marker or "•", self.styles.marker)
                self.cursor.insertText("\t", self.styles.marker)
            position = self.cursor.position()
            self._write_span(block.start, block.end, block.inlines, base)
        self.previous_kind = kind
        return position

    def _formats(self, block: Block, is_title: bool) -> tuple[QTextBlockFormat, QTextCharFormat]:
        styles = self.styles
        kind = block.kind
        if is_title:
            has_meta = bool(self.header.dates or self.header.provenance)
            return styles.meta_block(0.5 if has_meta else 1.2, 112), styles.title()
        if kind is BlockKind.HEADING:
            level = self._outline_level(block)
            return styles.heading_block(level, not self.positions), styles.heading(level)
        if kind is BlockKind.LIST_ITEM:
            return styles.list_block(*self.list_geometry[block.start]), styles.body
        return styles.paragraph_block(), styles.body

    def _outline_level(self, block: Block) -> int:
        """Headings are sized by their level in the outline, not by the source's h-number."""
        return self.levels.get(block.start, min(block.level or 1, 6))

    def _write_span(
        self, start: int, end: int, inlines: Sequence[Inline], base: QTextCharFormat
    ) -> None:
        for piece_start, piece_end, inline in _pieces(start, end, inlines):
            piece = self.text[piece_start:piece_end]
            fmt = base if inline is None else self.styles.inline(base, inline)
            for index, (chunk_start, chunk) in enumerate(breakable_chunks(piece)):
                if index and self.cursor.block().length() > MAX_BLOCK_CHARS:
                    self._continue_in_new_block()
                elif index:
                    self.cursor.insertText(ZERO_WIDTH_SPACE, fmt)
                position = self.cursor.position()
                self.cursor.insertText(chunk, fmt)
                self.offsets.add(piece_start + chunk_start, chunk, position)

    def _continue_in_new_block(self) -> None:
        """End the block here and go on in one that reads as the same paragraph."""
        block_format = self.cursor.blockFormat()
        ended = QTextBlockFormat(block_format)
        ended.setBottomMargin(0)
        self.cursor.setBlockFormat(ended)
        continued = QTextBlockFormat(block_format)
        continued.setTopMargin(0)
        continued.setTextIndent(0)
        self.cursor.insertBlock(continued, self.cursor.charFormat())

    def _write_quote(self, block: Block) -> int:
        """Consecutive quoted paragraphs share one cell, so one rule runs down all of them."""
        styles = self.styles
        if self.previous_kind is BlockKind.QUOTE and self.quote_cursor is not None:
            cursor = self.quote_cursor
            cursor.insertBlock(styles.quote_block(), styles.quote)
        else:
            table = self.cursor.insertTable(1, 1, styles.quote_table())
            cell = table.cellAt(0, 0)
            cell.setFormat(styles.quote_cell())
            cursor = cell.firstCursorPosition()
            cursor.setBlockFormat(styles.quote_block())
            self.cursor.movePosition(QTextCursor.MoveOperation.End)
            self.fresh_block = True
        saved, self.cursor = self.cursor, cursor
        position = self.cursor.position()
        self._write_span(block.start, block.end, block.inlines, styles.quote)
        self.cursor = saved
        self.quote_cursor = cursor
        return position

    def _write_code(self, block: Block) -> int:
        styles = self.styles
        # A frame (like a table) inserted at the end of a block follows it; no empty block between.
        frame = self.cursor.insertFrame(styles.code_frame())
        cursor = frame.firstCursorPosition()
        cursor.setBlockFormat(styles.code_block())
        saved, self.cursor = self.cursor, cursor
        position = self.cursor.position()
        self._write_span(block.start, block.end, block.inlines, styles.code)
        self.cursor = saved
        self.cursor.movePosition(QTextCursor.MoveOperation.End)
        self.fresh_block = True
        return position

    def _write_table(self, block: Block) -> int:
        styles = self.styles
        rows = len(block.cells)
        columns = max((len(row) for row in block.cells), default=0)
        if not rows or not columns:
            return self.cursor.position()
        table = self.cursor.insertTable(rows, columns, styles.table(block.header_rows))
        first_position = table.cellAt(0, 0).firstCursorPosition().position()
        for row_index, row in enumerate(block.cells):
            header = row_index < block.header_rows
            base = QTextCharFormat(styles.body)
            if header:
                base.setFontWeight(QFont.Weight.Bold)
            for column, (cell_start, cell_end) in enumerate(row):
                cell = table.cellAt(row_index, column)
                if header:
                    cell.setFormat(styles.header_cell())
                cell_cursor = cell.firstCursorPosition()
                cell_cursor.setBlockFormat(styles.cell_block())
                if cell_start == cell_end:
                    self.offsets.add_empty(cell_start, cell_cursor.position())
                    continue
                saved, self.cursor = self.cursor, cell_cursor
                self._write_span(cell_start, cell_end, block.inlines, base)
                self.cursor = saved
        self.cursor.movePosition(QTextCursor.MoveOperation.End)
        self.fresh_block = True
        return first_position


def breakable_chunks(piece: str) -> list[tuple[int, str]]:
    """``piece`` as ``(offset, chunk)`` pieces, cut every ``BREAK_EVERY`` characters of a long run.

    Ordinary text comes back whole; a zero-width space goes between the chunks when written.
    """
    cuts = [
        cut
        for run in _UNBROKEN.finditer(piece)
        for cut in range(run.start() + BREAK_EVERY, run.end(), BREAK_EVERY)
    ]
    if len(piece) > MAX_BLOCK_CHARS:  # a long paragraph may go on in a new block after a space
        cuts = sorted({*cuts, *_space_cuts(piece)})
    if not cuts:
        return [(0, piece)]
    bounds = [0, *cuts, len(piece)]
    return [(a, piece[a:b]) for a, b in pairwise(bounds)]


def _space_cuts(piece: str) -> list[int]:
    """Just after the first whitespace past every ``MAX_BLOCK_CHARS`` characters of ``piece``."""
    cuts = []
    position = MAX_BLOCK_CHARS
    while position < len(piece):
        space = _SPACE.search(piece, position)
        if space is None:
            break
        cuts.append(space.end())
        position = space.end() + MAX_BLOCK_CHARS
    return [cut for cut in cuts if cut < len(piece)]


def _list_geometry(blocks: Sequence[Block], styles: _Styles) -> dict[int, tuple[float, float]]:
    """``(left margin, hang)`` per list item (keyed by its start), aligned across each list.

    Items of one run of list items share one marker column per depth, wide enough for the
    widest marker at that depth, and a nested marker starts where its parent's text starts.
    """
    geometry: dict[int, tuple[float, float]] = {}
    run: list[Block] = []
    for block in [*blocks, None]:
        if block is not None and block.kind is BlockKind.LIST_ITEM:
            run.append(block)
            continue
        if run:
            hangs: dict[int, float] = {}
            for item in run:
                hang = styles.marker_hang(item.marker or "•")
                hangs[item.level] = max(hangs.get(item.level, 0.0), hang)
            for item in run:
                before = sum(hangs.get(depth, 1.6 * styles.em) for depth in range(item.level))
                hang = hangs[item.level]
                geometry[item.start] = (0.4 * styles.em + before + hang, hang)
            run = []
    return geometry


def _pieces(
    start: int, end: int, inlines: Sequence[Inline]
) -> Iterator[tuple[int, int, Inline | None]]:
    """Split ``[start, end)`` into plain stretches and the styled inlines inside it, in order."""
    position = start
    for inline in inlines:
        if inline.end <= start or inline.start >= end:
            continue
        inline_start, inline_end = max(inline.start, start), min(inline.end, end)
        if inline_start > position:
            yield position, inline_start, None
        if inline_end > max(inline_start, position):
            yield max(inline_start, position), inline_end, inline
        position = max(position, inline_end)
    if position < end:
        yield position, end, None
