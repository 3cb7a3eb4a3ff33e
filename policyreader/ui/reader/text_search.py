"""Find in a policy's text (pure): every match as offsets, stepping through them, the count label."""

from __future__ import annotations

import re
from bisect import bisect_left

from policyreader.core.builder import compatible

# Policies mix straight and typographic quotes; a reader typing either should find both.
_EQUIVALENTS = {
    "'": "['‘’ʼ]",
    "‘": "['‘’ʼ]",
    "’": "['‘’ʼ]",
    '"': '["“”]',
    "“": '["“”]',
    "”": '["“”]',
}
# Any dash matches any other: a reader types "-" for the "–" a policy prints, and the reverse.
_EQUIVALENTS |= dict.fromkeys("-‐‑‒–—―−", "[-‐‑‒–—―−]") | {"ʼ": "['‘’ʼ]"}
_MAX_MATCHES = 10_000


def search_pattern(query: str, *, case_sensitive: bool = False) -> re.Pattern[str] | None:
    """A regex for ``query`` where any run of spaces matches any whitespace; None if empty."""
    # The text has ligatures spelt out (see core.builder.compatible); so has the query.
    words = compatible(query).split()
    if not words:
        return None
    parts = []
    for word in words:
        parts.append("".join(_EQUIVALENTS.get(char, re.escape(char)) for char in word))
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(r"\s+".join(parts), flags)


def find_all(text: str, query: str, *, case_sensitive: bool = False) -> list[tuple[int, int]]:
    """Every non-overlapping match of ``query`` in ``text`` as ``(start, end)`` offsets."""
    pattern = search_pattern(query, case_sensitive=case_sensitive)
    if pattern is None:
        return []
    matches = []
    for match in pattern.finditer(text):
        matches.append((match.start(), match.end()))
        if len(matches) >= _MAX_MATCHES:
            break
    return matches


def first_match_from(matches: list[tuple[int, int]], offset: int) -> int | None:
    """The first match starting at or after ``offset``, wrapping to the first one."""
    if not matches:
        return None
    index = bisect_left(matches, (offset, -1))
    return index if index < len(matches) else 0


def step(index: int | None, count: int, forward: bool) -> int | None:
    """The next (or previous) match, wrapping around both ends."""
    if count == 0:
        return None
    if index is None:
        return 0 if forward else count - 1
    return (index + (1 if forward else -1)) % count


def match_label(index: int | None, count: int, query: str) -> str:
    if not query.strip():
        return ""
    if count == 0:
        return "No matches"
    more = "+" if count >= _MAX_MATCHES else ""
    position = (index + 1) if index is not None else 0
    return f"{position} of {count}{more}"
