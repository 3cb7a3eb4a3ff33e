"""Score the attribute lexicon on OPP-115: what a practice says it collects, why, with whom.

Each policy is written as a file and opened with ``load_path``, as ``tools/evaluate.py`` does.
For every segment that a majority labels with a category, the attributes the lexicon finds in
that segment's text (``AttributeLexicon.extract`` for that category) are compared with the values
a majority of the annotators gave the matching OPP-115 attribute there. Detection is left out on
purpose: this measures the lexicon, not whether the practice was found.

Only values with an OPP-115 counterpart are scored (``MAPPINGS``); annotators' "Unspecified",
"Other" and "Generic" values are no gold value, so a value found there counts against us.

    python -m tools.evaluate_attributes --split validation
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from policyreader.core.loading import load_path
from policyreader.core.practices.attributes import AttributeLexicon, default_attributes
from policyreader.core.practices.taxonomy import CATEGORY_ATTRIBUTES, Attribute
from tools.evaluate import Counts
from tools.opp115 import DEFAULT_ROOT, Policy, SegmentMap, policy_file, read_policies, read_split


@dataclass(frozen=True, slots=True)
class Mapping:
    """Which OPP-115 attribute one of ours answers, and how their values name ours."""

    attribute: str
    values: dict[str, str]
    # Our finer values scored as one (the annotators did not tell them apart).
    collapse: dict[str, str] = field(default_factory=dict)

    @property
    def scored(self) -> set[str]:
        return set(self.values.values())

    def ours(self, value: str) -> str:
        return self.collapse.get(value, value)


MAPPINGS: dict[Attribute, Mapping] = {
    Attribute.DATA_TYPES: Mapping(
        "Personal Information Type",
        {
            "Contact": "contact",
            "Location": "location",
            "Financial": "financial",
            "Health": "health",
            "IP address and device IDs": "device_identifiers",
            "Computer information": "device_identifiers",
            "Cookies and tracking elements": "cookies_tracking",
            "User online activities": "online_activity",
            "Demographic": "demographics",
            "Social media data": "social_media",
            "Personal identifier": "government_id",
        },
    ),
    Attribute.PURPOSES: Mapping(
        "Purpose",
        {
            "Basic service/feature": "service_operation",
            "Advertising": "advertising",
            "Marketing": "marketing",
            "Analytics/Research": "analytics_research",
            "Personalization/Customization": "personalization",
            "Service Operation and Security": "security_fraud",
            "Service operation and security": "security_fraud",
            "Legal requirement": "legal",
            "Merger/Acquisition": "merger",
        },
    ),
    Attribute.THIRD_PARTIES: Mapping(
        "Third Party Entity", {"Other part of company/affiliate": "affiliates"}
    ),
    Attribute.CHOICES: Mapping(
        "Choice Type",
        {
            "Opt-out link": "opt_out_link",
            "Opt-in": "opt_in_consent",
            "Browser/device privacy controls": "browser_cookie_controls",
            "First-party privacy controls": "account_settings",
            "Dont use service/feature": "dont_use_service",
            "Opt-out via contacting company": "contact_company",
        },
    ),
    Attribute.RIGHTS: Mapping(
        "Access Type",
        {
            "View": "access",
            "Edit information": "correct",
            "Delete account (full)": "delete",
            "Delete account (partial)": "delete",
            "Export": "export",
        },
    ),
    Attribute.AUDIENCES: Mapping(
        "Audience Type",
        {
            "Children": "children",
            "Californians": "california",
            "Europeans": "eu",
            "Citizens from other countries": "other_regions",
        },
        collapse={
            "children_under_13": "children",
            "children_under_16": "children",
            # The annotators' "citizens from other countries" are mostly users abroad.
            "international_transfer": "other_regions",
        },
    ),
    Attribute.RETENTION: Mapping(
        "Retention Period",
        {
            "Stated Period": "stated_period",
            "Indefinitely": "indefinitely",
            "Limited": "as_long_as_needed",
        },
    ),
}


@dataclass(slots=True)
class AttributeScores:
    """Counts per (our attribute kind, value) over (segment, category) pairs."""

    counts: dict[Attribute, dict[str, Counts]] = field(
        default_factory=lambda: {
            kind: {value: Counts() for value in sorted(mapping.scored)}
            for kind, mapping in MAPPINGS.items()
        }
    )

    def add(self, kind: Attribute, gold: set[str], predicted: set[str]) -> None:
        for value, counts in self.counts[kind].items():
            counts.add(value in gold, value in predicted)

    def micro(self, kind: Attribute) -> Counts:
        total = Counts()
        for counts in self.counts[kind].values():
            total.tp += counts.tp
            total.fp += counts.fp
            total.fn += counts.fn
        return total

    def table(self, title: str) -> str:
        lines = [title, f"{'attribute / value':38} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5}"]
        for kind, values in self.counts.items():
            micro = self.micro(kind)
            lines.append(
                f"{kind.value:38} {micro.precision:6.3f} {micro.recall:6.3f} {micro.f1:6.3f} "
                f"{micro.tp + micro.fn:5d}"
            )
            for value, counts in values.items():
                lines.append(
                    f"  {value:36} {counts.precision:6.3f} {counts.recall:6.3f} "
                    f"{counts.f1:6.3f} {counts.tp + counts.fn:5d}"
                )
        return "\n".join(lines)


def predicted_values(
    lexicon: AttributeLexicon, kind: Attribute, found: dict[str, object]
) -> set[str]:
    """Our values of ``kind`` in what ``extract`` returned, collapsed and limited to the scored."""
    mapping = MAPPINGS[kind]
    raw = found.get(kind.value)
    values = [raw] if isinstance(raw, str) else list(raw or [])
    return {mapping.ours(value) for value in values} & mapping.scored


def gold_values(policy: Policy, segment: int, category: object, kind: Attribute) -> set[str]:
    mapping = MAPPINGS[kind]
    given = policy.values.get((segment, category, mapping.attribute), set())  # type: ignore[arg-type]
    return {mapping.values[value] for value in given if value in mapping.values}


def score_policy(
    policy: Policy, lexicon: AttributeLexicon, scores: AttributeScores, workdir: Path
) -> None:
    suffix, contents = policy_file(policy, "text")
    path = workdir / f"{policy.stem}{suffix}"
    path.write_text(contents, encoding="utf-8")
    document = load_path(path)
    mapping = SegmentMap(document.text, policy.segments)
    for segment, categories in enumerate(policy.labels):
        span = mapping.span_of(segment)
        if span is None:
            continue
        for category in categories:
            kinds = [kind for kind in CATEGORY_ATTRIBUTES.get(category, ()) if kind in MAPPINGS]
            if not kinds:
                continue
            found = lexicon.extract(category, document.text, *span)
            for kind in kinds:
                scores.add(
                    kind,
                    gold_values(policy, segment, category, kind),
                    predicted_values(lexicon, kind, found),
                )


def evaluate_attributes(
    policies: Sequence[Policy], lexicon: AttributeLexicon | None = None
) -> AttributeScores:
    lexicon = lexicon or default_attributes()
    scores = AttributeScores()
    with tempfile.TemporaryDirectory() as workdir:
        for policy in policies:
            score_policy(policy, lexicon, scores, Path(workdir))
    return scores


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the OPP-115 folder")
    parser.add_argument("--split", default="validation", choices=["train", "validation", "all"])
    args = parser.parse_args(argv)
    split = read_split(args.root)
    stems = split["train"] + split["validation"] if args.split == "all" else split[args.split]
    scores = evaluate_attributes(read_policies(stems, args.root))
    print(scores.table(f"== attributes on {args.split} ({len(stems)} policies)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
