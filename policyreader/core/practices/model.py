"""The statistical scorer: a linear model over word n-grams, read from one JSON weights file.

Training lives in ``tools/train_model.py`` (scikit-learn); here the weights are applied in plain
Python, so the application needs no numerical library. Features: lower-cased word unigrams and
bigrams of a passage (digits folded to ``0``) plus the words of the heading above it, weighted
by sublinear TF-IDF and L2-normalised, exactly as the training script's vectoriser does.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from policyreader.core.practices.sentences import Passage
from policyreader.core.practices.taxonomy import Category
from policyreader.resources_path import resource

MODEL_FILE = ("practices", "model.json.gz")
MODEL_FORMAT = "policyreader-linear-1"
_TOKEN = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d")
CONTEXT_PREFIX = "h:"


@dataclass(frozen=True, slots=True)
class Token:
    term: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Feature:
    """A feature occurrence: the characters it covers and the sentence it starts in (-1: heading)."""

    term: str
    start: int
    end: int
    sentence: int


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    stop = len(text) if end is None else end
    return [
        Token(_DIGITS.sub("0", match.group().lower()), match.start(), match.end())
        for match in _TOKEN.finditer(text, start, stop)
    ]


def passage_features(tokens: list[Token], sentence_of: list[int], context: str) -> list[Feature]:
    """Unigrams and bigrams of the passage, then the heading's words (which cover no span)."""
    features = [
        Feature(token.term, token.start, token.end, sentence_of[i]) for i, token in enumerate(tokens)
    ]
    features.extend(
        Feature(f"{first.term} {second.term}", first.start, second.end, sentence_of[i])
        for i, (first, second) in enumerate(itertools.pairwise(tokens))
    )
    features.extend(Feature(CONTEXT_PREFIX + token.term, -1, -1, -1) for token in tokenize(context))
    return features


def analyse(text: str, context: str = "") -> list[str]:
    """The feature terms of a passage: the analyser the training script hands to scikit-learn."""
    tokens = tokenize(text)
    return [feature.term for feature in passage_features(tokens, [0] * len(tokens), context)]


def _sentence_indexes(tokens: list[Token], passage: Passage) -> list[int]:
    indexes = []
    position = 0
    sentences = passage.sentences
    for token in tokens:
        while position + 1 < len(sentences) and token.start >= sentences[position].end:
            position += 1
        indexes.append(position)
    return indexes


class ScoredPassage:
    """The model's view of one passage: a logit per category, evidence computed on demand."""

    def __init__(self, model: LinearModel, passage: Passage, features: list[Feature]) -> None:
        self.passage = passage
        self._model = model
        self._features = features
        counts: dict[str, int] = {}
        for feature in features:
            counts[feature.term] = counts.get(feature.term, 0) + 1
        vocabulary = model.vocabulary
        values: dict[str, float] = {}
        for term, count in counts.items():
            entry = vocabulary.get(term)
            if entry is not None:
                values[term] = (1.0 + math.log(count)) * entry[0]
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        logits = list(model.bias)
        for term, value in values.items():
            scaled = value / norm
            values[term] = scaled
            for index, weight in enumerate(vocabulary[term][1]):
                logits[index] += weight * scaled
        self._counts = counts
        self._values = values
        self.logits = dict(zip(model.categories, logits, strict=True))

    def probability(self, category: Category) -> float:
        return _sigmoid(self.logits[category])

    def localise(self, category: Category) -> tuple[list[float], list[list[tuple[float, int, int]]]]:
        """Each sentence's share of the category's logit, and its strongest positive features."""
        index = self._model.categories.index(category)
        vocabulary = self._model.vocabulary
        count = len(self.passage.sentences)
        totals = [0.0] * count
        best: list[dict[str, tuple[float, int, int]]] = [{} for _ in range(count)]
        for feature in self._features:
            value = self._values.get(feature.term)
            if value is None or feature.sentence < 0:
                continue
            share = vocabulary[feature.term][1][index] * value / self._counts[feature.term]
            totals[feature.sentence] += share
            if share > 0:
                found = best[feature.sentence]
                known = found.get(feature.term)
                if known is None:
                    found[feature.term] = (share, feature.start, feature.end)
        evidence = [
            sorted(found.values(), key=lambda item: -item[0])[:EVIDENCE_PER_SENTENCE]
            for found in best
        ]
        return totals, evidence


class LinearModel:
    """One-vs-rest logistic regression per category over shared TF-IDF features."""

    def __init__(self, data: dict[str, Any]) -> None:
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"unknown model format {data.get('format')!r}")
        self.categories = tuple(Category(name) for name in data["categories"])
        scale = float(data.get("scale", 1.0))
        # term -> (idf, weights per category); numbers are stored as integers times ``scale``.
        self.vocabulary: dict[str, tuple[float, tuple[float, ...]]] = {
            term: (row[0] / scale, tuple(value / scale for value in row[1:]))
            for term, row in data["vocabulary"].items()
        }
        self.bias = tuple(float(value) for value in data["bias"])
        self.thresholds = dict(zip(self.categories, data["thresholds"], strict=True))
        combined = data.get("combined", {})
        zero = [0.0] * len(self.categories)
        self.rule_bonus = dict(zip(self.categories, combined.get("bonus", zero), strict=True))
        self.combined_thresholds = dict(
            zip(self.categories, combined.get("thresholds", data["thresholds"]), strict=True)
        )
        self.info = {key: data[key] for key in ("source", "terms", "trained_on") if key in data}

    def score(self, text: str, passage: Passage) -> ScoredPassage:
        tokens = tokenize(text, passage.start, passage.end)
        features = passage_features(tokens, _sentence_indexes(tokens, passage), passage.context)
        return ScoredPassage(self, passage, features)


EVIDENCE_PER_SENTENCE = 4


def _sigmoid(value: float) -> float:
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
