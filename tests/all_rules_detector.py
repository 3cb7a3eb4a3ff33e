"""A detector matching every rule in every sentence: the reference for the pruned matching."""

from __future__ import annotations

from policyreader.core.practices.detector import PracticeDetector, RuleHits
from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES


class AllRulesDetector(PracticeDetector):
    def _needed_rule_hits(self, lowered, passage, scored, shift=None):  # type: ignore[no-untyped-def]
        sentences = passage.sentences
        return RuleHits(
            [self.rules.score(lowered, sentence) for sentence in sentences],
            [self.rules.candidates(lowered, sentence) for sentence in sentences],
            set(PRACTICE_CATEGORIES),
        )
