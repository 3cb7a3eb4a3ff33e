"""A policy too long for one QTextDocument is shown a part at a time: runs of whole blocks (pure)."""

# Qt's text layout ends at 2**23 px (about 9 MB of text), and laying out and painting a long text
# grows with it, so past PAGE_CHARS the reader shows one part of about that many characters.
# A part is a range of whole blocks; everything else keeps using offsets into ``document.text``.

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from policyreader.core.document import Block, BlockKind, PolicyDocument

PAGE_CHARS = 1_500_000
# Many short blocks lay out tall though short as text: a part holds at most this many.
PAGE_BLOCKS = 30_000
# A part ends before a heading when one starts in its last this share, else at the size.
_HEADING_WINDOW = 0.3


@dataclass(frozen=True, slots=True)
class Page:
    """``document.blocks[first_block:end_block]``, holding the offsets ``[start, end)``.

    The first part starts at 0 and the last ends at the text's length, so every offset (the
    separators between blocks too) is in exactly one part.
    """

    first_block: int
    end_block: int
    start: int
    end: int

    def holds(self, offset: int) -> bool:
        return self.start <= offset < self.end

    def overlaps(self, start: int, end: int) -> bool:
        return (start < self.end and end > self.start) or (start == end and self.holds(start))


def split_pages(
    document: PolicyDocument, page_chars: int | None = None, page_blocks: int | None = None
) -> list[Page]:
    """The parts of ``document``: one for a text of up to ``page_chars`` characters and
    ``page_blocks`` blocks (by default ``PAGE_CHARS`` and ``PAGE_BLOCKS``)."""
    limit = PAGE_CHARS if page_chars is None else page_chars
    most_blocks = PAGE_BLOCKS if page_blocks is None else page_blocks
    blocks, length = document.blocks, len(document.text)
    if (length <= limit and len(blocks) <= most_blocks) or len(blocks) < 2:
        return [Page(0, len(blocks), 0, max(length, 1))]
    firsts = _first_blocks(blocks, limit, most_blocks)
    starts = [0, *(blocks[index].start for index in firsts[1:])]
    ends = [*starts[1:], length]
    bounds = [*firsts, len(blocks)]
    return [
        Page(bounds[number], bounds[number + 1], starts[number], ends[number])
        for number in range(len(firsts))
    ]


def _first_blocks(blocks: Sequence[Block], limit: int, most_blocks: int) -> list[int]:
    """The index of each part's first block: a part ends before the block that would pass
    ``limit`` characters or ``most_blocks`` blocks, or before a late heading in it so that a
    section is not cut where it begins."""
    firsts = [0]
    last_heading: int | None = None
    for index in range(1, len(blocks)):
        first = firsts[-1]
        block = blocks[index]
        if block.end - blocks[first].start > limit or index - first >= most_blocks:
            late = blocks[first].start + limit * (1 - _HEADING_WINDOW)
            cut = index
            if last_heading is not None and blocks[last_heading].start >= late:
                cut = last_heading
            firsts.append(cut)
            last_heading = None
        if block.kind is BlockKind.HEADING and index > firsts[-1]:
            last_heading = index
    return firsts


def page_of(pages: Sequence[Page], offset: int) -> int:
    """The index of the part holding ``offset`` (offsets past the end are in the last)."""
    return max(0, min(bisect_right([page.start for page in pages], offset) - 1, len(pages) - 1))
