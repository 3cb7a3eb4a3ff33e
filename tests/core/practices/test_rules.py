"""The lexicon: it parses, every pattern has trigger stems, and the stems never hide a match."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from policyreader.core.loading import load_path, load_text
from policyreader.core.practices.rules import RULES_FILE, default_rules
from policyreader.core.practices.sentences import lower_text, passages
from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES, Category
from policyreader.resources_path import resource
from tests.conftest import SEEDS

FIXTURES = Path(__file__).parent / "fixtures"


def test_lexicon_covers_every_category_and_every_pattern_has_triggers() -> None:
    data = tomllib.loads(resource(*RULES_FILE).read_text(encoding="utf-8"))
    assert {Category(name) for name in data["categories"]} == set(PRACTICE_CATEGORIES)
    for spec in data["categories"].values():
        for name, weight, expression, stems in spec["patterns"]:
            assert 0 < weight < 1, name
            assert expression == expression.replace("(?i)", ""), name
            assert stems.split(), f"{name} has no trigger stems"


def _assert_triggers_hide_nothing(text: str, name: str) -> None:
    document = load_text(text, name=name)
    rules = default_rules()
    lowered = lower_text(document.text)
    for passage in passages(document):
        for sentence in passage.sentences:
            assert rules.score(lowered, sentence) == rules.score_all(lowered, sentence), (
                document.text[sentence.start : sentence.end]
            )


@pytest.mark.parametrize("name", ["lanternfish.md", "lanternfish.txt"])
def test_trigger_stems_never_hide_a_match_in_the_fixtures(name: str) -> None:
    _assert_triggers_hide_nothing((FIXTURES / name).read_text(encoding="utf-8"), name)


@pytest.mark.shared
def test_trigger_stems_never_hide_a_match_in_the_seed_policies() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        _assert_triggers_hide_nothing(path.read_text(encoding="utf-8"), path.name)


def test_rules_state_why() -> None:
    document = load_path(FIXTURES / "lanternfish.md")
    lowered = lower_text(document.text)
    where = document.text.index("We retain order records")
    sentence = next(s for p in passages(document) for s in p.sentences if s.start <= where < s.end)
    hit = default_rules().score(lowered, sentence)[Category.DATA_RETENTION]
    assert hit.fires and "retain" in hit.patterns
    assert [document.text[a:b] for a, b in hit.evidence][:1] == ["retain"]


def test_social_security_number_is_not_data_security() -> None:
    document = load_text("We ask for your Social Security number when you apply for credit.\n")
    lowered = lower_text(document.text)
    sentence = next(s for p in passages(document) for s in p.sentences)
    assert Category.DATA_SECURITY not in default_rules().score(lowered, sentence)


def _retention_hit(text: str):
    document = load_text(text + "\n")
    lowered = lower_text(document.text)
    sentence = next(s for p in passages(document) for s in p.sentences)
    return default_rules().score(lowered, sentence).get(Category.DATA_RETENTION)


@pytest.mark.parametrize(
    "text",
    [
        "Records are purged after one calendar year from the date of entry.",
        "Server logs are deleted within 30 days of your visit.",
        "Chat transcripts are anonymised after six months.",
        "Raw access logs are scheduled for regular destruction.",
    ],
)
def test_a_deletion_with_its_period_or_schedule_is_a_strong_retention_statement(text: str) -> None:
    hit = _retention_hit(text)
    assert hit is not None and hit.fires and hit.confidence >= 0.85


@pytest.mark.parametrize(
    "text",
    [
        "Our games are not meant for children under 13 years of age.",
        "Members must be 18 years old or older.",
        "Our help line answers seven days a week.",
    ],
)
def test_ages_and_opening_hours_are_not_retention_periods(text: str) -> None:
    hit = _retention_hit(text)
    assert hit is None or "period" not in hit.patterns
