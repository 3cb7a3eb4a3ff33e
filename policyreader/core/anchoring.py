"""Describe a passage with W3C Web Annotation selectors and find it again after the text changed.

A note keeps a ``TextQuoteSelector`` (the passage with some context) and a
``TextPositionSelector`` (offsets into ``PolicyDocument.text``), as Hypothesis does. Re-anchoring
tries, in order: the quote at its old position (``exact``), the quote elsewhere, chosen by its
context and nearness (``moved``), an approximate match within the passage's section (``fuzzy``,
needs review), and otherwise gives up (``orphaned``) without ever dropping the note.

The approximate search is Myers' bit-parallel edit-distance scan (Python integers are bit
vectors of any width), so it is linear in the searched text; windows larger than a few thousand
characters are first narrowed by exact hits of distinctive pieces of the quote.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from typing import Any

from policyreader.core.document import PolicyDocument

CONTEXT_CHARS = 32
# No text is this long; larger offsets would overflow the database's 64-bit integers.
MAX_OFFSET = 2**31 - 1
# Beyond this many occurrences of a quote, the rest cannot be told apart by context anyway.
MAX_OCCURRENCES = 2000
# Windows up to this size are scanned whole; larger ones only around seeded candidates.
FULL_SCAN_CHARS = 4096
# Quotes longer than this are matched by their head and tail, which keeps the bit vectors short.
LONG_QUOTE_CHARS = 256
EDGE_CHARS = 128
SHORT_QUOTE_CHARS = 16
# Edits allowed as a share of the quote: without context support, and with it.
ERROR_RATE_ALONE = 0.25
ERROR_RATE_WITH_CONTEXT = 0.4
CONTEXT_SUPPORT = 0.6
SEED_MAX_HITS = 50
SEED_CANDIDATES = 4


class AnchorState(StrEnum):
    EXACT = "exact"
    MOVED = "moved"
    FUZZY = "fuzzy"
    ORPHANED = "orphaned"


@dataclass(frozen=True, slots=True)
class TextQuoteSelector:
    """The passage itself with up to ``CONTEXT_CHARS`` characters before and after it."""

    exact: str
    prefix: str = ""
    suffix: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "type": "TextQuoteSelector",
            "exact": self.exact,
            "prefix": self.prefix,
            "suffix": self.suffix,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TextQuoteSelector:
        return cls(
            exact=_string(data, "exact"),
            prefix=_string(data, "prefix", required=False),
            suffix=_string(data, "suffix", required=False),
        )


@dataclass(frozen=True, slots=True)
class TextPositionSelector:
    """Offsets into ``PolicyDocument.text`` (the ``"text"`` of ``inspect --json``), end exclusive."""

    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"type": "TextPositionSelector", "start": self.start, "end": self.end}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TextPositionSelector:
        start, end = data.get("start"), data.get("end")
        if type(start) is not int or type(end) is not int or not 0 <= start <= end <= MAX_OFFSET:
            raise ValueError(
                f"a TextPositionSelector needs integer start <= end, both from 0 to {MAX_OFFSET}"
            )
        return cls(start, end)


@dataclass(frozen=True, slots=True)
class Anchor:
    """Everything needed to find a passage again; ``section_title`` narrows the fuzzy search."""

    quote: TextQuoteSelector
    position: TextPositionSelector
    section_title: str | None = None

    @property
    def is_whole_document(self) -> bool:
        return not self.quote.exact


@dataclass(frozen=True, slots=True)
class Anchoring:
    """Where a passage was found in the current text; ``start``/``end`` are None when orphaned."""

    state: AnchorState
    start: int | None
    end: int | None
    section_title: str | None = None

    @property
    def found(self) -> bool:
        return self.start is not None


@dataclass(frozen=True, slots=True)
class SectionSpan:
    title: str
    start: int
    end: int


def sections_of(document: PolicyDocument) -> list[SectionSpan]:
    """The document's sections flattened in document order (parents before their children)."""
    return [SectionSpan(s.title, s.start, s.end) for s in document.walk_sections()]


def section_title_at(sections: Sequence[SectionSpan], offset: int) -> str | None:
    """The innermost section containing ``offset``: in pre-order, the last span that holds it."""
    title = None
    for span in sections:
        if span.start <= offset < span.end:
            title = span.title
    return title


def describe(text: str, start: int, end: int, sections: Sequence[SectionSpan] = ()) -> Anchor:
    """Selectors for ``text[start:end]``; an empty range describes the whole document."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"range {start}..{end} is outside a text of {len(text)} characters")
    if start == end:
        return Anchor(TextQuoteSelector(""), TextPositionSelector(0, 0), None)
    quote = TextQuoteSelector(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )
    return Anchor(quote, TextPositionSelector(start, end), section_title_at(sections, start))


def describe_in(document: PolicyDocument, start: int, end: int) -> Anchor:
    return describe(document.text, start, end, sections_of(document))


def reanchor_in(document: PolicyDocument, anchor: Anchor) -> Anchoring:
    return reanchor(document.text, anchor, sections_of(document))


def reanchor(text: str, anchor: Anchor, sections: Sequence[SectionSpan] = ()) -> Anchoring:
    """Find ``anchor`` in ``text``: exact, then moved, then fuzzy within its section, else orphaned."""
    if anchor.is_whole_document:
        return Anchoring(AnchorState.EXACT, 0, 0, None)
    quote = anchor.quote
    start = anchor.position.start
    end = start + len(quote.exact)
    if text[start:end] == quote.exact and _context_score(text, start, end, quote) == 2.0:
        return _found(AnchorState.EXACT, start, end, sections)
    occurrence = _best_occurrence(text, quote, start)
    if occurrence is not None:
        state = AnchorState.EXACT if occurrence == start else AnchorState.MOVED
        return _found(state, occurrence, occurrence + len(quote.exact), sections)
    low, high = _fuzzy_window(text, anchor, sections)
    match = fuzzy_find(text, quote, low, high, expected=start)
    if match is None:
        return Anchoring(AnchorState.ORPHANED, None, None, anchor.section_title)
    return _found(AnchorState.FUZZY, match[0], match[1], sections)


def _found(state: AnchorState, start: int, end: int, sections: Sequence[SectionSpan]) -> Anchoring:
    return Anchoring(state, start, end, section_title_at(sections, start))


# --- exact quote, chosen by context -------------------------------------------------------------


def _occurrences(text: str, needle: str) -> Iterable[int]:
    index = text.find(needle)
    count = 0
    while index != -1 and count < MAX_OCCURRENCES:
        yield index
        count += 1
        index = text.find(needle, index + 1)


def _best_occurrence(text: str, quote: TextQuoteSelector, expected: int) -> int | None:
    """The occurrence of the quote whose context fits best; nearness to the old place breaks ties."""
    best: tuple[float, int] | None = None
    scale = max(1, len(text))
    for index in _occurrences(text, quote.exact):
        context = _context_score(text, index, index + len(quote.exact), quote)
        nearness = 1.0 - min(1.0, abs(index - expected) / scale)
        score = 10.0 * context + nearness
        if best is None or score > best[0]:
            best = (score, index)
    return None if best is None else best[1]


def _context_score(text: str, start: int, end: int, quote: TextQuoteSelector) -> float:
    """0..2: the share of the prefix that ends the text before plus that of the suffix after."""
    return _shared_tail(quote.prefix, text[max(0, start - len(quote.prefix)) : start]) + (
        _shared_head(quote.suffix, text[end : end + len(quote.suffix)])
    )


def _shared_head(expected: str, actual: str) -> float:
    if not expected:
        return 1.0
    count = 0
    for a, b in zip(expected, actual, strict=False):
        if a != b:
            break
        count += 1
    return count / len(expected)


def _shared_tail(expected: str, actual: str) -> float:
    return _shared_head(expected[::-1], actual[::-1])


# --- fuzzy search within the section ------------------------------------------------------------


def _fuzzy_window(text: str, anchor: Anchor, sections: Sequence[SectionSpan]) -> tuple[int, int]:
    """The passage's section in the new text; the text before any heading if it had none."""
    title = anchor.section_title
    expected = anchor.position.start
    if title is None:
        first = min((s.start for s in sections), default=len(text))
        return (0, first) if first > 0 else (0, len(text))
    wanted = _title_key(title)
    spans = [s for s in sections if _title_key(s.title) == wanted]
    if not spans:
        spans = [
            s for s in sections if SequenceMatcher(None, _title_key(s.title), wanted).ratio() >= 0.8
        ]
    if not spans:
        # The section was renamed beyond recognition or removed: search everywhere, seeded.
        return (0, len(text))
    nearest = min(spans, key=lambda s: abs(s.start - expected))
    return (nearest.start, nearest.end)


def _title_key(title: str) -> str:
    return " ".join(title.casefold().split())


def fuzzy_find(
    text: str, quote: TextQuoteSelector, low: int, high: int, expected: int | None = None
) -> tuple[int, int] | None:
    """The best approximate occurrence of ``quote.exact`` in ``text[low:high]``, if close enough."""
    exact = quote.exact
    if not exact or high <= low:
        return None
    if len(exact) > LONG_QUOTE_CHARS:
        return _long_fuzzy_find(text, quote, low, high, expected)
    match = _closest(text, exact, low, high, expected)
    if match is None:
        return None
    start, end, errors = match
    if not _acceptable(text, quote, start, end, errors, len(exact)):
        return None
    return start, end


def _long_fuzzy_find(
    text: str, quote: TextQuoteSelector, low: int, high: int, expected: int | None
) -> tuple[int, int] | None:
    """Match the head and the tail of a long quote and take the span between them."""
    exact = quote.exact
    head = _closest(text, exact[:EDGE_CHARS], low, high, expected)
    if head is None or head[2] > EDGE_CHARS * ERROR_RATE_ALONE:
        return None
    reach = min(high, head[0] + int(len(exact) * 1.5) + EDGE_CHARS)
    tail_expected = head[0] + len(exact) - EDGE_CHARS
    tail = _closest(text, exact[-EDGE_CHARS:], head[1], reach, tail_expected)
    if tail is None or tail[2] > EDGE_CHARS * ERROR_RATE_ALONE:
        return None
    length = tail[1] - head[0]
    if not 0.5 * len(exact) <= length <= 1.5 * len(exact):
        return None
    return head[0], tail[1]


def _acceptable(
    text: str, quote: TextQuoteSelector, start: int, end: int, errors: int, length: int
) -> bool:
    """Close enough alone, or a little less close but with the context around it recognisable."""
    rate = errors / length
    context = max(
        _similarity(quote.prefix, text[max(0, start - len(quote.prefix)) : start]),
        _similarity(quote.suffix, text[end : end + len(quote.suffix)]),
    )
    if length < SHORT_QUOTE_CHARS:
        # A few letters match something almost anywhere: demand the context too.
        return rate <= ERROR_RATE_ALONE and context >= CONTEXT_SUPPORT
    if rate <= ERROR_RATE_ALONE:
        return True
    return rate <= ERROR_RATE_WITH_CONTEXT and context >= CONTEXT_SUPPORT


def _similarity(expected: str, actual: str) -> float:
    if not expected:
        return 0.0
    return SequenceMatcher(None, expected, actual, autojunk=False).ratio()


def _closest(
    text: str, pattern: str, low: int, high: int, expected: int | None
) -> tuple[int, int, int] | None:
    """(start, end, edit errors) of the closest match of ``pattern`` in ``text[low:high]``."""
    limit = int(len(pattern) * ERROR_RATE_WITH_CONTEXT)
    if high - low <= 4 * len(pattern) + 64:
        return _closest_among(text, pattern, [(low, high)], limit, expected)
    # Scan around exact hits of pieces of the pattern first: for a passage with a word or two
    # changed that finds it at a fraction of the cost; scan the whole (small) window otherwise.
    regions = _seeded_regions(text, pattern, low, high, limit, expected)
    best = _closest_among(text, pattern, regions, limit, expected)
    if best is not None and best[2] <= len(pattern) * ERROR_RATE_ALONE:
        return best
    if high - low <= FULL_SCAN_CHARS:
        return _closest_among(text, pattern, [(low, high)], limit, expected)
    return best


def _closest_among(
    text: str,
    pattern: str,
    regions: list[tuple[int, int]],
    limit: int,
    expected: int | None,
) -> tuple[int, int, int] | None:
    best: tuple[int, int, int] | None = None
    for region_low, region_high in regions:
        found = _closest_in(text, pattern, region_low, region_high, limit, expected)
        if found is None:
            continue
        if best is None or (found[2], _distance(found[0], expected)) < (
            best[2],
            _distance(best[0], expected),
        ):
            best = found
    return best


def _distance(position: int, expected: int | None) -> int:
    return 0 if expected is None else abs(position - expected)


def _seeded_regions(
    text: str, pattern: str, low: int, high: int, limit: int, expected: int | None
) -> list[tuple[int, int]]:
    """Small regions around the places where distinctive pieces of the pattern occur exactly.

    If the pattern has at most ``limit`` edits, most of its pieces still occur verbatim; each hit
    votes for where the pattern would start, and only the most voted places are scanned.
    """
    piece = max(6, len(pattern) // 8)
    votes: dict[int, int] = {}
    bucket = max(8, len(pattern) // 4)
    for offset in range(0, len(pattern) - piece + 1, piece):
        needle = pattern[offset : offset + piece]
        hits = []
        index = text.find(needle, low, high)
        while index != -1 and len(hits) <= SEED_MAX_HITS:
            hits.append(index)
            index = text.find(needle, index + 1, high)
        if len(hits) > SEED_MAX_HITS:
            continue  # too common to say anything about where the passage is
        for hit in hits:
            key = (hit - offset) // bucket
            votes[key] = votes.get(key, 0) + 1
    ranked = sorted(votes, key=lambda k: -votes[k])[:SEED_CANDIDATES]
    starts = [key * bucket for key in ranked]
    if expected is not None and low <= expected < high:
        starts.append(expected)
    slack = limit + bucket + 8
    regions = [
        (max(low, s - slack), min(high, s + len(pattern) + slack)) for s in sorted(set(starts))
    ]
    return _merge(regions)


def _merge(regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for region in sorted(regions):
        if merged and region[0] <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], region[1]))
        else:
            merged.append(region)
    return merged


def _closest_in(
    text: str, pattern: str, low: int, high: int, limit: int, expected: int | None
) -> tuple[int, int, int] | None:
    errors, ends = _myers_scan(pattern, text[low:high])
    if errors > limit:
        return None
    best: tuple[int, int, int] | None = None
    best_key: tuple[int, int] | None = None
    for end_index in ends[:16]:
        end = low + end_index + 1
        start = _match_start(pattern, text, low, end, errors)
        key = (abs((end - start) - len(pattern)), _distance(start, expected))
        if best_key is None or key < best_key:
            best, best_key = (start, end, errors), key
    return best


def _peq(pattern: str) -> dict[str, int]:
    """For each character, the bit mask of the pattern positions where it occurs."""
    masks: dict[str, int] = {}
    for index, char in enumerate(pattern):
        masks[char] = masks.get(char, 0) | (1 << index)
    return masks


def _myers_scan(pattern: str, text: str, anchored: bool = False) -> tuple[int, list[int]]:
    """Myers/Hyyrö bit-parallel edit distance of ``pattern`` against every end position in ``text``.

    Returns the smallest distance and the end indexes (inclusive) where it is reached. With
    ``anchored`` the match must start at ``text[0]`` (global alignment of the start).
    """
    m = len(pattern)
    peq = _peq(pattern)
    full = (1 << m) - 1
    high_bit = 1 << (m - 1)
    carry = 1 if anchored else 0
    pv, mv, score = full, 0, m
    best, ends = m + 1, []
    for index, char in enumerate(text):
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & high_bit:
            score += 1
        elif mh & high_bit:
            score -= 1
        ph = ((ph << 1) | carry) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
        if score < best:
            best, ends = score, [index]
        elif score == best:
            ends.append(index)
    return best, ends


def _match_start(pattern: str, text: str, low: int, end: int, errors: int) -> int:
    """Where the match ending at ``end`` with ``errors`` edits begins: scan backwards, anchored."""
    reach = max(low, end - len(pattern) - errors - 1)
    backwards = text[reach:end][::-1]
    _, ends = _myers_scan(pattern[::-1], backwards, anchored=True)
    if not ends:
        return max(low, end - len(pattern))
    # Among equally good starts, the one giving the length nearest the quote's.
    length = min((index + 1 for index in ends), key=lambda n: abs(n - len(pattern)))
    return end - length


def _string(data: dict[str, Any], key: str, required: bool = True) -> str:
    value = data.get(key, None if required else "")
    if not isinstance(value, str):
        raise ValueError(f"a TextQuoteSelector needs a string {key!r}")
    return value
