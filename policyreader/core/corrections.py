"""The reader's corrections of the practice detector, keyed by the text they apply to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


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
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end:
            raise ValueError("a correction needs integer start <= end")
        return cls(
            fingerprint=fingerprint,
            start=start,
            end=end,
            kind=CorrectionKind(data.get("kind")),
            original_category=_optional(data, "original_category"),
            new_category=_optional(data, "new_category"),
            created=str(data.get("created") or ""),
        )


def _optional(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"a correction's {key} must be a string or null")
    return value
