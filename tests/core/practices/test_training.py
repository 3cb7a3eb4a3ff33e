"""The training script's nested cross-validation (needs the ``train`` extra; skipped without it)."""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("sklearn")

from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES  # noqa: E402
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
