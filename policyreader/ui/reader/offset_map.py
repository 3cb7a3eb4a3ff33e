"""Translate document text offsets to QTextDocument positions and back (pure, no Qt)."""

# The rendered QTextDocument is not ``document.text`` position for position: list markers are drawn
# as text that is not part of the policy, tables add cell boundaries, and Qt counts UTF-16 code
# units where Python counts code points. The renderer records, for every piece of policy text it
# writes, where that piece landed; this module answers both directions with a bisect over those
# segments.

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# Characters outside the Basic Multilingual Plane take two UTF-16 units in a QTextDocument.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class Segment:
    """``text[text_start:text_end]`` is shown at positions ``pos_start:pos_end``.

    Either both spans have the same length (a linear stretch) or the segment is one astral
    character, one code point that Qt stores as two UTF-16 units.
    """

    text_start: int
    text_end: int
    pos_start: int
    pos_end: int

    @property
    def linear(self) -> bool:
        return self.text_end - self.text_start == self.pos_end - self.pos_start


class OffsetMap:
    """Both directions of the text ↔ position mapping.

    Offsets that fall between segments (the block separators of ``document.text``) map to the end
    of the segment before them; positions that fall between segments (list markers, table
    structure) map to the start of the segment after them, i.e. the text they introduce.
    """

    def __init__(self, segments: list[Segment], text_length: int) -> None:
        self.segments = segments
        self.text_length = text_length
        self._text_starts = [s.text_start for s in segments]
        self._pos_starts = [s.pos_start for s in segments]

    def to_position(self, offset: int) -> int:
        if not self.segments:
            return 0
        offset = max(0, min(offset, self.text_length))
        index = max(0, bisect_right(self._text_starts, offset) - 1)
        segment = self.segments[index]
        if offset >= segment.text_end:
            return segment.pos_end
        if segment.linear:
            return segment.pos_start + max(0, offset - segment.text_start)
        return segment.pos_start

    def to_offset(self, position: int) -> int:
        if not self.segments:
            return 0
        index = bisect_right(self._pos_starts, position) - 1
        if index < 0:
            return self.segments[0].text_start
        segment = self.segments[index]
        if position <= segment.pos_end:
            if segment.linear:
                return segment.text_start + (position - segment.pos_start)
            return segment.text_end if position >= segment.pos_end else segment.text_start
        if index + 1 < len(self.segments):
            return self.segments[index + 1].text_start
        return segment.text_end

    def to_position_range(self, start: int, end: int) -> tuple[int, int]:
        return self.to_position(start), self.to_position(end)


class OffsetMapBuilder:
    """Collects segments in writing order, merging neighbours that continue each other."""

    def __init__(self) -> None:
        self._segments: list[Segment] = []

    def add(self, text_start: int, text: str, pos_start: int) -> int:
        """Record that ``text`` (starting at ``text_start``) was written at ``pos_start``.

        Returns the position just after it, counting astral characters as two units as Qt does.
        """
        if text.isascii():  # the common case, checked in C
            self._append(text_start, pos_start, len(text))
            return pos_start + len(text)
        position, run_start = pos_start, 0
        for match in _ASTRAL.finditer(text):
            index = match.start()
            linear = index - run_start
            self._append(text_start + run_start, position, linear)
            position += linear
            self._push(Segment(text_start + index, text_start + index + 1, position, position + 2))
            position += 2
            run_start = index + 1
        remaining = len(text) - run_start
        self._append(text_start + run_start, position, remaining)
        return position + remaining

    def _append(self, text_start: int, pos_start: int, length: int) -> None:
        if length <= 0:
            return
        self._push(Segment(text_start, text_start + length, pos_start, pos_start + length))

    def _push(self, segment: Segment) -> None:
        if self._segments:
            last = self._segments[-1]
            if (
                last.linear
                and segment.linear
                and last.text_end == segment.text_start
                and last.pos_end == segment.pos_start
            ):
                self._segments[-1] = Segment(
                    last.text_start, segment.text_end, last.pos_start, segment.pos_end
                )
                return
        self._segments.append(segment)

    def add_empty(self, text_start: int, pos_start: int) -> None:
        """An empty table cell still anchors its offset to where the cell is."""
        self._segments.append(Segment(text_start, text_start, pos_start, pos_start))

    def build(self, text_length: int) -> OffsetMap:
        return OffsetMap(list(self._segments), text_length)
