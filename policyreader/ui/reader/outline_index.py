"""The outline as a flat, ordered list: which entry holds an offset, which entries match a filter."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from policyreader.core.document import Section


@dataclass(frozen=True, slots=True)
class OutlineEntry:
    title: str
    level: int
    start: int
    end: int
    parent: int | None  # index of the parent entry


class OutlineIndex:
    """Sections in reading order with their parents, for lookups without walking the tree."""

    def __init__(self, sections: list[Section]) -> None:
        self.entries: list[OutlineEntry] = []
        for section in sections:
            self._add(section, None)
        self._starts = [entry.start for entry in self.entries]

    def _add(self, section: Section, parent: int | None) -> None:
        index = len(self.entries)
        self.entries.append(
            OutlineEntry(section.title, section.level, section.start, section.end, parent)
        )
        for child in section.children:
            self._add(child, index)

    def __len__(self) -> int:
        return len(self.entries)

    def entry_at(self, offset: int) -> int | None:
        """The innermost section whose heading starts at or before ``offset``.

        Text before the first heading belongs to no section.
        """
        index = bisect_right(self._starts, offset) - 1
        return index if index >= 0 else None

    def ancestors(self, index: int) -> list[int]:
        chain = []
        parent = self.entries[index].parent
        while parent is not None:
            chain.append(parent)
            parent = self.entries[parent].parent
        return chain

    def filter(self, query: str) -> tuple[set[int], set[int]]:
        """Entries whose title contains every word of ``query``, and those to show for them.

        Returns ``(matches, visible)``: ancestors of a match stay visible, so the reader sees
        where a matching subsection sits.
        """
        words = query.casefold().split()
        if not words:
            everything = set(range(len(self.entries)))
            return everything, everything
        matches = {
            index
            for index, entry in enumerate(self.entries)
            if all(word in entry.title.casefold() for word in words)
        }
        visible = set(matches)
        for index in matches:
            visible.update(self.ancestors(index))
        return matches, visible
