"""Attributes that make a practice concrete (data types, purposes, recipients, periods...)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from policyreader.core.practices.practice import AttributeValue
from policyreader.core.practices.sentences import lower_text
from policyreader.core.practices.taxonomy import CATEGORY_ATTRIBUTES, Attribute, Category

MAX_PERIODS = 3


@dataclass(frozen=True, slots=True)
class AttributeLexicon:
    """Compiled attribute patterns: per attribute kind, one alternation with a group per value.

    Patterns are matched against lower-cased text (``sentences.lower_text``); one pass per kind
    finds every value, which keeps attributes cheap on policies with thousands of practices.
    """

    kinds: dict[Attribute, tuple[re.Pattern[str], dict[str, str]]]
    period: re.Pattern[str]
    indefinitely: re.Pattern[str]
    as_long_as_needed: re.Pattern[str]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> AttributeLexicon:
        kinds = {}
        for kind, table in data.get("attributes", {}).items():
            groups = {f"v{index}": value for index, value in enumerate(table)}
            expression = "|".join(f"(?P<{group}>{table[value]})" for group, value in groups.items())
            kinds[Attribute(kind)] = (re.compile(expression), groups)
        retention = data.get("retention", {})
        return cls(
            kinds=kinds,
            period=re.compile(retention.get("period", r"(?!)")),
            indefinitely=re.compile(retention.get("indefinitely", r"(?!)")),
            as_long_as_needed=re.compile(retention.get("as_long_as_needed", r"(?!)")),
        )

    def extract(
        self, category: Category, text: str, start: int, end: int, lowered: str | None = None
    ) -> dict[str, AttributeValue]:
        """The attributes ``text[start:end]`` states for a practice of ``category``."""
        low = lowered if lowered is not None else lower_text(text)
        found: dict[str, AttributeValue] = {}
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
            elif kind in self.kinds:
                pattern, groups = self.kinds[kind]
                values = {
                    groups[m.lastgroup] for m in pattern.finditer(low, start, end) if m.lastgroup
                }
                if values:
                    # Lexicon order, so the same span always lists its values the same way.
                    found[kind.value] = [v for v in groups.values() if v in values]
        return found

    def retention_kind(self, lowered: str, start: int, end: int) -> str:
        """``stated_period``, ``indefinitely``, ``as_long_as_needed`` or ``unspecified``."""
        if self.period.search(lowered, start, end):
            return "stated_period"
        if self.indefinitely.search(lowered, start, end):
            return "indefinitely"
        if self.as_long_as_needed.search(lowered, start, end):
            return "as_long_as_needed"
        return "unspecified"
