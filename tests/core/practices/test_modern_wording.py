"""GDPR/CCPA-era wording is read by the default detector; the sentences are our own wording."""

from __future__ import annotations

import pytest

from policyreader.core.loading import load_text
from policyreader.core.practices.detector import detect_practices
from policyreader.core.practices.polarity import Polarity
from policyreader.core.practices.taxonomy import Category


def _found(sentence: str) -> dict[Category, Polarity]:
    document = load_text(f"{sentence}\n", name="quote.txt")
    return {p.category: p.polarity for p in detect_practices(document)}


@pytest.mark.parametrize(
    ("sentence", "category"),
    [
        (
            "Our legal basis for reading your route history is our legitimate interest in "
            "keeping the maps accurate.",
            Category.FIRST_PARTY_COLLECTION,
        ),
        (
            "Where trail photos leave the EEA, we rely on the standard contractual clauses "
            "adopted by the European Commission.",
            Category.INTERNATIONAL_SPECIFIC_AUDIENCES,
        ),
        (
            "You may exercise your data protection rights at any time from the help page.",
            Category.USER_ACCESS,
        ),
        (
            "You also have the right to data portability for the tracks you recorded.",
            Category.USER_ACCESS,
        ),
        (
            "Our site treats a Global Privacy Control signal from your browser as a request "
            "to opt out.",
            Category.USER_CHOICE,
        ),
        (
            "Here's who we use: a cloud hosting provider keeps our encrypted backups.",
            Category.THIRD_PARTY_SHARING,
        ),
        (
            "In the last twelve months we have engaged in no sale or sharing of personal "
            "information for cross-context behavioral advertising.",
            Category.THIRD_PARTY_SHARING,
        ),
        (
            "A deleted waypoint stays in your bin for fourteen days before it is gone.",
            Category.DATA_RETENTION,
        ),
        (
            "Where we rely on legitimate interests, we weigh them against your rights before "
            "we study how the planner is used.",
            Category.FIRST_PARTY_COLLECTION,
        ),
        (
            "Follow the Do Not Sell or Share My Personal Information link at the foot of any "
            "page to opt out.",
            Category.USER_CHOICE,
        ),
        (
            "We retain route logs only as long as necessary to settle disputes about a delivery.",
            Category.DATA_RETENTION,
        ),
        (
            "You can withdraw your consent to the loyalty newsletter whenever you like.",
            Category.USER_CHOICE,
        ),
        (
            "Our couriers' tracking vendor keeps parcel scans on our behalf.",
            Category.THIRD_PARTY_SHARING,
        ),
        (
            "Staff sign in to the parcel database with two-factor authentication.",
            Category.DATA_SECURITY,
        ),
        (
            "Residents of Virginia and Colorado can appeal a refused privacy request.",
            Category.INTERNATIONAL_SPECIFIC_AUDIENCES,
        ),
        (
            "You may ask us to correct an address that is wrong or out of date.",
            Category.USER_ACCESS,
        ),
    ],
    ids=[
        "legal-basis",
        "sccs",
        "subject-rights",
        "portability",
        "gpc",
        "processors",
        "ccpa-sale",
        "stays-for",
        "legitimate-interests",
        "do-not-sell-or-share-link",
        "as-long-as-necessary",
        "withdraw-consent",
        "on-our-behalf",
        "two-factor",
        "state-laws",
        "correction-request",
    ],
)
def test_modern_wording_states_its_category(sentence: str, category: Category) -> None:
    assert category in _found(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Ridgeback Outfitters does not sell or share the personal data of its members.",
        "We do not sell your personal information.",
        "Parcel Pals does not sell the personal information of the people it delivers to.",
    ],
)
def test_a_promise_not_to_sell_keeps_its_polarity(sentence: str) -> None:
    assert _found(sentence).get(Category.THIRD_PARTY_SHARING) is Polarity.DOES_NOT
