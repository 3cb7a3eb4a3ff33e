"""Score detectors on labelled quotes from modern (post-2018) policies, kept outside the repo.

The file holds one JSON object a line: ``quote`` (a sentence, with the lead-in of its list if
any), ``policy``, ``split`` (``tune`` or ``held``: held quotes are never looked at while tuning)
and ``labels`` ({category: "does" | "does_not" | "mixed"}, empty for no practice). Each quote is
opened as a document of its own, as a reader meets a short policy; a labelled practice is found
when the detector reports its category anywhere in the quote.

    python -m tools.evaluate_modern /work/data-23/modern/labelled.jsonl [--detector combined]
        [--model weights.json.gz]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from policyreader.core.loading import load_text
from policyreader.core.practices.detector import DetectorKind, PracticeDetector
from policyreader.core.practices.encoder import default_encoder
from policyreader.core.practices.model import default_model, read_model
from policyreader.core.practices.polarity import Polarity, default_polarity
from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES, Category
from tools.evaluate import Counts, Detects

SPLITS = ("tune", "held")


@dataclass(slots=True)
class Quote:
    text: str
    policy: str
    split: str
    labels: dict[Category, Polarity]


@dataclass(slots=True)
class ModernScores:
    """Per category: labelled practices found (recall), and categories reported but not labelled."""

    per_category: dict[Category, Counts] = field(
        default_factory=lambda: {c: Counts() for c in PRACTICE_CATEGORIES}
    )
    quotes: int = 0
    reported: int = 0
    # Labelled not done (or mixed) and found: how many the detector also reads as not done.
    not_done: int = 0
    not_done_called: int = 0
    done: int = 0
    done_called: int = 0

    def add(self, quote: Quote, found: Mapping[Category, Polarity]) -> None:
        self.quotes += 1
        self.reported += len(found)
        for category, counts in self.per_category.items():
            counts.add(category in quote.labels, category in found)
        for category, polarity in quote.labels.items():
            if category not in found:
                continue
            called = found[category] is not Polarity.DOES
            if polarity is Polarity.DOES:
                self.done += 1
                self.done_called += called
            else:
                self.not_done += 1
                self.not_done_called += called

    @property
    def found_share(self) -> float:
        """Share of all labelled practices whose category the detector reported."""
        tp = sum(c.tp for c in self.per_category.values())
        total = tp + sum(c.fn for c in self.per_category.values())
        return tp / total if total else 0.0

    def table(self, title: str) -> str:
        lines = [title, f"{'category':34} {'found':>7} {'of':>4} {'extra':>6}"]
        for category, counts in self.per_category.items():
            lines.append(
                f"{category.value:34} {counts.recall:7.3f} {counts.tp + counts.fn:4d} "
                f"{counts.fp:6d}"
            )
        lines.append(
            f"labelled practices found: {self.found_share:.3f}; categories per quote "
            f"{self.reported / max(1, self.quotes):.2f}; not-done practices read as not done "
            f"{self.not_done_called}/{self.not_done}, done read as not done "
            f"{self.done_called}/{self.done}"
        )
        return "\n".join(lines)


def read_quotes(path: Path) -> list[Quote]:
    quotes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        labels = {Category(c): Polarity(p) for c, p in row["labels"].items()}
        quotes.append(Quote(row["quote"], row["policy"], row["split"], labels))
    return quotes


def detect_quote(detector: Detects, text: str) -> dict[Category, Polarity]:
    """The categories found in a quote; a category is not done if any of its practices is."""
    found: dict[Category, Polarity] = {}
    for practice in detector.detect(load_text(text + "\n", name="quote.txt")):
        if found.get(practice.category, Polarity.DOES) is Polarity.DOES:
            found[practice.category] = practice.polarity
    return found


def score(quotes: Sequence[Quote], detector: Detects) -> dict[str, ModernScores]:
    """Scores per split and over all quotes."""
    scores = {name: ModernScores() for name in (*SPLITS, "all")}
    for quote in quotes:
        found = detect_quote(detector, quote.text)
        scores[quote.split].add(quote, found)
        scores["all"].add(quote, found)
    return scores


def modern_report(path: Path, detectors: Mapping[str, Detects]) -> str:
    quotes = read_quotes(path)
    policies = {q.policy for q in quotes}
    lines = [f"== modern set: {len(quotes)} quotes from {len(policies)} policies"]
    for name, detector in detectors.items():
        for split, scores in score(quotes, detector).items():
            lines.append(scores.table(f"-- {name}, {split}"))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labelled", type=Path)
    parser.add_argument("--detector", default="all", choices=[*DetectorKind, "all"])
    parser.add_argument("--model", type=Path, help="weights file (default: the bundled one)")
    args = parser.parse_args(argv)
    kinds = list(DetectorKind) if args.detector == "all" else [DetectorKind(args.detector)]
    model = read_model(args.model.read_bytes()) if args.model else default_model()
    polarity, encoder = default_polarity(), default_encoder()
    detectors = {
        kind.value: PracticeDetector(kind, model=model, encoder=encoder, polarity=polarity)
        for kind in kinds
        # Without the encoder its kinds would only repeat ``combined``.
        if encoder is not None or kind not in (DetectorKind.ENCODER, DetectorKind.BEST)
    }
    print(modern_report(args.labelled, detectors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
