"""Score the detectors on OPP-115 the way a user meets them: file on disk -> loader -> detector.

Each policy is written as a file (text, Markdown or HTML, segments as paragraphs), opened with
``load_path``, run through the detector, and every detected span is mapped back to the segments
whose words it covers. A segment counts as labelled with a category when the majority of its
annotators chose it; per category we print precision, recall and F1, then micro and macro F1
over the nine practice categories. Polarity: a (segment, category) is "does not" when at least
two annotators said so; it is called "does not" when a practice of that category on it is
``does_not`` or ``mixed``. ``--nested`` adds nested 5-fold CV over the 75 policies (settings and
polarity fitted away from the fold scored); ``--modern`` the labelled modern-policy sentences
(``tools.evaluate_modern``).

    python -m tools.evaluate --split validation --detector all [--nested] [--modern FILE]

Another detector joins the report through ``DETECTORS``: a name and a function that, given the
parsed arguments, returns an object with ``detect(document) -> list[Practice]`` (or None when
its model is absent, which skips it with a message).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from policyreader.core.document import PolicyDocument
from policyreader.core.loading import load_path
from policyreader.core.practices.detector import DetectorKind, PracticeDetector
from policyreader.core.practices.encoder import ENCODER_FILE, PassageEncoder, default_encoder
from policyreader.core.practices.model import LinearModel, default_model, read_model
from policyreader.core.practices.polarity import (
    Polarity,
    PolarityModel,
    default_polarity,
    read_polarity_model,
)
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES, Category
from tools.opp115 import (
    DEFAULT_ROOT,
    Policy,
    SegmentMap,
    polarity_votes,
    policy_file,
    read_policies,
    read_split,
)

FOLDS = 5
POLARITY_CATEGORIES = (Category.FIRST_PARTY_COLLECTION, Category.THIRD_PARTY_SHARING)


class Detects(Protocol):
    def detect(self, document: PolicyDocument) -> list[Practice]: ...


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

    def add_counts(self, other: Scores) -> None:
        for category, counts in other.per_category.items():
            mine = self.per_category[category]
            mine.tp, mine.fp, mine.fn = (
                mine.tp + counts.tp,
                mine.fp + counts.fp,
                mine.fn + counts.fn,
            )

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


@dataclass(slots=True)
class PolarityScores:
    """Segment-level "does not" figures for collection and sharing (the categories annotated).

    ``found`` counts the (segment, category) pairs the detector found at all: polarity can only
    be right about a practice that was detected, so the figures are given both ways.
    """

    does_not: int = 0
    does_not_found: int = 0
    does_not_called: int = 0
    does: int = 0
    does_found: int = 0
    does_called: int = 0
    # Labelled with the category, one annotator of three saying "does not": neither side.
    disputed: int = 0
    disputed_called: int = 0

    def add(self, gold_not: bool, gold_does: bool, found: bool, called: bool) -> None:
        """``gold_not`` two or more "does not" votes; ``gold_does`` labelled, none."""
        if gold_not:
            self.does_not += 1
            self.does_not_found += found
            self.does_not_called += called
        elif gold_does:
            self.does += 1
            self.does_found += found
            self.does_called += called

    def add_disputed(self, called: bool) -> None:
        self.disputed += 1
        self.disputed_called += called

    def add_counts(self, other: PolarityScores) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def recall(self) -> float:
        return self.does_not_called / self.does_not if self.does_not else 0.0

    @property
    def recall_found(self) -> float:
        return self.does_not_called / self.does_not_found if self.does_not_found else 0.0

    @property
    def precision(self) -> float:
        called = self.does_not_called + self.does_called
        return self.does_not_called / called if called else 0.0

    @property
    def false_rate(self) -> float:
        return self.does_called / self.does if self.does else 0.0

    @property
    def false_rate_found(self) -> float:
        return self.does_called / self.does_found if self.does_found else 0.0

    @property
    def false_rate_with_disputed(self) -> float:
        total = self.does + self.disputed
        return (self.does_called + self.disputed_called) / total if total else 0.0

    def line(self) -> str:
        return (
            f"polarity (does-not segments {self.does_not}, does {self.does}, disputed "
            f"{self.disputed}): recall {self.recall:.3f} (of those detected "
            f"{self.recall_found:.3f}), precision {self.precision:.3f}, does called does-not "
            f"{self.false_rate:.3f} (of those detected {self.false_rate_found:.3f}; counting "
            f"disputed as does {self.false_rate_with_disputed:.3f})"
        )


@dataclass(slots=True)
class Evaluation:
    scores: Scores = field(default_factory=Scores)
    polarity: PolarityScores = field(default_factory=PolarityScores)
    # Called "does not" when any practice of the category on the segment is (stricter).
    polarity_any: PolarityScores = field(default_factory=PolarityScores)

    def polarity_lines(self) -> str:
        return (
            f"{self.polarity_any.line()} [any practice of the category on the segment]\n"
            f"{self.polarity.line()} [most of the category's text on the segment]"
        )


def detect_segments(
    policy: Policy, detector: Detects, fmt: str, workdir: Path
) -> tuple[list[set[Category]], list[set[Category]], list[set[Category]]]:
    """Per segment, the categories found, those it states as not done (or mixed), and those
    with any practice stated as not done.

    A segment is one or more paragraphs; it states a category as not done when most of the
    text its practices of that category cover is stated as not done.
    """
    suffix, contents = policy_file(policy, fmt)
    path = workdir / f"{policy.stem}{suffix}"
    path.write_text(contents, encoding="utf-8")
    document = load_path(path)
    mapping = SegmentMap(document.text, policy.segments)
    predicted: list[set[Category]] = [set() for _ in policy.segments]
    weight: dict[tuple[int, Category], list[int]] = {}
    for practice in detector.detect(document):
        for segment in mapping.segments_in(practice.start, practice.end):
            predicted[segment].add(practice.category)
            start, end = mapping.span_of(segment) or (practice.start, practice.end)
            covered = max(1, min(end, practice.end) - max(start, practice.start))
            sides = weight.setdefault((segment, practice.category), [0, 0])
            sides[practice.polarity is not Polarity.DOES] += covered
    negated: list[set[Category]] = [set() for _ in policy.segments]
    any_negated: list[set[Category]] = [set() for _ in policy.segments]
    for (segment, category), (done, not_done) in weight.items():
        if not_done > done:
            negated[segment].add(category)
        if not_done:
            any_negated[segment].add(category)
    return predicted, negated, any_negated


def predict_segments(
    policy: Policy, detector: Detects, fmt: str, workdir: Path
) -> list[set[Category]]:
    """Write the policy to a file, open it like the app does, detect, map spans to segments."""
    return detect_segments(policy, detector, fmt, workdir)[0]


def evaluate(policies: Sequence[Policy], detector: Detects, fmt: str = "text") -> Scores:
    return evaluate_all(policies, detector, fmt).scores


def evaluate_all(
    policies: Sequence[Policy], detector: Detects, fmt: str = "text", root: Path | None = None
) -> Evaluation:
    """Category scores, and polarity scores when ``root`` holds the policies' annotations."""
    result = Evaluation()
    with tempfile.TemporaryDirectory() as workdir:
        for policy in policies:
            predicted, negated, any_negated = detect_segments(policy, detector, fmt, Path(workdir))
            result.scores.add(policy.labels, predicted)
            if root is not None:
                votes = polarity_votes(root / "annotations" / f"{policy.stem}.csv")
                _add_polarity(result.polarity, policy, votes, predicted, negated)
                _add_polarity(result.polarity_any, policy, votes, predicted, any_negated)
    return result


def _add_polarity(
    scores: PolarityScores,
    policy: Policy,
    votes: dict[tuple[int, Category], tuple[set[str], set[str]]],
    predicted: list[set[Category]],
    negated: list[set[Category]],
) -> None:
    for segment, labels in enumerate(policy.labels):
        for category in POLARITY_CATEGORIES:
            _, does_not = votes.get((segment, category), (set(), set()))
            called = category in negated[segment]
            if len(does_not) == 1 and category in labels:
                scores.add_disputed(called)
                continue
            scores.add(
                gold_not=len(does_not) >= 2,
                gold_does=category in labels,
                found=category in predicted[segment],
                called=called,
            )


# --- detectors ---------------------------------------------------------------------------------


def _model(path: str | None) -> LinearModel | None:
    return read_model(Path(path).read_bytes()) if path else default_model()


def _linear(kind: DetectorKind) -> Callable[[argparse.Namespace], Detects | None]:
    def make(args: argparse.Namespace) -> Detects | None:
        model = None if kind is DetectorKind.RULES else args.linear_model
        if kind is not DetectorKind.RULES and model is None:
            return None
        encoder = args.encoder_runtime
        if kind in (DetectorKind.ENCODER, DetectorKind.BEST) and encoder is None:
            return None
        return PracticeDetector(kind, model=model, encoder=encoder, polarity=args.polarity_model)

    return make


# Name -> factory; an encoder detector registers itself here (see the module docstring).
DETECTORS: dict[str, Callable[[argparse.Namespace], Detects | None]] = {
    kind.value: _linear(kind) for kind in DetectorKind
}


def held_out_polarity(
    stems: Sequence[str], all_stems: Sequence[str], root: Path
) -> PolarityModel | None:
    """The shipped polarity model if it never saw ``stems``, else one fitted on the others."""
    shipped = default_polarity()
    seen = set(shipped.info.get("trained_on", {}).get("policies", [])) if shipped else set()
    if shipped is not None and not seen & set(stems):
        return shipped
    from tools.train_polarity import train  # needs scikit-learn

    others = [stem for stem in all_stems if stem not in set(stems)]
    if not others:
        # Nothing is left to fit on: the shipped file's polarity figures then measure memory.
        print("warning: the polarity model was fitted on these policies", file=sys.stderr)
        return shipped
    return PolarityModel(train(others, root, quiet=True))


# --- nested cross-validation -------------------------------------------------------------------


def nested_report(root: Path, stems: Sequence[str], fmt: str) -> str:
    """Nested 5-fold CV over ``stems``: categories (model, combined refitted per fold by
    ``tools.train_model``; rules fit nothing) and polarity (fitted on four folds, scored on the
    fifth, with the shipped combined detector finding the practices)."""
    from tools.train_model import C_GRID, build_units, nested_counts, out_of_fold

    policies = read_policies(list(stems), root)
    lines = [f"== nested {FOLDS}-fold CV over {len(stems)} policies"]
    rules = evaluate_all(policies, PracticeDetector(DetectorKind.RULES), fmt).scores
    units = build_units(policies)
    counts = nested_counts(units, out_of_fold(units, C_GRID[0]))
    by_kind = {"rules": rules}
    for row, kind in enumerate(("model", "combined")):
        scores = Scores()
        for c, category in enumerate(PRACTICE_CATEGORIES):
            tp, fp, fn = (int(x) for x in counts[row, c])
            scores.per_category[category] = Counts(tp, fp, fn)
        by_kind[kind] = scores
    for kind, scores in by_kind.items():
        lines.append(scores.table(f"-- {kind} (nested)"))
    polarity = Evaluation()
    model = default_model()
    for part in range(FOLDS):
        held = [stem for index, stem in enumerate(stems) if index % FOLDS == part]
        fitted = held_out_polarity(held, stems, root)
        detector = PracticeDetector(DetectorKind.COMBINED, model=model, polarity=fitted)
        held_policies = [p for p in policies if p.stem in set(held)]
        fold = evaluate_all(held_policies, detector, fmt, root)
        polarity.polarity.add_counts(fold.polarity)
        polarity.polarity_any.add_counts(fold.polarity_any)
    lines.append("-- polarity nested (practices found by the shipped model, fitted on all 75):")
    lines.append(polarity.polarity_lines())
    return "\n".join(lines)


def _encoder(folder: Path | None) -> PassageEncoder | None:
    if folder is None:
        return default_encoder()
    from tools.train_encoder import load_runtime

    return load_runtime(folder)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the OPP-115 folder")
    parser.add_argument("--split", default="validation", choices=["train", "validation", "all"])
    parser.add_argument("--detector", default="all", choices=[*DETECTORS, "all"])
    parser.add_argument("--format", default="text", choices=["text", "markdown", "html"])
    parser.add_argument("--model", help="weights file (default: the bundled one)")
    parser.add_argument("--polarity", help="polarity file (default: bundled, or fitted held out)")
    parser.add_argument("--nested", action="store_true", help="nested CV over all 75 policies")
    parser.add_argument("--modern", type=Path, help="labelled modern sentences (JSON lines)")
    parser.add_argument(
        "--encoder", type=Path, help=f"folder holding {ENCODER_FILE[1]} (default: the bundled one)"
    )
    args = parser.parse_args(argv)
    split = read_split(args.root)
    all_stems = split["train"] + split["validation"]
    stems = all_stems if args.split == "all" else split[args.split]
    policies = read_policies(stems, args.root)
    args.linear_model = _model(args.model)
    args.encoder_runtime = _encoder(args.encoder)
    args.polarity_model = (
        read_polarity_model(Path(args.polarity).read_bytes())
        if args.polarity
        else held_out_polarity(stems, all_stems, args.root)
    )
    names = list(DETECTORS) if args.detector == "all" else [args.detector]
    model = args.linear_model
    seen = set(model.info.get("trained_on", {}).get("policies", [])) if model else set()
    if seen & set(stems):
        # Figures on policies the model was fitted on measure memory, not reading.
        print(
            f"warning: the model was trained on {len(seen & set(stems))} of these policies; "
            "pass --model with one fitted on the train split for held-out figures",
            file=sys.stderr,
        )
    detectors: dict[str, Detects] = {}
    for name in names:
        detector = DETECTORS[name](args)
        if detector is None:
            print(f"{name}: no model or encoder file; skipped", file=sys.stderr)
            continue
        detectors[name] = detector
        result = evaluate_all(policies, detector, args.format, args.root)
        print(
            result.scores.table(
                f"== {name} on {args.split} ({len(policies)} policies, {args.format})"
            )
        )
        print(result.polarity_lines())
        print()
    if args.nested:
        print(nested_report(args.root, all_stems, args.format))
        print()
    if args.modern:
        from tools.evaluate_modern import modern_report

        print(modern_report(args.modern, detectors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
