"""The detector's shortcuts (literal gates, the model's words reused) never change what it finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policyreader.core.loading import load_path, load_text
from policyreader.core.practices.attributes import default_attributes
from policyreader.core.practices.detector import DetectorKind, PracticeDetector
from policyreader.core.practices.model import TOKEN, default_model, fold_lowered
from policyreader.core.practices.rules import (
    WORD,
    contains_any,
    default_rules,
    required_literals,
)
from policyreader.core.practices.sentences import lower_text, passages, split_sentences
from policyreader.core.practices.taxonomy import CATEGORY_ATTRIBUTES

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("expression", "literals"),
    [
        (r"\be-?mail address(?:es)?\b", {"mail address"}),
        (r"\b(?:we|us)\b(?:\W+\w+){0,3}?\W+(?:collects?|gathered)\b", {"collect", "gathered"}),
        (r"\bopt(?:[- ]?out|s out)\b|\bunsubscrib\w*", {"opt", "unsubscrib"}),
        (r"\b(?:share|shares|shared)\b", {"share"}),
        (r"\d+ days", {" days"}),
        (r"(?i)cookies", None),
        (r"\w+|cookies", None),
    ],
)
def test_required_literals_are_what_every_match_contains(
    expression: str, literals: set[str] | None
) -> None:
    found = required_literals(expression)
    assert (None if found is None else set(found)) == literals


def test_contains_any_looks_only_inside_the_span() -> None:
    text = "cookies here. nothing there."
    assert contains_any(text, frozenset({"cookie"}), 0, 13)
    assert not contains_any(text, frozenset({"cookie"}), 14, len(text))
    assert contains_any(text, None, 14, len(text))


def _spans(name: str) -> tuple[str, list[tuple[int, int]]]:
    document = load_path(FIXTURES / name)
    lowered = lower_text(document.text)
    spans = [(s.start, s.end) for p in passages(document) for s in p.sentences]
    # Whole blocks too: practices span several sentences.
    spans += [(b.start, b.end) for b in document.blocks]
    spans += [(s.start, s.end) for s in split_sentences(lowered, 0, len(lowered))]
    return lowered, spans


@pytest.mark.parametrize("name", ["lanternfish.md", "lanternfish.txt"])
def test_no_pattern_matches_where_its_gate_says_it_cannot(name: str) -> None:
    lowered, spans = _spans(name)
    expressions = [
        p[2] for spec in default_rules().lexicon["categories"].values() for p in spec["patterns"]
    ]
    expressions += [v.pattern.pattern for v in default_attributes().values]
    matched = 0
    for expression in expressions:
        pattern = re.compile(expression)
        literals = required_literals(expression)
        for start, end in spans:
            if pattern.search(lowered, start, end):
                matched += 1
                assert contains_any(lowered, literals, start, end), (expression, start, end)
    assert matched > 100  # the fixtures exercise the lexicon, so the check means something


@pytest.mark.parametrize("name", ["lanternfish.md", "lanternfish.txt"])
def test_gated_attributes_equal_trying_every_value(name: str) -> None:
    document = load_path(FIXTURES / name)
    lexicon = default_attributes()
    _, spans = _spans(name)
    for category in CATEGORY_ATTRIBUTES:
        for start, end in spans:
            assert lexicon.extract(category, document.text, start, end) == lexicon.extract(
                category, document.text, start, end, gated=False
            )


def test_the_rules_reuse_the_model_words_only_where_they_read_the_same() -> None:
    model = default_model()
    if model is None:
        pytest.skip("no bundled model")
    assert TOKEN.pattern == WORD.pattern
    text = (FIXTURES / "lanternfish.md").read_text(encoding="utf-8")
    document = load_text(text + "\n\nWe keep logs for 30 days and 12 months.\n", name="x.md")
    lowered = lower_text(document.text)
    folded = fold_lowered(lowered)
    detector = PracticeDetector(DetectorKind.COMBINED, model=model)
    rules = detector.rules
    for passage in passages(document):
        scored = model.score(lowered, passage, folded)
        for sentence, words in zip(passage.sentences, scored.words, strict=True):
            if not any(c.isdigit() for c in lowered[sentence.start : sentence.end]):
                assert words == WORD.findall(lowered, sentence.start, sentence.end)
                assert rules.candidates(lowered, sentence, words) == rules.candidates(
                    lowered, sentence
                )


@pytest.mark.parametrize(
    "sentence",
    [
        "We share lists with our advertisers.",  # the anchor "vertis" sits inside a word
        "Our subsidiaries may receive it.",
        "Contact us by e-mail or at our postal address.",  # literals across a hyphen and a space
        "Kids under 13 may not register; we verify ages at sign-up.",
    ],
)
def test_word_gated_attributes_keep_values_found_inside_words(sentence: str) -> None:
    lexicon = default_attributes()
    found = 0
    for category in CATEGORY_ATTRIBUTES:
        gated = lexicon.extract(category, sentence, 0, len(sentence))
        every = lexicon.extract(category, sentence, 0, len(sentence), gated=False)
        assert gated == every
        found += len(every)
    assert found  # each sentence states some attribute, so the comparison means something
