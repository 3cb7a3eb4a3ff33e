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
