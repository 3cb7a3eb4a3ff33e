"""The Markdown reader: CommonMark structure, raw HTML as text, front matter, kramdown, pseudo-headings."""

from __future__ import annotations

import pytest

from policyreader.core.builder import Run
from policyreader.core.document import BlockKind, DocumentFormat, PolicyDocument
from policyreader.core.formats.markdown import (
    html_text,
    is_pseudo_heading,
    read_markdown,
    split_front_matter,
    strip_site_syntax,
)
from policyreader.core.loading import load_path, load_text
from tests.conftest import FIXTURES, SEEDS

MARKDOWN = FIXTURES / "markdown"
GENERAL = MARKDOWN / "general"


def outline(document: PolicyDocument) -> list[tuple[int, str]]:
    return [(int(entry["level"]), str(entry["title"])) for entry in document.outline()]


def texts(document: PolicyDocument, kind: BlockKind) -> list[str]:
    return [document.block_text(block) for block in document.blocks if block.kind is kind]


def load_markdown(text: str) -> PolicyDocument:
    return load_text(text, name="policy.md", fmt=DocumentFormat.MARKDOWN)


# --- front matter ------------------------------------------------------------------------------


def test_yaml_front_matter_gives_title_dates_and_no_text() -> None:
    document = load_path(MARKDOWN / "front_matter_yaml.md")
    assert document.format is DocumentFormat.MARKDOWN
    assert document.title == "Quillfeather Privacy Notice"
    assert document.metadata.last_updated == "2022-08-14"
    assert document.metadata.effective_date == "2022-07-01"
    assert "layout" not in document.text and "permalink" not in document.text


def test_yaml_front_matter_fields_are_simple_strings() -> None:
    fields, body = split_front_matter(
        "---\n"
        "Title: 'Don''t Panic'\n"
        'subtitle: "Say \\"hi\\""  \n'
        "last-updated: 2020-01-02 # edited by hand\n"
        "tags:\n  - one\n  - two\n"
        "summary: >\n  folded\n  lines\n"
        "---\nBody text\n"
    )
    assert fields == {
        "title": "Don't Panic",
        "subtitle": 'Say "hi"',
        "last_updated": "2020-01-02",
        "tags": "one, two",
        "summary": "folded lines",
    }
    assert body == "Body text\n"


def test_toml_front_matter_keeps_top_level_keys_only() -> None:
    document = load_path(MARKDOWN / "front_matter_toml.md")
    assert document.title == "Privacy at Orchard Row"
    assert document.metadata.last_updated == "2021-11-30"
    parse = read_markdown((MARKDOWN / "front_matter_toml.md").read_text(encoding="utf-8"))
    assert parse.fields["keywords"] == "privacy, orchard"
    assert parse.fields["title"] == "Privacy at Orchard Row"  # not the [params] table's title
    assert parse.title_hint == "Privacy at Orchard Row"


@pytest.mark.parametrize(
    "text",
    [
        "---\nJust a line between rules.\n---\n\nMore.\n",
        "---\nWe collect: names and emails\n---\n",
        "---\n# Privacy\n\nEmail: privacy@example.org\n\n---\nMore.\n",
        "---\ntitle: far away\n" + "line\n" * 300 + "---\n",
    ],
)
def test_thematic_breaks_around_text_are_not_front_matter(text: str) -> None:
    assert split_front_matter(text) == ({}, text)


def test_setext_headings() -> None:
    document = load_path(MARKDOWN / "front_matter_toml.md")
    assert outline(document) == [
        (1, "Information we receive"),
        (2, "Delivery partners"),
        (1, "Keeping your data"),
    ]


# --- kramdown ----------------------------------------------------------------------------------


def test_kramdown_attribute_lists_and_toc_are_dropped() -> None:
    document = load_path(MARKDOWN / "front_matter_yaml.md")
    assert "{" not in document.text and "}" not in document.text
    assert "TOC" not in document.text
    assert outline(document) == [
        (1, "What we collect"),
        (1, "How long we keep it"),
        (1, "Your choices"),
    ]
    assert "Backups are rotated every thirty days." in texts(document, BlockKind.PARAGRAPH)


def test_header_ids_in_braces_are_dropped() -> None:
    document = load_markdown("## Sharing {#sharing}\n\nText.\n\n## Keeping {.anchor}\n\nMore.\n")
    assert outline(document) == [(1, "Sharing"), (1, "Keeping")]


# --- lists and headings inside them --------------------------------------------------------------


def test_headings_inside_list_items_are_headings_in_order() -> None:
    document = load_path(MARKDOWN / "list_headings.md")
    assert document.title == "Brightkettle Privacy Policy"
    assert outline(document) == [
        (1, "What the kettle sends"),
        (2, "Device readings"),
        (2, "Account details"),
        (1, "Who else sees it"),
        (2, "With your permission"),
        (2, "Repair contractors"),
        (1, "1. Legal demands"),
        (1, "Contact"),
    ]
    # The bullet that carried a heading leaves no empty list item behind.
    assert texts(document, BlockKind.LIST_ITEM) == []


def test_headings_nested_in_ordered_items_keep_their_numbers() -> None:
    document = load_path(GENERAL / "list_nested_headings.md")
    assert outline(document) == [
        (1, "1. Data we collect"),
        (2, "1. From you"),
        (2, "2. From carriers"),
        (1, "2. Why we use it"),
        (1, "3. How to reach us"),
    ]


def test_list_items_have_depth_and_source_markers() -> None:
    document = load_path(MARKDOWN / "tables_lists.md")
    items = [
        (block.level, block.marker, document.block_text(block))
        for block in document.blocks
        if block.kind is BlockKind.LIST_ITEM
    ]
    assert items == [
        (0, "3.", "We close your account."),
        (0, "4.", "We delete your files:"),
        (1, "•", "from the live servers at once;"),
        (1, "•", "from backups within 35 days."),
        (2, "1.", "Daily backups first."),
        (2, "2.", "Weekly backups next."),
        (0, "5.", "We send a confirmation."),
    ]


def test_continuation_paragraphs_of_an_item_carry_no_marker() -> None:
    document = load_markdown("* First paragraph.\n\n  Second paragraph.\n* Next item.\n")
    items = [(b.marker, document.block_text(b)) for b in document.blocks]
    assert items == [("•", "First paragraph."), ("", "Second paragraph."), ("•", "Next item.")]
    assert {b.kind for b in document.blocks} == {BlockKind.LIST_ITEM}


def test_parenthesised_ordered_markers() -> None:
    document = load_markdown("7) Seventh\n8) Eighth\n")
    assert [b.marker for b in document.blocks] == ["7)", "8)"]


# --- tables, quotes, code, inline -----------------------------------------------------------------


def test_tables_keep_rows_cells_header_and_styles() -> None:
    document = load_path(MARKDOWN / "tables_lists.md")
    [table] = [b for b in document.blocks if b.kind is BlockKind.TABLE]
    assert table.header_rows == 1
    assert document.block_text(table).split("\n")[0] == "Record\tKept for\tWhy"
    assert len(table.cells) == 4 and all(len(row) == 3 for row in table.cells)
    start, end = table.cells[2][2]
    assert document.text[start:end] == "Quality"
    link = next(i for i in table.inlines if i.href)
    assert link.href == "https://ferrousfox.example/quality"
    assert any(i.bold and document.text[i.start : i.end] == "law" for i in table.inlines)


def test_quotes_and_code_blocks() -> None:
    document = load_path(MARKDOWN / "tables_lists.md")
    assert texts(document, BlockKind.QUOTE) == [
        "Deletion cannot be undone. Export first if you want a copy."
    ]
    assert texts(document, BlockKind.CODE) == [
        "DELETE /v1/accounts/{id}",
        "indented code also counts",
    ]


def test_hard_breaks_become_spaces_inside_a_paragraph() -> None:
    document = load_path(MARKDOWN / "tables_lists.md")
    assert document.block_text(document.blocks[-1]) == (
        "First line of an address Second line after a backslash break Third line after two spaces"
    )


def test_inline_styles_and_links() -> None:
    document = load_markdown(
        'Some **bold**, *italic*, `code` and [a link](https://example.org/x "t") here.\n'
    )
    styles = {
        document.text[i.start : i.end]: (i.bold, i.italic, i.code, i.href)
        for i in document.blocks[0].inlines
    }
    assert document.text == "Some bold, italic, code and a link here."
    assert styles == {
        "bold": (True, False, False, None),
        "italic": (False, True, False, None),
        "code": (False, False, True, None),
        "a link": (False, False, False, "https://example.org/x"),
    }


def test_unsafe_link_targets_keep_their_text_but_lose_the_target() -> None:
    document = load_markdown(
        "[Run](javascript:alert(1)) [Disk](file:///etc/passwd) [Data](data:text/html,x) "
        "[Mail](mailto:a@b.example) [Here](#here)\n"
    )
    assert document.text == "Run Disk Data Mail Here"
    assert [i.href for i in document.blocks[0].inlines] == ["mailto:a@b.example", "#here"]


def test_entities_and_escapes_are_decoded() -> None:
    document = load_markdown("AT&amp;T \\*not emphasis\\* &copy; 2020\n")
    assert document.text == "AT&T *not emphasis* © 2020"


# --- raw HTML and images ----------------------------------------------------------------------------


def test_raw_html_is_text_never_markup_or_script() -> None:
    document = load_path(MARKDOWN / "raw_html.md")
    assert "<" not in document.text and ">" not in document.text
    for leaked in ("injected", "fetch", "beacon", "alert", "background", "editors", "pixel"):
        assert leaked not in document.text
    paragraphs = texts(document, BlockKind.PARAGRAPH)
    assert paragraphs[0] == "This page uses no tracking & no ads."
    assert "We set one cookie named tm_session, and nothing else. See the list below." in paragraphs
    assert outline(document) == [(1, "Cookies we set"), (1, "Removing cookies")]


def test_images_are_dropped_so_nothing_is_fetched_or_shown() -> None:
    document = load_path(MARKDOWN / "raw_html.md")
    assert "127.0.0.1" not in document.text
    assert "logo" not in document.text and "diagram" not in document.text
    hrefs = [i.href for b in document.blocks for i in b.inlines if i.href]
    assert hrefs == ["https://help.tinmoth.example/cookies"]


def test_html_text_splits_blocks_and_drops_scripts_comments_and_styles() -> None:
    html = (
        "<div><p>One &amp; two</p><!-- hidden --><p>Three<br>four</p>"
        "<script>var x = '<p>no</p>';</script><style>p{}</style></div>"
    )
    assert html_text(html) == [(0, "One & two"), (0, "Three"), (0, "four")]


def test_html_headings_pasted_into_markdown_are_headings_as_text() -> None:
    assert html_text('<h2 id="x">Data <em>we</em> keep</h2>\n<p>Text</p>') == [
        (2, "Data we keep"),
        (0, "Text"),
    ]


# --- bold paragraphs acting as headings -------------------------------------------------------------


def test_bold_paragraphs_become_headings_one_level_below_the_current_one() -> None:
    document = load_path(MARKDOWN / "bold_headings.md")
    assert document.title == "Saltmarsh Surveys Privacy Policy"
    assert outline(document) == [
        (1, "Who we are"),
        (1, "What we ask for"),
        (1, "Retention"),
        (1, "Your rights"),
        (2, "Access"),
        (2, "Erasure"),
    ]
    headings = [b for b in document.blocks if b.kind is BlockKind.HEADING]
    assert [b.level for b in headings] == [1, 2, 2, 2, 2, 3, 3]


def test_bold_sentences_dates_and_lead_ins_stay_text() -> None:
    document = load_path(MARKDOWN / "bold_headings.md")
    paragraphs = texts(document, BlockKind.PARAGRAPH)
    # The bold date line is neither a heading nor repeated as text: it is the header's date.
    assert "Last updated: 12 January 2024" not in document.text
    assert any(p.startswith("How we use answers. We add") for p in paragraphs)
    assert any(p.startswith("Please note: if you write") for p in paragraphs)
    # A bold line ended by a hard break heads the text after it.
    assert "Your postcode and your answers. We never ask for your name." in paragraphs
    assert texts(document, BlockKind.LIST_ITEM) == [
        "Email: privacy@saltmarsh.example",
        "Post: 4 Quay Lane, Harbourton",
    ]
    assert document.metadata.last_updated == "2024-01-12"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Data Retention", True),
        ("What do we collect?", True),
        ("Contact:", True),
        ("1. Introduction.", True),
        ("2.3 Special categories", True),
        ("We keep data for a year.", False),
        ("Note, however,", False),
        ("Last updated: May 2, 2023", False),
        ("lowercase start", False),
        ("Last Updated:", False),
        ("Effective Date", False),
        ("PLEASE READ THIS POLICY CAREFULLY", False),
        ("One. Two sentences here", False),
        ("A very long bold line that goes on and on well past what any heading would say", False),
    ],
)
def test_pseudo_heading_rule(text: str, expected: bool) -> None:
    assert is_pseudo_heading([Run(text, bold=True)]) is expected


def test_a_bold_date_label_keeps_its_date() -> None:
    document = load_markdown(
        "# Acme Privacy\n\n**Last Updated:**\nJanuary 3, 2020\n\n## Data\n\nText.\n"
    )
    assert document.metadata.last_updated == "2020-01-03"
    assert outline(document) == [(1, "Data")]


def test_html_bold_and_italic_tags_are_styles_not_markup() -> None:
    document = load_markdown(
        "# Acme Privacy\n\n<b>Data Retention</b>\n\nWe keep <i>little</i>.\n\n"
        "Stray </strong> closing tag and <strong>bold</strong> word.\n"
    )
    assert outline(document) == [(1, "Data Retention")]
    styled = {
        document.text[i.start : i.end]: (i.bold, i.italic) for i in document.blocks[2].inlines
    }
    assert styled == {"little": (False, True)}
    assert document.block_text(document.blocks[3]) == "Stray closing tag and bold word."


def test_pseudo_heading_needs_bold_throughout_and_no_link() -> None:
    assert not is_pseudo_heading([Run("Data ", bold=True), Run("Retention")])
    assert not is_pseudo_heading([Run("Contact us", bold=True, href="https://x.example")])


def test_numbered_bold_list_items_with_bodies_are_sections() -> None:
    document = load_path(MARKDOWN / "numbered_list_sections.md")
    assert document.title == "Pebblewick Terms of Privacy"
    assert outline(document) == [
        (1, "1. Introduction"),
        (1, "2. Data we collect"),
        (1, "3. Sharing"),
        (1, "Summary of your options"),
    ]
    # The section bodies are paragraphs again; the short bold list at the end stays a list.
    assert texts(document, BlockKind.PARAGRAPH)[0].startswith("Pebblewick operates")
    assert [b.marker for b in document.blocks if b.kind is BlockKind.LIST_ITEM] == [
        "•",
        "•",
        "1.",
        "2.",
        "3.",
    ]


def test_bold_title_line_of_a_document_without_headings() -> None:
    document = load_path(GENERAL / "word_export_numbered_bold.md")
    assert document.title == "WEBSITE PRIVACY POLICY"
    assert document.block_text(document.blocks[0]) == "GRANITE & GLASS LLP"
    assert document.blocks[0].kind is BlockKind.PARAGRAPH
    assert document.metadata.last_updated == "2022-02-14"


# --- site generator syntax and navigation ----------------------------------------------------------


def test_site_generator_syntax_is_removed_outside_code() -> None:
    source = (
        "{% include toc.html %}\n\n"
        ":::note Heads up\nText in a note.\n:::\n\n"
        '!!! warning "Careful"\n    Indented body.\n\nAfter.\n\n'
        "```\n{% keep this %}\n:::\n```\n"
    )
    cleaned = strip_site_syntax(source)
    assert "{% include" not in cleaned and "!!!" not in cleaned
    assert "{% keep this %}\n:::\n" in cleaned
    document = load_markdown(source)
    assert texts(document, BlockKind.PARAGRAPH) == [
        "Heads up",
        "Text in a note.",
        "Careful",
        "Indented body.",
        "After.",
    ]


def test_back_to_top_links_are_navigation_not_text() -> None:
    document = load_path(GENERAL / "html2text_export.md")
    assert "Back to top" not in document.text
    assert outline(document) == [
        (1, "Scope"),
        (1, "Information we hold"),
        (2, "Card data"),
        (1, "Your rights"),
    ]


# --- the document model stays consistent ------------------------------------------------------------


@pytest.mark.parametrize(
    "path", sorted(MARKDOWN.glob("*.md")) + sorted(GENERAL.glob("*.md")), ids=lambda p: p.name
)
def test_offsets_index_the_text(path) -> None:
    document = load_path(path)
    assert document.format is DocumentFormat.MARKDOWN
    previous_end = -2
    for block in document.blocks:
        assert document.text[block.start : block.end].strip() == document.block_text(block)
        assert block.start >= previous_end + 2  # blocks are separated by a blank line
        previous_end = block.end
        for inline in block.inlines:
            assert block.start <= inline.start < inline.end <= block.end
    for section in document.walk_sections():
        assert document.text.startswith(section.title, section.start)


def test_a_megabyte_of_markdown_loads() -> None:
    # Shaped like a long real policy: paragraphs of prose, bold sub-heads, lists, some tables.
    prose = (
        "We collect what you give us when you create an account, such as your name and email "
        "address, and use it to run the **service** and keep it secure; see [help](https://x.example) "
        "for the *choices* you have. "
    )
    section = (
        "## {n}. Data area {n}\n\n" + prose * 3 + "\n\n**Retention {n}**\n\n" + prose + "\n\n"
        "* first item\n* second item with `code`\n  * nested item\n\n"
        "| Data | Kept |\n|---|---|\n| Logs | 30 days |\n\n"
    )
    count = 1_048_576 // len(section) + 1
    text = "# Big Policy\n\n" + "".join(section.format(n=n) for n in range(count))
    document = load_markdown(text)
    assert document.title == "Big Policy"
    assert len(document.sections) == count
    assert document.sections[-1].children[0].title == f"Retention {count - 1}"


# --- generalisation set: styles written before the reader was tuned on them ------------------------

GENERAL_EXPECTED = {
    "site_policy_repo.md": (
        "Harborline Privacy Statement",
        [
            (1, "The short version"),
            (1, "Summary"),
            (1, "What we collect"),
            (2, "Information you give us"),
            (2, "Information we gather automatically"),
            (1, "How we share"),
            (1, "Contacting Harborline"),
        ],
    ),
    "docs_site_admonitions.md": (
        "Privacy Policy",
        [(1, "📥 Data we collect"), (1, "📤 Data we share"), (1, "🗑️ Deleting data")],
    ),
    "word_export_numbered_bold.md": (
        "WEBSITE PRIVACY POLICY",
        [
            (1, "1. INTRODUCTION"),
            (1, "2. DATA WE COLLECT"),
            (2, "2.3 Special categories"),
            (1, "3. HOW WE USE YOUR DATA"),
            (1, "4. YOUR LEGAL RIGHTS"),
            (1, "5. CONTACT DETAILS"),
        ],
    ),
    "setext_readme.md": (
        "Privacy Policy",
        [(1, "What we collect"), (1, "Why we collect it"), (1, "Children"), (1, "Contact")],
    ),
    "faq_same_level.md": (
        "Privacy Policy",
        [
            (1, "Who we are"),
            (1, "What we collect"),
            (2, "What do students tell us?"),
            (2, "What do tutors tell us?"),
            # A bold paragraph sits one level below the heading before it, as the rule says.
            (3, "Do you record sessions?"),
            (1, "How long we keep data"),
            (1, "Questions"),
        ],
    ),
    "app_store_bold_colon.md": (
        "Privacy Policy for Pocket Tally",
        [
            (1, "Information Collection and Use"),
            (1, "Log Data"),
            (1, "Service Providers"),
            (1, "Security"),
            (1, "Changes to This Privacy Policy"),
            (1, "Contact Us"),
        ],
    ),
    "html2text_export.md": (
        "Privacy Notice – Copperleaf Bank",
        [(1, "Scope"), (1, "Information we hold"), (2, "Card data"), (1, "Your rights")],
    ),
    "list_nested_headings.md": (
        "Dovetail Joinery – Customer Privacy",
        [
            (1, "1. Data we collect"),
            (2, "1. From you"),
            (2, "2. From carriers"),
            (1, "2. Why we use it"),
            (1, "3. How to reach us"),
        ],
    ),
    # Second batch, also written before any tuning on it.
    "notion_export.md": (
        "Privacy Policy — Brindle Bakehouse",
        [
            (1, "1) Who we are"),
            (1, "2) What we collect"),
            (1, "3) How long we keep it"),
            (1, "4) Contact"),
        ],
    ),
    "wiki_anchor_headings.md": (
        "Moss & Ember Wiki — Privacy",
        [(1, "What we collect"), (2, "Cookies"), (2, "Server logs"), (1, "Your rights")],
    ),
    "footnotes_emphasis_headings.md": (
        "Privacy Statement of Tallowcreek Outfitters",
        [(1, "Cookies"), (1, "Your rights"), (2, "Retention")],
    ),
    "bold_toc_then_sections.md": (
        "Juniper Lane Clinic Patient Privacy Notice",
        [
            (1, "About this notice"),
            (1, "Your health information"),
            (2, "What we record"),
            (2, "Who can see it"),
            (1, "Your rights"),
        ],
    ),
    "underscore_bold.md": (
        "Privacy Statement",
        [(1, "Data We Collect"), (1, "How We Use Data"), (1, "Children")],
    ),
    "mixed_html_headings.md": (
        "Privacy Policy",
        [(1, "Information we collect"), (1, "Advertising"), (1, "Contact")],
    ),
    # Structures met in real Markdown policies (policy generators, app pages).
    "generator_numbered_bold.md": (
        "Privacy Policy",
        [
            (1, "1. Introduction"),
            (1, "1. Definitions"),
            (1, "1. Information Collection and Use"),
            (1, "1. Types of Data Collected"),
            (2, "Personal Data"),
            (2, "Usage Data"),
            (1, "1. Disclosure of Data"),
            (1, "1. Contact Us"),
        ],
    ),
    "app_page_with_policy.md": (
        None,
        [
            (1, "About Pebble Radio"),
            (1, "Download"),
            (1, "Privacy Policy"),
            (2, "Information Collection and Use"),
            (2, "Log Data"),
            (2, "Changes to This Privacy Policy"),
            (2, "Contact Us"),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(GENERAL_EXPECTED))
def test_general_fixture_title_and_outline(name: str) -> None:
    title, expected = GENERAL_EXPECTED[name]
    document = load_path(GENERAL / name)
    assert document.title == title
    assert outline(document) == expected


def test_general_fixture_dates() -> None:
    assert load_path(GENERAL / "site_policy_repo.md").metadata.effective_date == "2023-10-02"
    assert load_path(GENERAL / "setext_readme.md").metadata.last_updated == "2019-05-05"
    assert load_path(GENERAL / "app_store_bold_colon.md").metadata.effective_date == "2021-06-01"
    assert load_path(GENERAL / "notion_export.md").metadata.last_updated == "2024-01-05"
    assert load_path(GENERAL / "bold_toc_then_sections.md").metadata.effective_date == "2023-04-01"
    assert load_path(GENERAL / "generator_numbered_bold.md").metadata.effective_date == "2023-09-12"
    assert load_path(GENERAL / "app_page_with_policy.md").metadata.effective_date == "2022-11-02"


def test_app_page_scripts_buttons_and_link_attributes_leave_no_trace() -> None:
    document = load_path(GENERAL / "app_page_with_policy.md")
    for leaked in ("share", "navigator", "{:", "target", "QR", "button"):
        assert leaked not in document.text
    assert "Share Pebble Radio" in document.text  # a button's label is text, shown as text


# --- the Markdown seeds ------------------------------------------------------------------------------


@pytest.mark.shared
def test_seed_000_table_of_contents_is_a_list_not_sections() -> None:
    document = load_path(SEEDS / "000_ef8ff6714307a239.txt")
    assert document.format is DocumentFormat.MARKDOWN
    assert document.title == "Privacy Policy - GsmServer"
    assert document.metadata.archived_on == "2014-11-23"
    assert document.metadata.source_url == "http://gsmserver.com/information/privacy-policy"
    assert outline(document) == [
        (1, "Collection of Information"),
        (1, "Use of Information"),
        (1, "Disclosure of Information to Third Parties"),
        (1, "Security of Information"),
        (1, "Links to Other Websites"),
        (1, "Access to Information"),
    ]
    assert "Wayback" not in document.text
    contents = [b for b in document.blocks[:9] if b.kind is BlockKind.LIST_ITEM]
    assert len(contents) == 6 and all(b.marker == "•" for b in contents)


@pytest.mark.shared
def test_seed_003_headings_inside_list_items() -> None:
    document = load_path(SEEDS / "003_f0db16302448d09d.txt")
    assert document.format is DocumentFormat.MARKDOWN
    assert document.title == "mysms Privacy Policy"
    assert document.metadata.archived_on == "2012-12-30"
    assert document.metadata.source_url == "http://www.mysms.com/en/privacy"
    assert document.metadata.last_updated == "2012-02-09"
    assert document.metadata.effective_date == "2012-02-09"
    assert outline(document) == [
        (1, "The information mysms collects"),
        (2, "Information you provide"),
        (2, "User communications"),
        (2, "Cookies information"),
        (2, "Log file information"),
        (2, "Links"),
        (1, "The use of the information collected"),
        (2, "Third party services"),
        (1, "Your control over your personal information"),
        (1, "Information sharing and disclosure"),
        (2, "Your consent"),
        (2, "Service providers"),
        (2, "Law and safety"),
        (2, "Sale, merger or bankruptcy"),
        (1, "Information security and protection"),
        (1, "Accessing and modifying your personal information"),
        (1, "Changes to this privacy notice"),
        (1, "Applicable law"),
    ]
    assert not document.text.startswith("The following text")


@pytest.mark.shared
def test_seed_004_has_a_title_and_no_sections() -> None:
    document = load_path(SEEDS / "004_7b4bd19a17e7408a.txt")
    assert document.format is DocumentFormat.MARKDOWN
    # "Resources ::" is the site's breadcrumb, not part of the policy's name.
    assert document.title == "Privacy Policy"
    assert document.metadata.archived_on == "2013-04-02"
    assert document.metadata.source_url == "http://www.cs-cart.com/privacy-policy.html"
    assert outline(document) == []
    assert document.text.startswith("Resources :: Privacy Policy")
    assert document.title_block == 0


# --- issue 19, finding 6: a long policy is parsed in pieces, with the same result -------------


def test_a_long_policy_parsed_in_pieces_reads_as_if_parsed_whole(monkeypatch) -> None:
    from policyreader.core.formats import markdown

    sections = []
    for number in range(40):
        sections.append(
            f"## Part {number}\n\nWe keep [your data][ref{number % 3}] for {number} days.\n\n"
            f"- item one\n\n- item two, loose\n\n  continued\n\n> quoted {number}\n\n"
            "```\ncode line\n\n# not a heading inside code\n\nmore code\n```\n\n"
        )
    source = "# Policy\n\n" + "".join(sections) + "\n[ref0]: https://a.example\n"
    source += "[ref1]: https://b.example\n[ref2]: https://c.example\n"
    whole = markdown.read_markdown(source)
    monkeypatch.setattr(markdown, "_CHUNK_CHARS", 100)
    pieces = list(markdown._spans(source))
    assert len(pieces) > 10
    chunked = markdown.read_markdown(source)
    assert chunked.blocks == whole.blocks
    hrefs = {run.href for block in chunked.blocks for run in block.runs if run.href}
    assert hrefs == {"https://a.example", "https://b.example", "https://c.example"}
