"""W3C Web Annotation JSON in the exact shape issue 5 names; Markdown and HTML grouped by section."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from policyreader.core.anchoring import AnchorState, describe_in
from policyreader.core.annotations_io import (
    AnnotationFormatError,
    dumps_json,
    export_html,
    export_json,
    export_markdown,
    import_json,
)
from policyreader.core.fingerprint import fingerprint
from policyreader.core.loading import load_text
from policyreader.core.notes import Note, NoteScope, group_notes, new_note_id
from tests.notes_samples import FUZZY_QUOTE, MOVED_QUOTE, ORPHAN_QUOTE, POLICY_V1

V1 = load_text(POLICY_V1, "larkspur.md")


def make_note(quote: str, body: str, **changes: object) -> Note:
    start = V1.text.index(quote)
    anchor = describe_in(V1, start, start + len(quote))
    note = Note(
        id=new_note_id(),
        quote=anchor.quote,
        position=anchor.position,
        body=body,
        section_title=anchor.section_title,
        created="2026-03-04T10:00:00.000Z",
        updated="2026-03-05T11:30:00.000Z",
        text_fingerprint=fingerprint(V1.text),
    )
    return replace(note, **changes)


@pytest.fixture
def notes() -> list[Note]:
    return [
        make_note(MOVED_QUOTE, "Check their partner list.", tags=("sharing", "ask"), colour="#f4a"),
        make_note(FUZZY_QUOTE, "Thirty days *seems* short.", state=AnchorState.FUZZY),
        make_note(ORPHAN_QUOTE, "Which statistics?", state=AnchorState.ORPHANED),
        replace(
            make_note("", "Overall: clearer than most."),
            scope=NoteScope.DOCUMENT,
            section_title=None,
        ),
    ]


def test_json_export_has_the_shape_the_issue_names(notes: list[Note]) -> None:
    data = json.loads(dumps_json(notes, source="/policies/larkspur.md"))
    assert list(data) == ["annotations"]
    by_body = {}
    for annotation in data["annotations"]:
        assert annotation["type"] == "Annotation"
        assert annotation["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert annotation["id"].startswith("urn:uuid:")
        body = annotation["body"]
        main = body[0] if isinstance(body, list) else body
        assert main["type"] == "TextualBody"
        by_body[main["value"]] = annotation
    tagged = by_body["Check their partner list."]
    assert tagged["body"][1:] == [
        {"type": "TextualBody", "value": "sharing", "purpose": "tagging"},
        {"type": "TextualBody", "value": "ask", "purpose": "tagging"},
    ]
    quote, position = tagged["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == MOVED_QUOTE
    assert position["type"] == "TextPositionSelector"
    assert V1.text[position["start"] : position["end"]] == MOVED_QUOTE
    assert tagged["target"]["source"] == "/policies/larkspur.md"
    assert tagged["anchoring"] == "exact"
    assert isinstance(by_body["Which statistics?"]["body"], dict)
    assert by_body["Which statistics?"]["anchoring"] == "orphaned"
    assert by_body["Thirty days *seems* short."]["anchoring"] == "fuzzy"
    assert "selector" not in by_body["Overall: clearer than most."]["target"]


def test_export_then_import_gives_back_the_same_notes(notes: list[Note]) -> None:
    back = import_json(dumps_json(notes))
    strip = lambda n: replace(n, text_fingerprint=None)  # noqa: E731 - the file has the source
    assert sorted(map(strip, back), key=lambda n: n.id) == sorted(
        map(strip, notes), key=lambda n: n.id
    )


def test_import_reads_annotations_from_other_tools() -> None:
    foreign = {
        "type": "Annotation",
        "id": "https://annotations.example/a/abc123",
        "body": {"type": "TextualBody", "value": "Interesting."},
        "target": {
            "source": "https://larkspur.example/privacy",
            "selector": {"type": "TextQuoteSelector", "exact": MOVED_QUOTE},
        },
    }
    first, second = import_json(foreign)[0], import_json([foreign])[0]
    assert first.id == second.id  # importing twice is recognisably the same annotation
    assert first.body == "Interesting." and first.quote.exact == MOVED_QUOTE
    assert first.scope is NoteScope.PASSAGE and first.state is AnchorState.EXACT


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("{not json", "not JSON"),
        ('{"annotations": 3}', "list of annotations"),
        ('{"annotations": [{"type": "Note"}]}', "Annotation 1"),
        (
            '{"annotations": [{"type": "Annotation", "target": {"selector": '
            '{"type": "TextPositionSelector", "start": 1, "end": 4}}}]}',
            "TextQuoteSelector",
        ),
        (
            '{"annotations": [{"type": "Annotation", "anchoring": "lost", "target": "x"}]}',
            "anchoring state",
        ),
    ],
)
def test_bad_files_say_what_is_wrong(data: str, words: str) -> None:
    with pytest.raises(AnnotationFormatError, match=words):
        import_json(data)


def test_notes_group_by_section_in_reading_order(notes: list[Note]) -> None:
    groups = group_notes(notes)
    assert [(g.kind, g.title) for g in groups] == [
        ("document", None),
        ("section", "How We Use Information"),
        ("section", "Sharing"),
        ("orphaned", None),
    ]


def test_markdown_puts_each_note_under_its_quote(notes: list[Note]) -> None:
    text = export_markdown(notes, title=V1.title, source="larkspur.md")
    assert text.startswith("# Notes on Larkspur Maps Privacy Policy\n")
    order = [
        "## On the whole document",
        "Overall: clearer than most.",
        "## How We Use Information",
        f"> {FUZZY_QUOTE}",
        "Thirty days *seems* short.",
        "needs review",
        "## Sharing",
        f"> {MOVED_QUOTE}",
        "Check their partner list.",
        "*Tags: sharing, ask*",
        "## Orphaned notes",
        f"> {ORPHAN_QUOTE}",
        "Which statistics?",
        "was in: How We Use Information",
    ]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)


def test_markdown_escapes_quotes_but_keeps_the_readers_markdown() -> None:
    note = make_note(MOVED_QUOTE, "**Important**")
    note = replace(note, quote=replace(note.quote, exact="We [never] sell *data*"))
    text = export_markdown([note])
    assert r"> We \[never\] sell \*data\*" in text
    assert "**Important**" in text


def test_html_export_escapes_and_groups(notes: list[Note]) -> None:
    risky = make_note(MOVED_QUOTE, "<script>alert(1)</script>\n\nSecond paragraph.")
    page = export_html([*notes, risky], title="Larkspur & Co")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page and "<p>Second paragraph.</p>" in page
    assert "<h1>Notes on Larkspur &amp; Co</h1>" in page
    assert page.index("<h2>Sharing</h2>") < page.index(f"<blockquote><p>{MOVED_QUOTE}")
    assert page.index("<h2>Orphaned notes</h2>") > page.index("<h2>Sharing</h2>")


def test_export_json_is_in_reading_order(notes: list[Note]) -> None:
    bodies = [a["body"] for a in export_json(reversed(notes))["annotations"]]
    values = [b[0]["value"] if isinstance(b, list) else b["value"] for b in bodies]
    assert values[0] == "Overall: clearer than most." and values[-1] == "Which statistics?"
