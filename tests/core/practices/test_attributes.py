"""The attribute lexicon on sentences that used to fool it, and the tool that scores it."""

from __future__ import annotations

import pytest

from policyreader.core.practices.attributes import default_attributes
from policyreader.core.practices.taxonomy import Attribute, Category
from tests.conftest import OPP115
from tools.evaluate_attributes import evaluate_attributes
from tools.opp115 import Policy, read_policies, read_split


def _values(category: Category, sentence: str, kind: str) -> object:
    found = default_attributes().extract(category, sentence, 0, len(sentence))
    return found.get(kind, [])


@pytest.mark.parametrize(
    ("category", "sentence", "kind", "value", "present"),
    [
        # An IP address or a domain name is no contact detail; a postal address is.
        (
            Category.FIRST_PARTY_COLLECTION,
            "Our servers log your IP address.",
            "data_types",
            "contact",
            False,
        ),
        (
            Category.FIRST_PARTY_COLLECTION,
            "We ask for your postal address.",
            "data_types",
            "contact",
            True,
        ),
        # "Social Security" is an identifier, not a security purpose.
        (
            Category.FIRST_PARTY_COLLECTION,
            "We may ask for your Social Security number.",
            "purposes",
            "security_fraud",
            False,
        ),
        (
            Category.FIRST_PARTY_COLLECTION,
            "We use it to detect and prevent fraud.",
            "purposes",
            "security_fraud",
            True,
        ),
        # Content tailored to one's interests says nothing about demographics collected.
        (
            Category.FIRST_PARTY_COLLECTION,
            "We tailor the pages to your interests.",
            "data_types",
            "demographics",
            False,
        ),
        # A business transaction (a merger) is not financial data; a transaction history is.
        (
            Category.THIRD_PARTY_SHARING,
            "Data may pass to a buyer in such a transaction.",
            "data_types",
            "financial",
            False,
        ),
        (
            Category.FIRST_PARTY_COLLECTION,
            "We keep your transaction history.",
            "data_types",
            "financial",
            True,
        ),
        # A share button is a feature; the profile a sign-in hands over is data.
        (
            Category.FIRST_PARTY_COLLECTION,
            "Pages carry social media buttons.",
            "data_types",
            "social_media",
            False,
        ),
        (
            Category.FIRST_PARTY_COLLECTION,
            "If you sign in with Facebook we get your profile.",
            "data_types",
            "social_media",
            True,
        ),
        (
            Category.FIRST_PARTY_COLLECTION,
            "We record which websites you visit and when.",
            "data_types",
            "online_activity",
            True,
        ),
        (
            Category.FIRST_PARTY_COLLECTION,
            "We log how visitors navigate within the shop.",
            "data_types",
            "online_activity",
            True,
        ),
        (
            Category.FIRST_PARTY_COLLECTION,
            "We use your address to ship your order.",
            "purposes",
            "service_operation",
            True,
        ),
        (
            Category.FIRST_PARTY_COLLECTION,
            "We use it to provide account-related services.",
            "purposes",
            "service_operation",
            True,
        ),
        (
            Category.FIRST_PARTY_COLLECTION,
            "Beacons help us deliver cookies.",
            "purposes",
            "service_operation",
            False,
        ),
        (
            Category.USER_CHOICE,
            "You may choose not to provide your birthday.",
            "choices",
            "dont_use_service",
            True,
        ),
        (
            Category.USER_CHOICE,
            "To opt out, send a written request to our privacy officer.",
            "choices",
            "contact_company",
            True,
        ),
        (
            Category.INTERNATIONAL_SPECIFIC_AUDIENCES,
            "Notice to non-U.S. users of the app.",
            "audiences",
            "international_transfer",
            True,
        ),
    ],
)
def test_lexicon_tells_the_practice_from_its_look_alikes(
    category: Category, sentence: str, kind: str, value: str, present: bool
) -> None:
    assert (value in _values(category, sentence, kind)) is present


def test_a_retention_until_the_purpose_is_served_is_as_long_as_needed() -> None:
    sentence = "We keep your data for the period necessary to fulfil these purposes."
    assert _values(Category.DATA_RETENTION, sentence, "retention") == "as_long_as_needed"


POLICY = Policy(
    stem="fictitious",
    segments=[
        "We collect your e-mail address and the pages you visit.",
        "Our servers log your IP address.",
    ],
    labels=[{Category.FIRST_PARTY_COLLECTION}, {Category.FIRST_PARTY_COLLECTION}],
    values={
        (0, Category.FIRST_PARTY_COLLECTION, "Personal Information Type"): {
            "Contact",
            "User online activities",
        },
        # The annotators' choice is honoured even where the lexicon disagrees.
        (1, Category.FIRST_PARTY_COLLECTION, "Personal Information Type"): {"Location"},
    },
)


def test_attribute_scores_compare_segment_values_with_the_annotators() -> None:
    scores = evaluate_attributes([POLICY])
    data_types = scores.counts[Attribute.DATA_TYPES]
    contact = data_types["contact"]
    assert (contact.tp, contact.fp, contact.fn) == (1, 0, 0)
    assert data_types["online_activity"].tp == 1
    # Segment 1: the IP address is found (no annotator gave it), the location is missed.
    assert data_types["device_identifiers"].fp == 1
    assert data_types["location"].fn == 1
    assert "contact" in scores.table("t")


@pytest.mark.shared
def test_the_lexicon_agrees_with_the_annotators_on_held_out_policies() -> None:
    policies = read_policies(read_split(OPP115)["validation"], OPP115)
    scores = evaluate_attributes(policies)
    # Measured 0.698 (data types) and 0.935 (audiences) when the lexicon was last tuned on the
    # train split; the bounds leave room for changes that trade a little for precision.
    assert scores.micro(Attribute.DATA_TYPES).f1 > 0.65
    assert scores.micro(Attribute.AUDIENCES).f1 > 0.88
