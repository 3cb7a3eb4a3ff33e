"""The detector on Markdown, text and HTML: spans, evidence, attributes, coverage, fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyreader.core.document import PolicyDocument
from policyreader.core.loading import load_path, load_text
from policyreader.core.practices import model as model_module
from policyreader.core.practices.detector import (
    MAX_PRACTICE_CHARS,
    DetectorKind,
    PracticeDetector,
    coverage,
    detect_practices,
)
from policyreader.core.practices.model import default_model
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.rules import RuleSet, default_rules
from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES, Category
from tests.all_rules_detector import AllRulesDetector
from tests.core.practices.test_model import _tiny_model

FIXTURES = Path(__file__).parent / "fixtures"
FORMATS = ["lanternfish.md", "lanternfish.txt", "lanternfish.html"]


def _load(name: str) -> PolicyDocument:
    return load_path(FIXTURES / name)


def _check_spans(document: PolicyDocument, practices: list[Practice]) -> None:
    text = document.text
    for practice in practices:
        assert 0 <= practice.start < practice.end <= len(text)
        span = text[practice.start : practice.end]
        assert span == span.strip(), "a span starts and ends on words"
        assert practice.evidence, f"{practice.category}: no evidence"
        for phrase in practice.evidence:
            assert phrase in span, f"{phrase!r} is not inside {span!r}"
        assert any(b.start <= practice.start and practice.end <= b.end for b in document.blocks)
        assert practice.end - practice.start <= MAX_PRACTICE_CHARS
        assert 0.0 <= practice.confidence <= 1.0
        assert practice.category in PRACTICE_CATEGORIES


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("kind", list(DetectorKind))
def test_every_detection_points_at_text_holding_its_evidence(name: str, kind: DetectorKind) -> None:
    document = _load(name)
    practices = detect_practices(document, kind)
    assert practices
    _check_spans(document, practices)


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("kind", [DetectorKind.RULES, DetectorKind.COMBINED])
def test_all_nine_practices_of_the_fixture_are_found(name: str, kind: DetectorKind) -> None:
    practices = detect_practices(_load(name), kind)
    assert set(coverage(practices).values()) == {"stated"}


def _covering(document: PolicyDocument, practices: list[Practice], words: str) -> list[Practice]:
    where = document.text.index(words)
    return [p for p in practices if p.start <= where < p.end]


@pytest.mark.parametrize("name", FORMATS)
def test_highlights_cover_the_stating_sentences_not_the_section(name: str) -> None:
    document = _load(name)
    practices = detect_practices(document)
    retention = [p for p in _covering(document, practices, "seven years")]
    assert [p.category for p in retention] == [Category.DATA_RETENTION]
    span = document.text[retention[0].start : retention[0].end]
    assert span.startswith("We retain order records")
    assert "Security" not in span and "TLS" not in span
    dnt = _covering(document, practices, "Do Not Track signals")
    assert Category.DO_NOT_TRACK in {p.category for p in dnt}


@pytest.mark.parametrize("name", FORMATS)
def test_attributes_make_practices_concrete(name: str) -> None:
    document = _load(name)
    practices = detect_practices(document)

    def attributes(words: str, category: Category) -> dict[str, object]:
        found = [p for p in _covering(document, practices, words) if p.category is category]
        assert found, f"no {category} at {words!r}"
        return found[0].attributes

    retention = attributes("seven years", Category.DATA_RETENTION)
    assert retention["retention"] == "stated_period"
    assert "seven years" in retention["retention_period"]
    assert (
        "30 days"
        in attributes("Server logs are deleted", Category.DATA_RETENTION)["retention_period"]
    )
    assert (
        "children_under_13"
        in attributes("children under 13", Category.INTERNATIONAL_SPECIFIC_AUDIENCES)["audiences"]
    )
    assert (
        "california"
        in attributes("live in California", Category.INTERNATIONAL_SPECIFIC_AUDIENCES)["audiences"]
    )
    collected = attributes("we collect your name", Category.FIRST_PARTY_COLLECTION)["data_types"]
    assert {"contact", "financial"} <= set(collected)
    assert (
        "government_legal"
        in attributes("court order", Category.THIRD_PARTY_SHARING)["third_parties"]
    )
    assert "opt_out_link" in attributes("unsubscribe link", Category.USER_CHOICE)["choices"]
    assert "delete" in attributes("delete your account", Category.USER_ACCESS)["rights"]


def test_practice_json_has_the_documented_shape() -> None:
    document = _load("lanternfish.md")
    practice = detect_practices(document)[0]
    shape = practice.as_json()
    assert set(shape) >= {"category", "start", "end", "confidence", "attributes", "evidence"}
    assert isinstance(shape["evidence"], list)
    assert shape["category"] in {c.value for c in PRACTICE_CATEGORIES}


def test_without_the_weights_file_every_detector_falls_back_to_the_rules() -> None:
    # As when a package is built without the OPP-115-derived weights file.
    bundled = model_module.MODEL_FILE
    model_module.MODEL_FILE = ("practices", "no-such-model.json.gz")
    default_model.cache_clear()
    try:
        assert default_model() is None
        document = _load("lanternfish.md")
        for kind in DetectorKind:
            practices = detect_practices(document, kind)
            assert practices
            assert {p.source for p in practices} == {"rules"}
            _check_spans(document, practices)
        assert PracticeDetector(DetectorKind.COMBINED, model=None).kind is DetectorKind.RULES
    finally:
        model_module.MODEL_FILE = bundled
        default_model.cache_clear()
    assert default_model() is not None


def test_bundled_model_is_present_and_combined_uses_both_parts() -> None:
    assert default_model() is not None
    sources = {p.source for p in detect_practices(_load("lanternfish.md"))}
    assert any("model" in source for source in sources)
    assert any("rules" in source for source in sources)


def test_a_policy_that_states_nothing_has_nothing_stated() -> None:
    document = load_text("The weather was mild and the river ran quietly past the mill.\n")
    practices = detect_practices(document)
    assert practices == []
    assert set(coverage(practices).values()) == {"not_stated"}


@pytest.mark.parametrize("name", FORMATS)
def test_combined_tries_fewer_rules_without_changing_its_findings(name: str) -> None:
    document = _load(name)
    model = default_model()
    pruned = PracticeDetector(DetectorKind.COMBINED, model=model).detect(document)
    full = AllRulesDetector(DetectorKind.COMBINED, model=model).detect(document)
    assert pruned == full


def _without_decisive(lexicon: dict) -> dict:
    categories = {
        name: {key: value for key, value in spec.items() if key != "decisive"}
        for name, spec in lexicon["categories"].items()
    }
    return {**lexicon, "categories": categories}


def test_a_decisive_pattern_is_found_in_combined_whatever_the_model_says() -> None:
    # A model that hears nothing but "not a choice" in the word "opt".
    model = _tiny_model({"opt": [3000, *([0] * 2), -32768, *([0] * 6)]}, bias=-5.0)
    document = load_text("You can opt out of our marketing e-mails at any time.\n")
    lexicon = default_rules().lexicon
    assert "you_may_opt_out" in lexicon["categories"]["user_choice"]["decisive"]
    decisive = PracticeDetector(DetectorKind.COMBINED, RuleSet(lexicon), model)
    plain = PracticeDetector(DetectorKind.COMBINED, RuleSet(_without_decisive(lexicon)), model)
    assert Category.USER_CHOICE in {p.category for p in decisive.detect(document)}
    assert Category.USER_CHOICE not in {p.category for p in plain.detect(document)}
