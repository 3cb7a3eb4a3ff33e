"""Attributes that make a practice concrete (data types, purposes, recipients, periods...)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from policyreader.core.practices.practice import AttributeValue
from policyreader.core.practices.rules import MEMO_LIMIT, WORD, default_rules, required_literals
from policyreader.core.practices.sentences import lower_text
from policyreader.core.practices.taxonomy import CATEGORY_ATTRIBUTES, Attribute, Category

MAX_PERIODS = 3


@dataclass(frozen=True, slots=True)
class _Value:
    kind: Attribute
    value: str
    pattern: re.Pattern[str]


class AttributeLexicon:
    """Compiled attribute patterns; a value's pattern is only tried where its words occur.

    Patterns are matched against lower-cased text (``sentences.lower_text``). Each value is
    gated by strings every match of it contains (``rules.required_literals``): a ``str.find``
    is far cheaper than a failing search. Before that, a span's words say which values can
    pass at all (``_anchors``): one look-up per distinct word instead of a ``find`` per
    literal, which keeps attributes cheap on policies with thousands of practices.
    """

    def __init__(
        self,
        values: list[_Value],
        period: re.Pattern[str],
        indefinitely: re.Pattern[str],
        as_long_as_needed: re.Pattern[str],
    ) -> None:
        self.values = values
        self.period = period
        self.indefinitely = indefinitely
        self.as_long_as_needed = as_long_as_needed
        # Per kind, in lexicon order: (value, pattern, strings one of which a match contains).
        self._by_kind: dict[Attribute, list[tuple[str, re.Pattern[str], frozenset[str] | None]]]
        self._by_kind = {}
        # Values (kind, position in ``_by_kind``) that a span's words cannot rule out.
        self._ungated: set[tuple[Attribute, int]] = set()
        # Longest word-character run of each literal -> the (kind, position) values it gates.
        self._anchors: dict[str, set[tuple[Attribute, int]]] = {}
        for value in values:
            entries = self._by_kind.setdefault(value.kind, [])
            literals = required_literals(value.pattern.pattern)
            anchors = _anchors_of(literals)
            key = (value.kind, len(entries))
            if anchors is None:
                self._ungated.add(key)
            else:
                for anchor in anchors:
                    self._anchors.setdefault(anchor, set()).add(key)
            entries.append((value.value, value.pattern, literals))
        self._anchor_lengths = sorted({len(anchor) for anchor in self._anchors})
        self._word_memo: dict[str, frozenset[tuple[Attribute, int]]] = {}
        self._last: tuple[str | None, str] = (None, "")

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> AttributeLexicon:
        values = [
            _Value(Attribute(kind), value, re.compile(expression))
            for kind, table in data.get("attributes", {}).items()
            for value, expression in table.items()
        ]
        retention = data.get("retention", {})
        return cls(
            values,
            re.compile(retention.get("period", r"(?!)")),
            re.compile(retention.get("indefinitely", r"(?!)")),
            re.compile(retention.get("as_long_as_needed", r"(?!)")),
        )

    def _lowered(self, text: str) -> str:
        # Callers asking span after span of one document must not lower-case it every time.
        # One tuple, swapped whole, so that threads sharing the lexicon never mix two documents.
        last = self._last
        if last[0] is not text:
            last = (text, lower_text(text))
            self._last = last
        return last[1]

    def extract(
        self,
        category: Category,
        text: str,
        start: int,
        end: int,
        lowered: str | None = None,
        gated: bool = True,
    ) -> dict[str, AttributeValue]:
        """The attributes ``text[start:end]`` states for a practice of ``category``."""
        low = lowered if lowered is not None else self._lowered(text)
        found: dict[str, AttributeValue] = {}
        # Worked out on first need: some categories ask only for retention, or for nothing.
        possible: set[tuple[Attribute, int]] | None = None
        for kind in CATEGORY_ATTRIBUTES.get(category, ()):
            if kind is Attribute.RETENTION:
                found[kind.value] = self.retention_kind(low, start, end)
            elif kind is Attribute.RETENTION_PERIOD:
                periods: list[str] = []
                for match in self.period.finditer(low, start, end):
                    period = text[match.start() : match.end()]
                    if period not in periods:
                        periods.append(period)
                if periods:
                    # As written; a highlight stating two periods names both.
                    found[kind.value] = ", ".join(periods[:MAX_PERIODS])
            else:
                if gated and possible is None:
                    possible = self._possible(low, start, end)
                values = self._values(kind, low, start, end, possible)
                if values:
                    found[kind.value] = values
        return found

    def _possible(self, lowered: str, start: int, end: int) -> set[tuple[Attribute, int]]:
        """The values whose literals' anchors occur in the span's words (plus the ungated)."""
        possible = set(self._ungated)
        memo = self._word_memo
        for word in set(WORD.findall(lowered, start, end)):
            gated = memo.get(word)
            if gated is None:
                gated = self._gated_by(word)
            if gated:
                possible |= gated
        return possible

    def _gated_by(self, word: str) -> frozenset[tuple[Attribute, int]]:
        """The values one of whose anchors is part of ``word``."""
        found: set[tuple[Attribute, int]] = set()
        anchors = self._anchors
        for length in self._anchor_lengths:
            if length > len(word):
                break
            for offset in range(len(word) - length + 1):
                values = anchors.get(word[offset : offset + length])
                if values:
                    found |= values
        if len(self._word_memo) >= MEMO_LIMIT:
            self._word_memo.clear()
        gated = frozenset(found)
        self._word_memo[word] = gated
        return gated

    def _values(
        self,
        kind: Attribute,
        lowered: str,
        start: int,
        end: int,
        possible: set[tuple[Attribute, int]] | None,
    ) -> list[str]:
        """Values of ``kind`` in the span; ``possible`` (None: try every value) gates them."""
        # Lexicon order, so the same span always lists its values the same way.
        values: list[str] = []
        find = lowered.find
        for position, (value, pattern, literals) in enumerate(self._by_kind.get(kind, ())):
            if possible is not None and literals is not None:
                if (kind, position) not in possible:
                    continue
                # ``contains_any``, inlined: this runs for every value of every practice.
                for literal in literals:
                    if find(literal, start, end) >= 0:
                        break
                else:
                    continue
            if pattern.search(lowered, start, end):
                values.append(value)
        return values

    def retention_kind(self, lowered: str, start: int, end: int) -> str:
        """``stated_period``, ``indefinitely``, ``as_long_as_needed`` or ``unspecified``."""
        if self.period.search(lowered, start, end):
            return "stated_period"
        if self.indefinitely.search(lowered, start, end):
            return "indefinitely"
        if self.as_long_as_needed.search(lowered, start, end):
            return "as_long_as_needed"
        return "unspecified"


def _anchors_of(literals: frozenset[str] | None) -> list[str] | None:
    """Per literal its longest run of word characters, which any text holding the literal has
    inside one of its words; None when some literal has no such run (words cannot gate it)."""
    if literals is None:
        return None
    anchors = []
    for literal in literals:
        runs = WORD.findall(literal)
        if not runs:
            return None
        anchors.append(max(runs, key=len))
    return anchors


@functools.cache
def default_attributes() -> AttributeLexicon:
    """The attribute lexicon of the bundled rules file, built once per process."""
    return AttributeLexicon.from_data(default_rules().lexicon)
