"""Sentence spans and passages of a document: the units practices are detected in and highlighted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from policyreader.core.contents import contents_blocks
from policyreader.core.document import Block, BlockKind, PolicyDocument

# A sentence longer than this is cut: it bounds the work any one span costs, so input with no
# sentence ends at all (a 1 MB run of one word) still takes linear time.
MAX_SENTENCE = 1200
# Long blocks are scored in passages of about this size, close to the paragraph-length segments
# the model was trained on; a passage is always made of whole sentences of one block.
PASSAGE_CHARS = 700
# A short block without closing punctuation that stands before a longer block reads as a heading.
HEADING_LIKE_CHARS = 90
# How much of a lead-in sentence ("We use the information we collect to:") its list items carry.
LEAD_IN_CHARS = 300

# Sentence end: ., ! or ? (optionally followed by closing quotes or brackets) then whitespace and
# something that can start a sentence; a line break (table rows, plain-text lines) also ends one.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9•*\-–])|\n+")
# The same boundaries found faster: starting at the full stop lets the regex engine skip to the
# next candidate character instead of trying a look-behind at every position. The group is the
# boundary (what ``_BOUNDARY`` matches); a line break has no group.
_FAST_BOUNDARY = re.compile(r"[.!?]([\"'”’)\]]*\s+)(?=[\"'“‘(\[]?[A-Z0-9•*\-–])|\n+")
_ENDS = frozenset(".!?")
# Words that end with a full stop without ending a sentence.
_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "inc",
        "co",
        "ltd",
        "corp",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "vs",
        "jr",
        "sr",
        "u.s",
        "u.k",
        "a.m",
        "p.m",
        "approx",
        "dept",
        "fig",
        "e.u",
        "u.s.a",
        "n.a",
        "esq",
        "llc",
        "l.l.c",
        "pty",
    ]
)
_LAST_WORD = re.compile(r"([\w.]+)\W*$")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as offsets into the document text; never crosses a block boundary."""

    start: int
    end: int
    block: int


@dataclass(frozen=True, slots=True)
class Passage:
    """Consecutive sentences of one block, scored together.

    ``context`` is the heading above them; ``lead_in`` is the sentence that introduces the list
    the passage belongs to ("We use your information to:"), or "" when it is not in such a list.
    A list item such as "Responding to your requests;" states a practice only through its lead-in.
    """

    sentences: tuple[Sentence, ...]
    block: int
    context: str
    lead_in: str = ""

    @property
    def start(self) -> int:
        return self.sentences[0].start

    @property
    def end(self) -> int:
        return self.sentences[-1].end


def lower_text(text: str) -> str:
    """``text`` lower-cased without changing its length, so offsets into it still hold."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters (e.g. "İ") grow when lower-cased; those are kept as they are.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def split_sentences(text: str, start: int, end: int, block: int = 0) -> list[Sentence]:
    """The sentences of ``text[start:end]``, trimmed of surrounding whitespace, none empty."""
    sentences: list[Sentence] = []
    piece_start = start
    if start and text[start - 1] in _ENDS:
        # ``_BOUNDARY`` looks behind ``start``; the fast form cannot, so it is not used here.
        for match in _BOUNDARY.finditer(text, start, end):
            line = match.group().startswith("\n")
            if line or not _is_abbreviation(text, piece_start, match.start()):
                _append_trimmed(sentences, text, piece_start, match.start(), block)
                piece_start = match.end()
    else:
        for match in _FAST_BOUNDARY.finditer(text, start, end):
            cut = match.start(1)
            if cut < 0:  # a line break
                cut = match.start()
            elif text[cut] != "\n" and _is_abbreviation(text, piece_start, cut):
                # A boundary that begins with a line break ends the sentence whatever precedes.
                continue
            _append_trimmed(sentences, text, piece_start, cut, block)
            piece_start = match.end()
    _append_trimmed(sentences, text, piece_start, end, block)
    return sentences


def _is_abbreviation(text: str, start: int, end: int) -> bool:
    # Only the last few characters matter; looking further would make long sentences quadratic.
    tail = _LAST_WORD.search(text, max(start, end - 12), end)
    if tail is None:
        return False
    word = tail.group(1).lower().rstrip(".")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _append_trimmed(out: list[Sentence], text: str, start: int, end: int, block: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = _cut_point(text, start, start + MAX_SENTENCE)
        out.append(Sentence(start, cut, block))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append(Sentence(start, end, block))


def _cut_point(text: str, start: int, limit: int) -> int:
    """Where to cut an over-long sentence: the last whitespace in its second half, else ``limit``."""
    floor = start + MAX_SENTENCE // 2
    for index in range(limit - 1, floor, -1):
        if text[index].isspace():
            return index
    return limit


def is_heading_like(document: PolicyDocument, index: int) -> bool:
    """Headings, and short unpunctuated paragraphs that the next block follows like a heading."""
    block = document.blocks[index]
    if block.kind is BlockKind.HEADING:
        return True
    if block.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM):
        return False
    text = document.text[block.start : block.end]
    if len(text) > HEADING_LIKE_CHARS or text[-1:] in '.,;:!)"”' or len(text.split()) > 12:
        return False
    if index + 1 >= len(document.blocks):
        return False
    following = document.blocks[index + 1]
    return following.kind is not BlockKind.HEADING and following.end - following.start > len(text)


def passages(document: PolicyDocument) -> Iterator[Passage]:
    """Every passage of the document in order, with the heading above it and its list's lead-in."""
    context = ""
    lead_in = ""
    text = document.text
    contents = contents_blocks(document)  # the policy's own table of contents states nothing
    for index, block in enumerate(document.blocks):
        if index in contents:
            continue
        in_list = block.kind is BlockKind.LIST_ITEM
        # A short item of an introduced list ("- standard server log information; and") is an
        # item, not a heading, however much it looks like one.
        if not (in_list and lead_in) and is_heading_like(document, index):
            context = text[block.start : block.end][: HEADING_LIKE_CHARS * 2]
            lead_in = ""
            continue
        if block.kind is BlockKind.CODE:
            continue
        if not in_list and not _follows_lead_in(document, index):
            lead_in = ""
        last: Sentence | None = None
        for passage in _block_passages(text, block, index, context, lead_in):
            last = passage.sentences[-1]
            yield passage
        if last is not None and text[last.end - 1 : last.end] == ":":
            lead_in = text[max(last.start, last.end - LEAD_IN_CHARS) : last.end]
        elif not in_list:
            lead_in = ""


def _follows_lead_in(document: PolicyDocument, index: int) -> bool:
    """Whether the block right before ``index`` ends with a colon (a list without bullets)."""
    if index == 0:
        return False
    previous = document.blocks[index - 1]
    return document.text[previous.end - 1 : previous.end] == ":"


def _block_passages(
    text: str, block: Block, index: int, context: str, lead_in: str = ""
) -> Iterator[Passage]:
    group: list[Sentence] = []
    size = 0
    for sentence in split_sentences(text, block.start, block.end, index):
        length = sentence.end - sentence.start
        if group and size + length > PASSAGE_CHARS:
            yield Passage(tuple(group), index, context, lead_in)
            group, size = [], 0
        group.append(sentence)
        size += length
    if group:
        yield Passage(tuple(group), index, context, lead_in)
