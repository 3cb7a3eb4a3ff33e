"""The outline scorer's heading matching, alignment and title rule, on made-up headings."""

from __future__ import annotations

import json

import pytest

from tools.eval_outline import corpus_files, headings_match, match_outline, normalise, title_correct


@pytest.mark.parametrize(
    "heading",
    [
        "1. Data we collect",
        "1.1 Data we collect",
        "1.1. Data we collect",
        "01 Data we collect",
        "2) Data we collect",
        "II. Data we collect",
        "iv) Data we collect",
        "(a) Data we collect",
        "a. Data we collect",
        "Section 3: Data we collect",
        "Article 12 - Data we collect",
        "§ 4 Data we collect",
        "3. DATA WE COLLECT:",
        "  Data   we collect.  ",
    ],
)
def test_normalise_drops_numbering_case_and_edge_punctuation(heading: str) -> None:
    assert normalise(heading) == "data we collect"


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("I agree to this", "i agree to this"),
        ("A note on cookies", "a note on cookies"),
        ("Civil rights", "civil rights"),
        ("2Stable apps", "2stable apps"),
    ],
)
def test_normalise_keeps_words_that_only_look_like_numbering(heading: str, expected: str) -> None:
    assert normalise(heading) == expected


def test_curly_and_straight_quotes_are_the_same_heading() -> None:
    assert normalise("Children’s “Privacy”") == normalise('Children\'s "Privacy"')


def test_fuzzy_match_accepts_small_differences_only() -> None:
    assert headings_match("Children's Privacy", "Childrens Privacy")
    assert headings_match("Changes to This Privacy Policy", "Changes to this privacy policy:")
    assert not headings_match("Cookies", "Security")
    assert not headings_match("Data Retention", "Data Security")
    assert not headings_match("[B]History[B/]", "History")


def test_alignment_counts_matches_misses_and_extras() -> None:
    score = match_outline(["Intro", "Cookies", "Contact us"], ["1. Intro", "Contact Us", "Menu"])

    assert [gold for gold, _ in score.matched] == ["Intro", "Contact us"]
    assert score.missed == ["Cookies"]
    assert score.extra == ["Menu"]
    assert score.precision == pytest.approx(2 / 3)
    assert score.recall == pytest.approx(2 / 3)


def test_alignment_respects_order() -> None:
    score = match_outline(["Alpha section", "Beta section"], ["Beta section", "Alpha section"])

    assert len(score.matched) == 1
    assert len(score.missed) == 1
    assert len(score.extra) == 1


def test_each_found_heading_matches_at_most_one_gold_heading() -> None:
    score = match_outline(["Cookies", "Cookies"], ["Cookies"])

    assert len(score.matched) == 1
    assert score.missed == ["Cookies"]


def test_optional_headings_are_neither_required_nor_extra() -> None:
    score = match_outline(["Cookies"], ["Contents", "Cookies"], optional=["Contents", "Summary"])

    assert score.extra == []
    assert score.optional_found == ["Contents"]
    assert score.precision == 1.0
    assert score.recall == 1.0


def test_no_found_headings_gives_no_precision_and_zero_recall() -> None:
    score = match_outline(["Cookies"], [])

    assert score.precision is None
    assert score.recall == 0.0


@pytest.mark.parametrize(
    ("gold", "alternatives", "found", "ok"),
    [
        ("Privacy Policy", [], "PRIVACY POLICY", True),
        ("Privacy Policy", [], "Privacy Policy.", True),
        ("Privacy Policy", [], None, False),
        ("Privacy Policy", [], "Terms of Service", False),
        ("Privacy Notice", ["Privacy Notice | Example Co"], "Privacy Notice | Example Co", True),
        (None, [], None, True),
        (None, [], "", True),
        (None, [], "Welcome", False),
    ],
)
def test_title_rule(gold: str | None, alternatives: list[str], found: str | None, ok: bool) -> None:
    assert title_correct(gold, alternatives, found) is ok


def test_corpus_files_pairs_each_policy_with_its_gold(tmp_path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "html").mkdir()
    gold = json.dumps({"title": None, "outline": []})
    (tmp_path / "text" / "acme.txt").write_text("Acme policy", encoding="utf-8")
    (tmp_path / "text" / "acme.gold.json").write_text(gold, encoding="utf-8")
    (tmp_path / "html" / "saved.page.txt").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "html" / "saved.page.gold.json").write_text(gold, encoding="utf-8")
    (tmp_path / "html" / "unlabelled.html").write_text("<p>y</p>", encoding="utf-8")

    found = [(fmt, src.name, g.name) for fmt, src, g in corpus_files(tmp_path)]

    assert found == [
        ("text", "acme.txt", "acme.gold.json"),
        ("html", "saved.page.txt", "saved.page.gold.json"),
    ]
