"""Score the detector on OPP-115 the way a user meets it: file on disk -> loader -> detector.

Each policy is written as a file (text, Markdown or HTML, segments as paragraphs), opened with
``load_path``, run through the detector, and every detected span is mapped back to the segments
whose words it covers. A segment counts as labelled with a category when the majority of its
annotators chose it; per category we print precision, recall and F1, then micro and macro F1
over the nine practice categories.

    python -m tools.evaluate --split validation --detector all
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from policyreader.core.loading import load_path
from policyreader.core.practices.detector import DetectorKind, PracticeDetector
from policyreader.core.practices.encoder import ENCODER_FILE, PassageEncoder, default_encoder
from policyreader.core.practices.model import LinearModel, default_model, read_model
from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES, Category
from tools.opp115 import DEFAULT_ROOT, Policy, SegmentMap, policy_file, read_policies, read_split


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: bool, predicted: bool) -> None:
        self.tp += gold and predicted
        self.fp += predicted and not gold
        self.fn += gold and not predicted

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Scores:
    per_category: dict[Category, Counts] = field(
        default_factory=lambda: {c: Counts() for c in PRACTICE_CATEGORIES}
    )

    def add(self, gold: list[set[Category]], predicted: list[set[Category]]) -> None:
        for gold_set, predicted_set in zip(gold, predicted, strict=True):
            for category, counts in self.per_category.items():
                counts.add(category in gold_set, category in predicted_set)

    @property
    def macro_f1(self) -> float:
        return sum(c.f1 for c in self.per_category.values()) / len(self.per_category)

    @property
    def micro(self) -> Counts:
        total = Counts()
        for counts in self.per_category.values():
            total.tp += counts.tp
            total.fp += counts.fp
            total.fn += counts.fn
        return total

    def table(self, title: str) -> str:
        lines = [title, f"{'category':34} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5}"]
        for category, counts in self.per_category.items():
            lines.append(
                f"{category.value:34} {counts.precision:6.3f} {counts.recall:6.3f} "
                f"{counts.f1:6.3f} {counts.tp + counts.fn:5d}"
            )
        micro = self.micro
        lines.append(f"{'micro':34} {micro.precision:6.3f} {micro.recall:6.3f} {micro.f1:6.3f}")
        lines.append(f"{'macro F1':34} {'':6} {'':6} {self.macro_f1:6.3f}")
        return "\n".join(lines)


def predict_segments(
    policy: Policy, detector: PracticeDetector, fmt: str, workdir: Path
) -> list[set[Category]]:
    """Write the policy to a file, open it like the app does, detect, map spans to segments."""
    suffix, contents = policy_file(policy, fmt)
    path = workdir / f"{policy.stem}{suffix}"
    path.write_text(contents, encoding="utf-8")
    document = load_path(path)
    mapping = SegmentMap(document.text, policy.segments)
    predicted: list[set[Category]] = [set() for _ in policy.segments]
    for practice in detector.detect(document):
        for segment in mapping.segments_in(practice.start, practice.end):
            predicted[segment].add(practice.category)
    return predicted


def evaluate(policies: Sequence[Policy], detector: PracticeDetector, fmt: str = "text") -> Scores:
    scores = Scores()
    with tempfile.TemporaryDirectory() as workdir:
        for policy in policies:
            scores.add(policy.labels, predict_segments(policy, detector, fmt, Path(workdir)))
    return scores


def _model(path: str | None) -> LinearModel | None:
    return read_model(Path(path).read_bytes()) if path else default_model()


def _encoder(folder: Path | None) -> PassageEncoder | None:
    if folder is None:
        return default_encoder()
    from tools.train_encoder import load_runtime

    return load_runtime(folder)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the OPP-115 folder")
    parser.add_argument("--split", default="validation", choices=["train", "validation", "all"])
    parser.add_argument("--detector", default="all", choices=[*DetectorKind, "all"])
    parser.add_argument("--format", default="text", choices=["text", "markdown", "html"])
    parser.add_argument("--model", help="weights file (default: the bundled one)")
    parser.add_argument(
        "--encoder", type=Path, help=f"folder holding {ENCODER_FILE[1]} (default: the bundled one)"
    )
    args = parser.parse_args(argv)
    split = read_split(args.root)
    stems = split["train"] + split["validation"] if args.split == "all" else split[args.split]
    policies = read_policies(stems, args.root)
    model = _model(args.model)
    encoder = _encoder(args.encoder)
    kinds = list(DetectorKind) if args.detector == "all" else [DetectorKind(args.detector)]
    seen = set(model.info.get("trained_on", {}).get("policies", [])) if model else set()
    if seen & set(stems):
        # Figures on policies the model was fitted on measure memory, not reading.
        print(
            f"warning: the model was trained on {len(seen & set(stems))} of these policies; "
            "pass --model with one fitted on the train split for held-out figures",
            file=sys.stderr,
        )
    for kind in kinds:
        if kind is not DetectorKind.RULES and model is None:
            print(f"{kind.value}: no model file; skipped", file=sys.stderr)
            continue
        if kind in (DetectorKind.ENCODER, DetectorKind.BEST) and encoder is None:
            print(f"{kind.value}: no encoder file; skipped", file=sys.stderr)
            continue
        detector = PracticeDetector(kind, model=model, encoder=encoder)
        scores = evaluate(policies, detector, args.format)
        print(
            scores.table(
                f"== {kind.value} on {args.split} ({len(policies)} policies, {args.format})"
            )
        )
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
