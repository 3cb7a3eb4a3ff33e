"""The rule scorer: lexicon patterns from ``resources/practices/rules.toml`` matched per sentence."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from itertools import islice
from re import _constants as sre  # the stdlib's regex parser: its tree says what a match contains
from re import _parser as sre_parse
from typing import Any

from policyreader.core.practices.sentences import Sentence
from policyreader.core.practices.taxonomy import Category
from policyreader.resources_path import resource

RULES_FILE = ("practices", "rules.toml")
# Evidence phrases kept per sentence and category; a sentence of one repeated cue word must not
# make a list as long as itself.
MAX_MATCHES = 4
UNLESS_LOOKBEHIND = 16
# Words seen so far and the patterns they trigger; cleared when a flood of distinct words (random
# input) would make it grow without bound.
MEMO_LIMIT = 200_000
WORD = re.compile(r"[^\W_]+")


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
class _Pattern:
    name: str
    weight: float
    regex: re.Pattern[str]
    category: int
    # Strings one of which every match contains (``required_literals``).
    literals: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class _CategoryRules:
    category: Category
    threshold: float
    unless: re.Pattern[str] | None
    sentence_unless: re.Pattern[str] | None


class RuleSet:
    """Compiled rules for every category, built from the lexicon data."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.lexicon = data
        self._categories: list[_CategoryRules] = []
        self._patterns: list[_Pattern] = []
        # Trigger stems: prefixes of words, and whole words (written "ad$" in the lexicon).
        self._stems: dict[str, list[int]] = {}
        self._exact: dict[str, list[int]] = {}
        self._untriggered: list[int] = []
        for position, (name, spec) in enumerate(data.get("categories", {}).items()):
            self._categories.append(_compile_category(Category(name), spec))
            for pattern_name, weight, expression, *trigger in spec["patterns"]:
                index = len(self._patterns)
                stems = trigger[0].split() if trigger else []
                literals = required_literals(expression)
                if (
                    literals
                    and stems
                    and all(
                        any(literal in stem.rstrip("$") for literal in literals) for stem in stems
                    )
                ):
                    # Any word that triggers the pattern holds one of the literals already.
                    literals = None
                self._patterns.append(
                    _Pattern(
                        pattern_name, float(weight), re.compile(expression), position, literals
                    )
                )
                for stem in stems:
                    if stem.endswith("$"):
                        self._exact.setdefault(stem[:-1], []).append(index)
                    else:
                        self._stems.setdefault(stem, []).append(index)
                if not stems:
                    self._untriggered.append(index)
        self._stem_lengths = sorted({len(stem) for stem in self._stems})
        self._memo: dict[str, tuple[int, ...]] = {}
        # Per category, the patterns whose hit decides alone in ``combined`` (the lexicon
        # vouches for them, whatever the model makes of the passage).
        self.decisive: dict[Category, frozenset[str]] = {
            Category(name): frozenset(spec["decisive"])
            for name, spec in data.get("categories", {}).items()
            if "decisive" in spec
        }

    def decides(self, category: Category, hit: RuleHit) -> bool:
        """Whether ``hit`` holds one of the category's decisive patterns."""
        return not self.decisive.get(category, frozenset()).isdisjoint(hit.patterns)

    def may_decide(self, category: Category, patterns: list[_Pattern]) -> bool:
        """Whether one of these candidate patterns of ``category`` is decisive."""
        decisive = self.decisive.get(category)
        return bool(decisive) and any(pattern.name in decisive for pattern in patterns)

    def score(self, lowered: str, sentence: Sentence) -> dict[Category, RuleHit]:
        """Categories with a pattern in ``sentence`` of ``lowered`` (``lower_text(text)``).

        Evidence offsets index the text; only hits with ``fires`` set are detections of the rules
        alone.
        """
        return self.score_candidates(lowered, sentence, self.candidates(lowered, sentence))

    def candidates(
        self, lowered: str, sentence: Sentence, words: list[str] | None = None
    ) -> dict[Category, list[_Pattern]]:
        """The patterns worth trying on ``sentence``: those whose trigger words it contains.

        ``words``, if given, must be the sentence's words as ``WORD`` finds them in ``lowered``.
        """
        start, end = sentence.start, sentence.end
        found = set(self._untriggered)
        memo = self._memo
        if words is None:
            words = WORD.findall(lowered, start, end)
        for word in set(words):
            triggered = memo.get(word)
            if triggered is None:
                triggered = self._triggered_by(word)
            if triggered:
                found.update(triggered)
        by_category: dict[Category, list[_Pattern]] = {}
        patterns = self._patterns
        categories = self._categories
        for index in sorted(found):
            pattern = patterns[index]
            by_category.setdefault(categories[pattern.category].category, []).append(pattern)
        return by_category

    @staticmethod
    def bound(patterns: list[_Pattern]) -> float:
        """The most confidence these patterns could give a sentence, were they all to match."""
        miss = 1.0
        for pattern in patterns:
            miss *= 1.0 - pattern.weight
        return 1.0 - miss

    def score_candidates(
        self,
        lowered: str,
        sentence: Sentence,
        candidates: dict[Category, list[_Pattern]],
        categories: set[Category] | None = None,
    ) -> dict[Category, RuleHit]:
        """Try ``candidates`` (of ``categories``, default all) on the sentence."""
        hits: dict[Category, RuleHit] = {}
        for category, patterns in candidates.items():
            if categories is not None and category not in categories:
                continue
            rule = self._categories[patterns[0].category]
            hit = _score_rule(rule, patterns, lowered, sentence.start, sentence.end)
            if hit is not None:
                hits[category] = hit
        return hits

    def _triggered_by(self, word: str) -> tuple[int, ...]:
        found: list[int] = list(self._exact.get(word, ()))
        for length in self._stem_lengths:
            if length > len(word):
                break
            found.extend(self._stems.get(word[:length], ()))
        if len(self._memo) >= MEMO_LIMIT:
            self._memo.clear()
        triggered = tuple(found)
        self._memo[word] = triggered
        return triggered

    def score_all(self, lowered: str, sentence: Sentence) -> dict[Category, RuleHit]:
        """Like ``score`` but trying every pattern: the reference the trigger stems must match."""
        hits: dict[Category, RuleHit] = {}
        for position, rule in enumerate(self._categories):
            patterns = [p for p in self._patterns if p.category == position]
            hit = _score_rule(rule, patterns, lowered, sentence.start, sentence.end)
            if hit is not None:
                hits[rule.category] = hit
        return hits


def _compile_category(category: Category, spec: dict[str, Any]) -> _CategoryRules:
    unless = spec.get("unless")
    sentence_unless = spec.get("sentence_unless")
    return _CategoryRules(
        category=category,
        threshold=float(spec.get("threshold", 0.5)),
        unless=re.compile("|".join(unless)) if unless else None,
        sentence_unless=re.compile("|".join(sentence_unless)) if sentence_unless else None,
    )


def _score_rule(
    rule: _CategoryRules, patterns: list[_Pattern], lowered: str, start: int, end: int
) -> RuleHit | None:
    matched: dict[str, float] = {}
    evidence: list[tuple[int, int]] = []
    unless = rule.unless
    find = lowered.find
    for pattern in patterns:
        literals = pattern.literals
        if literals is not None:
            # ``contains_any``, inlined: a pattern cannot match without one of its literals.
            for literal in literals:
                if find(literal, start, end) >= 0:
                    break
            else:
                continue
        for match in islice(pattern.regex.finditer(lowered, start, end), MAX_MATCHES * 2):
            span = match.span()
            # The veto may begin a little before the cue ("Social Security number").
            if unless is not None and unless.search(
                lowered, max(start, span[0] - UNLESS_LOOKBEHIND), span[1]
            ):
                continue
            matched[pattern.name] = pattern.weight
            if len(evidence) < MAX_MATCHES and span not in evidence:
                evidence.append(span)
    if not matched:
        return None
    # Sentences about the policy itself ("This policy describes how we collect...") state nothing.
    if rule.sentence_unless is not None and rule.sentence_unless.search(lowered, start, end):
        return None
    miss = 1.0
    for weight in matched.values():
        miss *= 1.0 - weight
    confidence = 1.0 - miss
    evidence.sort()
    return RuleHit(confidence, tuple(evidence), frozenset(matched), confidence >= rule.threshold)


def required_literals(expression: str) -> frozenset[str] | None:
    """Strings of which every match of ``expression`` contains at least one; None if unknown.

    A pattern is only worth trying on text that contains one of them (``str.find`` is far cheaper
    than a failing search). Of the elements every match must pass through, the most telling (the
    longest shortest string) is chosen.
    """
    tree = sre_parse.parse(expression)
    if tree.state.flags & sre.SRE_FLAG_IGNORECASE:
        return None
    return _required(tree)


def _required(items: Any) -> frozenset[str] | None:
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(option: frozenset[str] | None) -> None:
        nonlocal best
        if option and (best is None or _telling(option) > _telling(best)):
            best = option

    for op, arg in items:
        if op is sre.LITERAL:
            run.append(chr(arg))
            continue
        consider(frozenset(["".join(run)]) if run else None)
        run = []
        if op is sre.SUBPATTERN and not arg[1] & sre.SRE_FLAG_IGNORECASE:
            consider(_required(arg[3]))
        elif op is sre.BRANCH:
            options = [_required(branch) for branch in arg[1]]
            if all(options):
                consider(frozenset().union(*options))  # type: ignore[arg-type]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and arg[0] >= 1:
            consider(_required(arg[2]))
        elif op is sre.ATOMIC_GROUP:
            consider(_required(arg))
        # Anything else (classes, anchors, look-arounds, optional parts) requires no literal.
    consider(frozenset(["".join(run)]) if run else None)
    # A string containing another of the set tells nothing more: finding the shorter one will do.
    if best is not None:
        best = frozenset(text for text in best if not any(o in text for o in best if o != text))
    return best


def _telling(option: frozenset[str]) -> tuple[int, int]:
    return min(len(text) for text in option), -len(option)


def contains_any(lowered: str, literals: frozenset[str] | None, start: int, end: int) -> bool:
    """Whether ``lowered[start:end]`` contains one of ``literals`` (None: cannot tell, so yes)."""
    if literals is None:
        return True
    for literal in literals:  # noqa: SIM110 - a plain loop: any() over a generator costs more here
        if lowered.find(literal, start, end) >= 0:
            return True
    return False


@functools.cache
def default_rules() -> RuleSet:
    """The bundled rules, parsed once per process."""
    data = tomllib.loads(resource(*RULES_FILE).read_text(encoding="utf-8"))
    return RuleSet(data)
