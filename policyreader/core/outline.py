"""Derive the section tree from the heading blocks of a document."""

from __future__ import annotations

import re
from collections.abc import Sequence

from policyreader.core.document import Block, BlockKind, Section


def build_sections(
    text: str, blocks: Sequence[Block], skip_block: int | None = None
) -> list[Section]:
    """Nest headings into a tree with levels renumbered 1..n by depth actually used.

    Source levels are often sparse (a page with only h2 and h4): ranking them keeps level 1 the
    top of the outline whatever numbers the source used. ``skip_block`` is the heading shown as
    the document title, which is not a section of its own.
    """
    headings = [
        (index, block)
        for index, block in enumerate(blocks)
        if block.kind is BlockKind.HEADING and index != skip_block
    ]
    ranks = {level: rank for rank, level in enumerate(sorted({b.level for _, b in headings}), 1)}
    roots: list[Section] = []
    stack: list[tuple[int, Section]] = []  # (source rank, section)
    for index, block in headings:
        rank = ranks[block.level]
        while stack and stack[-1][0] >= rank:
            stack.pop()[1].end = block.start
        parent = stack[-1][1] if stack else None
        # A jump from rank 1 to rank 3 still nests one step down, so the tree has no gaps.
        section = Section(
            title=outline_label(text[block.start : block.end]),
            level=parent.level + 1 if parent else 1,
            start=block.start,
            end=len(text),
            block_index=index,
        )
        (parent.children if parent else roots).append(section)
        stack.append((rank, section))
    _close(roots, len(text))
    return roots


_ABBREVIATION_END = re.compile(r"\b(?:inc|ltd|co|corp|llc|plc|etc|no|st)\.$", re.I)


def outline_label(heading: str) -> str:
    """A heading as the outline lists it: "Information you provide:" without its colon or stop.

    Abbreviations ("Acme Inc.") and ellipses keep their dots; the text keeps the heading as written.
    """
    label = heading.rstrip()
    if label.endswith(":") or (
        label.endswith(".") and not label.endswith("..") and not _ABBREVIATION_END.search(label)
    ):
        stripped = label[:-1].rstrip()
        return stripped or label
    return label


def _close(sections: list[Section], end: int) -> None:
    """Give each section the end of its next sibling's start, or its parent's end."""
    for position, section in enumerate(sections):
        following = sections[position + 1].start if position + 1 < len(sections) else end
        section.end = min(section.end, following)
        _close(section.children, section.end)
