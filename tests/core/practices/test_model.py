"""The weights file: small, quick to load, and read exactly as the training script wrote it."""

from __future__ import annotations

import base64
import json
import math
import time
from array import array

import pytest

from policyreader.core.loading import load_text
from policyreader.core.practices.model import (
    MODEL_FILE,
    MODEL_FORMAT,
    LinearModel,
    fold,
    passage_terms,
    read_model,
)
from policyreader.core.practices.sentences import passages
from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES
from policyreader.resources_path import resource


def _tiny_model(rows: dict[str, list[int]], bias: float = -1.0) -> LinearModel:
    terms = list(rows)
    weights = array("h", [value for term in terms for value in rows[term]])
    return LinearModel(
        {
            "format": MODEL_FORMAT,
            "categories": [c.value for c in PRACTICE_CATEGORIES],
            "scale": 1000,
            "bias": [bias] * 9,
            "cuts": [0.0] * 9,
            "terms": "\n".join(terms),
            "weights": base64.b64encode(weights.tobytes()).decode(),
        }
    )


def test_scores_equal_tfidf_dot_products_including_negative_weights() -> None:
    rows = {
        "we": [1000, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        "collect": [2500, 3000, -2000, 0, 0, 0, 0, 0, 0, 9000],
        "we collect": [3000, 1500, 0, -32768, 0, 0, 0, 0, 0, 0],
        "h:cookies": [2000, 0, 0, 0, 0, 0, 0, 0, 4000, 0],
    }
    model = _tiny_model(rows)
    document = load_text("# Cookies\n\nWe collect, we collect.\n", name="p.md")
    passage = next(passages(document))
    terms = passage_terms(fold(document.text), passage)
    counts = {t: terms.count(t) for t in set(terms) if t in rows}
    values = {t: (1 + math.log(c)) * rows[t][0] / 1000 for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in values.values()))
    scored = model.score(document.text, passage)
    for position, category in enumerate(PRACTICE_CATEGORIES):
        expected = -1.0 + sum(values[t] / norm * rows[t][position + 1] / 1000 for t in values)
        assert scored.logits[category] == pytest.approx(expected, abs=0.01)


def test_a_list_item_is_scored_with_the_words_of_its_lead_in() -> None:
    rows = {"l:collect": [2000, 3000, 0, 0, 0, 0, 0, 0, 0, 0]}
    model = _tiny_model(rows)
    document = load_text("We use what we collect to:\n\n- answer your requests\n", name="p.md")
    lead_in, item = passages(document)
    assert "l:collect" in passage_terms(fold(document.text), item)
    assert "l:collect" not in passage_terms(fold(document.text), lead_in)
    first = PRACTICE_CATEGORIES[0]
    assert (
        model.score(document.text, item).logits[first]
        > 0
        > model.score(document.text, lead_in).logits[first]
    )


def test_a_file_of_another_format_is_refused() -> None:
    with pytest.raises(ValueError, match="format"):
        read_model(json.dumps({"format": "something-else"}).encode())


@pytest.mark.timing
def test_bundled_weights_are_small_and_load_quickly() -> None:
    data = resource(*MODEL_FILE).read_bytes()
    assert len(data) < 10 * 1024 * 1024
    started = time.process_time()
    model = read_model(data)
    # The benchmark reports the real figure (about 20 ms); this bound only catches regressions.
    assert time.process_time() - started < 0.5
    assert model.categories == PRACTICE_CATEGORIES
    assert "terms_of_use" in model.info and "OPP-115" in model.info["terms_of_use"]


def test_evidence_skips_function_words_unless_they_are_all_there_is() -> None:
    first = PRACTICE_CATEGORIES[0]
    rows = {
        "and": [1000, 9000, 0, 0, 0, 0, 0, 0, 0, 0],
        "the": [1000, 8000, 0, 0, 0, 0, 0, 0, 0, 0],
        "and the": [1000, 7000, 0, 0, 0, 0, 0, 0, 0, 0],
        "location": [1000, 2000, 0, 0, 0, 0, 0, 0, 0, 0],
        "location and": [1000, 1000, 0, 0, 0, 0, 0, 0, 0, 0],
    }
    model = _tiny_model(rows)
    document = load_text("Location and the rest.\n\nAnd the.\n", name="p.txt")
    found = list(passages(document))
    scored = model.score(document.text, found[0])
    shown = [document.text[s:e].lower() for _, s, e in scored.evidence(first, 0)]
    assert shown == ["location", "location and"]
    only_function_words = model.score(document.text, found[1])
    shown = [document.text[s:e].lower() for _, s, e in only_function_words.evidence(first, 0)]
    assert shown == ["and"]  # the strongest, so the detection can still say why
