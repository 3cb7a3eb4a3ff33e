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
import operator
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
# Words that carry weight in the model ("and" leans towards collection lists, "or" towards
# choices) but explain nothing to a reader: never shown alone as evidence, nor as a pair of two.
_FUNCTION_WORD_LIST = (
    "a about above after again all also am an and any are as at be because been before being "
    "below between both but by can could did do does doing down during each few for from "
    "further had has have having he her here hers him his how i if in into is it its itself "
    "just me more most my no nor not now of off on once only or other our ours out over own "
    "same she should so some such than that the their theirs them then there these they this "
    "those through to too under until up us very was we were what when where which while who "
    "whom why will with would you your yours"
)
FUNCTION_WORDS = frozenset(_FUNCTION_WORD_LIST.split())
_DIGITS = re.compile(r"\d")

# The dot products of all categories are done at once on one Python integer: each term's
# weights (shifted to be non-negative) sit in FIELD_BITS-wide fields of one packed integer, and
# one field above them holds 1, so that its sum counts the values the shift added; the whole is
# multiplied by the term's idf when the model loads. A last field holds the idf squared, so the
# same sum gives the passage's squared L2 norm for every term that occurs once (repeated terms
# are corrected one by one). Scoring a passage is then a few C-level passes (look up, multiply
# by the quantised term frequency, sum) instead of a Python loop per term and category.
TF_SCALE = 1 << 10
FIELD_BITS = 64
FIELD_BYTES = FIELD_BITS // 8
FIELD_MASK = (1 << FIELD_BITS) - 1
# int16 weights plus this offset are non-negative 16-bit values; a field's sum over a passage
# (value < 2**16, times idf x tf < 2**27, times at most 2**11 terms) stays below 2**64.
WEIGHT_OFFSET = 1 << 15


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
    two coarse terms add about half a point of macro-F1 and cost nothing to score. The words come
    first and their pairs right after, both in order: the scorer cuts sentences out of the list.
    """
    terms = words + list(map(" ".join, itertools.pairwise(words)))
    terms.extend(_prefixed_words(CONTEXT_PREFIX, passage.context))
    if passage.lead_in:
        terms.extend(_prefixed_words(LEAD_IN_PREFIX, passage.lead_in))
    terms.append(f"{POSITION_PREFIX}{POSITION_BUCKETS * passage.start // max(1, text_length)}")
    terms.append(f"{LENGTH_PREFIX}{min(MAX_LENGTH_BUCKET, (len(words) + 1).bit_length() - 1)}")
    return terms


@functools.lru_cache(maxsize=256)
def _prefixed_words(prefix: str, text: str) -> tuple[str, ...]:
    # Cached: every passage of a section repeats its heading (and a list its lead-in).
    return tuple(prefix + word for word in TOKEN.findall(fold(text)))


class _FrequencyTables:
    """Sublinear term frequency ``1 + ln(count)`` by count, as the scorer needs it.

    ``per_occurrence``: times ``TF_SCALE``, shared out over the count and rounded (a passage is
    scored occurrence by occurrence, so that any sentence's share is a slice of the sum);
    ``square_correction``: what a term of that count adds to the squared L2 norm (times
    ``TF_SCALE`` squared, over its idf squared) beyond what the packed norm field summed for
    it. Grown on demand.
    """

    def __init__(self) -> None:
        self.per_occurrence: list[int] = [0]
        self.square_correction: list[float] = [0.0]
        self.cover(1024)

    def cover(self, count: int) -> None:
        for value in range(len(self.per_occurrence), count + 1):
            scaled = TF_SCALE * (1.0 + math.log(value))
            share = round(scaled / value)
            self.per_occurrence.append(share)
            self.square_correction.append(scaled * scaled - TF_SCALE * value * share)


_TF = _FrequencyTables()
_ONES = itertools.repeat(1)


class ScoredPassage:
    """The model's view of one passage: a logit per category, evidence computed on demand.

    Every occurrence of a term keeps its own part of the packed sum, so a sentence's share of
    the logits is the sum of its slice of those parts (its words, then its pairs).
    """

    def __init__(self, model: LinearModel, folded: str, passage: Passage) -> None:
        self.passage = passage
        self._model = model
        self._folded = folded
        self._words = [
            TOKEN.findall(folded, sentence.start, sentence.end) for sentence in passage.sentences
        ]
        # (``passage_features`` copies the words: one sentence's list can serve as they are.)
        words = (
            self._words[0]
            if len(self._words) == 1
            else list(itertools.chain.from_iterable(self._words))
        )
        terms = passage_features(words, passage, len(folded))
        counts = Counter(terms)
        if len(terms) >= len(_TF.per_occurrence):
            _TF.cover(max(counts.values()))  # no count exceeds the number of terms
        # Terms the model does not know map to its empty row (idf 0, so they weigh nothing).
        rows = list(map(model.index.get, terms, itertools.repeat(model.unknown_row)))
        frequencies = list(map(_TF.per_occurrence.__getitem__, map(counts.__getitem__, terms)))
        parts = list(map(operator.mul, map(model.packed.__getitem__, rows), frequencies))
        total = sum(parts)
        self._norm = model.norm(total, counts)
        self._terms, self._rows, self._frequencies, self._parts = terms, rows, frequencies, parts
        self._word_count = len(words)
        self._sentence_starts = list(itertools.accumulate(map(len, self._words), initial=0))
        self._shares: list[dict[Category, float]] | None = None
        self.logits = model.decode(total, self._norm)

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

    def _slices(self, sentence: int) -> tuple[slice, slice]:
        """Where the sentence's words and its pairs sit in the passage's terms.

        (The pair that joins it to the next sentence belongs to neither.)
        """
        first, end = self._sentence_starts[sentence], self._sentence_starts[sentence + 1]
        pairs = self._word_count + first
        return slice(first, end), slice(pairs, pairs + max(0, end - first - 1))

    def _sentence_share(self, sentence: int) -> dict[Category, float]:
        words, pairs = self._slices(sentence)
        total = sum(self._parts[words]) + sum(self._parts[pairs])
        return self._model.decode(total, self._norm, with_bias=False)

    def evidence(self, category: Category, sentence: int) -> list[tuple[float, int, int]]:
        """The features of one sentence that added most to the category, strongest first."""
        model = self._model
        column = model.columns[model.categories.index(category)]
        own_words, own_pairs = self._slices(sentence)
        rows = self._rows[own_words] + self._rows[own_pairs]
        frequencies = self._frequencies[own_words] + self._frequencies[own_pairs]
        values = map(operator.mul, map(model.idf.__getitem__, rows), frequencies)
        terms = self._terms[own_words] + self._terms[own_pairs]
        # Unknown terms have value 0: only known terms with a positive weight are ranked.
        scores = list(map(operator.mul, map(column.__getitem__, rows), values))
        speaking = map(operator.gt, scores, itertools.repeat(0))
        ranked: list[tuple[int, str]] = []
        strongest: tuple[int, str] | None = None
        for score, term in sorted(
            itertools.compress(zip(scores, terms, strict=True), speaking), reverse=True
        ):
            strongest = strongest or (score, term)
            if _says_nothing(term) or (ranked and ranked[-1][1] == term):
                continue  # a repeated term ranks once
            ranked.append((score, term))
            if len(ranked) == EVIDENCE_PER_SENTENCE:
                break
        if not ranked and strongest is not None:
            ranked.append(strongest)  # a sentence that speaks through function words alone
        if not ranked:
            return []
        # Only the few phrases shown need offsets: the first occurrence of each (for a pair, the
        # first ``first`` followed by ``second``), located by scanning the words up to there.
        words = self._words[sentence]
        picks = []
        divisor = model.scale * self._norm
        for share, term in ranked:
            first, _, second = term.partition(" ")
            index = words.index(first)
            while second and words[index + 1 : index + 2] != [second]:
                index = words.index(first, index + 1)
            picks.append((share / divisor, index, index + 1 if second else index))
        span = self.passage.sentences[sentence]
        last = max(pick[2] for pick in picks) + 1
        tokens = TOKEN.finditer(self._folded, span.start, span.end)
        bounds = [m.span() for m in itertools.islice(tokens, last)]
        return [(share, bounds[first][0], bounds[final][1]) for share, first, final in picks]


def _says_nothing(term: str) -> bool:
    """A function word, or a pair of them ("and the"): no explanation for a reader."""
    first, _, second = term.partition(" ")
    return first in FUNCTION_WORDS and (not second or second in FUNCTION_WORDS)


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
        self._pack_rows(len(terms), width)
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

    def _pack_rows(self, count: int, width: int) -> None:
        """Per term row, its category weights and a count field packed in one integer, times idf.

        Built with C-level byte slicing (a Python loop over every row and category would cost
        more than the budget for loading the model): each weight's two little-endian bytes,
        its sign bit flipped (which adds ``WEIGHT_OFFSET``), go to the low bytes of its field.
        The extra last row, ``unknown_row``, stands for every term the model does not know.
        """
        columns = width - 1
        little_endian = array("h", self.weights)
        if sys.byteorder != "little":
            little_endian.byteswap()
        raw = little_endian.tobytes()
        flip_sign = bytes(range(128, 256)) + bytes(range(128))
        record = FIELD_BYTES * columns
        fields = bytearray(record * count)
        for column in range(columns):
            low = 2 * (column + 1)
            fields[FIELD_BYTES * column :: record] = raw[low :: 2 * width]
            fields[FIELD_BYTES * column + 1 :: record] = raw[low + 1 :: 2 * width].translate(
                flip_sign
            )
        view = memoryview(fields)
        unshifted = [
            int.from_bytes(view[start : start + record], "little")
            for start in range(0, len(fields), record)
        ]
        self.idf = self.weights[0::width]
        with_count = map((1 << (FIELD_BITS * columns)).__add__, unshifted)
        self.idf_squared = array("q", map(operator.mul, self.idf, self.idf))
        self.packed = list(
            map(
                operator.add,
                map(operator.mul, with_count, self.idf),
                map((1 << self._norm_shift).__mul__, self.idf_squared),
            )
        )
        self.packed.append(0)
        self.idf.append(0)
        self.idf_squared.append(0)
        # Per category, each row's weight (for evidence).
        self.columns = [self.weights[column::width] for column in range(1, width)]
        for weights in self.columns:
            weights.append(0)
        self.unknown_row = count

    def decode(self, total: int, norm: float, with_bias: bool = True) -> dict[Category, float]:
        """Per-category dot products out of a packed sum (see ``FIELD_BITS``).

        ``total`` is the sum of packed rows (idf included) times scaled term frequencies, ``norm``
        the L2 norm of the passage's idf x tf values. The top field holds the sum of those values,
        each of which carried ``WEIGHT_OFFSET`` once into every category's field.
        """
        divisor = self.scale * norm
        offset = WEIGHT_OFFSET * ((total >> (FIELD_BITS * len(self.categories))) & FIELD_MASK)
        logits: dict[Category, float] = {}
        for position, category in enumerate(self.categories):
            field = (total >> (FIELD_BITS * position)) & FIELD_MASK
            dot = (field - offset) / divisor
            logits[category] = (self.bias[position] if with_bias else 0.0) + dot
        return logits

    @property
    def _norm_shift(self) -> int:
        # Above the category fields and the count field.
        return FIELD_BITS * (len(self.categories) + 1)

    def norm(self, total: int, counts: Counter[str]) -> float:
        """The passage's L2 norm (times ``TF_SCALE``) from its packed sum and term counts.

        The norm field summed idf² x ``TF_SCALE`` x frequency share over the occurrences, which
        is the squared norm divided by ``TF_SCALE`` for a term met once; the few repeated terms
        add their correction.
        """
        squared = TF_SCALE * (total >> self._norm_shift)
        repeated = itertools.compress(counts.items(), map(operator.gt, counts.values(), _ONES))
        for term, count in repeated:
            row = self.index.get(term)
            if row is not None:
                squared += self.idf_squared[row] * _TF.square_correction[count]
        return math.sqrt(squared) or 1.0

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
