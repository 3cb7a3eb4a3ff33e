"""On each seed policy the detector finds every practice a careful reader marks in it."""

from __future__ import annotations

import re

import pytest

from policyreader.core.loading import load_path
from policyreader.core.practices.detector import detect_practices
from tests.conftest import SEEDS

# What a careful reader finds in each seed: (category, a few words where the policy states it).
# The words only locate the statement in the text; the detector must cover them with a practice.
EXPECTED: dict[str, list[tuple[str, str]]] = {
    "000_ef8ff6714307a239.txt": [
        ("first_party_collection", "types of information we collect"),
        ("first_party_collection", "Internet protocol"),
        ("third_party_sharing", "deliver packages"),
        ("third_party_sharing", "comply with the law"),
        ("data_security", "firewalls"),
        ("policy_change", "change this Privacy Policy"),
        ("user_access", "view, update or delete"),
    ],
    "001_5174944cfaf63b07.txt": [
        ("policy_change", "material changes"),
        ("first_party_collection", "pages visited"),
        ("user_choice", "opt out of the use of cookies"),
        ("user_access", "request that we remove"),
        ("data_retention", "retain and use PII"),
        ("data_security", "encrypted form"),
    ],
    "002_d4aab5214b35a79f.txt": [
        ("first_party_collection", "Service usage information"),
        ("third_party_sharing", "payment processing company"),
        ("third_party_sharing", "subpoenas"),
        ("data_security", "physical safeguards"),
        ("data_retention", "retained only"),
        ("user_access", "correct inaccuracies"),
        ("policy_change", "changes to this privacy policy"),
        ("user_choice", "opt out mechanism"),
    ],
    "003_f0db16302448d09d.txt": [
        ("first_party_collection", "browser language"),
        ("data_security", "sent via SSL"),
        ("third_party_sharing", "trusted third parties"),
        ("third_party_sharing", "bankruptcy, merger"),
        ("user_choice", "decline to submit"),
        ("user_access", "access and modify your personal information"),
        ("policy_change", "may be revised"),
        ("data_security", "organizational measures"),
    ],
    "004_7b4bd19a17e7408a.txt": [
        ("first_party_collection", "home or office address"),
        ("third_party_sharing", "does not sell or disclose"),
        ("user_access", "access, review and modify"),
        ("data_security", "security technologies"),
        ("policy_change", "amend this Privacy Policy"),
    ],
}


def _offset(text: str, words: str) -> int:
    pattern = r"\s+".join(re.escape(word) for word in words.split())
    match = re.search(pattern, text, re.IGNORECASE)
    assert match is not None, f"{words!r} is not in the text"
    return match.start()


@pytest.mark.shared
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_detector_finds_what_a_careful_reader_finds(name: str) -> None:
    document = load_path(SEEDS / name)
    practices = detect_practices(document)
    missing = []
    for category, words in EXPECTED[name]:
        where = _offset(document.text, words)
        if not any(p.category.value == category and p.start <= where < p.end for p in practices):
            missing.append((category, words))
    assert not missing, f"{name}: not found {missing}"
