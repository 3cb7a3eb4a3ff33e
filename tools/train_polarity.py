"""Train the polarity model on OPP-115's "Does/Does Not" attribute; write ``polarity.json.gz``.

Units are the sentences the application sees: each policy is written to a file, opened with
``load_path`` and cut into passages; a sentence takes the votes of the collection and sharing
annotations whose selected text it shares a word trigram with. "Does not" when at least two
annotators said so, "does" when at least two said "does" and none "does not"; the rest is left
out. The cut is chosen by grouped cross-validation: the lowest score cut that calls at most
``MAX_FALSE_RATE`` of the "does" sentences "does not". Needs scikit-learn.

    python -m tools.train_polarity --fit all      # ship (train + validation)
    python -m tools.train_polarity --fit train --out /tmp/p.json.gz   # for validation figures
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from policyreader.core.loading import load_path
from policyreader.core.practices.polarity import POLARITY_FORMAT, features
from policyreader.core.practices.sentences import passages
from tools.opp115 import (
    DEFAULT_ROOT,
    REPO,
    SegmentMap,
    policy_file,
    read_policy,
    read_split,
    trigrams,
)

DEFAULT_OUT = REPO / "resources" / "practices" / "polarity.json.gz"
POLARITY_CATEGORIES = ("First Party Collection/Use", "Third Party Sharing/Collection")
MAJORITY = 2
PLACING_ATTRIBUTES = ("Does/Does Not", "Action First-Party", "Action Third Party")
C_VALUE = 1.0
FOLDS = 5
# The share of "does" sentences the chosen cut may call "does not" in cross-validation.
MAX_FALSE_RATE = 0.01
TERMS = (
    "Derived from the OPP-115 corpus (Wilson et al., ACL 2016; Usable Privacy Policy Project, "
    "Carnegie Mellon University); research, teaching and scholarship only, in the spirit of "
    "CC BY-NC. See resources/practices/MODEL.md."
)


@dataclass(slots=True)
class Vote:
    annotator: str
    does_not: bool
    selected: set[tuple[str, ...]]


@dataclass(slots=True)
class Sentences:
    """Labelled sentences of many policies: features, label (1 = does not), policy number."""

    features: list[dict[str, int]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    group: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def read_votes(csv_path: Path) -> dict[int, list[Vote]]:
    """Per segment, every collection or sharing annotation's polarity and selected trigrams."""
    votes: dict[int, list[Vote]] = {}
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            if row[5] not in POLARITY_CATEGORIES:
                continue
            attributes = json.loads(row[6])
            value = (attributes.get("Does/Does Not") or {}).get("value")
            if value not in ("Does", "Does Not"):
                continue
            selected = _located(attributes)
            votes.setdefault(int(row[4]), []).append(Vote(row[2], value == "Does Not", selected))
    return votes


def _located(attributes: dict) -> set[tuple[str, ...]]:
    """Trigrams of the words that place the statement: its action and polarity selections first.

    Other attributes (a data type named two sentences later) would lend the statement's polarity
    to every sentence of the segment they touch.
    """
    for keys in (PLACING_ATTRIBUTES, tuple(attributes)):
        selected: set[tuple[str, ...]] = set()
        for key in keys:
            text = (attributes.get(key) or {}).get("selectedText") or ""
            if text and text not in ("null", "Not selected"):
                selected |= trigrams(text)
        if selected:
            return selected
    return set()


def sentence_label(votes: list[Vote], sentence_trigrams: set[tuple[str, ...]]) -> int | None:
    """1 (does not), 0 (does) or None (unsure): from the annotations that place it, else from
    its segment when no annotator of the segment said "does not" at all (its negations, such as
    "not linked to personally identifiable information", then describe practices that happen)."""
    does_not = {v.annotator for v in votes if v.does_not and v.selected & sentence_trigrams}
    does = {v.annotator for v in votes if not v.does_not and v.selected & sentence_trigrams}
    if len(does_not) >= MAJORITY:
        return 1
    if len(does) >= MAJORITY and not does_not:
        return 0
    segment_does = {v.annotator for v in votes if not v.does_not}
    if len(segment_does) >= MAJORITY and not any(v.does_not for v in votes):
        return 0
    return None


def build_sentences(stems: Sequence[str], root: Path) -> Sentences:
    found = Sentences()
    with tempfile.TemporaryDirectory() as workdir:
        for number, stem in enumerate(stems):
            policy = read_policy(stem, root)
            votes = read_votes(root / "annotations" / f"{stem}.csv")
            suffix, contents = policy_file(policy, "text")
            path = Path(workdir) / f"{stem}{suffix}"
            path.write_text(contents, encoding="utf-8")
            document = load_path(path)
            mapping = SegmentMap(document.text, policy.segments)
            for passage in passages(document):
                for sentence in passage.sentences:
                    text = document.text[sentence.start : sentence.end]
                    own = trigrams(text)
                    segment_votes = [
                        vote
                        for segment in mapping.segments_in(sentence.start, sentence.end)
                        for vote in votes.get(segment, [])
                    ]
                    label = sentence_label(segment_votes, own)
                    if label is None:
                        continue
                    counts: dict[str, int] = {}
                    for feature in features(text, passage.lead_in):
                        counts[feature] = 1
                    found.features.append(counts)
                    found.labels.append(label)
                    found.group.append(number)
                    found.texts.append(text)
    return found


def out_of_fold(data: Sentences) -> np.ndarray:
    labels = np.array(data.labels)
    scores = np.zeros(len(labels))
    for train, test in GroupKFold(FOLDS).split(labels, labels, data.group):
        vectoriser, model = fit(data, train)
        scores[test] = model.predict_proba(vectoriser.transform([data.features[i] for i in test]))[
            :, 1
        ]
    return scores


def fit(data: Sentences, rows: Sequence[int]) -> tuple[DictVectorizer, LogisticRegression]:
    vectoriser = DictVectorizer()
    matrix = vectoriser.fit_transform([data.features[i] for i in rows])
    model = LogisticRegression(C=C_VALUE, class_weight="balanced", max_iter=2000)
    model.fit(matrix, np.array(data.labels)[list(rows)])
    return vectoriser, model


def choose_cut(scores: np.ndarray, labels: np.ndarray) -> float:
    """The lowest cut whose "does" sentences called "does not" stay within MAX_FALSE_RATE."""
    negatives = np.sort(scores[labels == 0])[::-1]
    allowed = int(MAX_FALSE_RATE * len(negatives))
    return float(negatives[allowed]) + 1e-6 if allowed < len(negatives) else 0.5


def report(scores: np.ndarray, labels: np.ndarray, cut: float, title: str) -> None:
    called = scores >= cut
    positives = labels == 1
    recall = (called & positives).sum() / max(1, positives.sum())
    precision = (called & positives).sum() / max(1, called.sum())
    false_rate = (called & ~positives).sum() / max(1, (~positives).sum())
    print(
        f"{title}: does-not recall {recall:.3f}, precision {precision:.3f}, "
        f"does called does-not {false_rate:.3f} ({positives.sum()} does-not, "
        f"{(~positives).sum()} does sentences, cut {cut:.3f})",
        file=sys.stderr,
    )


def export(data: Sentences, cut: float, stems: Sequence[str]) -> dict:
    vectoriser, model = fit(data, range(len(data.labels)))
    weights = {
        name: round(float(weight), 4)
        for name, weight in zip(vectoriser.feature_names_, model.coef_[0], strict=True)
        if abs(weight) >= 1e-3
    }
    return {
        "format": POLARITY_FORMAT,
        "weights": weights,
        "bias": round(float(model.intercept_[0]), 4),
        "cut": round(cut, 4),
        "info": {
            "trained_on": {"corpus": "OPP-115", "policies": list(stems)},
            "sentences": len(data.labels),
            "does_not_sentences": int(sum(data.labels)),
            "settings": {"C": C_VALUE, "max_false_rate": MAX_FALSE_RATE, "folds": FOLDS},
            "terms": TERMS,
        },
    }


def train(stems: Sequence[str], root: Path = DEFAULT_ROOT, quiet: bool = False) -> dict:
    """The polarity model's data fitted on ``stems``, its cut chosen by grouped CV over them."""
    data = build_sentences(stems, root)
    labels = np.array(data.labels)
    scores = out_of_fold(data)
    cut = choose_cut(scores, labels)
    if not quiet:
        report(scores, labels, cut, f"{FOLDS}-fold CV over {len(stems)} policies")
    return export(data, cut, stems)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--fit", choices=["train", "all"], default="all")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    split = read_split(args.root)
    stems = split["train"] + (split["validation"] if args.fit == "all" else [])
    exported = train(stems, args.root)
    args.out.write_bytes(
        gzip.compress(json.dumps(exported, separators=(",", ":")).encode(), 9, mtime=0)
    )
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e3:.0f} KB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
