"""Polarity: practices stated as not done say so, on the label and in ``diff``; fixtures are ours."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policyreader.cli import main
from policyreader.core.loading import load_path, load_text
from policyreader.core.practices.detector import DetectorKind, PracticeDetector, detect_practices
from policyreader.core.practices.polarity import (
    Polarity,
    default_polarity,
    features,
    read_polarity_model,
)
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import Category
from policyreader.core.summary import DOES_NOT, EXCEPT_AS_STATED, summarise
from policyreader.resources_path import resource

SHARING = Category.THIRD_PARTY_SHARING
SAMPLE = Path(str(resource("samples", "lanternfish-privacy.md")))


def _polarities(text: str, category: Category = SHARING) -> list[Polarity]:
    document = load_text(text, name="policy.md")
    return [p.polarity for p in detect_practices(document) if p.category is category]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We do not share your location with advertising partners.", Polarity.DOES_NOT),
        (
            "We will never share your contact details with marketing companies.",
            Polarity.DOES_NOT,
        ),
        (
            "We do not disclose your email address to other companies unless you ask us to.",
            Polarity.MIXED,
        ),
        (
            "We never share your personal data with third parties except with the service "
            "providers who host our servers.",
            Polarity.MIXED,
        ),
        ("We share your email address with our payment processor.", Polarity.DOES),
    ],
    ids=["plain", "never", "unless", "except", "does"],
)
def test_each_polarity_pattern(text: str, expected: Polarity) -> None:
    assert _polarities(f"# Sharing\n\n{text}\n") == [expected]


def test_a_list_of_things_not_done_reads_each_item_through_its_lead_in() -> None:
    text = (
        "# Our promises\n\nWe will never:\n\n- sell your personal data to data brokers;\n"
        "- share your location with advertisers.\n"
    )
    found = _polarities(text)
    assert found and all(p is Polarity.DOES_NOT for p in found)
    # The same item under a lead-in that does it reads as done.
    done = text.replace("We will never:", "We may:")
    assert Polarity.DOES_NOT not in _polarities(done)


def test_negation_cues_are_features_not_the_rule() -> None:
    cued = features("We do not sell your data.")
    assert "!neg:not" in cued and "NOT_sell" in cued and "!neg_verb:sell" in cued
    model = default_polarity()
    assert model is not None
    # A negation that describes the data ("not linked to your name") weighs less than one of
    # the practice itself.
    assert model.score("We do not sell your data.") > model.score(
        "We collect usage data that is not linked to your name."
    )


def test_the_sample_label_lists_no_recipient_it_promises_not_to_share_with() -> None:
    document = load_path(SAMPLE)
    sharing = summarise(document, detect_practices(document)).section(SHARING)
    lines = {line.heading: line for line in sharing.lines}
    shared_with = [item.words for item in lines["Shared with"].items]
    shared_for = [item.words for item in lines["Shared for"].items]
    assert "Advertisers" not in shared_with and "Advertising" not in shared_for
    not_done = [item.words for item in lines[DOES_NOT].items]
    assert lines[DOES_NOT].negative
    assert "Does not sell" in not_done and "Does not share with advertisers" in not_done


def test_the_label_keeps_a_statement_s_attributes_with_its_polarity() -> None:
    text = "We share your email with couriers. We never share with advertisers unless asked."
    practices = [
        Practice(SHARING, 0, 34, 0.9, {"third_parties": ["service_providers"]}),
        Practice(
            SHARING,
            35,
            len(text),
            0.9,
            {"third_parties": ["advertisers"]},
            polarity=Polarity.MIXED,
        ),
    ]
    lines = {line.heading: line for line in summarise(text, practices).section(SHARING).lines}
    assert [item.words for item in lines["Shared with"].items] == ["Service providers"]
    # "With exceptions" names no recipient: neither a promise nor a fact.
    assert [item.words for item in lines[EXCEPT_AS_STATED].items] == [
        "Does not share, except as stated"
    ]
    assert DOES_NOT not in lines


def test_a_section_stated_only_as_not_done_asks_no_questions() -> None:
    text = "We do not collect your contacts."
    practices = [
        Practice(
            Category.FIRST_PARTY_COLLECTION,
            0,
            len(text),
            0.9,
            {"data_types": ["contact"]},
            polarity=Polarity.DOES_NOT,
        )
    ]
    section = summarise(text, practices).section(Category.FIRST_PARTY_COLLECTION)
    assert section.stated
    assert [(line.heading, [i.words for i in line.items]) for line in section.lines] == [
        (DOES_NOT, ["Does not collect contact details"])
    ]


def test_inspect_json_gives_every_practice_a_polarity(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["inspect", str(SAMPLE), "--json"]) == 0
    practices = json.loads(capsys.readouterr().out)["practices"]
    assert practices and all(p["polarity"] in {"does", "does_not", "mixed"} for p in practices)
    assert any(p["polarity"] == "does_not" for p in practices)


def test_diff_reports_a_flip_of_polarity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = "# Privacy\n\n## Sharing\n\n"
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(head + "We do not share your location with advertising partners.\n")
    new.write_text(head + "We share your location with advertising partners.\n")
    assert main(["diff", str(old), str(new), "--json"]) == 0
    changes = json.loads(capsys.readouterr().out)["practice_changes"]
    assert changes[0]["polarity"] == {"old": "does_not", "new": "does"}
    assert changes[0]["summary"].endswith("now shares (was: does not)")


def test_without_the_polarity_file_every_practice_reads_as_done() -> None:
    document = load_text("# S\n\nWe do not share your location with advertising partners.\n")
    found = PracticeDetector(DetectorKind.RULES, polarity=None).detect(document)
    assert found and all(p.polarity is Polarity.DOES for p in found)


def test_a_corrupted_polarity_file_is_refused_with_a_message() -> None:
    with pytest.raises(ValueError, match="polarity"):
        read_polarity_model(b'{"format": "something-else"}')
    with pytest.raises(ValueError):
        read_polarity_model(b"\x1f\x8b not gzip at all")


def test_a_limit_on_what_is_also_done_is_not_listed_as_a_promise() -> None:
    shares = "We give your address to couriers who deliver your order."
    limit = " We do not give your address to other companies for their own marketing."
    text = shares + limit
    practices = [
        Practice(SHARING, 0, len(shares), 0.9, {"third_parties": ["service_providers"]}),
        Practice(
            SHARING,
            len(shares) + 1,
            len(text),
            0.9,
            {"third_parties": ["service_providers", "advertisers"]},
            polarity=Polarity.DOES_NOT,
        ),
    ]
    lines = {line.heading: line for line in summarise(text, practices).section(SHARING).lines}
    assert [item.words for item in lines["Shared with"].items] == ["Service providers"]
    assert [item.words for item in lines[DOES_NOT].items] == ["Does not share with advertisers"]
    assert [item.words for item in lines[EXCEPT_AS_STATED].items] == [
        "Does not share with service providers, except as stated"
    ]
