"""Polarity of a stated practice: does it happen, not happen, or not happen except in some cases.

A logistic model learnt from OPP-115's "Does/Does Not" attribute scores each sentence; negation
cues (and the words in their scope) are among its features, never a rule on their own. A
sentence read as "does not" that also names an exception ("unless", "except", "other than")
is ``mixed``: the label must not promise more than the sentence does.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import json
import math
import re
from collections.abc import Iterable
from enum import StrEnum

from policyreader.resources_path import resource

POLARITY_FILE = ("practices", "polarity.json.gz")
POLARITY_FORMAT = "policyreader-polarity-1"


class Polarity(StrEnum):
    DOES = "does"
    DOES_NOT = "does_not"
    # "We do not sell ... unless you agree": not done, except in the cases the sentence names.
    MIXED = "mixed"


_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
# Words that open a negation's scope; the scope runs to the next punctuation mark.
NEGATIONS = frozenset(
    re.findall(
        r"\S+",
        "not no never neither nor cannot none nothing nobody without n't don't doesn't didn't "
        "won't wouldn't shouldn't can't isn't aren't wasn't weren't haven't hasn't",
    )
)
_SCOPE_END = re.compile(r"[.,;:!?()\[\]]")
# An exception opens the way back to "does": "we do not share ... except with service providers".
EXCEPTIONS = re.compile(
    r"\bunless\b|\bexcept\b|\bexcepting\b|\bother than\b|\bapart from\b|\bsave for\b|"
    r"\bwithout (?:first )?(?:obtaining |getting |asking for |your |you )",
    re.IGNORECASE,
)
# Stems of the verbs whose negation states a practice not done ("not sell", "never shared").
PRACTICE_VERBS = re.compile(
    r"(?:sell|sold|rent|shar|disclos|collect|use|usi|track|stor|transfer|trad|provid|giv|gave|"
    r"releas|retain|keep|kept|ask|request|requir|gather|obtain|receiv|process|combin|link|"
    r"reveal|post|send|sent|access|swap|leas|market|monitor|profil|identif|record|pass|"
    r"distribut|publish|mak|allow|permit|engag)"
)
_NEAR = 4  # a negation this many words before a practice verb negates it
# Negated identifiability ("not linked to personally identifiable information", "no personal
# data is included") describes data collected in a less identifying form: a practice that does
# happen, as OPP-115 annotates it.
_IDENTIFIABILITY = re.compile(
    r"(?:identif|anonym|aggregat|link|tied|tie|associat|contain|includ|personal|person|pii|pin)"
)


def words(text: str) -> list[str]:
    """Lower-cased words, with curly apostrophes straightened so "don’t" is "don't"."""
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def features(sentence: str, lead_in: str = "") -> list[str]:
    """The features of one sentence; a list item is read with its lead-in before it.

    "We will never:" above "- sell your data;" is one statement, so the negation's scope runs
    from the lead-in into the item.
    """
    if lead_in:
        sentence = f"{lead_in.rstrip().rstrip(':')} {sentence}"
    found: list[str] = []
    # Lower-cased once: the scope marks are ASCII punctuation, which lower-casing never makes.
    for clause in _SCOPE_END.split(sentence.lower().replace("\u2019", "'")):
        found.extend(_clause_features(_WORD.findall(clause), "n't" in clause))
    if EXCEPTIONS.search(sentence):
        found.append("!exception")
    return found


def _clause_features(tokens: list[str], maybe_nt: bool = True) -> list[str]:
    """``maybe_nt`` False: the clause holds no "n't", so no word ends with it."""
    if NEGATIONS.isdisjoint(tokens) and not (maybe_nt and any(map(_ends_negated, tokens))):
        # No negation, no scope: each word, then its pair with the word before (C-level).
        found: list[str] = [""] * max(0, 2 * len(tokens) - 1)
        found[0::2] = tokens
        found[1::2] = map(" ".join, itertools.pairwise(tokens))
        return found
    return list(_negated_clause_features(tokens))


def _ends_negated(token: str) -> bool:
    return token.endswith("n't")


def _negated_clause_features(tokens: list[str]) -> Iterable[str]:
    negated = False
    last_negation = -_NEAR - 1
    for index, token in enumerate(tokens):
        is_negation = token in NEGATIONS or token.endswith("n't")
        if is_negation:
            yield f"!neg:{token}"
            negated = True
            last_negation = index
            continue
        # Words in a negation's scope are other features than the same words outside it.
        yield f"NOT_{token}" if negated else token
        if index:
            yield f"{tokens[index - 1]} {token}"
        if index - last_negation <= _NEAR:
            if PRACTICE_VERBS.match(token):
                yield "!neg_verb"
                yield f"!neg_verb:{token}"
            if _IDENTIFIABILITY.match(token):
                yield "!neg_identifiable"
    if negated:
        yield "!negated"


class PolarityModel:
    """Sentence -> probability that it states a practice as not done; cut chosen in training."""

    def __init__(self, data: dict) -> None:
        if data.get("format") != POLARITY_FORMAT:
            raise ValueError(f"not a polarity model (format {data.get('format')!r})")
        self.weights: dict[str, float] = data["weights"]
        self.bias = float(data["bias"])
        self.cut = float(data["cut"])
        self.info: dict = data.get("info", {})

    def score(self, sentence: str, lead_in: str = "") -> float:
        # Summed in the features' order, as ever: the same floating-point total.
        weights = map(self.weights.get, features(sentence, lead_in), itertools.repeat(0.0))
        total = self.bias + sum(weights)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total))))

    def polarity(self, sentence: str, lead_in: str = "") -> Polarity:
        if self.score(sentence, lead_in) < self.cut:
            return Polarity.DOES
        if EXCEPTIONS.search(sentence) or (lead_in and EXCEPTIONS.search(lead_in)):
            return Polarity.MIXED
        return Polarity.DOES_NOT


def read_polarity_model(data: bytes) -> PolarityModel:
    """The model in a polarity file's bytes; ValueError with a reason when they are not one."""
    try:
        raw = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
        return PolarityModel(json.loads(raw))
    except (OSError, EOFError, UnicodeDecodeError, KeyError, TypeError) as error:
        raise ValueError(f"unreadable polarity file: {error}") from error


@functools.cache
def default_polarity() -> PolarityModel | None:
    """The bundled polarity model, or None when absent or unreadable (all practices "does")."""
    node = resource(*POLARITY_FILE)
    if not node.is_file():
        return None
    try:
        return read_polarity_model(node.read_bytes())
    except (OSError, ValueError):
        return None
