"""Notes out and in: W3C Web Annotation JSON (export and import), Markdown and HTML (export)."""

from __future__ import annotations

import html
import json
import os
import re
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from policyreader.core.anchoring import AnchorState, TextPositionSelector, TextQuoteSelector
from policyreader.core.bounded_json import UntrustedJsonError, loads_bounded
from policyreader.core.errors import PolicyLoadError
from policyreader.core.notes import (
    MAX_NOTE_CHARS,
    Note,
    NoteGroup,
    NoteScope,
    clean_tags,
    group_notes,
    new_note_id,
    utc_now,
)
from policyreader.core.safe_files import MAX_FILE_BYTES, read_user_file

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
_URN_UUID = "urn:uuid:"
# What a reader of an export needs to know; a passage that only moved needs no remark.
_STATE_WORDS = {
    AnchorState.EXACT: "",
    AnchorState.MOVED: "",
    AnchorState.FUZZY: "needs review: the passage has changed",
    AnchorState.ORPHANED: "passage no longer found",
}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<])")


class AnnotationFormatError(ValueError):
    """A file that is not Web Annotation JSON as policyreader reads it; the message says where.

    It is the only error ``import_json`` and ``read_notes_file`` let escape.
    """


# What reading one untrusted annotation may trip over; each becomes an AnnotationFormatError.
_MALFORMED = (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError)


def read_notes_file(path: str | os.PathLike[str]) -> list[Note]:
    """Notes from the JSON file at ``path``, read capped and never blocking."""
    try:
        data = read_user_file(path, MAX_FILE_BYTES)
    except PolicyLoadError as error:
        raise AnnotationFormatError(f"The file cannot be read: {error}") from None
    return import_json(data)


# --- W3C Web Annotation JSON ---------------------------------------------------------------------


def to_web_annotation(note: Note, source: str | None = None) -> dict[str, Any]:
    """One note as a W3C ``Annotation``; positions index the text ``inspect --json`` prints."""
    text_body = {
        "type": "TextualBody",
        "value": note.body,
        "format": "text/plain",
        "purpose": "commenting",
    }
    tag_bodies = [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in note.tags]
    target: dict[str, Any] = {"source": source or note.text_fingerprint or ""}
    if note.scope is not NoteScope.DOCUMENT:
        target["selector"] = [note.quote.to_json(), note.position.to_json()]
    annotation: dict[str, Any] = {
        "@context": W3C_CONTEXT,
        "id": _URN_UUID + str(uuid.UUID(hex=note.id)),
        "type": "Annotation",
        "created": note.created,
        "modified": note.updated,
        "body": [text_body, *tag_bodies] if tag_bodies else text_body,
        "target": target,
        "anchoring": note.state.value,
        "scope": note.scope.value,
        "section": note.section_title,
    }
    if note.colour:
        annotation["colour"] = note.colour
    return annotation


def export_json(notes: Iterable[Note], source: str | None = None) -> dict[str, Any]:
    """``{"annotations": [...]}`` in reading order."""
    return {"annotations": [to_web_annotation(n, source) for n in _ordered(notes)]}


def dumps_json(notes: Iterable[Note], source: str | None = None) -> str:
    return json.dumps(export_json(notes, source), ensure_ascii=False, indent=2) + "\n"


def import_json(data: str | bytes | dict[str, Any] | list[Any]) -> list[Note]:
    """Notes from Web Annotation JSON: ``{"annotations": [...]}``, a bare list, or one annotation.

    The notes keep their ids, quotes, positions and states as written; anchoring them to the
    reader's current text is the caller's step.
    """
    if isinstance(data, str | bytes):
        try:
            data = loads_bounded(data, MAX_FILE_BYTES)
        except UntrustedJsonError as error:
            raise AnnotationFormatError(f"The file cannot be read: {error}.") from None
    items: Any
    if isinstance(data, dict) and "annotations" in data:
        items = data["annotations"]
    elif isinstance(data, dict) and _is_annotation(data):
        items = [data]
    else:
        items = data
    if not isinstance(items, list):
        raise AnnotationFormatError('Expected {"annotations": [...]} with a list of annotations.')
    notes = []
    for index, item in enumerate(items, 1):
        try:
            notes.append(from_web_annotation(item))
        except _MALFORMED as error:
            raise AnnotationFormatError(f"Annotation {index} cannot be read: {error}") from None
    return notes


def from_web_annotation(data: Any) -> Note:
    if not isinstance(data, dict) or not _is_annotation(data):
        raise ValueError('it is not an object with "type": "Annotation"')
    body, tags = _bodies(data.get("body"))
    if len(body) > MAX_NOTE_CHARS:
        raise ValueError(f"its text is over {MAX_NOTE_CHARS:,} characters, the most a note holds")
    scope, quote, position = _target(data.get("target"))
    declared_scope = data.get("scope")
    if declared_scope in (NoteScope.SECTION.value,) and scope is NoteScope.PASSAGE:
        scope = NoteScope.SECTION
    state = data.get("anchoring", AnchorState.EXACT.value)
    try:
        anchoring = AnchorState(state)
    except ValueError:
        raise ValueError(f"unknown anchoring state {state!r}") from None
    created = _text_or(data.get("created"), "") or utc_now()
    section = data.get("section")
    colour = data.get("colour")
    return Note(
        id=_note_id(data.get("id")),
        quote=quote,
        position=position,
        body=body,
        tags=tags,
        colour=colour if isinstance(colour, str) and colour else None,
        section_title=section if isinstance(section, str) else None,
        scope=scope,
        state=anchoring,
        created=created,
        updated=_text_or(data.get("modified"), "") or created,
    )


def _is_annotation(data: dict[str, Any]) -> bool:
    kind = data.get("type")
    return kind == "Annotation" or (isinstance(kind, list) and "Annotation" in kind)


def _bodies(raw: Any) -> tuple[str, tuple[str, ...]]:
    """The commenting body's text and the tagging bodies' values."""
    if raw is None:
        return "", ()
    bodies = raw if isinstance(raw, list) else [raw]
    texts: list[str] = []
    tags: list[str] = []
    for body in bodies:
        if isinstance(body, str):
            texts.append(body)
            continue
        if not isinstance(body, dict):
            raise ValueError("a body must be an object or a string")
        value = body.get("value", "")
        if not isinstance(value, str):
            raise ValueError("a TextualBody needs a string value")
        (tags if body.get("purpose") == "tagging" else texts).append(value)
    return "\n\n".join(t for t in texts if t), clean_tags(tags)


def _target(raw: Any) -> tuple[NoteScope, TextQuoteSelector, TextPositionSelector]:
    whole = (NoteScope.DOCUMENT, TextQuoteSelector(""), TextPositionSelector(0, 0))
    if isinstance(raw, list):
        raw = raw[0] if raw else None
    if raw is None or isinstance(raw, str):
        return whole
    if not isinstance(raw, dict):
        raise ValueError("the target must be an object")
    selectors = raw.get("selector") or []
    if isinstance(selectors, dict):
        selectors = [selectors]
    if not isinstance(selectors, list):
        raise ValueError("the selector must be an object or a list")
    quote = position = None
    for selector in selectors:
        if not isinstance(selector, dict):
            raise ValueError("each selector must be an object")
        if selector.get("type") == "TextQuoteSelector":
            quote = TextQuoteSelector.from_json(selector)
        elif selector.get("type") == "TextPositionSelector":
            position = TextPositionSelector.from_json(selector)
    if quote is None:
        if position is None:
            return whole
        raise ValueError("a TextPositionSelector without a TextQuoteSelector cannot be re-anchored")
    if not quote.exact:
        return whole
    if position is None:
        position = TextPositionSelector(0, len(quote.exact))
    return NoteScope.PASSAGE, quote, position


def _note_id(raw: Any) -> str:
    """Our own ``urn:uuid:`` ids come back unchanged; others map to a stable id of their own."""
    if not isinstance(raw, str) or not raw:
        return new_note_id()
    text = raw[len(_URN_UUID) :] if raw.startswith(_URN_UUID) else raw
    try:
        return uuid.UUID(text).hex
    except ValueError:
        return uuid.uuid5(uuid.NAMESPACE_URL, raw).hex


def _text_or(value: Any, default: str) -> str:
    return value if isinstance(value, str) else default


def _ordered(notes: Iterable[Note]) -> list[Note]:
    return [note for group in group_notes(notes) for note in group.notes]


# --- Markdown ------------------------------------------------------------------------------------


def export_markdown(
    notes: Iterable[Note],
    title: str | None = None,
    source: str | None = None,
    text: str | None = None,
) -> str:
    """Notes grouped by section, each under its quote; orphaned notes last with their old quote.

    With the document's current ``text``, a fuzzy note quotes the passage as it reads now and
    says what it read when the note was written.
    """
    groups = group_notes(notes)
    count = sum(len(g.notes) for g in groups)
    lines = [f"# Notes on {_md_inline(title or 'an untitled policy')}", ""]
    facts = [f"{count} note{'s' if count != 1 else ''}"]
    if source:
        facts.insert(0, f"Source: `{source}`")
    lines += [" · ".join(facts), ""]
    for group in groups:
        lines += [f"## {_md_inline(_group_heading(group))}", ""]
        if group.kind == "orphaned":
            lines += ["*These passages are no longer in the text; each note keeps its quote.*", ""]
        for index, note in enumerate(group.notes):
            if index:
                lines += ["---", ""]  # a rule between notes of one section, not after the last
            lines += _markdown_note(note, text)
    return "\n".join(lines).rstrip() + "\n"


def _markdown_note(note: Note, text: str | None) -> list[str]:
    lines: list[str] = []
    if note.scope is NoteScope.SECTION:
        lines += ["*On the whole section.*", ""]
    elif note.scope is NoteScope.PASSAGE:
        quoted = _current_passage(note, text)
        lines += [f"> {_md_inline(line)}" if line else ">" for line in quoted.split("\n")]
        lines.append("")
    lines += [note.body.strip() or "*(no text)*", ""]
    details = _details(note, text)
    if details:
        lines += [" · ".join(f"*{_md_inline(d)}*" for d in details), ""]
    return lines


def _md_inline(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


# --- HTML ----------------------------------------------------------------------------------------

_HTML_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46em; margin: 2em auto; padding: 0 1em;
       color: #1d1d1f; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
.note { margin: 1.2em 0; padding-left: .8em; border-left: 4px solid var(--colour, #c9a227); }
blockquote { margin: 0 0 .5em; color: #444; font-style: italic; }
.details { font-size: .85em; color: #666; }
.state { background: #fff3cd; padding: 0 .3em; border-radius: 3px; }
"""


def export_html(
    notes: Iterable[Note],
    title: str | None = None,
    source: str | None = None,
    text: str | None = None,
) -> str:
    """A standalone HTML page with the same structure as the Markdown export."""
    groups = group_notes(notes)
    heading = f"Notes on {title or 'an untitled policy'}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(heading)}</title><style>{_HTML_STYLE}</style></head><body>",
        f"<h1>{html.escape(heading)}</h1>",
    ]
    if source:
        parts.append(f"<p>Source: <code>{html.escape(source)}</code></p>")
    for group in groups:
        parts.append(f"<h2>{html.escape(_group_heading(group))}</h2>")
        parts += [_html_note(note, text) for note in group.notes]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html_note(note: Note, text: str | None) -> str:
    style = f' style="--colour: {html.escape(note.colour)}"' if note.colour else ""
    parts = [f'<div class="note" id="note-{note.id}"{style}>']
    if note.scope is NoteScope.PASSAGE:
        quoted = _current_passage(note, text)
        parts.append(f"<blockquote>{_html_paragraphs(quoted)}</blockquote>")
    elif note.scope is NoteScope.SECTION:
        parts.append("<p><em>On the whole section.</em></p>")
    parts.append(_html_paragraphs(note.body.strip() or "(no text)"))
    details = _details(note, text)
    if details:
        words = [
            f'<span class="state">{html.escape(d)}</span>'
            if d.startswith(_STATE_WORDS[AnchorState.FUZZY])
            else html.escape(d)
            for d in details
        ]
        parts.append(f'<p class="details">{" · ".join(words)}</p>')
    parts.append("</div>")
    return "\n".join(parts)


def _html_paragraphs(text: str) -> str:
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)


# --- shared wording ------------------------------------------------------------------------------


def _group_heading(group: NoteGroup) -> str:
    if group.kind == "document":
        return "On the whole document"
    if group.kind == "orphaned":
        return "Orphaned notes"
    return group.title or "Before the first section"


def _current_passage(note: Note, text: str | None) -> str:
    """The passage as the text reads now when known (fuzzy notes), else the note's quote."""
    if text is not None and note.state is AnchorState.FUZZY:
        return text[note.position.start : note.position.end]
    return note.quote.exact


def _details(note: Note, text: str | None = None) -> Sequence[str]:
    details = []
    if note.tags:
        details.append("Tags: " + ", ".join(note.tags))
    state = _STATE_WORDS[note.state]
    if state and note.state is not AnchorState.ORPHANED:
        if note.state is AnchorState.FUZZY and _current_passage(note, text) != note.quote.exact:
            state += f"; it read “{note.quote.exact}”"
        details.append(state)
    if note.is_orphaned and note.section_title:
        details.append(f"was in: {note.section_title}")
    return details
