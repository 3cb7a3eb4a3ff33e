"""A stand-in for ``PassageEncoder`` with logits from words, for the refine's tests."""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES, Category


class FakeEncoder:
    """``PassageEncoder``'s interface with logits from words: "partners" pulls sharing down,
    "keep" pushes retention up; every call is counted and may be slowed."""

    def __init__(self, delay: float = 0.0) -> None:
        self.categories = list(PRACTICE_CATEGORIES)
        self.settings: dict[str, object] = {
            "best": {"weight": [1.0] * len(self.categories), "cuts": [0.0] * 9}
        }
        self.cuts = [0.0] * len(self.categories)
        self.delay = delay
        self.calls = 0
        self.texts = 0

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts += len(texts)
        if self.delay:
            time.sleep(self.delay)
        return np.array([self._row(text.lower()) for text in texts], dtype=np.float32)

    def _row(self, text: str) -> list[float]:
        row = [0.0] * len(self.categories)
        if "partners" in text:
            row[self.categories.index(Category.THIRD_PARTY_SHARING)] = -40.0
        if "keep" in text:
            row[self.categories.index(Category.DATA_RETENTION)] = 40.0
        return row
