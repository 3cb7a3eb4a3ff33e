"""Property tests: random and mutated documents never make a loader raise anything undocumented."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyreader.core.document import BlockKind, DocumentFormat, PolicyDocument
from policyreader.core.errors import PolicyLoadError
from policyreader.core.loading import load_bytes, load_text

REPO = Path(__file__).resolve().parents[2]
SAMPLE = (REPO / "resources" / "samples" / "lanternfish-privacy.md").read_text(encoding="utf-8")
SEED_DOCUMENTS = {
    DocumentFormat.MARKDOWN: SAMPLE,
    DocumentFormat.TEXT: (
        "ACME PRIVACY NOTICE\n\n1. Scope\nThis notice covers the ACME shop and\nits app.\n\n"
        "2. Data we keep\n   a) name\n   b) address\nII. SHARING\nWe share with couriers.\n"
        "Underlined\n==========\n\nArticle 3\nRetention is 30 days.\n"
    ),
    DocumentFormat.HTML: (
        "<!DOCTYPE html><html><head><title>ACME &amp; Co</title><style>p{}</style></head><body>"
        "<nav><a href='/'>Home</a></nav><main><h1>Privacy</h1><p><strong>Scope</strong></p>"
        "<p>We keep <b>little</b>.<br>Really.</p><ul><li>one<ul><li>two</li></ul></li></ul>"
        "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>"
        "<script>alert('x')</script></main><footer>© ACME</footer></body></html>"
    ),
}
MARKUP_PIECES = [
    "<",
    ">",
    "</p>",
    "<table>",
    "<td>",
    "<h2>",
    "**",
    "#",
    "\n",
    "\n\n",
    "|",
    "---",
    "- ",
    "1. ",
    "> ",
    "```",
    "[",
    "](",
    "<!--",
    "-->",
    "&amp;",
    "&#0;",
    "\x00",
    "\ufeff",
    "{: #x }",
    "<script>",
    "\t",
    "\r",
    "===",
    "   ",
    "<br>",
    "<li>",
    "<b>",
    "</b>",
    "\u202e",
]


def check_document(document: PolicyDocument) -> None:
    """Invariants every later feature (highlights, notes) relies on."""
    text = document.text
    previous_end = 0
    for block in document.blocks:
        assert previous_end <= block.start <= block.end <= len(text)
        previous_end = block.end
        for inline in block.inlines:
            assert block.start <= inline.start <= inline.end <= block.end
        for row in block.cells:
            for start, end in row:
                assert block.start <= start <= end <= block.end
    heading_starts = {b.start for b in document.blocks if b.kind is BlockKind.HEADING}
    previous_start = -1
    for section in document.walk_sections():
        assert section.start in heading_starts
        assert section.start > previous_start
        assert section.start <= section.end <= len(text)
        assert section.level >= 1
        assert section.title == text[section.start : section.start + len(section.title)]
        previous_start = section.start


def load_or_refuse(text: str, fmt: DocumentFormat) -> None:
    try:
        document = load_text(text, fmt=fmt)
    except PolicyLoadError:
        return
    check_document(document)


@st.composite
def mutated(draw: st.DrawFn, fmt: DocumentFormat) -> str:
    text = SEED_DOCUMENTS[fmt]
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate", "markup"]))
        if action == "insert":
            text = text[:position] + draw(st.text(max_size=12)) + text[position:]
        elif action == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 200)) :]
        elif action == "duplicate":
            text = text[:position] + text[position : position + 80] * 2 + text[position:]
        else:
            text = text[:position] + draw(st.sampled_from(MARKUP_PIECES)) + text[position:]
    return text


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("fmt", list(SEED_DOCUMENTS))
@FUZZ
@given(data=st.data())
def test_mutated_documents_load_or_are_refused(fmt: DocumentFormat, data: st.DataObject) -> None:
    load_or_refuse(data.draw(mutated(fmt)), fmt)


@pytest.mark.parametrize("fmt", list(SEED_DOCUMENTS))
@FUZZ
@given(text=st.text(max_size=400))
def test_random_text_loads_or_is_refused(fmt: DocumentFormat, text: str) -> None:
    load_or_refuse(text, fmt)


@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes_load_or_are_refused(data: bytes) -> None:
    try:
        document = load_bytes(data, name="random.bin")
    except PolicyLoadError:
        return
    check_document(document)


def test_the_unmutated_seed_documents_load() -> None:
    for fmt, text in SEED_DOCUMENTS.items():
        check_document(load_text(text, fmt=fmt))
