"""The training script's nested cross-validation (needs the ``train`` extra; skipped without it)."""

from __future__ import annotations

import json

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("sklearn")

from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES, Category  # noqa: E402
from tools.train_model import FOLDS, Units, _subset, nested_f1  # noqa: E402

K = len(PRACTICE_CATEGORIES)


def _units(policies: int = 2 * FOLDS, passages: int = 6) -> tuple[Units, np.ndarray]:
    """One passage per segment; the first category is stated in every other passage."""
    units = Units()
    labels = []
    for policy in range(policies):
        gold = np.zeros((passages, K), dtype=bool)
        for index in range(passages):
            stated = (index + policy) % 2 == 0
            gold[index, 0] = stated
            units.docs.append([f"p{policy}s{index}"])
            units.labels.append([int(stated)] + [0] * (K - 1))
            units.rules.append([0.0] * K)
            units.decisive.append([False] * K)
            units.group.append(policy)
            units.segments.append([index])
            labels.append(stated)
        units.gold.append(gold)
    return units, np.array(labels)


def test_a_subset_keeps_whole_policies_numbered_anew() -> None:
    units, _ = _units()
    rows = np.array([group in (3, 7) for group in units.group])
    part = _subset(units, rows)
    assert sorted(set(part.group)) == [0, 1]
    assert len(part.gold) == 2 and len(part.docs) == rows.sum()
    assert part.docs[0] == units.docs[int(np.flatnonzero(rows)[0])]


def test_nested_scores_reward_logits_that_separate_and_punish_noise() -> None:
    units, stated = _units()
    separating = np.zeros((len(units.docs), K))
    separating[:, 0] = np.where(stated, 2.0, -2.0)
    assert nested_f1(units, separating)[:, 0].tolist() == [1.0, 1.0]
    noise = np.zeros((len(units.docs), K))
    noise[:, 0] = np.random.default_rng(3).normal(size=len(units.docs))
    assert nested_f1(units, noise)[0, 0] < 0.9


def _extra(tmp_path, rows: list[dict], weight: float = 1.0):
    from tools.train_model import read_extra

    path = tmp_path / "extra.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    return read_extra(path, weight)


def test_extra_sentences_give_words_and_labels_but_no_layout_terms(tmp_path) -> None:
    extra = _extra(
        tmp_path,
        [
            {"text": "We keep invoices for six years.", "labels": {"data_retention": "does"}},
            {"text": "Our office cat is called Biscuit.", "labels": {}},
        ],
        weight=2.0,
    )
    assert extra.weight == 2.0
    assert extra.labels[0][PRACTICE_CATEGORIES.index(Category.DATA_RETENTION)] == 1
    assert sum(extra.labels[0]) == 1 and sum(extra.labels[1]) == 0
    assert "invoices" in extra.docs[0] and "six years" in extra.docs[0]
    assert not [t for doc in extra.docs for t in doc if t.startswith(("pos:", "len:"))]


def test_extra_sentences_join_the_fit_but_are_never_scored(tmp_path) -> None:
    from tools.train_model import Extra, fit_logits, out_of_fold

    units, _ = _units()
    # Every category needs both classes to be fitted: "stated" passages state them all.
    for doc, labels in zip(units.docs, units.labels, strict=True):
        doc.append("stated" if labels[0] else "other")
        labels[:] = [labels[0]] * K
    # A word only the extra sentences know, stated with the first category three times.
    units.docs.append(["figleaf"])
    units.labels.append([0] * K)
    extra = _extra(
        tmp_path, [{"text": "figleaf", "labels": {"first_party_collection": "does"}}] * 3
    )
    train, test = np.arange(len(units.docs) - 1), np.array([len(units.docs) - 1])
    without = fit_logits(units, train, test, 4.0, Extra())
    with_extra = fit_logits(units, train, test, 4.0, extra)
    assert with_extra[0, 0] > without[0, 0] + 0.5
    units.docs.pop()
    units.labels.pop()
    assert out_of_fold(units, 4.0, extra).shape == (len(units.docs), K)


def test_the_written_modern_sentences_are_well_formed() -> None:
    from tools.train_model import DEFAULT_EXTRA

    rows = [json.loads(line) for line in DEFAULT_EXTRA.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 400
    assert len({row["text"] for row in rows}) == len(rows)
    seen = set()
    for row in rows:
        for category, polarity in row["labels"].items():
            seen.add(Category(category))
            assert polarity in {"does", "does_not", "mixed"}
    assert seen == set(PRACTICE_CATEGORIES)
    # Plain sentences that state no practice keep modern words from meaning "a practice".
    assert sum(not row["labels"] for row in rows) >= 60
