"""The statistical scorer: a linear model over word n-grams, read from one weights file.

Training lives in ``tools/train_model.py`` (scikit-learn); here the weights are applied in plain
Python, so the application needs no numerical library. Features: lower-cased word unigrams and
bigrams of a passage (digits folded to ``0``) plus the words of the heading above it, weighted by
sublinear TF-IDF and L2-normalised, exactly as the training script's vectoriser does.
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

from policyreader.core.practices.sentences import Passage, Sentence, lower_text
from policyreader.core.practices.taxonomy import Category
from policyreader.resources_path import resource

MODEL_FILE = ("practices", "model.json.gz")
MODEL_FORMAT = "policyreader-linear-2"
CONTEXT_PREFIX = "h:"
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
    """The feature terms of a passage: unigrams, bigrams, then the heading's words.

    The training script calls this too, so the application sees exactly the features the model
    was fitted on.
    """
    words: list[str] = []
    for sentence in passage.sentences:
        words.extend(TOKEN.findall(folded, sentence.start, sentence.end))
    terms = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
    terms.extend(CONTEXT_PREFIX + word for word in TOKEN.findall(fold(passage.context)))
    return terms


class ScoredPassage:
    """The model's view of one passage: a logit per category, evidence computed on demand."""

    def __init__(self, model: LinearModel, folded: str, passage: Passage) -> None:
        self.passage = passage
        self._model = model
        self._folded = folded
        index = model.index
        idf = model.idf
        values: dict[int, float] = {}
        self._counts = Counter(passage_terms(folded, passage))
        for term, count in self._counts.items():
            row = index.get(term)
            if row is not None:
                values[row] = idf[row] * (1.0 + math.log(count)) if count > 1 else idf[row]
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        packed = model.packed
        total = 0
        quanta = 0
        for row, value in values.items():
            step = int(value / norm * QUANTUM + 0.5)
            values[row] = step / QUANTUM
            total += step * packed(row)
            quanta += step
        self._values = values
        self._located: list[list[tuple[str, int, int, int]]] | None = None
        divisor = QUANTUM * model.scale
        self.logits: dict[Category, float] = {}
        for position, category in enumerate(model.categories):
            field = (total >> (FIELD_BITS * position)) & FIELD_MASK
            dot = (field - WEIGHT_OFFSET * quanta) / divisor
            self.logits[category] = model.bias[position] + dot

    def confidence(
        self, category: Category, score: float | None = None, cut: float | None = None
    ) -> float:
        """How far ``score`` (default: the logit) clears ``cut``, mapped to 0..1; 0.5 at the cut."""
        value = self.logits[category] if score is None else score
        return sigmoid(value - (self._model.cuts[category] if cut is None else cut))

    def localise(
        self, category: Category
    ) -> tuple[list[float], list[list[tuple[float, int, int]]]]:
        """Each sentence's share of the category's logit, and its strongest positive features."""
        model = self._model
        column = model.categories.index(category) + 1
        width = len(model.categories) + 1
        weights = model.weights
        index = model.index
        shares: list[float] = []
        evidence: list[list[tuple[float, int, int]]] = []
        if self._located is None:
            # Offsets are only needed once a category is found; computed once per passage.
            self._located = [
                [
                    (term, start, stop, row)
                    for term, start, stop in _located_terms(self._folded, sentence)
                    if (row := index.get(term)) is not None and row in self._values
                ]
                for sentence in self.passage.sentences
            ]
        for located in self._located:
            total = 0.0
            found: dict[str, tuple[float, int, int]] = {}
            for term, start, end, row in located:
                share = (
                    weights[row * width + column]
                    / model.scale
                    * self._values[row]
                    / self._counts[term]
                )
                total += share
                if share > 0 and term not in found:
                    found[term] = (share, start, end)
            shares.append(total)
            evidence.append(
                sorted(found.values(), key=lambda item: -item[0])[:EVIDENCE_PER_SENTENCE]
            )
        return shares, evidence


def _located_terms(folded: str, sentence: Sentence) -> list[tuple[str, int, int]]:
    tokens = [
        (m.group(), m.start(), m.end())
        for m in TOKEN.finditer(folded, sentence.start, sentence.end)
    ]
    pairs = [(f"{a[0]} {b[0]}", a[1], b[2]) for a, b in itertools.pairwise(tokens)]
    return tokens + pairs


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
        self.idf = self.weights[::width]
        self._packed: dict[int, int] = {}
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

    def packed(self, row: int) -> int:
        """The category weights of one term in one integer (see ``FIELD_BITS``), built on demand."""
        value = self._packed.get(row)
        if value is None:
            width = len(self.categories) + 1
            value = 0
            for position in range(len(self.categories)):
                weight = self.weights[row * width + 1 + position] + WEIGHT_OFFSET
                value |= weight << (FIELD_BITS * position)
            self._packed[row] = value
        return value

    def score(self, text: str, passage: Passage, folded: str | None = None) -> ScoredPassage:
        """Score ``passage``; pass ``folded`` (``fold(text)``) when scoring many passages."""
        return ScoredPassage(self, folded if folded is not None else fold(text), passage)


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
