"""Policies for the UI tests, built block by block so they do not depend on any format reader."""

from __future__ import annotations

from policyreader.core.builder import RawBlock, Run, assemble, text_block
from policyreader.core.document import BlockKind, DocumentFormat, Metadata, PolicyDocument

H, P, LI = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM

FILLER = (
    "Kestrel Cloud Storage keeps the files you upload on servers in two regions and copies them "
    "between those regions so that a fault in one place never loses your work. "
)


def paragraph(sentences: int = 3, lead: str = "") -> RawBlock:
    return text_block(P, lead + FILLER * sentences)


def heading(text: str, level: int) -> RawBlock:
    return text_block(H, text, level=level)


def item(text: str, marker: str = "•", level: int = 0) -> RawBlock:
    return text_block(LI, text, level=level, marker=marker)


def table() -> RawBlock:
    return RawBlock(
        kind=BlockKind.TABLE,
        rows=[
            [[Run("Purpose")], [Run("Data used")], [Run("Kept for")]],
            [[Run("Running your account")], [Run("Email, name")], [Run("While it is open")]],
            [
                [Run("Fixing crashes")],
                [Run("Device model, ", bold=False), Run("logs", bold=True)],
                [Run("90 days")],
            ],
            [[Run("Newsletters")], [], [Run("Until you unsubscribe")]],
        ],
        header_rows=1,
    )


def kestrel_blocks() -> list[RawBlock]:
    """A fictitious policy: a title, numbered sections with subsections, lists, a table, links."""
    return [
        heading("Kestrel Cloud Storage Privacy Policy", 1),
        paragraph(2, "This policy explains what Kestrel Cloud Storage learns about you. "),
        heading("1. Information we collect", 2),
        paragraph(3),
        heading("1.1 Information you give us", 3),
        item("Your name and email address when you sign up."),
        item("Payment details, handled by our processor.", level=0),
        item("The last four digits of your card.", marker="◦", level=1),
        paragraph(2),
        heading("1.2 Information collected automatically", 3),
        item("Device model and operating system;", marker="1."),
        item("Crash reports;", marker="2."),
        item("Pages you visit on our website.", marker="3."),
        paragraph(4),
        heading("2. How we use information", 2),
        table(),
        paragraph(4),
        heading("3. Sharing", 2),
        RawBlock(
            kind=P,
            runs=[
                Run("We share data with "),
                Run("service providers", bold=True),
                Run(" listed on our "),
                Run("subprocessor page", href="https://kestrel.example/subprocessors"),
                Run(", and never "),
                Run("sell", italic=True),
                Run(" it. Ask "),
                Run("privacy@kestrel.example", href="mailto:privacy@kestrel.example"),
                Run(" or run "),
                Run("kestrel export", code=True),
                Run(". "),
                Run("Do not click this", href="javascript:alert(1)"),
                Run("."),
            ],
        ),
        item("Hosting providers.", marker="(a)"),
        item("Payment processors.", marker="(b)"),
        paragraph(5),
        heading("4. Data retention", 2),
        paragraph(6),
        heading("5. Your rights", 2),
        paragraph(4),
        heading("5.1 Access", 3),
        paragraph(4),
        heading("5.2 Deletion", 3),
        paragraph(5),
        heading("6. Contact us", 2),
        paragraph(3),
    ]


def kestrel_document(path: str | None = None) -> PolicyDocument:
    metadata = Metadata(last_updated="2025-02-01", effective_date="2025-03-01")
    return assemble(
        kestrel_blocks(),
        DocumentFormat.MARKDOWN,
        title="Kestrel Cloud Storage Privacy Policy",
        metadata=metadata,
        path=path,
        title_block=0,
    )


KESTREL_MARKDOWN = """---
title: Kestrel Cloud Storage Privacy Policy
last_updated: 2025-02-01
---

# Kestrel Cloud Storage Privacy Policy

{filler}

## 1. Information we collect

{filler}

### 1.1 Information you give us

- Your name and email address when you sign up.
- Payment details, handled by our processor.

{filler}

## 2. How we use information

| Purpose | Data used |
| --- | --- |
| Running your account | Email, name |
| Fixing crashes | Device model |

{filler}

## 3. Sharing

We share data with **service providers**. {filler}

## 4. Data retention

{filler}{filler}

## 5. Your rights

{filler}{filler}

## 6. Contact us

{filler}
""".replace("{filler}", FILLER * 4)

PLAIN_TEXT = """HARBOUR LIGHT NEWSLETTER PRIVACY NOTICE

1. Who we are
Harbour Light sends a weekly newsletter about lighthouses. {filler}

2. What we keep
We keep your email address and nothing else. {filler}

3. How to leave
Every issue has an unsubscribe link at its foot. {filler}
""".replace("{filler}", FILLER * 2)
