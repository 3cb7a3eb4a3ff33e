"""A date line under the title is shown once, in the header, for Markdown and HTML too; Compare
reports a changed date as the version's new date, never as a changed section."""

from __future__ import annotations

import pytest

from policyreader.core.document import BlockKind, PolicyDocument
from policyreader.core.loading import load_path, load_text
from policyreader.core.versions import SectionChange, compare, text_only_document
from tests.conftest import FIXTURES

DATE_LINE = "Last update: February 9, 2012"
SAVED = [
    FIXTURES / "markdown" / "header_date_saved_as_txt.txt",
    FIXTURES / "html" / "header_date.html",
]


def _paragraphs(document: PolicyDocument) -> list[str]:
    return [
        document.text[b.start : b.end] for b in document.blocks if b.kind is BlockKind.PARAGRAPH
    ]


@pytest.mark.parametrize("path", SAVED, ids=lambda p: p.suffix)
def test_the_date_line_is_shown_once_in_the_header(path) -> None:
    document = load_path(path)
    assert document.format.value in {"markdown", "html"}
    assert document.metadata.last_updated == "2012-02-09"
    assert "February 9, 2012" not in document.text
    assert _paragraphs(document)[0].startswith("Fernleaf Messages lets you read")
    assert [s.title for s in document.sections] == ["What we store", "How long we keep it"]


def _markdown(date_line: str | None) -> str:
    text = (FIXTURES / "markdown" / "header_date_saved_as_txt.txt").read_text(encoding="utf-8")
    return text.replace(DATE_LINE, date_line) if date_line else text.replace(DATE_LINE + "\n\n", "")


def _same_sections(old: PolicyDocument, new: PolicyDocument) -> bool:
    result = compare(old, new, detect=lambda document: [])
    return bool(result.sections) and all(s.change is SectionChange.SAME for s in result.sections)


def test_a_changed_date_is_the_new_date_not_a_changed_section() -> None:
    old = load_text(_markdown(None), "v1.md")
    new = load_text(_markdown("Last update: March 1, 2013"), "v2.md")
    result = compare(load_text(_markdown(DATE_LINE), "v1.md"), new, detect=lambda document: [])
    assert result.dates == {"last_updated": ("2012-02-09", "2013-03-01")}
    assert all(s.change is SectionChange.SAME for s in result.sections)
    # A version without the date line and one with it differ in their header only.
    assert _same_sections(old, new)


def test_stored_text_with_its_date_line_rebuilt_for_compare_shows_no_phantom_change() -> None:
    new = load_text(_markdown("Last update: March 1, 2013"), "policy.md")
    # Text stored before dates moved to the header kept the date line as its first paragraph.
    body = new.text.split("\n\n", 1)[1]
    stored = f"{new.text.split(chr(10))[0]}\n\n{DATE_LINE}\n\n{body}"
    old = text_only_document(stored, new)
    assert "February 9, 2012" not in old.text
    assert old.metadata.last_updated == "2012-02-09"
    result = compare(old, new, detect=lambda document: [])
    assert all(s.change is SectionChange.SAME for s in result.sections)
    assert result.dates == {"last_updated": ("2012-02-09", "2013-03-01")}


def test_an_eyebrow_label_over_the_title_does_not_keep_the_date_in_the_text() -> None:
    document = load_path(FIXTURES / "html" / "unseen" / "cobalt_next_tailwind.html")
    assert document.metadata.last_updated == "2024-12-01"
    assert "Updated December 1, 2024" not in document.text
    assert document.text.startswith("Legal\n\nPrivacy Policy\n\nCobalt is a team inbox")
