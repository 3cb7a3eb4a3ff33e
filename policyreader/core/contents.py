"""A policy's own table of contents: the list of lines near the top that repeat its headings."""

from __future__ import annotations

import re

from policyreader.core.document import BlockKind, PolicyDocument

_NUMBERING = re.compile(
    r"^\s*(?:(?:section|article|part)\s+)?(?:[\divxlc]+|[a-z])(?:[.)]\d*)*[.):]?\s+", re.I
)
WORD = re.compile(r"\w+", re.UNICODE)
# Typographic quotes and dashes as plain ones, for comparing words.
QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "})
# An entry is a heading's words, not a sentence; a contents list has at least this many.
_ENTRY_WORDS = 14
_MIN_ENTRIES = 3
# Most entries must name a heading below (one may have been renamed since the list was made).
_MATCHING_SHARE = 0.6


def title_key(title: str) -> str:
    """A heading without its numbering and case: "3. Your Rights" is "your rights"."""
    return " ".join(WORD.findall(_NUMBERING.sub("", title.translate(QUOTES)).casefold()))


def contents_blocks(document: PolicyDocument) -> set[int]:
    """Indices of the blocks that list the headings following them: navigation, not content.

    A run of at least three list items or short lines, most of which name a heading (or link
    to an anchor) further down, is the policy's contents.
    """
    text, blocks = document.text, document.blocks
    # Each heading's last place: a key names a heading after ``p`` when its last start is past p
    # (one lookup per entry, not a set of later headings built per run).
    last_start: dict[str, int] = {}
    for heading in blocks:
        if heading.kind is BlockKind.HEADING:
            key = title_key(text[heading.start : heading.end])
            if key:
                last_start[key] = heading.start
    found: set[int] = set()
    run: list[int] = []
    for index, block in enumerate([*blocks, None]):
        if block is not None and _entry_like(document, index):
            run.append(index)
            continue
        if len(run) >= _MIN_ENTRIES:
            after = blocks[run[-1]].end
            named = [i for i in run if _names_heading(document, i, last_start, after)]
            if len(named) >= max(_MIN_ENTRIES, _MATCHING_SHARE * len(run)):
                # From the first entry naming a heading to the last: a lead-in line stays text.
                found.update(i for i in run if named[0] <= i <= named[-1])
        run = []
    return found


def _entry_like(document: PolicyDocument, index: int) -> bool:
    block = document.blocks[index]
    if block.kind not in (BlockKind.LIST_ITEM, BlockKind.PARAGRAPH):
        return False
    words = document.text[block.start : block.end].split()
    return 0 < len(words) <= _ENTRY_WORDS


def _names_heading(
    document: PolicyDocument, index: int, last_start: dict[str, int], after: int
) -> bool:
    block = document.blocks[index]
    if any(inline.href and inline.href.startswith("#") for inline in block.inlines):
        return True
    return last_start.get(title_key(document.text[block.start : block.end]), -1) >= after
