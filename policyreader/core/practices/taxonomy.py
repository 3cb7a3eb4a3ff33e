"""The practice categories (OPP-115 scheme) with stable ids, labels and the attribute kinds."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """Stable ids of the data-practice categories; ``other`` is never highlighted as a practice."""

    FIRST_PARTY_COLLECTION = "first_party_collection"
    THIRD_PARTY_SHARING = "third_party_sharing"
    USER_CHOICE = "user_choice"
    USER_ACCESS = "user_access"
    DATA_RETENTION = "data_retention"
    DATA_SECURITY = "data_security"
    POLICY_CHANGE = "policy_change"
    DO_NOT_TRACK = "do_not_track"
    INTERNATIONAL_SPECIFIC_AUDIENCES = "international_specific_audiences"
    OTHER = "other"


# The nine categories that are detected, scored and summarised, in reading order of a summary.
PRACTICE_CATEGORIES: tuple[Category, ...] = tuple(c for c in Category if c is not Category.OTHER)

LABELS: dict[Category, str] = {
    Category.FIRST_PARTY_COLLECTION: "Collection and use",
    Category.THIRD_PARTY_SHARING: "Sharing with third parties",
    Category.USER_CHOICE: "Choices and control",
    Category.USER_ACCESS: "Access, correction and deletion",
    Category.DATA_RETENTION: "Data retention",
    Category.DATA_SECURITY: "Data security",
    Category.POLICY_CHANGE: "Policy changes",
    Category.DO_NOT_TRACK: "Do Not Track",
    Category.INTERNATIONAL_SPECIFIC_AUDIENCES: "Children, regions and specific audiences",
    Category.OTHER: "Other",
}

# The category names OPP-115 uses in its annotation files.
OPP115_NAMES: dict[str, Category] = {
    "First Party Collection/Use": Category.FIRST_PARTY_COLLECTION,
    "Third Party Sharing/Collection": Category.THIRD_PARTY_SHARING,
    "User Choice/Control": Category.USER_CHOICE,
    "User Access, Edit and Deletion": Category.USER_ACCESS,
    "Data Retention": Category.DATA_RETENTION,
    "Data Security": Category.DATA_SECURITY,
    "Policy Change": Category.POLICY_CHANGE,
    "Do Not Track": Category.DO_NOT_TRACK,
    "International and Specific Audiences": Category.INTERNATIONAL_SPECIFIC_AUDIENCES,
    "Other": Category.OTHER,
}


class Attribute(StrEnum):
    """Attribute kinds a practice can carry; values are lexicon ids (``contact``, ``advertising``)."""

    DATA_TYPES = "data_types"
    PURPOSES = "purposes"
    THIRD_PARTIES = "third_parties"
    CHOICES = "choices"
    RETENTION = "retention"
    RETENTION_PERIOD = "retention_period"
    RIGHTS = "rights"
    AUDIENCES = "audiences"


# Which attributes are worth extracting for which category: a summary asks these questions.
CATEGORY_ATTRIBUTES: dict[Category, tuple[Attribute, ...]] = {
    Category.FIRST_PARTY_COLLECTION: (Attribute.DATA_TYPES, Attribute.PURPOSES),
    Category.THIRD_PARTY_SHARING: (
        Attribute.THIRD_PARTIES,
        Attribute.DATA_TYPES,
        Attribute.PURPOSES,
    ),
    Category.USER_CHOICE: (Attribute.CHOICES, Attribute.DATA_TYPES, Attribute.PURPOSES),
    Category.USER_ACCESS: (Attribute.RIGHTS,),
    Category.DATA_RETENTION: (
        Attribute.RETENTION,
        Attribute.RETENTION_PERIOD,
        Attribute.DATA_TYPES,
    ),
    Category.DATA_SECURITY: (),
    Category.POLICY_CHANGE: (),
    Category.DO_NOT_TRACK: (),
    Category.INTERNATIONAL_SPECIFIC_AUDIENCES: (Attribute.AUDIENCES,),
    Category.OTHER: (),
}


def category_from_id(value: str) -> Category:
    """The category with this id; raises ``ValueError`` for an unknown id."""
    return Category(value)
