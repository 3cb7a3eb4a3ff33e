"""The nutrition label: facts linked to the sentences behind them, "not stated" for silent topics."""

from __future__ import annotations

from policyreader.core.loading import load_text
from policyreader.core.practices.corrections import Correction, CorrectionKind, apply_corrections
from policyreader.core.practices.detector import detect_practices
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES, Category
from policyreader.core.summary import NOT_STATED, summarise

POLICY = """# Wrenfield Maps Privacy Policy

## What we collect

We collect your name, email address and precise location when you create an account.

## Sharing

We share your location with advertisers and with service providers who host our servers.

## Your choices

You can opt out of interest-based ads at https://wrenfield.example/ads-opt-out at any time.

## Changes

We may change this policy from time to time and will notify you by email before changes apply.
"""


def _doc():
    return load_text(POLICY, name="wrenfield.md")


def test_policy_that_never_mentions_retention_says_not_stated() -> None:
    document = _doc()
    summary = summarise(document, detect_practices(document, "rules"))
    retention = summary.section(Category.DATA_RETENTION)
    assert not retention.stated
    assert retention.lines == () and retention.spans == ()
    assert Category.DATA_RETENTION in summary.not_stated
    assert Category.FIRST_PARTY_COLLECTION not in summary.not_stated
    assert NOT_STATED == "Not stated"


def test_every_item_links_to_sentences_that_state_it() -> None:
    document = _doc()
    summary = summarise(document, detect_practices(document, "rules"))
    collected = summary.section(Category.FIRST_PARTY_COLLECTION).lines[0]
    words = {item.words for item in collected.items}
    assert {"Contact details", "Location"} <= words
    for section in summary.sections:
        for line in section.lines:
            for item in line.items:
                assert item.spans, item
                for start, end in item.spans:
                    assert (start, end) in section.spans
                    assert document.text[start:end].strip()


def test_opt_out_link_is_found_with_its_place() -> None:
    document = _doc()
    summary = summarise(document, detect_practices(document, "rules"))
    links = summary.section(Category.USER_CHOICE).links
    assert [link.url for link in links] == ["https://wrenfield.example/ads-opt-out"]
    start, end = links[0].span
    assert document.text[start:end] == "https://wrenfield.example/ads-opt-out"


def test_change_notice_and_sharing_recipients() -> None:
    document = _doc()
    summary = summarise(document, detect_practices(document, "rules"))
    changes = summary.section(Category.POLICY_CHANGE).lines[0]
    assert "By email" in {item.words for item in changes.items}
    shared = summary.section(Category.THIRD_PARTY_SHARING).lines[0]
    assert {"Advertisers", "Service providers"} <= {item.words for item in shared.items}


def test_retention_period_is_quoted_and_unknown_values_are_humanised() -> None:
    text = "We keep logs for 90 days. We retain backups. Data about kids is special."
    practices = [
        Practice(
            Category.DATA_RETENTION,
            0,
            25,
            0.9,
            {"retention": "stated_period", "retention_period": "90 days"},
        ),
        Practice(Category.DATA_RETENTION, 26, 44, 0.9, {"retention": "unspecified"}),
        Practice(
            Category.INTERNATIONAL_SPECIFIC_AUDIENCES,
            45,
            72,
            0.9,
            {"audiences": ["martian_colonists"]},
        ),
    ]
    summary = summarise(text, practices)
    kept = summary.section(Category.DATA_RETENTION).lines[0].items
    assert [(i.words, i.spans) for i in kept] == [
        ("For 90 days", ((0, 25),)),
        ("Mentioned, no period given", ((26, 44),)),
    ]
    audiences = summary.section(Category.INTERNATIONAL_SPECIFIC_AUDIENCES).lines[0].items
    assert audiences[0].words == "Martian colonists"
    assert summary.stated_count == 2
    assert summary.coverage_line() == f"Addresses 2 of {len(PRACTICE_CATEGORIES)} topics"


def test_no_practices_means_every_topic_not_stated() -> None:
    summary = summarise("Nothing to see.", [])
    assert summary.not_stated == PRACTICE_CATEGORIES
    assert summary.stated_count == 0


def test_corrections_remove_recategorise_and_add() -> None:
    practices = [
        Practice(Category.DATA_SECURITY, 0, 10, 0.6, evidence=("secure",)),
        Practice(Category.POLICY_CHANGE, 20, 30, 0.7),
    ]
    corrections = [
        Correction("fp", 0, 10, CorrectionKind.RECATEGORISED, "data_security", "data_retention"),
        Correction("fp", 20, 30, CorrectionKind.WRONG, "policy_change"),
        Correction("fp", 40, 50, CorrectionKind.ADDED, None, "do_not_track"),
        Correction("fp", 60, 70, CorrectionKind.WRONG, "policy_change"),  # nothing there: ignored
        Correction("fp", 90, 200, CorrectionKind.ADDED, None, "do_not_track"),  # past the end
    ]
    result = apply_corrections(
        practices, corrections, 100, attributes=lambda c, s, e: {"retention": "unspecified"}
    )
    assert [(p.category, p.start, p.end, p.source) for p in result] == [
        (Category.DATA_RETENTION, 0, 10, "reader"),
        (Category.DO_NOT_TRACK, 40, 50, "reader"),
    ]
    assert result[0].evidence == ("secure",)
    assert result[0].attributes == {"retention": "unspecified"}
    assert summarise("x" * 100, result).section(Category.POLICY_CHANGE).stated is False


def test_security_measures_are_named_and_a_missing_guarantee_is_said() -> None:
    text = (
        "We protect data with encryption in transit. "
        "No method of transmission over the internet is 100% secure. "
        "We take steps to keep your data safe."
    )
    practices = [
        Practice(Category.DATA_SECURITY, 0, 44, 0.9),
        Practice(Category.DATA_SECURITY, 45, 105, 0.9),
    ]
    items = summarise(text, practices).section(Category.DATA_SECURITY).lines[0].items
    assert [(i.words, i.spans) for i in items] == [
        ("Encryption", ((0, 44),)),
        ("No guarantee of security", ((45, 105),)),
    ]
    vague = summarise(text, [Practice(Category.DATA_SECURITY, 106, len(text), 0.9)])
    assert vague.section(Category.DATA_SECURITY).lines[0].items[0].words == "Described"
