"""Text as crawlers, archives and forums saved it: each structure in a fixture written for it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policyreader.core.document import BlockKind, DocumentFormat, PolicyDocument
from policyreader.core.formats.bbcode import is_bbcode, read_bbcode
from policyreader.core.formats.wild import (
    decode_entities,
    drop_comments,
    is_crawler_hybrid,
    untag_hybrid,
)
from policyreader.core.loading import load_path, load_text
from policyreader.core.metadata import clean_title
from policyreader.core.sniff import sniff_format

WILD = Path(__file__).resolve().parent.parent / "fixtures" / "text" / "wild"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "seeds"
SEED_OUTLINES = Path(__file__).resolve().parent.parent / "fixtures" / "seed_outlines_main.json"


def outline(document: PolicyDocument) -> list[str]:
    return [section.title for section in document.walk_sections()]


def texts(document: PolicyDocument, kind: BlockKind) -> list[str]:
    return [document.block_text(block) for block in document.blocks if block.kind is kind]


# --- forum posts (BBCode) ----------------------------------------------------------------------------


def test_forum_post_bold_lines_are_headings_and_markup_never_shows() -> None:
    document = load_path(WILD / "forum_post.txt")

    assert document.format is DocumentFormat.TEXT
    assert document.title == "Tinkerbox Forums Privacy Policy"
    assert outline(document) == ["What the board stores", "Cookies", "Deleting your account"]
    assert "[" not in document.text and "]" not in document.text
    assert texts(document, BlockKind.LIST_ITEM) == [
        "Posts and private messages you write",
        "The IP address each post was made from",
        "Your avatar and signature, if you set them",
    ]


def test_forum_post_links_and_date() -> None:
    document = load_path(WILD / "forum_post.txt")
    links = {inline.href for block in document.blocks for inline in block.inlines if inline.href}

    assert "https://tinkerbox.example/help/cookies" in links
    assert "https://tinkerbox.example/contact" in links
    assert document.metadata.last_updated == "2021-03-03"


def test_bbcode_is_told_from_markdown_and_plain_brackets() -> None:
    assert is_bbcode("[b]Data[/b]\nWe keep [i]little[/i].\n")
    assert not is_bbcode("See [1] and [2]; the [draft] is old.\n")
    assert not is_bbcode("**Data**\n\nWe keep [little](https://x.example).\n")


def test_bbcode_styles_runs_and_keeps_unknown_brackets_as_text() -> None:
    parse = read_bbcode(
        "[b]Title[/b]\n# not a [x]heading[/x] [i]here[/i] [url=javascript:x]no[/url]\n"
    )
    runs = parse.blocks[1].runs

    assert [block.kind for block in parse.blocks] == [BlockKind.HEADING, BlockKind.PARAGRAPH]
    assert parse.blocks[1].plain == "# not a [x]heading[/x] here no"
    assert [run.text for run in runs if run.italic] == ["here"]
    assert all(run.href is None for run in runs)


# --- crawler hybrids -----------------------------------------------------------------------------------


def test_crawler_hybrid_is_sniffed_as_text_not_html() -> None:
    raw = (WILD / "crawler_hybrid.txt").read_text(encoding="utf-8")

    assert is_crawler_hybrid(raw)
    assert sniff_format(raw, "crawler_hybrid.txt") is DocumentFormat.TEXT


def test_crawler_hybrid_joins_sentences_and_finds_the_few_headings() -> None:
    document = load_path(WILD / "crawler_hybrid.txt")

    assert document.title == "Privacy Policy"
    assert outline(document) == ["Information we keep", "Who we share it with", "Your choices"]
    assert "<" not in document.text
    paragraphs = texts(document, BlockKind.PARAGRAPH)
    assert (
        "When you make an account we keep your e-mail address and the notebooks you create. "
        "We keep a log of sign-ins for thirty days." in paragraphs
    )
    assert texts(document, BlockKind.LIST_ITEM) == [
        "Device type and app version",
        "The time of each sync",
    ]


def test_untag_keeps_a_lead_in_with_its_paragraph() -> None:
    text = untag_hybrid("<p><strong>Backups:</strong> copies stay\nfor a week.\n<p>Next")

    assert "Backups: copies stay for a week." in text


def test_untag_a_heading_tag_keeps_its_line_and_comments_go() -> None:
    text = untag_hybrid("Intro line one.\n<h3>Cookies</h3>\nWe set one cookie.\n<p>More")

    assert "\n\nCookies\n\n" in text
    assert drop_comments("a\n<!-- menu\nHome -->\nb <!-- open") == "a\n\nb <!-- open"


# --- archive text extractions -----------------------------------------------------------------------


def test_archive_extraction_decodes_entities_as_windows_1252() -> None:
    document = load_path(WILD / "archive_entities.txt")

    assert "&" in document.text and "&amp;" not in document.text and "&nbsp;" not in document.text
    assert "browse—but not who you are—so" in document.text
    assert "“need to know”" in document.text and "it’s written" in document.text


def test_archive_extraction_outline_and_company_title() -> None:
    document = load_path(WILD / "archive_entities.txt")

    assert outline(document) == ["What we collect", "How we use it", "Keeping in touch"]
    assert document.title == "Farrow & Pike Outfitters Privacy Policy"


def test_entity_decoding_leaves_plain_ampersands() -> None:
    assert decode_entities("Fish & Chips &#145;ok&#146;") == "Fish & Chips ‘ok’"


# --- site chrome before the policy -----------------------------------------------------------------


def test_site_chrome_is_neither_title_nor_first_section() -> None:
    document = load_path(WILD / "site_chrome.txt")

    assert document.title == "Lumenfield Privacy Notice"
    assert document.metadata.last_updated == "2022-06-05"
    assert outline(document) == [
        "1. What Information Do We Collect?",
        "Account Details",
        "Co-branded Services",
        "Information you provide",
        "2. How Do We Use Information?",
        "3. How Can You Reach Us?",
    ]


def test_outline_labels_lose_a_trailing_colon_or_period_the_text_keeps() -> None:
    document = load_path(WILD / "site_chrome.txt")

    assert "Co-branded Services.\n" in document.text
    assert "Information you provide:\n" in document.text


# --- question, capitals and long headings ----------------------------------------------------------


def test_questions_capitals_before_lower_case_and_a_long_heading() -> None:
    document = load_path(WILD / "headings_mixed.txt")

    assert document.title == "GREENWAY CYCLE CLUB PRIVACY NOTICE"
    assert outline(document) == [
        "Who are we?",
        "What do we keep about members?",
        "RIDE SIGN-UPS",
        "NEWSLETTER",
        "Arrangements for Sharing Membership Records with the Regional Cycling Federation and "
        "with Insurers Who Cover Club Rides",
    ]
    assert any(
        p.startswith("sign-up sheets are kept") for p in texts(document, BlockKind.PARAGRAPH)
    )


def test_one_line_paragraphs_stacked_headings_address_and_back_to_top_links() -> None:
    document = load_path(WILD / "stacked_sections.txt")

    assert document.title == "Kestrel Maps Privacy Statement"
    assert outline(document) == [
        "Collection of Information",
        "Information You Provide to Us",
        "Information We Collect Automatically",
        "Crash Reports",
        "Your Choices",
        "Location Sharing",
        "Contact Us",
    ]
    assert "back to top" not in document.text
    assert "14 Fell Road" in document.text


def test_a_heading_over_a_lower_case_brand_and_a_table_of_contents_that_is_not_one() -> None:
    body = "We keep what the service needs to run and nothing more than that, for a year."
    toc = "".join(f"What do we do with item {n}?\n" for n in range(1, 10))
    source = (
        f"Orbit Notes Privacy Policy\nThis policy answers these questions:\n{toc}{body}\n"
        f"\nInformation We Collect\n\norbit.example keeps your notes on its servers. {body}\n"
    )
    document = load_text(source, "orbit.txt")

    assert outline(document) == ["Information We Collect"]


def test_markdown_bold_with_inner_spaces_is_a_heading() -> None:
    sections = ("Data we keep", "Who sees it", "Removal of data")
    source = "".join(f"** {name} **\nWe say here what happens to it.\n\n" for name in sections)
    document = load_text(source, "a.md")

    assert outline(document) == list(sections)
    assert "*" not in document.text


# --- titles and header dates -----------------------------------------------------------------------


def test_header_date_shown_once_and_site_suffix_turned_round() -> None:
    document = load_path(WILD / "header_date.txt")

    assert document.title == "Orchard Lane Bakery privacy policy"
    assert document.metadata.last_updated == "2012-02-09"
    assert "February 9, 2012" not in document.text
    assert outline(document) == ["Orders", "Website"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Privacy policy | Orchard Lane Bakery", "Orchard Lane Bakery privacy policy"),
        ("Privacy Policy | Brightkettle", "Brightkettle Privacy Policy"),
        ("Resources :: Privacy Policy -", "Privacy Policy"),
        ("Help > Legal > Privacy Notice", "Privacy Notice"),
        ("Acme | Privacy", "Acme | Privacy"),
    ],
)
def test_title_suffixes_and_breadcrumbs(raw: str, clean: str) -> None:
    assert clean_title(raw) == clean


def test_a_text_without_title_takes_its_company_or_its_file_name() -> None:
    named = load_text("Brambleway Ltd takes your privacy seriously and keeps little.\n", "a.txt")
    nameless = load_text("We keep very little about you and delete it soon.\n", "/x/old_policy.txt")

    assert named.title == "Brambleway Ltd Privacy Policy"
    assert nameless.title == "old policy"


# --- every fixture, and the seeds as on main --------------------------------------------------------


@pytest.mark.parametrize("path", sorted(WILD.glob("*.txt")), ids=lambda p: p.name)
def test_every_wild_fixture_has_a_title_and_no_markup(path: Path) -> None:
    document = load_path(path)

    assert document.title
    for residue in ("&nbsp;", "&amp;", "<p>", "[/B]", "[b]"):
        assert residue not in document.text


@pytest.mark.shared
@pytest.mark.parametrize(
    "name", sorted(json.loads(SEED_OUTLINES.read_text(encoding="utf-8"))), ids=str
)
def test_seed_outline_as_on_main_with_a_title(name: str) -> None:
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus/seeds is not here")
    before = json.loads(SEED_OUTLINES.read_text(encoding="utf-8"))[name]
    document = load_path(SEEDS / name)
    after = [[section.level, section.title] for section in document.walk_sections()]

    assert [level for level, _ in after] == [level for level, _ in before]
    assert [title for _, title in after] == [title.rstrip(":") for _, title in before]
    assert document.title
