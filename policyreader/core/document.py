"""The one document model every loader produces: plain text with offsets, blocks, sections, metadata."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class DocumentFormat(StrEnum):
    MARKDOWN = "markdown"
    TEXT = "text"
    HTML = "html"
    PDF = "pdf"


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE = "table"
    QUOTE = "quote"
    CODE = "code"


@dataclass(frozen=True, slots=True)
class Inline:
    """A styled run inside a block, as offsets into the document text."""

    start: int
    end: int
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """One visible unit of the document; ``text[start:end]`` is what it shows.

    ``level`` is the heading level (1 = top) for headings and the nesting depth (0 = top) for list
    items. ``marker`` is the list bullet or number as the source wrote it; it is not part of the
    text, so offsets stay the same however the UI draws it. For tables, ``cells`` holds per row the
    ``(start, end)`` of each cell; cells are joined by a tab and rows by a newline in the text.
    """

    kind: BlockKind
    start: int
    end: int
    level: int = 0
    marker: str = ""
    inlines: tuple[Inline, ...] = ()
    cells: tuple[tuple[tuple[int, int], ...], ...] = ()
    header_rows: int = 0


@dataclass(slots=True)
class Section:
    """A heading and everything up to the next heading of the same or a higher level."""

    title: str
    level: int
    start: int
    end: int
    block_index: int
    children: list[Section] = field(default_factory=list)

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(slots=True)
class Metadata:
    effective_date: str | None = None
    last_updated: str | None = None
    source_url: str | None = None
    archived_on: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, str | None]:
        return {
            "effective_date": self.effective_date,
            "last_updated": self.last_updated,
            "source_url": self.source_url,
            "archived_on": self.archived_on,
        }


@dataclass(frozen=True, slots=True)
class Original:
    """The bytes a document was read from and how, so that it can be read again the same way.

    ``charset`` and ``format`` are set when a web server declared them (a fetched page is
    decoded as its headers said); a file leaves them unset and is sniffed from its bytes.
    """

    data: bytes = field(repr=False)
    name: str | None = None
    charset: str | None = None
    format: str | None = None


@dataclass(slots=True)
class PolicyDocument:
    """A loaded policy. ``text`` is exactly the plain text the reader shows; all offsets index it."""

    text: str
    blocks: list[Block]
    sections: list[Section]
    format: DocumentFormat
    title: str | None = None
    metadata: Metadata = field(default_factory=Metadata)
    path: str | None = None
    # Index of the heading block used as the document title (shown above the text, not in the outline).
    title_block: int | None = None
    # What it was read from (None for documents rebuilt from text); versions keep it.
    original: Original | None = field(default=None, repr=False, compare=False)

    def walk_sections(self) -> Iterator[Section]:
        for section in self.sections:
            yield from section.walk()

    def outline(self) -> list[dict[str, object]]:
        return [
            {"title": s.title, "level": s.level, "start": s.start} for s in self.walk_sections()
        ]

    def section_at(self, offset: int) -> Section | None:
        """The innermost section containing ``offset``."""
        found = None
        candidates = self.sections
        while candidates:
            match = next((s for s in candidates if s.start <= offset < s.end), None)
            if match is None:
                break
            found = match
            candidates = match.children
        return found

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]
