"""A policy's own table of contents is navigation: not highlighted as practices, not summarised."""

from __future__ import annotations

from policyreader.core.contents import contents_blocks
from policyreader.core.loading import load_text
from policyreader.core.practices.detector import detect_practices
from policyreader.core.summary import summarise

POLICY = """# Harbourline Privacy Policy

Harbourline runs ferry bookings. This policy explains what we do with your information.

- Information We Collect
- Disclosure of Information to Third Parties
- Protection of Information
- How Long We Keep Information

## Information We Collect

We collect your name, email address and payment card when you book a crossing.

## Disclosure of Information to Third Parties

We share your name with the port authority as the law requires.

## How Long We Keep Information

We keep bookings for six years.

## Security of Information

Card numbers are encrypted.
"""


def test_the_contents_list_is_found_and_only_it() -> None:
    document = load_text(POLICY, "policy.md")
    found = sorted(contents_blocks(document))
    texts = [document.text[document.blocks[i].start : document.blocks[i].end] for i in found]
    # The renamed entry ("Protection" for "Security") lies between entries that name headings.
    assert texts == [
        "Information We Collect",
        "Disclosure of Information to Third Parties",
        "Protection of Information",
        "How Long We Keep Information",
    ]


def test_contents_entries_are_not_practices_nor_counted_in_the_summary() -> None:
    document = load_text(POLICY, "policy.md")
    contents_end = document.text.index("How Long We Keep Information") + 10
    practices = detect_practices(document)
    assert practices, "the sections below still state practices"
    assert all(p.start >= contents_end for p in practices)
    sharing = [p for p in practices if p.category.value == "third_party_sharing"]
    assert all("port authority" in document.text[p.start : p.end] for p in sharing)
    summary = summarise(document, practices)
    spans = [span for section in summary.sections for span in section.spans]
    assert spans and all(start >= contents_end for start, _end in spans)
    assert sum(summary.counts.values()) == len(practices)


def test_a_short_list_that_names_no_heading_is_content() -> None:
    text = POLICY.replace("- Information We Collect\n", "- your name\n").replace(
        "- Disclosure of Information to Third Parties\n", "- your email address\n"
    )
    assert contents_blocks(load_text(text, "policy.md")) == set()
