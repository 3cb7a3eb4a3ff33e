"""Compatibility characters become the letters and spaces on screen, so find and titles see words."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policyreader.core.builder import _COMPATIBLE, _INVISIBLE, RawBlock, Run, compatible
from policyreader.core.document import BlockKind
from policyreader.core.loading import load_bytes
from policyreader.ui.reader.text_search import find_all
from tests.core.pdf_maker import PageFlow


def _pdf_with_ligatures() -> bytes:
    flow = PageFlow()
    flow.heading("Lanternﬁsh Maps Privacy Policy", size=18)
    flow.paragraph(["We keep the ﬂow of location data to a minimum, and we ﬁx errors you report."])
    flow.heading("Sharing")
    flow.paragraph(["Lanternﬁsh shares data with the service providers that host our servers."])
    return flow.pdf()


def test_pdf_ligatures_are_spelt_out_in_the_text_and_title() -> None:
    document = load_bytes(_pdf_with_ligatures(), "policy.pdf")
    assert document.title == "Lanternfish Maps Privacy Policy"
    assert "ﬁ" not in document.text and "ﬂ" not in document.text
    assert "the flow of location data" in document.text
    assert len(find_all(document.text, "Lanternfish")) == 2
    for section in document.walk_sections():
        assert document.text[section.start :].startswith(section.title)  # offsets agree


def test_soft_hyphens_and_no_break_spaces_are_gone_from_the_text() -> None:
    source = "# Privacy\n\nWe keep your data\u00a0for 30\u202fdays. Our collec\u00adtion is small.\n"
    document = load_bytes(source.encode(), "policy.md")
    assert "We keep your data for 30 days. Our collection is small." in document.text
    assert find_all(document.text, "collection") != []


def test_find_matches_across_quote_and_dash_styles() -> None:
    text = "the “Lanternfish” app – and it’s 5—6 days, its ‘opt-out’ page"
    assert len(find_all(text, '"Lanternfish" app - and')) == 1
    assert len(find_all(text, "it's 5-6")) == 1
    assert len(find_all(text, "'opt–out'")) == 1
    assert len(find_all("opt-out", "opt—out")) == 1
    assert len(find_all(text, "Lanterﬁsh")) == 0 and len(find_all(text, "Lanternﬁsh")) == 1


# --- the fast paths of compatible() give what translating every character gives --------------

_ODD = "".join(map(chr, _COMPATIBLE)) + "\u200b\u00ad\x07"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ODD) | st.characters(), max_size=60))
def test_compatible_equals_translating_every_character(text: str) -> None:
    assert compatible(text) == _INVISIBLE.sub("", text).translate(_COMPATIBLE)


def test_a_block_of_word_characters_is_not_empty_and_one_of_invisibles_is() -> None:
    assert not RawBlock(BlockKind.PARAGRAPH, [Run("\u200b"), Run("ﬁ")]).is_empty
    assert RawBlock(BlockKind.PARAGRAPH, [Run("\u200b\u00ad"), Run("\u00a0 ")]).is_empty
