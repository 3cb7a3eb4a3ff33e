"""Attributes that make a practice concrete (data types, purposes, recipients, periods...)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from policyreader.core.practices.practice import AttributeValue
from policyreader.core.practices.taxonomy import CATEGORY_ATTRIBUTES, Attribute, Category


@dataclass(frozen=True, slots=True)
class AttributeLexicon:
    """Compiled attribute patterns: for each attribute kind, value id -> pattern."""

    values: dict[Attribute, tuple[tuple[str, re.Pattern[str]], ...]]
    period: re.Pattern[str]
    indefinitely: re.Pattern[str]
    as_long_as_needed: re.Pattern[str]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> AttributeLexicon:
        values = {
            Attribute(kind): tuple(
                (value, re.compile(expression, re.IGNORECASE)) for value, expression in table.items()
            )
            for kind, table in data.get("attributes", {}).items()
        }
        retention = data.get("retention", {})
        return cls(
            values=values,
            period=re.compile(retention.get("period", r"(?!)"), re.IGNORECASE),
            indefinitely=re.compile(retention.get("indefinitely", r"(?!)"), re.IGNORECASE),
            as_long_as_needed=re.compile(retention.get("as_long_as_needed", r"(?!)"), re.IGNORECASE),
        )

    def extract(self, category: Category, text: str, start: int, end: int) -> dict[str, AttributeValue]:
        """The attributes ``text[start:end]`` states for a practice of ``category``."""
        found: dict[str, AttributeValue] = {}
        for kind in CATEGORY_ATTRIBUTES.get(category, ()):
            if kind is Attribute.RETENTION:
                found[kind.value] = self.retention_kind(text, start, end)
            elif kind is Attribute.RETENTION_PERIOD:
                period = self.period.search(text, start, end)
                if period is not None:
                    found[kind.value] = period.group()
            else:
                values = [v for v, pattern in self.values.get(kind, ()) if pattern.search(text, start, end)]
                if values:
                    found[kind.value] = values
        return found

    def retention_kind(self, text: str, start: int, end: int) -> str:
        """``stated_period``, ``indefinitely``, ``as_long_as_needed`` or ``unspecified``."""
        if self.period.search(text, start, end):
            return "stated_period"
        if self.indefinitely.search(text, start, end):
            return "indefinitely"
        if self.as_long_as_needed.search(text, start, end):
            return "as_long_as_needed"
        return "unspecified"
