"""PDF reader: headings from size and weight, joined paragraphs, no page furniture, clear failures."""

from __future__ import annotations

import pytest

from policyreader.core.document import BlockKind, DocumentFormat, PolicyDocument
from policyreader.core.errors import LoadProblem, PolicyLoadError
from policyreader.core.loading import load_bytes, load_path
from tests.core.pdf_maker import Line, PageFlow, make_pdf, make_scanned_pdf

FILLER = [
    "Orchard Lane Books keeps a record of each order so that parcels reach the right",
    "door and returns can be matched to the original purchase without delay.",
]


def _policy_pdf() -> bytes:
    flow = PageFlow(header="Orchard Lane Books - Privacy Notice")
    flow.add("Orchard Lane Books Privacy Notice", size=20, bold=True)
    flow.paragraph(["Last updated: March 3, 2024"])
    flow.heading("1. Information We Collect")
    flow.paragraph(
        [
            "We collect the details you give us when you open an account, such as your",
            "name, email address and delivery address. We also receive third-",
            "party data from the couriers we work with.",
        ]
    )
    flow.bullet(["Contact details, such as your name and", "email address."], marker="•")
    flow.bullet(["Order history."], marker="•")
    flow.add("Cookies", bold=True, gap_before=10)
    flow.paragraph(["We use cookies to keep you signed in."])
    for _ in range(22):
        flow.paragraph(FILLER)
    flow.heading("2. Sharing Your Information")
    # Long enough to run over the page break that the filler above has brought close.
    flow.paragraph(
        [
            "We share your delivery address with the courier that carries your parcel",
            "and with nobody else unless the law requires it of us, in which case we",
            "tell you first whenever we are allowed to do so and keep a record of",
            "each request we receive from a public authority together with the",
            "answer we gave to it and the date on which we gave that answer.",
        ]
    )
    flow.heading("3. Your Rights")
    flow.paragraph(["You may ask us for a copy of your data at any time."])
    return flow.pdf()


@pytest.fixture(scope="module")
def policy() -> PolicyDocument:
    return load_bytes(_policy_pdf(), "orchard.pdf")


def test_title_and_headings_come_from_font_size_and_weight(policy: PolicyDocument) -> None:
    assert policy.format is DocumentFormat.PDF
    assert policy.title == "Orchard Lane Books Privacy Notice"
    outline = [(s.level, s.title) for s in policy.walk_sections()]
    assert outline == [
        (1, "1. Information We Collect"),
        (2, "Cookies"),
        (1, "2. Sharing Your Information"),
        (1, "3. Your Rights"),
    ]
    assert policy.metadata.last_updated == "2024-03-03"


def test_lines_are_joined_into_paragraphs_and_hyphenated_words_rejoined(
    policy: PolicyDocument,
) -> None:
    assert (
        "We collect the details you give us when you open an account, such as your name, email "
        "address and delivery address. We also receive third-party data from the couriers we "
        "work with." in policy.text
    )


def test_a_paragraph_broken_by_a_page_is_one_block(policy: PolicyDocument) -> None:
    sharing = next(b for b in policy.blocks if policy.block_text(b).startswith("We share your"))
    assert policy.block_text(sharing).endswith("the date on which we gave that answer.")
    fillers = [
        b for b in policy.blocks if policy.block_text(b).startswith("Orchard Lane Books keeps")
    ]
    assert len(fillers) == 22


def test_running_headers_and_page_numbers_are_dropped(policy: PolicyDocument) -> None:
    assert "Page 1" not in policy.text and "Page 2" not in policy.text
    assert "Privacy Notice" not in policy.text.replace("Orchard Lane Books Privacy Notice", "", 1)


def test_bullets_become_list_items_without_their_marker(policy: PolicyDocument) -> None:
    items = [b for b in policy.blocks if b.kind is BlockKind.LIST_ITEM]
    assert [(b.marker, policy.block_text(b)) for b in items] == [
        ("•", "Contact details, such as your name and email address."),
        ("•", "Order history."),
    ]


def test_a_large_heading_over_body_lines_is_one_heading_and_one_paragraph() -> None:
    pdf = make_pdf(
        [
            [
                Line("Data Retention", 72, 700, size=16, bold=True),
                Line("We keep order records for six years, as tax law requires.", 72, 670),
                Line("Important: this applies to every order you place with us.", 72, 656),
            ]
        ]
    )
    document = load_bytes(pdf)
    assert document.title == "Data Retention"
    assert [b.kind for b in document.blocks] == [BlockKind.HEADING, BlockKind.PARAGRAPH]


def test_a_long_bold_passage_is_a_paragraph_not_a_heading() -> None:
    words = "Please read this notice carefully because it explains how we use your data"
    lines = [Line("Notice", 72, 720, size=18, bold=True)]
    lines += [Line(f"{words} part {i}.", 72, 690 - 14 * i, bold=True) for i in range(3)]
    document = load_bytes(make_pdf([lines]))
    kinds = [b.kind for b in document.blocks]
    assert kinds == [BlockKind.HEADING, BlockKind.PARAGRAPH]


def test_a_scanned_pdf_says_it_has_no_text_layer() -> None:
    with pytest.raises(PolicyLoadError) as caught:
        load_bytes(make_scanned_pdf(), "scan.pdf")
    assert caught.value.problem is LoadProblem.NO_TEXT
    assert str(caught.value).startswith("This PDF has no text layer: it is a scanned image")


def test_a_damaged_pdf_gives_a_clear_message() -> None:
    data = _policy_pdf()
    with pytest.raises(PolicyLoadError) as caught:
        load_bytes(data[: len(data) // 3].replace(b"stream", b"strxam"), "broken.pdf")
    assert caught.value.problem in (LoadProblem.UNREADABLE, LoadProblem.NO_TEXT)
    assert "PDF" in str(caught.value)


def test_load_path_reads_a_pdf_file(tmp_path) -> None:
    target = tmp_path / "policy.pdf"
    target.write_bytes(_policy_pdf())
    document = load_path(target)
    assert document.format is DocumentFormat.PDF and document.path == str(target)


def test_a_pdf_printed_by_qt_with_embedded_fonts(qapp) -> None:
    """A real producer: subset TrueType fonts, a bold face by name, pages laid out by Qt."""
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

    paragraph = "<p>We keep your messages for thirty days. " + "Then we delete them. " * 30 + "</p>"
    source = QTextDocument()
    source.setHtml(
        "<h1>Privacy Notice of Lumen Chat</h1>"
        + paragraph
        + "<h2>How We Use Data</h2><p>We <b>never</b> sell your data.</p>"
        + "<ul><li>Export your messages</li><li>Delete your account</li></ul>"
        + paragraph * 8
    )
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    source.print_(writer)
    del writer
    document = load_bytes(bytes(buffer.data()), "lumen.pdf")
    assert document.title == "Privacy Notice of Lumen Chat"
    assert [s.title for s in document.walk_sections()] == ["How We Use Data"]
    # Qt draws bullets as shapes: the short lines still end their items.
    blocks = [document.block_text(b) for b in document.blocks]
    assert "Export your messages" in blocks and "Delete your account" in blocks
    never = document.text.index("never")
    assert any(i.bold and i.start <= never < i.end for b in document.blocks for i in b.inlines)


def _table_pdf() -> bytes:
    lines = [
        Line("Harbourline Privacy Policy", 72, 720, size=18, bold=True),
        Line("We collect only what we need to run the ferry booking service.", 72, 690),
        Line("How we use information", 72, 660, size=15, bold=True),
        Line("We use what we collect for the purposes in this table.", 72, 636),
    ]
    y = 610
    rows = (
        (("Purpose", "Information used", "Legal basis"), True),
        (("Bookings", "Name, email", "Contract"), False),
        (("Safety notices", "Phone number", "Legal duty"), False),
    )
    for cells, bold in rows:
        lines += [
            Line(cell, x, y, bold=bold) for x, cell in zip((72, 250, 420), cells, strict=True)
        ]
        y -= 16
    lines.append(Line("Sharing", 72, y - 20, size=15, bold=True))
    lines.append(
        Line("We share your name with the port authority as the law requires.", 72, y - 44)
    )
    return make_pdf([lines])


def test_a_tables_bold_header_row_is_a_table_not_headings() -> None:
    document = load_bytes(_table_pdf(), "policy.pdf")
    assert [s.title for s in document.walk_sections()] == ["How we use information", "Sharing"]
    (table,) = [b for b in document.blocks if b.kind is BlockKind.TABLE]
    assert table.header_rows == 1 and len(table.cells) == 3
    first_row = [document.text[start:end] for start, end in table.cells[0]]
    assert first_row == ["Purpose", "Information used", "Legal basis"]
    assert document.text[slice(*table.cells[2][1])] == "Phone number"
