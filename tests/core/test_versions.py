"""Comparing versions: each hand-written pair gives exactly its one change and nothing else."""

from __future__ import annotations

import pytest

from policyreader.core.document import PolicyDocument
from policyreader.core.loading import load_text
from policyreader.core.practices.taxonomy import Category
from policyreader.core.versions import (
    Comparison,
    PracticeChangeKind,
    SectionChange,
    SentenceChangeKind,
    compare,
    format_report,
)
from tests.core import version_pairs as pairs

TITLES = [title for title, _ in pairs.SECTIONS]


def _doc(text: str, name: str) -> PolicyDocument:
    return load_text(text, name=name)


@pytest.fixture(scope="module")
def base() -> PolicyDocument:
    return _doc(pairs.BASE, "v1.md")


def _compare(base: PolicyDocument, text: str) -> Comparison:
    return compare(base, _doc(text, "v2.md"))


def _non_same(comparison: Comparison) -> list[dict[str, object]]:
    return [s for s in comparison.as_json()["sections"] if s["change"] != "same"]  # type: ignore[union-attr]


def test_identical_versions_have_no_changes(base: PolicyDocument) -> None:
    comparison = _compare(base, pairs.BASE)
    assert comparison.unchanged
    assert [s["change"] for s in comparison.as_json()["sections"]] == ["same"] * 7  # type: ignore[union-attr,index]


def test_whitespace_and_wrapping_only_give_no_changes(base: PolicyDocument) -> None:
    assert pairs.WHITESPACE_ONLY != pairs.BASE
    comparison = _compare(base, pairs.WHITESPACE_ONLY)
    assert _non_same(comparison) == []
    assert comparison.practice_changes == []
    assert comparison.unchanged


def test_reordered_and_renamed_sections_are_a_move_and_a_rename(base: PolicyDocument) -> None:
    comparison = _compare(base, pairs.REORDERED_AND_RENAMED)
    assert _non_same(comparison) == [
        {"old": "Security", "new": "Security", "change": "moved"},
        {
            "old": "How We Use Cookies",
            "new": "Cookies and Similar Technologies",
            "change": "changed",
        },
    ]
    renamed = next(s for s in comparison.sections if s.renamed)
    assert renamed.sentences == []  # the text under the new name is the same
    assert comparison.practice_changes == []
    # Rows follow the new version's order.
    assert [s.new_title for s in comparison.sections][:3] == [
        "Information We Collect",
        "Security",
        "Cookies and Similar Technologies",
    ]


def test_a_changed_retention_period_is_one_sentence_and_one_practice_change(
    base: PolicyDocument,
) -> None:
    comparison = _compare(base, pairs.RETENTION_CHANGED)
    assert _non_same(comparison) == [
        {
            "old": "How Long We Keep Your Data",
            "new": "How Long We Keep Your Data",
            "change": "changed",
        }
    ]
    (section,) = [s for s in comparison.sections if s.change is SectionChange.CHANGED]
    assert [(c.kind, c.old_text, c.new_text) for c in section.sentences] == [
        (
            SentenceChangeKind.CHANGED,
            "We keep the messages in your trash folder for 30 days before we delete them.",
            "We keep the messages in your trash folder for 2 years before we delete them.",
        )
    ]
    assert comparison.as_json()["practice_changes"] == [
        {
            "category": "data_retention",
            "change": "changed",
            "old": "We keep the messages in your trash folder for 30 days before we delete them.",
            "new": "We keep the messages in your trash folder for 2 years before we delete them.",
        }
    ]
    (change,) = comparison.practice_changes
    assert change.summary() == "changed: Data retention: retention period from 30 days to 2 years"


def test_an_added_sharing_clause_is_one_added_practice(base: PolicyDocument) -> None:
    comparison = _compare(base, pairs.SHARING_ADDED)
    assert _non_same(comparison) == [
        {"old": "Sharing Your Information", "new": "Sharing Your Information", "change": "changed"}
    ]
    (section,) = [s for s in comparison.sections if s.change is SectionChange.CHANGED]
    assert [(c.kind, c.new_text) for c in section.sentences] == [
        (SentenceChangeKind.ADDED, pairs.SHARING_SENTENCE)
    ]
    assert comparison.as_json()["practice_changes"] == [
        {
            "category": "third_party_sharing",
            "change": "added",
            "old": None,
            "new": pairs.SHARING_SENTENCE,
        }
    ]


def test_a_removed_right_is_one_removed_practice(base: PolicyDocument) -> None:
    comparison = _compare(base, pairs.RIGHT_REMOVED)
    assert _non_same(comparison) == [
        {"old": "Your Rights", "new": "Your Rights", "change": "changed"}
    ]
    (section,) = [s for s in comparison.sections if s.change is SectionChange.CHANGED]
    assert [(c.kind, c.old_text) for c in section.sentences] == [
        (SentenceChangeKind.REMOVED, pairs.RIGHT_SENTENCE)
    ]
    (change,) = comparison.practice_changes
    assert (change.category, change.change) == (Category.USER_ACCESS, PracticeChangeKind.REMOVED)
    assert change.old == pairs.RIGHT_SENTENCE and change.new is None


def test_added_and_removed_sections(base: PolicyDocument) -> None:
    extra = (
        "## Children\n\nBrightwater Mail is not meant for children under 16 and we do not "
        "knowingly keep accounts for them.\n"
    )
    without_contact = pairs.BASE.split("## Contact Us")[0]
    comparison = _compare(base, without_contact + extra)
    # A removed section keeps its place: after the section that came before it.
    assert _non_same(comparison) == [
        {"old": "Contact Us", "new": None, "change": "removed"},
        {"old": None, "new": "Children", "change": "added"},
    ]


def test_spans_point_at_the_sentences_in_each_text(base: PolicyDocument) -> None:
    new = _doc(pairs.RETENTION_CHANGED, "v2.md")
    comparison = compare(base, new, detect=lambda document: [])
    (sentence,) = [c for s in comparison.sections for c in s.sentences]
    assert sentence.old is not None and sentence.new is not None
    assert base.text[sentence.old.start : sentence.old.end] == sentence.old_text
    assert new.text[sentence.new.start : sentence.new.end] == sentence.new_text
    badges = comparison.changed_sections("new")
    assert list(badges.values()) == [SectionChange.CHANGED]
    assert new.text[next(iter(badges)) :].startswith("How Long We Keep Your Data")


def test_the_detector_is_not_run_when_no_sentence_changed(base: PolicyDocument) -> None:
    def refuse(document: PolicyDocument) -> list:
        raise AssertionError("detector called")

    assert (
        compare(base, _doc(pairs.REORDERED_AND_RENAMED, "v2.md"), detect=refuse).practice_changes
        == []
    )


def test_the_readable_report(base: PolicyDocument) -> None:
    report = format_report(_compare(base, pairs.RETENTION_CHANGED))
    assert "~ changed How Long We Keep Your Data" in report
    assert "- We keep the messages in your trash folder for 30 days" in report
    assert "+ We keep the messages in your trash folder for 2 years" in report
    assert "changed: Data retention: retention period from 30 days to 2 years" in report
    assert "No changes" in format_report(_compare(base, pairs.WHITESPACE_ONLY))


# --- no duplicated or phantom changes ---------------------------------------------------------------


def test_two_edited_sentences_of_one_retention_passage_are_one_change() -> None:
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "resources/samples/lanternfish-privacy.md"
    text = sample.read_text(encoding="utf-8")
    edited = text.replace("**90 days**", "**2 years**").replace(
        "deleted after 12 months", "deleted after 24 months"
    )
    result = compare(_doc(text, "a.md"), _doc(edited, "b.md"))
    retention = [c for c in result.practice_changes if c.category is Category.DATA_RETENTION]
    assert len(retention) == 1
    assert len(result.as_json()["practice_changes"]) == len(result.practice_changes) == 1


def test_a_new_last_updated_line_is_the_versions_new_date_not_a_practice_change(base) -> None:
    newer = pairs.RETENTION_CHANGED.replace("January 10, 2024", "March 3, 2025")
    result = compare(base, _doc(newer, "v2.md"))
    assert [c.category for c in result.practice_changes] == [Category.DATA_RETENTION]
    assert result.dates == {"last_updated": ("2024-01-10", "2025-03-03")}
    assert result.as_json()["dates"] == {
        "last_updated": {"old": "2024-01-10", "new": "2025-03-03"}
    }
    assert "last updated: 2024-01-10 → 2025-03-03" in format_report(result)


def test_version_labels_name_the_day_opened_and_the_policys_own_date() -> None:
    from policyreader.core.versions import older_first, version_label

    old, new = _doc(pairs.BASE, "v1.md"), _doc(pairs.BASE.replace("2024", "2025"), "v2.md")
    old.metadata.extra["opened_at"] = "2026-12-07T10:00:00Z"
    assert version_label(old) == "Opened 7 December 2026 · last updated 10 January 2024"
    new.metadata.extra["fetched_at"] = "2026-12-08T10:00:00Z"
    assert version_label(new) == "Fetched 8 December 2026 · last updated 10 January 2025"
    assert older_first(new, old) == (old, new)
