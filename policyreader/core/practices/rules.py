"""The rule scorer: lexicon patterns from ``resources/practices/rules.toml`` matched per sentence."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from itertools import islice
from typing import Any

from policyreader.core.practices.sentences import Sentence
from policyreader.core.practices.taxonomy import Category
from policyreader.resources_path import resource

RULES_FILE = ("practices", "rules.toml")
# Evidence phrases kept per sentence and category; a sentence of one repeated cue word must not
# make a list as long as itself.
MAX_MATCHES = 4
UNLESS_LOOKBEHIND = 16


@dataclass(frozen=True, slots=True)
class RuleHit:
    """What the rules found in one sentence for one category."""

    confidence: float
    evidence: tuple[tuple[int, int], ...]
    # Ids of the patterns that matched, e.g. ``retain`` (the lexicon's first column).
    patterns: frozenset[str] = frozenset()
    # Whether the rules alone call it a detection; weaker hits still inform ``combined``.
    fires: bool = True


@dataclass(frozen=True, slots=True)
class _CategoryRules:
    category: Category
    pattern: re.Pattern[str]
    weights: dict[str, float]
    threshold: float
    strong: bool
    unless: re.Pattern[str] | None
    sentence_unless: re.Pattern[str] | None


class RuleSet:
    """Compiled rules for every category, built from the lexicon data."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._rules = [
            _compile(Category(name), spec) for name, spec in data.get("categories", {}).items()
        ]
        self.strong = frozenset(rule.category for rule in self._rules if rule.strong)
        self.lexicon = data

    def score(self, text: str, sentence: Sentence) -> dict[Category, RuleHit]:
        """Categories with a pattern in ``sentence``, with the matched phrases as offsets.

        Only hits with ``fires`` set are detections of the rules alone.
        """
        hits: dict[Category, RuleHit] = {}
        for rule in self._rules:
            hit = _score_rule(rule, text, sentence.start, sentence.end)
            if hit is not None:
                hits[rule.category] = hit
        return hits


def _compile(category: Category, spec: dict[str, Any]) -> _CategoryRules:
    alternatives = []
    weights: dict[str, float] = {}
    for index, (name, weight, expression) in enumerate(spec["patterns"]):
        group = f"p{index}_{name}"
        alternatives.append(f"(?P<{group}>{expression})")
        weights[group] = float(weight)
    unless = spec.get("unless")
    sentence_unless = spec.get("sentence_unless")
    return _CategoryRules(
        category=category,
        pattern=re.compile("|".join(alternatives), re.IGNORECASE),
        weights=weights,
        threshold=float(spec.get("threshold", 0.5)),
        strong=bool(spec.get("strong", False)),
        unless=re.compile("|".join(unless), re.IGNORECASE) if unless else None,
        sentence_unless=(
            re.compile("|".join(sentence_unless), re.IGNORECASE) if sentence_unless else None
        ),
    )


def _score_rule(rule: _CategoryRules, text: str, start: int, end: int) -> RuleHit | None:
    matched: dict[str, tuple[int, int]] = {}
    evidence: list[tuple[int, int]] = []
    for match in islice(rule.pattern.finditer(text, start, end), MAX_MATCHES * 4):
        # The veto may begin a little before the cue ("Social Security number").
        if rule.unless is not None and rule.unless.search(
            text, max(start, match.start() - UNLESS_LOOKBEHIND), match.end()
        ):
            continue
        group = match.lastgroup or ""
        if group not in matched:
            matched[group] = match.span()
        if len(evidence) < MAX_MATCHES and match.span() not in evidence:
            evidence.append(match.span())
    if not matched:
        return None
    # Sentences about the policy itself ("This policy describes how we collect...") state nothing.
    if rule.sentence_unless is not None and rule.sentence_unless.search(text, start, end):
        return None
    miss = 1.0
    for group in matched:
        miss *= 1.0 - rule.weights[group]
    confidence = 1.0 - miss
    names = frozenset(group.split("_", 1)[1] for group in matched)
    return RuleHit(confidence, tuple(evidence), names, confidence >= rule.threshold)


@functools.cache
def default_rules() -> RuleSet:
    """The bundled rules, parsed once per process."""
    data = tomllib.loads(resource(*RULES_FILE).read_text(encoding="utf-8"))
    return RuleSet(data)
