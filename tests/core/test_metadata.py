"""Title, dates and archive provenance found by metadata.py, whatever the format."""

from __future__ import annotations

import pytest

from policyreader.core.builder import RawBlock, Run, SourceParse, text_block
from policyreader.core.document import BlockKind, DocumentFormat
from policyreader.core.loading import load_text
from policyreader.core.metadata import clean_title, finish_document, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2012-02-09", "2012-02-09"),
        ("2012-2-9T10:00:00Z", "2012-02-09"),
        ("2012/02/09", "2012-02-09"),
        ("February 9, 2012", "2012-02-09"),
        ("Feb. 9th, 2012", "2012-02-09"),
        ("Sept 30 2019", "2019-09-30"),
        ("9 February 2012", "2012-02-09"),
        ("the 1st of September, 2020", "2020-09-01"),
        ("1st day of May, 2020", "2020-05-01"),
        ("02/09/2012", "2012-02-09"),  # slashes: month first, as US policies write them
        ("25/12/2023", "2023-12-25"),  # ...unless the first number cannot be a month
        ("09.02.2012", "2012-02-09"),  # dots: day first, as European policies write them
        ("March 2021", "2021-03-01"),
        ("version 3 of 14 March 2019 replaces 1 May 2018", "2019-03-14"),
    ],
)
def test_parse_date_formats(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2012-02-30", "13/13/2020", "no date here", "May", "12345-01-01"])
def test_parse_date_rejects_non_dates(text: str) -> None:
    assert parse_date(text) is None


def test_parse_date_skips_an_impossible_date_for_a_later_real_one() -> None:
    assert parse_date("2012-02-30 or rather 2012-03-01") == "2012-03-01"


def _document(*paragraphs: str, fmt: DocumentFormat = DocumentFormat.TEXT, **parse: object):
    blocks = [text_block(BlockKind.PARAGRAPH, p) for p in paragraphs]
    return finish_document(SourceParse(blocks=blocks, **parse), fmt, None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("line", "attribute", "expected"),
    [
        ("Last updated: February 9, 2012", "last_updated", "2012-02-09"),
        ("Last update: 9 February 2012", "last_updated", "2012-02-09"),
        ("LAST MODIFIED 2019-03-04", "last_updated", "2019-03-04"),
        ("Last edited: January 5, 2024", "last_updated", "2024-01-05"),
        ("Revised on 1/2/2020", "last_updated", "2020-01-02"),
        ("Effective date: March 1, 2021", "effective_date", "2021-03-01"),
        ("Effective as of 1 July 2022.", "effective_date", "2022-07-01"),
        ("This Privacy Policy is effective February 9, 2012.", "effective_date", "2012-02-09"),
    ],
)
def test_labelled_dates(line: str, attribute: str, expected: str) -> None:
    document = _document("Acme keeps your data safe.", line)
    assert getattr(document.metadata, attribute) == expected


def test_both_dates_in_one_closing_line() -> None:
    document = _document(
        "Intro.",
        *["Body text." for _ in range(20)],
        "This Privacy Policy is effective February 9, 2012. Last updated March 1, 2013.",
    )
    assert document.metadata.effective_date == "2012-02-09"
    assert document.metadata.last_updated == "2013-03-01"


def test_a_label_far_from_a_date_is_not_a_date() -> None:
    document = _document(
        "We use effective security measures that our engineers have refined since January 2010.",
        "The updated version of this page will be posted here, as it was in 2019.",
    )
    assert document.metadata.effective_date is None
    assert document.metadata.last_updated is None


@pytest.mark.parametrize(
    ("key", "attribute"),
    [
        ("last_updated", "last_updated"),
        ("lastmod", "last_updated"),
        ("last_modified_at", "last_updated"),
        ("updated_at", "last_updated"),
        ("effective_date", "effective_date"),
        ("effective", "effective_date"),
    ],
)
def test_dates_from_fields(key: str, attribute: str) -> None:
    document = _document("Text.", fields={key: "2020-05-06"})
    assert getattr(document.metadata, attribute) == "2020-05-06"


# --- archive provenance ----------------------------------------------------------------------------

_NOTICE = (
    "> *The following text is extracted and transformed from the quietlamp.example privacy policy "
    "that was archived on 2015-06-30. Please check the [original snapshot on the Wayback Machine]"
    "(https://web.archive.org/web/20150630120000id_/http%3A//www.quietlamp.example/legal/privacy%3Flang%3Den) "
    "for the most accurate reproduction.*\n\n"
)


def test_archive_notice_is_provenance_not_text() -> None:
    document = load_text(_NOTICE + "# Privacy\n\nWe sell lamps.\n", fmt=DocumentFormat.MARKDOWN)
    assert document.metadata.archived_on == "2015-06-30"
    assert document.metadata.source_url == "http://www.quietlamp.example/legal/privacy?lang=en"
    assert document.metadata.extra["archived_site"] == "quietlamp.example"
    assert document.metadata.extra["snapshot_url"].startswith("https://web.archive.org/web/2015")
    assert document.text == "Privacy\n\nWe sell lamps."
    assert document.title == "Privacy"


def test_archive_notice_without_a_link_or_an_iso_date() -> None:
    document = _document(
        "The following text is extracted and transformed from the reedboat.example terms of service "
        "that was archived on March 3, 2011. Please check the original snapshot "
        "(https://web.archive.org/web/20110303000000/reedboat.example/terms) for the most accurate "
        "reproduction.",
        "Our terms.",
    )
    assert document.metadata.archived_on == "2011-03-03"
    assert document.metadata.source_url == "http://reedboat.example/terms"
    assert document.text == "Our terms."


def test_a_policy_that_mentions_archiving_keeps_its_text() -> None:
    document = _document("We archive old invoices on a yearly basis.", "More.")
    assert document.metadata.archived_on is None
    assert document.text.startswith("We archive old invoices")


# --- titles -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Resources :: Privacy Policy -", "Privacy Policy"),
        ("Home » Legal » Privacy Notice", "Privacy Notice"),
        ("Privacy Policy | mysms", "mysms Privacy Policy"),
        ("Privacy Policy - GsmServer", "Privacy Policy - GsmServer"),
        ("🔒 Privacy Policy", "Privacy Policy"),
        ("  — Privacy   Policy —  ", "Privacy Policy"),
    ],
)
def test_clean_title(raw: str, expected: str) -> None:
    assert clean_title(raw) == expected


def _headings(*items: tuple[int, str]) -> list[RawBlock]:
    blocks: list[RawBlock] = []
    for level, text in items:
        blocks.append(RawBlock(BlockKind.HEADING, [Run(text)], level=level))
        blocks.append(text_block(BlockKind.PARAGRAPH, f"Body of {text}."))
    return blocks


def test_front_matter_title_wins_and_hides_a_matching_heading() -> None:
    parse = SourceParse(
        blocks=_headings((1, "Acme Privacy"), (2, "Data")), fields={"title": "Acme Privacy"}
    )
    document = finish_document(parse, DocumentFormat.MARKDOWN, None)
    assert document.title == "Acme Privacy"
    assert document.title_block == 0
    assert [s.title for s in document.walk_sections()] == ["Data"]


def test_front_matter_title_keeps_a_different_heading_as_a_section() -> None:
    parse = SourceParse(blocks=_headings((1, "Welcome"), (2, "Data")), fields={"title": "Acme"})
    document = finish_document(parse, DocumentFormat.MARKDOWN, None)
    assert document.title == "Acme"
    assert document.title_block is None
    assert [s.title for s in document.walk_sections()] == ["Welcome", "Data"]


def test_lone_top_heading_is_the_title() -> None:
    document = finish_document(
        SourceParse(blocks=_headings((1, "Acme Notice"), (2, "A"), (2, "B"))),
        DocumentFormat.MARKDOWN,
        None,
    )
    assert document.title == "Acme Notice"
    assert [s.title for s in document.walk_sections()] == ["A", "B"]


def test_opening_privacy_heading_at_section_level_is_the_title() -> None:
    document = finish_document(
        SourceParse(blocks=_headings((1, "Privacy Policy"), (1, "Who we are"), (1, "Data"))),
        DocumentFormat.MARKDOWN,
        None,
    )
    assert document.title == "Privacy Policy"
    assert [s.title for s in document.walk_sections()] == ["Who we are", "Data"]


def test_sections_alone_give_no_title_but_the_declared_one() -> None:
    parse = SourceParse(
        blocks=_headings((1, "Who we are"), (1, "Data")), title_hint="Acme | Privacy"
    )
    document = finish_document(parse, DocumentFormat.HTML, None)
    assert document.title == "Acme | Privacy"
    assert document.title_block is None
    assert len(document.sections) == 2


def test_latest_update_and_in_force_from_labels() -> None:
    from policyreader.core.loading import load_text

    document = load_text(
        "Fernhill Privacy\n\nLatest update: 3 May 2024\n\nThis notice is in force from 1 June 2024.\n\n"
        "We keep little.\n"
    )
    assert document.metadata.last_updated == "2024-05-03"
    assert document.metadata.effective_date == "2024-06-01"
