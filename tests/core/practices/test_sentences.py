"""Sentence spans and passages: inside blocks, abbreviations kept, long runs cut."""

from __future__ import annotations

from policyreader.core.loading import load_text
from policyreader.core.practices.sentences import (
    MAX_SENTENCE,
    lower_text,
    passages,
    split_sentences,
)


def _sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text, 0, len(text))]


def test_sentences_end_at_full_stops_but_not_at_abbreviations() -> None:
    text = "We collect data, e.g. your name. We keep it in the U.S. for a year! Why? Because."
    assert _sentences(text) == [
        "We collect data, e.g. your name.",
        "We keep it in the U.S. for a year!",
        "Why?",
        "Because.",
    ]


def test_a_line_break_ends_a_sentence() -> None:
    assert _sentences("Name\tE-mail\nAddress\tPhone") == ["Name\tE-mail", "Address\tPhone"]


def test_an_endless_sentence_is_cut_into_bounded_pieces() -> None:
    words = "we collect cookies " * 1000
    pieces = split_sentences(words, 0, len(words))
    assert all(s.end - s.start <= MAX_SENTENCE for s in pieces)
    assert "".join(words[s.start : s.end] for s in pieces).replace(" ", "") == words.replace(
        " ", ""
    )
    glued = "x" * 5000
    assert [s.end - s.start for s in split_sentences(glued, 0, len(glued))] == [1200] * 4 + [200]


def test_passages_never_cross_blocks_and_carry_their_heading() -> None:
    document = load_text(
        "# Policy\n\n## Cookies\n\nWe use cookies. They remember you.\n\n## Sharing\n\nWe share data.\n",
        name="p.md",
    )
    found = list(passages(document))
    assert [document.text[p.start : p.end] for p in found] == [
        "We use cookies. They remember you.",
        "We share data.",
    ]
    assert [p.context for p in found] == ["Cookies", "Sharing"]
    for passage in found:
        block = document.blocks[passage.block]
        assert block.start <= passage.start and passage.end <= block.end


def test_lower_text_keeps_offsets() -> None:
    text = "İstanbul Office: We COLLECT Data"
    lowered = lower_text(text)
    assert len(lowered) == len(text)
    assert lowered.endswith("we collect data")


def _passage_views(source: str, name: str) -> list[tuple[str, str, str]]:
    document = load_text(source, name=name)
    return [(document.text[p.start : p.end], p.context, p.lead_in) for p in passages(document)]


def test_list_items_carry_the_sentence_that_introduces_them() -> None:
    found = _passage_views(
        "## Use\n\nWe use the information we collect from you to:\n\n"
        "- respond to your requests;\n- send you our newsletter; and\n"
        "- run the site\n\nWe also keep logs.\n",
        "p.md",
    )
    lead_in = "We use the information we collect from you to:"
    assert found == [
        (lead_in, "Use", ""),
        ("respond to your requests;", "Use", lead_in),
        ("send you our newsletter; and", "Use", lead_in),
        # Short and unpunctuated, yet an item of the list, not a heading over what follows.
        ("run the site", "Use", lead_in),
        ("We also keep logs.", "Use", ""),
    ]


def test_a_list_without_a_lead_in_carries_none() -> None:
    found = _passage_views(
        "## Cookies\n\nWe use cookies.\n\n- Session cookies end when you leave.\n", "p.md"
    )
    assert [lead_in for _, _, lead_in in found] == ["", ""]


def test_a_short_question_before_its_answer_is_a_heading() -> None:
    found = _passage_views(
        "What do we collect?\n\nWe collect your name and e-mail address when you register.\n",
        "p.txt",
    )
    assert found == [
        ("We collect your name and e-mail address when you register.", "What do we collect?", "")
    ]
