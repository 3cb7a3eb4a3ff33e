"""Train the practice model on OPP-115 and write ``resources/practices/model.json.gz``.

Training units are the passages the application itself scores: each policy is written to a file,
opened with ``load_path`` and cut into passages by ``policyreader.core.practices.sentences``; a
passage carries the majority labels of the segments its words come from. Settings (the
regularisation, a threshold per category, and how much a rule hit adds in ``combined``) are chosen
by cross-validation grouped by policy, maximising segment-level F1 exactly as
``tools/evaluate.py`` scores. Needs scikit-learn (``pip install -e .[train]``); the application
does not.

Modern (GDPR/CCPA-era) sentences written for this project (``tools/data/modern_sentences.jsonl``)
join the fit of every model as extra rows, weighted by ``--extra-weight``; they are never scored
and never choose a cut (cross-validation folds and cuts stay OPP-115 only).

    python -m tools.train_model --fit all           # settings by CV over train+validation, ship
    python -m tools.train_model --fit train --out /tmp/m.json.gz   # for validation figures
"""

from __future__ import annotations

import argparse
import base64
import functools
import gzip
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from policyreader.core.loading import load_path, load_text
from policyreader.core.practices.encoder import encoder_input
from policyreader.core.practices.model import (
    LENGTH_PREFIX,
    MODEL_FORMAT,
    POSITION_PREFIX,
    fold,
    passage_terms,
)
from policyreader.core.practices.rules import default_rules
from policyreader.core.practices.sentences import lower_text, passages
from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES
from tools.opp115 import (
    DEFAULT_ROOT,
    REPO,
    Policy,
    SegmentMap,
    policy_file,
    read_policies,
    read_split,
    trigrams,
)

DEFAULT_OUT = REPO / "resources" / "practices" / "model.json.gz"
DEFAULT_EXTRA = REPO / "tools" / "data" / "modern_sentences.jsonl"
# How much one written modern sentence counts against one OPP-115 passage in the fit.
EXTRA_WEIGHT = 1.0
LAYOUT_PREFIXES = (POSITION_PREFIX, LENGTH_PREFIX)
SCALE = 1000
C_GRID = (4.0,)
# Largest first: on a tie the rules' say wins (they can explain themselves in plain words).
BONUS_GRID = (20.0, 5.0, 3.0, 2.0, 1.0, 0.5, 0.0)
# Rule confidences that may decide alone in ``combined`` (first wins a tie, as above). None
# only: with cuts chosen on some policies and scored on others (nested 5-fold CV over all 75,
# three shuffles), letting a strong rule hit decide alone cost 0.9 points of macro-F1 (0.768
# against 0.776); it fitted the folds it was chosen on. The lexicon's ``decisive`` patterns
# (``you_may_opt_out``) still decide alone; every rule hit adds its bonus.
OVERRIDE_GRID = (None,)
# How much cross-validated F1 a rule override may cost and still be preferred (see
# ``_best_combination``).
OVERRIDE_TOLERANCE = 0.01
FOLDS = 5
TERMS = (
    "Derived from the OPP-115 corpus (Wilson et al., ACL 2016; Usable Privacy Policy Project, "
    "Carnegie Mellon University). The annotations are made available for research, teaching, "
    "and scholarship purposes only, with further parameters in the spirit of a Creative Commons "
    "Attribution-NonCommercial License. See resources/practices/MODEL.md."
)


@dataclass(slots=True)
class Units:
    """Passages of many policies as training rows, with the segments each one maps to."""

    docs: list[list[str]] = field(default_factory=list)
    # What the encoder reads of each passage (``encoder_input``).
    texts: list[str] = field(default_factory=list)
    labels: list[list[int]] = field(default_factory=list)
    rules: list[list[float]] = field(default_factory=list)
    # Per passage and category: whether a decisive pattern of the lexicon matched.
    decisive: list[list[bool]] = field(default_factory=list)
    group: list[int] = field(default_factory=list)
    segments: list[list[int]] = field(default_factory=list)
    # Per policy: the gold labels of each segment, as 0/1 per category.
    gold: list[np.ndarray] = field(default_factory=list)


@dataclass(slots=True)
class Extra:
    """Labelled sentences that only ever join the training side of a fit, with their weight."""

    docs: list[list[str]] = field(default_factory=list)
    labels: list[list[int]] = field(default_factory=list)
    weight: float = 0.0


def read_extra(path: Path | None, weight: float) -> Extra:
    """One row per sentence of a JSON-lines file (``text``, ``labels``: {category: polarity}).

    Each sentence is opened as a document of its own, like a short quote. Its rows carry words
    only, no position or length term: a sentence stands nowhere in a policy, and these sentences
    would teach the layout terms what short text means. Any polarity counts: "we do not sell" is
    still a statement about sharing, as OPP-115 labels it.
    """
    extra = Extra(weight=weight)
    if path is None or weight <= 0:
        return extra
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        document = load_text(row["text"] + "\n", name="sentence.txt")
        folded = fold(document.text)
        terms = [
            term
            for passage in passages(document)
            for term in passage_terms(folded, passage)
            if not term.startswith(LAYOUT_PREFIXES)
        ]
        extra.docs.append(terms)
        extra.labels.append([int(c.value in row["labels"]) for c in PRACTICE_CATEGORIES])
    return extra


@functools.cache
def default_extra() -> Extra:
    """The project's modern sentences at the shipped weight (what other tools fit with)."""
    return read_extra(DEFAULT_EXTRA, EXTRA_WEIGHT)


def build_units(policies: Sequence[Policy]) -> Units:
    units = Units()
    rules = default_rules()
    with tempfile.TemporaryDirectory() as workdir:
        for number, policy in enumerate(policies):
            suffix, contents = policy_file(policy, "text")
            path = Path(workdir) / f"{policy.stem}{suffix}"
            path.write_text(contents, encoding="utf-8")
            document = load_path(path)
            mapping = SegmentMap(document.text, policy.segments)
            text = document.text
            lowered = lower_text(text)
            folded = fold(text)
            gold = np.zeros((len(policy.segments), len(PRACTICE_CATEGORIES)), dtype=bool)
            for index, labels in enumerate(policy.labels):
                for c, category in enumerate(PRACTICE_CATEGORIES):
                    gold[index, c] = category in labels
            units.gold.append(gold)
            found = list(passages(document))
            covered = [sorted(mapping.segments_in(p.start, p.end)) for p in found]
            shared = Counter(segment for segments in covered for segment in segments)
            for passage, segments in zip(found, covered, strict=True):
                if not segments:
                    continue
                passage_text = text[passage.start : passage.end]
                units.docs.append(passage_terms(folded, passage))
                units.texts.append(encoder_input(text, passage))
                units.labels.append(
                    _passage_labels(policy, gold, segments, shared, trigrams(passage_text))
                )
                rule_row = [0.0] * len(PRACTICE_CATEGORIES)
                decisive_row = [False] * len(PRACTICE_CATEGORIES)
                for sentence in passage.sentences:
                    # Weak hits count too: ``combined`` weighs every rule confidence.
                    for category, hit in rules.score(lowered, sentence).items():
                        c = PRACTICE_CATEGORIES.index(category)
                        rule_row[c] = max(rule_row[c], hit.confidence)
                        decisive_row[c] = decisive_row[c] or rules.decides(category, hit)
                units.rules.append(rule_row)
                units.decisive.append(decisive_row)
                units.group.append(number)
                units.segments.append(segments)
    return units


def _passage_labels(
    policy: Policy,
    gold: np.ndarray,
    segments: list[int],
    shared: Counter[int],
    passage_trigrams: set[tuple[str, ...]],
) -> list[int]:
    """A segment's labels go to its passages that hold text the annotators selected for them.

    A segment of several passages (a heading line, an introduction, a list) is often labelled
    for what one of them says; giving every passage every label teaches the model that
    headings and introductions state practices. A segment's only passage keeps all its labels.
    """
    labels = []
    for c, category in enumerate(PRACTICE_CATEGORIES):
        labels.append(
            int(
                any(
                    gold[segment, c]
                    and (
                        shared[segment] == 1
                        or passage_trigrams & policy.selections.get((segment, category), set())
                    )
                    for segment in segments
                )
            )
        )
    return labels


def vectoriser() -> TfidfVectorizer:
    # The analyser already produced the feature terms (tools and app share model.passage_terms).
    return TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=2, norm="l2")


def _identity(terms: list[str]) -> list[str]:
    return terms


def fit_logits(
    units: Units,
    train: np.ndarray,
    test: np.ndarray,
    c_value: float,
    extra: Extra | None = None,
) -> np.ndarray:
    extra = default_extra() if extra is None else extra
    vec = vectoriser()
    x_train = vec.fit_transform([units.docs[i] for i in train] + extra.docs)
    x_test = vec.transform([units.docs[i] for i in test])
    y, weights = _training_rows(np.array(units.labels)[train], extra)
    logits = np.zeros((len(test), len(PRACTICE_CATEGORIES)))
    for c in range(len(PRACTICE_CATEGORIES)):
        model = _classifier(c_value)
        model.fit(x_train, y[:, c], sample_weight=weights)
        logits[:, c] = model.decision_function(x_test)
    return logits


def _training_rows(labels: np.ndarray, extra: Extra) -> tuple[np.ndarray, np.ndarray]:
    """The labels of the OPP-115 passages then the extra sentences, and each row's weight."""
    if not extra.docs:
        return labels, np.ones(len(labels))
    y = np.vstack([labels, np.array(extra.labels)])
    weights = np.concatenate([np.ones(len(labels)), np.full(len(extra.docs), extra.weight)])
    return y, weights


def _classifier(c_value: float) -> LogisticRegression:
    return LogisticRegression(C=c_value, class_weight="balanced", max_iter=2000, solver="liblinear")


def out_of_fold(units: Units, c_value: float, extra: Extra | None = None) -> np.ndarray:
    groups = np.array(units.group)
    logits = np.zeros((len(units.docs), len(PRACTICE_CATEGORIES)))
    for train, test in GroupKFold(FOLDS).split(units.docs, groups=groups):
        logits[test] = fit_logits(units, train, test, c_value, extra)
    return logits


def segment_matrix(units: Units) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Which passage covers which segment (all policies stacked), and the stacked gold labels."""
    offsets = np.cumsum([0] + [len(gold) for gold in units.gold])
    rows, cols = [], []
    for row, (group, segments) in enumerate(zip(units.group, units.segments, strict=True)):
        for segment in segments:
            rows.append(row)
            cols.append(offsets[group] + segment)
    shape = (len(units.docs), int(offsets[-1]))
    covers = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    return covers, np.concatenate(units.gold)


def category_f1(covers: sparse.csr_matrix, gold: np.ndarray, decision: np.ndarray) -> float:
    """Segment-level F1 for one category: a segment is predicted when a passage on it is."""
    return _f1(category_counts(covers, gold, decision))


def category_counts(
    covers: sparse.csr_matrix, gold: np.ndarray, decision: np.ndarray
) -> np.ndarray:
    """Segment-level true positives, false positives and false negatives for one category."""
    predicted = (covers.T @ decision.astype(float)) > 0
    return np.array(
        [(gold & predicted).sum(), (~gold & predicted).sum(), (gold & ~predicted).sum()]
    )


def _f1(counts: np.ndarray) -> float:
    tp, fp, fn = counts
    return float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0


def nested_f1(units: Units, logits: np.ndarray) -> np.ndarray:
    """Per category, segment F1 of ``model`` and ``combined`` with every setting chosen away
    from the policies it is scored on (shape 2 x categories); see ``nested_counts``."""
    counts = nested_counts(units, logits)
    return np.array([[_f1(category) for category in kind] for kind in counts])


def nested_counts(units: Units, logits: np.ndarray) -> np.ndarray:
    """Segment tp/fp/fn of ``model`` and ``combined`` per category (shape 2 x categories x 3).

    ``tune`` chooses its cuts on the very out-of-fold logits it reports, so its figures lean
    optimistic, most for rare categories. Here the policies are split again: each fold is scored
    with the settings ``tune`` picks on the other folds, and the counts are summed.
    """
    fold_of = np.array(units.group) % FOLDS
    counts = np.zeros((2, len(PRACTICE_CATEGORIES), 3))
    for part in range(FOLDS):
        held = fold_of == part
        model_cuts, bonuses, combined_cuts, overrides, _ = tune(
            _subset(units, ~held), logits[~held]
        )
        test = _subset(units, held)
        covers, gold = segment_matrix(test)
        rules = np.array(test.rules)
        decisive = np.array(test.decisive, dtype=bool)
        for c in range(len(PRACTICE_CATEGORIES)):
            scores = logits[held, c]
            counts[0, c] += category_counts(covers, gold[:, c], scores >= model_cuts[c])
            decided = _decided(rules[:, c], decisive[:, c], overrides[c])
            combined = (scores + bonuses[c] * rules[:, c] >= combined_cuts[c]) | decided
            counts[1, c] += category_counts(covers, gold[:, c], combined)
    return counts


def _subset(units: Units, rows: np.ndarray) -> Units:
    """The passages where ``rows`` is true (whole policies), policies numbered anew."""
    picked = np.flatnonzero(rows)
    kept = sorted({units.group[row] for row in picked})
    number = {group: index for index, group in enumerate(kept)}
    return Units(
        docs=[units.docs[row] for row in picked],
        texts=[units.texts[row] for row in picked] if units.texts else [],
        labels=[units.labels[row] for row in picked],
        rules=[units.rules[row] for row in picked],
        decisive=[units.decisive[row] for row in picked],
        group=[number[units.group[row]] for row in picked],
        segments=[units.segments[row] for row in picked],
        gold=[units.gold[group] for group in kept],
    )


def tune(
    units: Units, logits: np.ndarray
) -> tuple[list[float], list[float], list[float], np.ndarray]:
    """Per category: the model's cut, and for ``combined`` the rule bonus, cut and override."""
    rules = np.array(units.rules)
    decisive = np.array(units.decisive, dtype=bool)
    covers, gold = segment_matrix(units)
    model_thresholds: list[float] = []
    bonuses: list[float] = []
    combined_thresholds: list[float] = []
    overrides: list[float | None] = []
    best_f1 = np.zeros((2, len(PRACTICE_CATEGORIES)))
    for c in range(len(PRACTICE_CATEGORIES)):
        best = (-1.0, 0.0)
        for cut in _cuts(logits[:, c]):
            f1 = category_f1(covers, gold[:, c], logits[:, c] >= cut)
            if f1 > best[0]:
                best = (f1, cut)
        model_thresholds.append(float(best[1]))
        best_f1[0, c] = best[0]
        best_combined = _best_combination(
            covers, gold[:, c], logits[:, c], rules[:, c], decisive[:, c]
        )
        bonuses.append(best_combined[1])
        combined_thresholds.append(float(best_combined[2]))
        overrides.append(best_combined[3])
        best_f1[1, c] = best_combined[0]
    return model_thresholds, bonuses, combined_thresholds, overrides, best_f1


def _best_combination(
    covers: sparse.csr_matrix,
    gold: np.ndarray,
    logits: np.ndarray,
    rules: np.ndarray,
    decisive: np.ndarray,
) -> tuple[float, float, float, float | None]:
    """(F1, bonus, cut, override) of ``combined`` for one category.

    The lowest override level within ``OVERRIDE_TOLERANCE`` of the best F1 wins: a strong rule
    hit then decides alone (it explains itself in plain words and holds in a passage where the
    model hears mostly another topic) unless the evidence says that costs real accuracy.
    """
    per_level = []
    for level in OVERRIDE_GRID:
        decided = _decided(rules, decisive, level)
        best: tuple[float, float, float, float | None] = (-1.0, 0.0, 0.0, level)
        for bonus in BONUS_GRID:
            scores = logits + bonus * rules
            for cut in _cuts(scores):
                f1 = category_f1(covers, gold, (scores >= cut) | decided)
                if f1 > best[0] + 1e-9:
                    best = (f1, bonus, cut, level)
        per_level.append(best)
    top = max(found[0] for found in per_level)
    return next(found for found in per_level if found[0] >= top - OVERRIDE_TOLERANCE)


def _decided(rules: np.ndarray, decisive: np.ndarray, override: float | None) -> np.ndarray:
    """Passages that ``combined`` finds whatever the model says (``None``: no override)."""
    return (rules >= (2.0 if override is None else override)) | decisive


def _cuts(scores: np.ndarray) -> np.ndarray:
    # Quantiles cover common categories; the top scores themselves cover rare ones (Do Not Track).
    top = np.sort(scores)[-60:]
    return np.unique(np.concatenate([np.quantile(scores, np.linspace(0.3, 1.0, 300)), top]))


def export(
    units: Units, c_value: float, tuned: tuple, stems: list[str], extra: Extra, extra_name: str
) -> dict:
    vec = vectoriser()
    x = vec.fit_transform(units.docs + extra.docs)
    y, row_weights = _training_rows(np.array(units.labels), extra)
    weights = np.zeros((x.shape[1], len(PRACTICE_CATEGORIES)))
    bias = []
    for c in range(len(PRACTICE_CATEGORIES)):
        model = _classifier(c_value)
        model.fit(x, y[:, c], sample_weight=row_weights)
        weights[:, c] = model.coef_[0]
        bias.append(round(float(model.intercept_[0]), 4))
    idf = vec.idf_
    # Features whose weights all round to zero change no decision.
    kept = sorted(
        (i, term) for term, i in vec.vocabulary_.items() if np.abs(weights[i]).max() * SCALE >= 1
    )
    table = np.zeros((len(kept), len(PRACTICE_CATEGORIES) + 1))
    for row, (i, _) in enumerate(kept):
        table[row, 0] = idf[i]
        table[row, 1:] = weights[i]
    packed = np.clip(np.round(table * SCALE), -32768, 32767).astype("<i2")
    model_thresholds, bonuses, combined_thresholds, overrides, _ = tuned
    return {
        "format": MODEL_FORMAT,
        "categories": [c.value for c in PRACTICE_CATEGORIES],
        "scale": SCALE,
        "bias": bias,
        # Decision cuts on the logit (model) and on logit + bonus * rule confidence (combined).
        "cuts": [round(t, 4) for t in model_thresholds],
        "combined": {
            "bonus": bonuses,
            "cuts": [round(t, 4) for t in combined_thresholds],
            "override": overrides,
        },
        "source": "OPP-115 v1.0 (Usable Privacy Policy Project), majority labels per segment",
        "terms_of_use": TERMS,
        "trained_on": {
            "policies": stems,
            "passages": len(units.docs),
            "C": c_value,
            # Sentences written for the project (modern wording), their file and weight.
            "extra_sentences": {
                "file": extra_name,
                "count": len(extra.docs),
                "weight": extra.weight,
            },
        },
        "terms": "\n".join(term for _, term in kept),
        "weights": base64.b64encode(packed.tobytes()).decode("ascii"),
    }


def _print_per_category(f1: np.ndarray, indent: int) -> None:
    """One line per category: F1 of ``model`` (row 0) and ``combined`` (row 1)."""
    for category, f_model, f_comb in zip(PRACTICE_CATEGORIES, f1[0], f1[1], strict=True):
        name = f"{' ' * indent}{category.value:{36 - indent}}"
        print(f"{name} model {f_model:.3f}  combined {f_comb:.3f}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--fit", choices=["train", "all"], default="all")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--nested", action="store_true", help="also report nested CV (honest, a minute longer)"
    )
    parser.add_argument(
        "--extra", type=Path, default=DEFAULT_EXTRA, help="extra labelled sentences (JSON lines)"
    )
    parser.add_argument(
        "--extra-weight",
        type=float,
        default=EXTRA_WEIGHT,
        help=f"weight of each extra sentence in the fit; 0 leaves them out (default {EXTRA_WEIGHT})",
    )
    args = parser.parse_args(argv)
    split = read_split(args.root)
    stems = split["train"] + (split["validation"] if args.fit == "all" else [])
    units = build_units(read_policies(stems, args.root))
    extra = read_extra(args.extra, args.extra_weight)
    print(
        f"{len(stems)} policies, {len(units.docs)} passages, {len(extra.docs)} extra sentences "
        f"(weight {extra.weight})",
        file=sys.stderr,
    )
    best = None
    for c_value in C_GRID:
        logits = out_of_fold(units, c_value, extra)
        tuned = tune(units, logits)
        macro_model, macro_combined = tuned[4].mean(axis=1)
        print(
            f"C={c_value}: CV macro-F1 model {macro_model:.3f}, combined {macro_combined:.3f}",
            file=sys.stderr,
        )
        if args.nested:
            nested = nested_f1(units, logits)
            print(
                f"  nested (settings chosen on other policies): model {nested[0].mean():.3f}, "
                f"combined {nested[1].mean():.3f}",
                file=sys.stderr,
            )
            _print_per_category(nested, indent=4)
        if best is None or macro_combined > best[0]:
            best = (macro_combined, c_value, tuned)
    assert best is not None
    _, c_value, tuned = best
    _print_per_category(tuned[4], indent=2)
    extra_name = args.extra.name if extra.docs else ""
    data = export(units, c_value, tuned, stems, extra, extra_name)
    args.out.write_bytes(
        gzip.compress(json.dumps(data, separators=(",", ":")).encode(), 9, mtime=0)
    )
    print(
        f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB, "
        f"{data['terms'].count(chr(10)) + 1} features, C={c_value})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
