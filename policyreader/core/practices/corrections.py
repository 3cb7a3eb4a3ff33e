"""The reader's corrections of the practice detector, keyed by the text they apply to."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from policyreader.core.anchoring import MAX_OFFSET
from policyreader.core.practices.polarity import Polarity
from policyreader.core.practices.practice import AttributeValue, Practice
from policyreader.core.practices.taxonomy import Category


class CorrectionKind(StrEnum):
    WRONG = "wrong"  # a highlight that is not a practice at all
    RECATEGORISED = "recategorised"  # a highlight with the wrong category
    ADDED = "added"  # a passage the detector missed, marked by the reader


@dataclass(frozen=True, slots=True)
class Correction:
    """One correction of ``text[start:end]`` in the text with ``fingerprint``.

    ``original_category`` is the detector's category (None when ``ADDED``); ``new_category`` is
    the reader's (None when ``WRONG``).
    """

    fingerprint: str
    start: int
    end: int
    kind: CorrectionKind
    original_category: str | None = None
    new_category: str | None = None
    id: int | None = None
    created: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "kind": self.kind.value,
            "original_category": self.original_category,
            "new_category": self.new_category,
            "created": self.created,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], fingerprint: str) -> Correction:
        start, end = data.get("start"), data.get("end")
        if type(start) is not int or type(end) is not int or not 0 <= start <= end <= MAX_OFFSET:
            raise ValueError("a correction needs integer start <= end")
        return cls(
            fingerprint=fingerprint,
            start=start,
            end=end,
            kind=CorrectionKind(str(data.get("kind"))),
            original_category=_optional(data, "original_category"),
            new_category=_optional(data, "new_category"),
            created=str(data.get("created") or ""),
        )


def _optional(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"a correction's {key} must be a string or null")
    return value


def apply_corrections(
    practices: Iterable[Practice],
    corrections: Iterable[Correction],
    text_length: int,
    attributes: Callable[[Category, int, int], dict[str, AttributeValue]] | None = None,
) -> list[Practice]:
    """The detector's practices as the reader corrected them, in text order.

    A correction names its practice by span and original category; one whose practice the
    detector no longer reports is ignored, and spans outside the text are dropped. Practices the
    reader marked or re-categorised have confidence 1 and ``source`` ``reader``; ``attributes``
    (category, start, end) re-extracts what such a span states.
    """
    result = list(practices)
    for correction in corrections:
        if not 0 <= correction.start < correction.end <= text_length:
            continue
        if correction.kind is CorrectionKind.ADDED:
            replaced = None
        else:
            replaced = next((p for p in result if _names(correction, p)), None)
            if replaced is None:
                continue
            result.remove(replaced)
        if correction.kind is CorrectionKind.WRONG or not correction.new_category:
            continue
        try:
            category = Category(correction.new_category)
        except ValueError:
            continue
        found = attributes(category, correction.start, correction.end) if attributes else {}
        result.append(
            Practice(
                category=category,
                start=correction.start,
                end=correction.end,
                confidence=1.0,
                attributes=found,
                evidence=replaced.evidence if replaced is not None else (),
                source="reader",
                # A new category for the same sentences keeps what they say: done or not done.
                polarity=replaced.polarity if replaced is not None else Polarity.DOES,
            )
        )
    result.sort(key=lambda p: (p.start, p.end, p.category.value))
    return result


def _names(correction: Correction, practice: Practice) -> bool:
    return (
        practice.start == correction.start
        and practice.end == correction.end
        and practice.category.value == correction.original_category
    )
