"""Turn the blocks a format reader found into a PolicyDocument with one text and exact offsets."""

# Every reader (Markdown, plain text, HTML, PDF) emits ``RawBlock``s made of ``Run``s; this module
# is the single place where whitespace is normalised, blocks are joined and offsets are computed, so
# that all formats share one notion of "the text the reader shows".

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from policyreader.core.document import (
    Block,
    BlockKind,
    DocumentFormat,
    Inline,
    Metadata,
    PolicyDocument,
)
from policyreader.core.outline import build_sections

BLOCK_SEPARATOR = "\n\n"
CELL_SEPARATOR = "\t"
ROW_SEPARATOR = "\n"

_WHITESPACE = re.compile(r"\s+")
# Zero-width and control characters that render as nothing but break search and offsets.
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Compatibility characters that show as plain letters or spaces (PDF ligatures "ﬁ", no-break
# and narrow spaces) become those letters and spaces (their NFKC form), so that find, the
# detector and titles see the word on screen; other characters (™, ½, ²) stay as written.
_COMPATIBLE = {
    ord(char): unicodedata.normalize("NFKC", char)
    for char in (*map(chr, range(0xFB00, 0xFB07)), *map(chr, range(0xFB13, 0xFB18)))
} | {ord(space): " " for space in "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2009\u200a"}


# Finds whether there is anything to translate: a scan in C, where translate looks up each character.
_HAS_COMPATIBLE = re.compile("[" + "".join(map(chr, _COMPATIBLE)) + "]")
# A word character is never dropped or blanked by ``compatible``: the block shows something.
_WORD_CHAR = re.compile(r"\w")


def compatible(text: str) -> str:
    """``text`` with ligatures spelt out, invisible characters dropped, odd spaces plain."""
    text = _INVISIBLE.sub("", text)
    if text.isascii() or not _HAS_COMPATIBLE.search(text):
        return text
    return text.translate(_COMPATIBLE)


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of inline text with one style."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None

    @property
    def styled(self) -> bool:
        return self.bold or self.italic or self.code or self.href is not None

    def __reduce__(self) -> tuple[type[Run], tuple[str, bool, bool, bool, str | None]]:
        # Rebuilt by a call: the frozen dataclass's own unpickling sets fields one by one in
        # Python, and long Markdown sends hundreds of thousands of runs from parsing processes.
        return Run, (self.text, self.bold, self.italic, self.code, self.href)


@dataclass(slots=True)
class RawBlock:
    """A block as a reader found it, before offsets exist."""

    kind: BlockKind
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    marker: str = ""
    # Tables: rows of cells, each cell a list of runs.
    rows: list[list[list[Run]]] = field(default_factory=list)
    header_rows: int = 0

    @property
    def plain(self) -> str:
        """The block's text with whitespace collapsed, as it will appear in the document."""
        if self.kind is BlockKind.TABLE:
            return ROW_SEPARATOR.join(
                CELL_SEPARATOR.join(_normalise("".join(r.text for r in cell)) for cell in row)
                for row in self.rows
            )
        if self.kind is BlockKind.CODE:
            return compatible("".join(r.text for r in self.runs)).strip("\n")
        return _normalise("".join(r.text for r in self.runs))

    @property
    def is_empty(self) -> bool:
        if self.kind is BlockKind.TABLE:
            return not any(_has_text(cell) for row in self.rows for cell in row)
        return not _has_text(self.runs)

    @property
    def only_bold(self) -> bool:
        """True when every visible character is bold: a paragraph that acts as a heading."""
        visible = [r for r in self.runs if r.text.strip()]
        return bool(visible) and all(r.bold for r in visible)


def text_block(kind: BlockKind, text: str, level: int = 0, marker: str = "") -> RawBlock:
    return RawBlock(kind=kind, runs=[Run(text)], level=level, marker=marker)


def _has_text(runs: Iterable[Run]) -> bool:
    """Whether any run shows a character; stops at the first that does (cheap on long blocks)."""
    return any(
        _WORD_CHAR.search(run.text) or (run.text.strip() and compatible(run.text).strip())
        for run in runs
    )


def drop_empty(raw_blocks: Iterable[RawBlock]) -> list[RawBlock]:
    return [raw for raw in raw_blocks if not raw.is_empty]


def _normalise(text: str) -> str:
    return _WHITESPACE.sub(" ", compatible(text)).strip()


class _TextWriter:
    """Accumulates the document text and the inline styles with their offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.inlines: list[Inline] = []

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def write_runs(self, runs: Iterable[Run]) -> None:
        """Write runs with whitespace collapsed across run boundaries and trimmed at both ends."""
        pending_space = False
        wrote_any = False
        for run in runs:
            text = compatible(run.text)
            starts_with_space = text[:1].isspace()
            ends_with_space = text[-1:].isspace()
            words = " ".join(text.split())
            if not words:
                pending_space = pending_space or bool(text)
                continue
            if wrote_any and (pending_space or starts_with_space):
                self.write(" ")
            start = self.length
            self.write(words)
            if run.styled:
                self.inlines.append(
                    Inline(start, self.length, run.bold, run.italic, run.code, run.href)
                )
            wrote_any = True
            pending_space = ends_with_space

    def write_code(self, runs: Sequence[Run]) -> None:
        self.write(compatible("".join(r.text for r in runs)).strip("\n"))

    @property
    def text(self) -> str:
        return "".join(self.parts)


def assemble(
    raw_blocks: Iterable[RawBlock],
    fmt: DocumentFormat,
    *,
    title: str | None = None,
    metadata: Metadata | None = None,
    path: str | None = None,
    title_block: int | None = None,
) -> PolicyDocument:
    """Join blocks into one text with offsets and derive the section tree from the headings.

    Empty blocks are dropped; ``title_block`` indexes the blocks that remain (see ``drop_empty``).
    """
    writer = _TextWriter()
    blocks: list[Block] = []
    for raw in drop_empty(raw_blocks):
        if blocks:
            writer.write(BLOCK_SEPARATOR)
        start = writer.length
        inline_mark = len(writer.inlines)
        cells: list[tuple[tuple[int, int], ...]] = []
        if raw.kind is BlockKind.TABLE:
            for row_index, row in enumerate(raw.rows):
                if row_index:
                    writer.write(ROW_SEPARATOR)
                row_cells = []
                for cell_index, cell in enumerate(row):
                    if cell_index:
                        writer.write(CELL_SEPARATOR)
                    cell_start = writer.length
                    writer.write_runs(cell)
                    row_cells.append((cell_start, writer.length))
                cells.append(tuple(row_cells))
        elif raw.kind is BlockKind.CODE:
            writer.write_code(raw.runs)
        else:
            writer.write_runs(raw.runs)
        blocks.append(
            Block(
                kind=raw.kind,
                start=start,
                end=writer.length,
                level=raw.level,
                marker=raw.marker,
                inlines=tuple(writer.inlines[inline_mark:]),
                cells=tuple(cells),
                header_rows=raw.header_rows,
            )
        )
    text = writer.text
    sections = build_sections(text, blocks, skip_block=title_block)
    return PolicyDocument(
        text=text,
        blocks=blocks,
        sections=sections,
        format=fmt,
        title=title,
        metadata=metadata or Metadata(),
        path=path,
        title_block=title_block,
    )


@dataclass(slots=True)
class SourceParse:
    """What a format reader hands on: its blocks plus any title or fields the source declared.

    ``fields`` holds front matter keys or HTML ``<meta>`` names (lower-cased) with string values;
    ``title_hint`` is a declared title (front matter ``title``, HTML ``<title>``) if any.
    """

    blocks: list[RawBlock]
    title_hint: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    # A text file as saved (not a stored version's text): it names itself and dates itself in its
    # own lines, so a missing title falls back to its company or file, and header dates are moved.
    from_text_file: bool = False
    # Date lines at the top ("Last update: February 9, 2012") go to the header, not the text: set
    # for every file as saved, and for rebuilt stored text when the version it is compared with did.
    drop_header_dates: bool = False
