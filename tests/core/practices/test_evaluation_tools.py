"""The OPP-115 tools: segments written as files map back to the segments after loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyreader.core.loading import load_path
from policyreader.core.practices.detector import DetectorKind, PracticeDetector
from policyreader.core.practices.taxonomy import Category
from tests.conftest import OPP115
from tools.evaluate import Scores, evaluate, predict_segments
from tools.opp115 import Policy, SegmentMap, policy_file, read_policy, read_split, segment_text

POLICY = Policy(
    stem="fictitious",
    segments=[
        "Privacy at Quillwort\n\nQuillwort Ltd. respects your privacy.",
        "We collect your e-mail address when you subscribe.",
        "- We retain it for two years.\n- You can opt out at any time.",
    ],
    labels=[
        set(),
        {Category.FIRST_PARTY_COLLECTION},
        {Category.DATA_RETENTION, Category.USER_CHOICE},
    ],
)


def test_segment_html_becomes_the_text_a_reader_sees() -> None:
    raw = "Cookies <br> <br> We use &quot;cookies&quot;.<ul><li>one</li><li>two</li></ul>"
    # Each list item stands apart, as the loaders show list items: as blocks of their own.
    assert segment_text(raw) == 'Cookies\n\nWe use "cookies".\n\n- one\n\n- two'


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_spans_map_back_to_the_segments_their_words_came_from(fmt: str, tmp_path: Path) -> None:
    suffix, contents = policy_file(POLICY, fmt)
    path = tmp_path / f"policy{suffix}"
    path.write_text(contents, encoding="utf-8")
    document = load_path(path)
    mapping = SegmentMap(document.text, POLICY.segments)
    assert mapping.coverage > 0.9
    where = document.text.index("two years")
    assert mapping.segments_in(where, where + 9) == {2}
    start = document.text.index("We collect")
    assert mapping.segments_in(start, document.text.index("two years")) == {1, 2}


def test_scores_count_segments_once_per_category(tmp_path: Path) -> None:
    detector = PracticeDetector(DetectorKind.RULES)
    predicted = predict_segments(POLICY, detector, "text", tmp_path)
    assert Category.DATA_RETENTION in predicted[2]
    scores = evaluate([POLICY], detector)
    retention = scores.per_category[Category.DATA_RETENTION]
    assert (retention.tp, retention.fn) == (1, 0)
    assert 0.0 <= Scores().macro_f1 <= 1.0


@pytest.mark.shared
def test_majority_labels_of_a_real_policy() -> None:
    stem = read_split(OPP115)["validation"][0]
    policy = read_policy(stem, OPP115)
    assert len(policy.labels) == len(policy.segments)
    assert any(policy.labels)


def test_a_segment_stated_as_not_done_is_counted_as_called(tmp_path: Path) -> None:
    from policyreader.core.practices.polarity import default_polarity
    from tools.evaluate import PolarityScores, detect_segments

    policy = Policy(
        stem="fictitious-polarity",
        segments=[
            "We share your order details with the couriers who deliver them.",
            "We do not share your location with advertising partners.",
        ],
        labels=[{Category.THIRD_PARTY_SHARING}, {Category.THIRD_PARTY_SHARING}],
    )
    detector = PracticeDetector(DetectorKind.RULES, polarity=default_polarity())
    found, negated, any_negated = detect_segments(policy, detector, "text", tmp_path)
    assert Category.THIRD_PARTY_SHARING in found[1]
    assert negated == [set(), {Category.THIRD_PARTY_SHARING}] == any_negated
    scores = PolarityScores()
    scores.add(gold_not=True, gold_does=True, found=True, called=True)
    scores.add(gold_not=False, gold_does=True, found=True, called=False)
    assert (scores.recall, scores.false_rate, scores.precision) == (1.0, 0.0, 1.0)


def test_modern_quotes_are_scored_per_split(tmp_path: Path) -> None:
    import json

    from policyreader.core.practices.polarity import default_polarity
    from tools.evaluate_modern import read_quotes, score

    rows = [
        {
            "quote": "We keep your invoices for seven years.",
            "policy": "a",
            "split": "tune",
            "labels": {"data_retention": "does"},
        },
        {
            "quote": "We do not sell your personal data.",
            "policy": "b",
            "split": "held",
            "labels": {"third_party_sharing": "does_not"},
        },
        {"quote": "Thanks for reading.", "policy": "b", "split": "held", "labels": {}},
    ]
    path = tmp_path / "quotes.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    detector = PracticeDetector(DetectorKind.RULES, polarity=default_polarity())
    scores = score(read_quotes(path), detector)
    assert scores["tune"].per_category[Category.DATA_RETENTION].tp == 1
    assert scores["held"].quotes == 2 and scores["all"].quotes == 3
    assert (scores["held"].not_done, scores["held"].not_done_called) == (1, 1)
    assert scores["all"].found_share == 1.0
