"""The ``Practice`` a detector reports: a category, a sentence-level span, confidence, why."""

from __future__ import annotations

from dataclasses import dataclass, field

from policyreader.core.practices.polarity import Polarity
from policyreader.core.practices.taxonomy import Category

AttributeValue = list[str] | str


@dataclass(frozen=True, slots=True)
class Practice:
    """One stated practice: ``text[start:end]`` covers the sentences stating it, inside one block.

    ``evidence`` holds the words or phrases (verbatim slices of that span) that made the detector
    decide; ``attributes`` maps attribute kinds (``data_types``, ``retention_period``...) to values.
    ``source`` says which part found it: ``rules``, ``model`` or ``rules+model``. ``polarity``
    says whether the sentences state it as done, not done, or not done except in named cases;
    the attributes belong to the statement, so they share its polarity.
    """

    category: Category
    start: int
    end: int
    confidence: float
    attributes: dict[str, AttributeValue] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()
    source: str = "rules"
    polarity: Polarity = Polarity.DOES

    @property
    def happens(self) -> bool:
        """Whether the practice is stated as done (its attributes are then facts of the policy)."""
        return self.polarity is Polarity.DOES

    def as_json(self) -> dict[str, object]:
        """The shape ``inspect --json`` prints; keys are stable."""
        return {
            "category": self.category.value,
            "start": self.start,
            "end": self.end,
            "confidence": round(self.confidence, 3),
            "attributes": {key: value for key, value in self.attributes.items()},
            "evidence": list(self.evidence),
            "source": self.source,
            "polarity": self.polarity.value,
        }
