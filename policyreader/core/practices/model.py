"""The statistical scorer: a linear model over word n-grams, read from one weights file.

Training lives in ``tools/train_model.py`` (scikit-learn); here the weights are applied in plain
Python, so the application needs no numerical library. Features: lower-cased word unigrams and
bigrams of a passage (digits folded to ``0``) plus the words of the heading above it and two coarse
terms for its place in the document and its length, weighted by sublinear TF-IDF and
L2-normalised, exactly as the training script's vectoriser does.
"""

from __future__ import annotations

import base64
import functools
import gzip
import itertools
import json
import math
import re
import sys
from array import array
from collections import Counter
from typing import Any

from policyreader.core.practices.sentences import Passage, lower_text
from policyreader.core.practices.taxonomy import Category
from policyreader.resources_path import resource

MODEL_FILE = ("practices", "model.json.gz")
MODEL_FORMAT = "policyreader-linear-2"
CONTEXT_PREFIX = "h:"
LEAD_IN_PREFIX = "l:"
# Coarse position in the document (tenths) and length (log2 of the word count) of a passage.
POSITION_PREFIX = "pos:"
POSITION_BUCKETS = 10
LENGTH_PREFIX = "len:"
MAX_LENGTH_BUCKET = 6
EVIDENCE_PER_SENTENCE = 4
TOKEN = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d")

# The dot products of all categories are done at once on one Python integer: each category's
# weight (shifted to be non-negative) sits in its own FIELD_BITS-wide field, and feature values
# are quantised to QUANTUM steps. One big-integer multiply-add per feature replaces nine float
# ones, which is what lets plain Python score a megabyte a second.
QUANTUM = 1 << 12
WEIGHT_OFFSET = 1 << 15
FIELD_BITS = 52
FIELD_MASK = (1 << FIELD_BITS) - 1


def fold(text: str) -> str:
    """Lower-case with digits folded to ``0``; always the same length, so offsets still hold."""
    return _DIGITS.sub("0", lower_text(text))


def fold_lowered(lowered: str) -> str:
    """``fold`` for text that is already lower-cased with ``lower_text``."""
    return _DIGITS.sub("0", lowered)


def passage_terms(folded: str, passage: Passage) -> list[str]:
    """The feature terms of a passage (see ``passage_features``), from the folded document text.

    The training script calls this too, so the application sees exactly the features the model
    was fitted on.
    """
    words: list[str] = []
    for sentence in passage.sentences:
        words.extend(TOKEN.findall(folded, sentence.start, sentence.end))
    return passage_features(words, passage, len(folded))


def passage_features(words: list[str], passage: Passage, text_length: int) -> list[str]:
    """Unigrams, bigrams, the heading's words, and where the passage stands and how long it is.

    Where it stands matters because policies follow a common order (what is collected near the
    top, changes to the policy and contact details at the end); cross-validated on OPP-115 the
    two coarse terms add about half a point of macro-F1 and cost nothing to score.
    """
    terms = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
    terms.extend(CONTEXT_PREFIX + word for word in TOKEN.findall(fold(passage.context)))
    if passage.lead_in:
        terms.extend(LEAD_IN_PREFIX + word for word in TOKEN.findall(fold(passage.lead_in)))
    terms.append(f"{POSITION_PREFIX}{POSITION_BUCKETS * passage.start // max(1, text_length)}")
    terms.append(f"{LENGTH_PREFIX}{min(MAX_LENGTH_BUCKET, (len(words) + 1).bit_length() - 1)}")
    return terms


class ScoredPassage:
    """The model's view of one passage: a logit per category, evidence computed on demand."""

    def __init__(self, model: LinearModel, folded: str, passage: Passage) -> None:
        self.passage = passage
        self._model = model
        self._folded = folded
        index = model.index.get
        cache = model.cache
        self._words = [
            TOKEN.findall(folded, sentence.start, sentence.end) for sentence in passage.sentences
        ]
        words = [word for sentence_words in self._words for word in sentence_words]
        terms = passage_features(words, passage, len(folded))
        found = [
            (term, count, cache[row] or model.entry(row))
            for term, count in Counter(terms).items()
            if (row := index(term)) is not None
        ]
        values = [
            entry[0] * (1.0 + math.log(count)) if count > 1 else entry[0]
            for _, count, entry in found
        ]
        norm = math.sqrt(sum(value * value for value in values)) or 1.0
        scale = QUANTUM / norm
        total = 0
        quanta = 0
        # term -> quantised value of one occurrence; an occurrence's share of a logit.
        steps: dict[str, tuple[int, tuple[int, int, int]]] = {}
        for (term, count, entry), value in zip(found, values, strict=True):
            step = int(value * scale + 0.5)
            total += step * entry[1]
            quanta += step
            steps[term] = (step // count or (1 if step else 0), entry)
        self._steps = steps
        self._shares: list[dict[Category, float]] | None = None
        self._known_terms: list[list[tuple[str, int, int, tuple[int, int, int]]] | None] | None = (
            None
        )
        self.logits = model.decode(total, quanta)

    def confidence(
        self, category: Category, score: float | None = None, cut: float | None = None
    ) -> float:
        """How far ``score`` (default: the logit) clears ``cut``, mapped to 0..1; 0.5 at the cut."""
        value = self.logits[category] if score is None else score
        return sigmoid(value - (self._model.cuts[category] if cut is None else cut))

    @property
    def words(self) -> list[list[str]]:
        """Each sentence's ``TOKEN`` words in the folded text (the rules reuse them)."""
        return self._words

    def localise(self, category: Category) -> list[float]:
        """Each sentence's share of the category's logit (without the bias)."""
        if self._shares is None:
            if len(self._words) == 1:
                # One sentence holds the whole logit; no need to score it again.
                bias = dict(zip(self._model.categories, self._model.bias, strict=True))
                self._shares = [{c: value - bias[c] for c, value in self.logits.items()}]
            else:
                self._shares = [self._sentence_share(index) for index in range(len(self._words))]
        return [shares[category] for shares in self._shares]

    def _known(self, sentence: int) -> list[tuple[str, int, int, tuple[int, int, int]]]:
        """The sentence's features the model knows: (term, occurrences, step, entry)."""
        if self._known_terms is None:
            self._known_terms = [None] * len(self._words)
        known = self._known_terms[sentence]
        if known is None:
            words = self._words[sentence]
            steps = self._steps
            counts = Counter(words + [f"{a} {b}" for a, b in itertools.pairwise(words)])
            known = [
                (term, count, found[0], found[1])
                for term, count in counts.items()
                if (found := steps.get(term)) is not None and found[0]
            ]
            self._known_terms[sentence] = known
        return known

    def _sentence_share(self, sentence: int) -> dict[Category, float]:
        # All categories at once: one packed multiply-add per occurrence of a known feature,
        # straight from the words (no per-sentence table: ``_known`` is built for evidence only).
        words = self._words[sentence]
        step_of = self._steps.get
        total = 0
        quanta = 0
        for term in itertools.chain(words, map(" ".join, itertools.pairwise(words))):
            found = step_of(term)
            if found:
                total += found[0] * found[1][1]
                quanta += found[0]
        return self._model.decode(total, quanta, with_bias=False)

    def evidence(self, category: Category, sentence: int) -> list[tuple[float, int, int]]:
        """The features of one sentence that added most to the category, strongest first."""
        model = self._model
        column = model.categories.index(category) + 1
        width = len(model.categories) + 1
        weights = model.weights
        ranked = [
            (weight * step, term)
            for term, _, step, entry in self._known(sentence)
            if (weight := weights[entry[2] * width + column]) > 0
        ]
        if not ranked:
            return []
        ranked.sort(reverse=True)
        del ranked[EVIDENCE_PER_SENTENCE:]
        # Only the few phrases shown need offsets: the first occurrence of each (for a pair, the
        # first ``first`` followed by ``second``), located by scanning the words up to there.
        words = self._words[sentence]
        picks = []
        for share, term in ranked:
            first, _, second = term.partition(" ")
            index = words.index(first)
            while second and words[index + 1 : index + 2] != [second]:
                index = words.index(first, index + 1)
            picks.append((float(share), index, index + 1 if second else index))
        span = self.passage.sentences[sentence]
        last = max(pick[2] for pick in picks) + 1
        tokens = TOKEN.finditer(self._folded, span.start, span.end)
        bounds = [m.span() for m in itertools.islice(tokens, last)]
        return [(share, bounds[first][0], bounds[final][1]) for share, first, final in picks]


class LinearModel:
    """One-vs-rest logistic regression per category over shared TF-IDF features."""

    def __init__(self, data: dict[str, Any]) -> None:
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"unknown model format {data.get('format')!r}")
        self.categories = tuple(Category(name) for name in data["categories"])
        self.scale = float(data["scale"])
        terms = data["terms"].split("\n")
        self.index = dict(zip(terms, range(len(terms)), strict=True))
        # Per term: idf then one weight per category, integers times ``scale``, little-endian int16.
        self.weights = array("h", base64.b64decode(data["weights"]))
        if sys.byteorder != "little":
            self.weights.byteswap()
        width = len(self.categories) + 1
        if len(self.weights) != width * len(terms):
            raise ValueError("model weights do not match its terms")
        # Per row, built on first use: (idf, packed category weights, row), so that scoring a
        # term costs one look-up and one big-integer multiply-add, and loading stays quick.
        self.cache: list[tuple[int, int, int] | None] = [None] * len(terms)
        self._width = width
        self.bias = tuple(float(value) for value in data["bias"])
        # Decisions compare scores with cuts on the logit scale (probabilities near 0 or 1 lose
        # their precision in floating point; logits do not).
        self.cuts = dict(zip(self.categories, data["cuts"], strict=True))
        combined = data.get("combined", {})
        zero = [0.0] * len(self.categories)
        self.rule_bonus = dict(zip(self.categories, combined.get("bonus", zero), strict=True))
        # A rule confidence at or above this decides alone (``None`` in the file: never).
        overrides = combined.get("override", [None] * len(self.categories))
        self.rule_override = {
            category: 2.0 if level is None else float(level)
            for category, level in zip(self.categories, overrides, strict=True)
        }
        self.combined_cuts = dict(
            zip(self.categories, combined.get("cuts", data["cuts"]), strict=True)
        )
        self.info = {
            key: data[key] for key in ("source", "terms_of_use", "trained_on") if key in data
        }

    def entry(self, row: int) -> tuple[int, int, int]:
        """The scoring entry of one term's row (see ``cache``)."""
        width = self._width
        found = (self.weights[row * width], _pack(self.weights, row * width + 1, width - 1), row)
        self.cache[row] = found
        return found

    def decode(self, total: int, quanta: int, with_bias: bool = True) -> dict[Category, float]:
        """Per-category dot products out of a packed sum (see ``FIELD_BITS``)."""
        divisor = QUANTUM * self.scale
        logits: dict[Category, float] = {}
        for position, category in enumerate(self.categories):
            field = (total >> (FIELD_BITS * position)) & FIELD_MASK
            dot = (field - WEIGHT_OFFSET * quanta) / divisor
            logits[category] = (self.bias[position] if with_bias else 0.0) + dot
        return logits

    def score(self, text: str, passage: Passage, folded: str | None = None) -> ScoredPassage:
        """Score ``passage``; pass ``folded`` (``fold(text)``) when scoring many passages."""
        return ScoredPassage(self, folded if folded is not None else fold(text), passage)


def _pack(weights: array, first: int, count: int) -> int:
    value = 0
    for position in range(count):
        value |= (weights[first + position] + WEIGHT_OFFSET) << (FIELD_BITS * position)
    return value


def sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


def read_model(data: bytes) -> LinearModel:
    """A model from the bytes of a weights file (gzip-compressed JSON or plain JSON)."""
    raw = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    return LinearModel(json.loads(raw))


@functools.cache
def default_model() -> LinearModel | None:
    """The bundled model, or None when the weights file is absent (rules then work alone)."""
    node = resource(*MODEL_FILE)
    if not node.is_file():
        return None
    return read_model(node.read_bytes())
