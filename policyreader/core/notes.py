"""The note model: a reader's comment anchored to a passage, a section or the whole document."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum

from policyreader.core.anchoring import (
    Anchor,
    Anchoring,
    AnchorState,
    TextPositionSelector,
    TextQuoteSelector,
)

# A note is a reader's remark, not a document: 100,000 characters is a long essay.
MAX_NOTE_CHARS = 100_000


class NoteScope(StrEnum):
    PASSAGE = "passage"
    SECTION = "section"
    DOCUMENT = "document"


@dataclass(frozen=True, slots=True)
class Note:
    """One note. ``quote`` is the passage as it read when the note was written (or confirmed);
    ``position`` and ``state`` say where it is in the text fingerprinted ``text_fingerprint``."""

    id: str
    quote: TextQuoteSelector
    position: TextPositionSelector
    body: str = ""
    tags: tuple[str, ...] = ()
    colour: str | None = None
    section_title: str | None = None
    scope: NoteScope = NoteScope.PASSAGE
    state: AnchorState = AnchorState.EXACT
    created: str = ""
    updated: str = ""
    text_fingerprint: str | None = None
    document_id: int | None = None

    @property
    def anchor(self) -> Anchor:
        return Anchor(self.quote, self.position, self.section_title)

    @property
    def is_orphaned(self) -> bool:
        return self.state is AnchorState.ORPHANED

    def reanchored(self, result: Anchoring, text_fingerprint: str) -> Note:
        """This note placed by ``result`` in the text ``text_fingerprint``; its quote is kept.

        An orphaned note keeps its last known position: it is a hint for the next search and
        what the export reports, never a claim that the passage is there.
        """
        position = self.position
        if result.start is not None and result.end is not None:
            position = TextPositionSelector(result.start, result.end)
        return replace(
            self,
            position=position,
            state=result.state,
            section_title=result.section_title or self.section_title,
            text_fingerprint=text_fingerprint,
        )


def new_note_id() -> str:
    return uuid.uuid4().hex


def utc_now() -> str:
    """An ISO 8601 UTC timestamp with milliseconds, as W3C ``created``/``modified`` expect."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def clip_body(body: str) -> str:
    """A note's text as it is kept: at most ``MAX_NOTE_CHARS`` characters."""
    return body[:MAX_NOTE_CHARS]


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags trimmed, without empties or repeats (compared case-insensitively), order kept."""
    seen: set[str] = set()
    kept: list[str] = []
    for tag in tags:
        tag = " ".join(tag.split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            kept.append(tag)
    return tuple(kept)


def reading_order_key(note: Note) -> tuple[int, int, int, str]:
    """Whole-document notes first, then by position, orphaned notes last."""
    return (
        0 if note.scope is NoteScope.DOCUMENT else 1,
        1 if note.is_orphaned else 0,
        note.position.start,
        note.created,
    )


def in_reading_order(notes: Iterable[Note]) -> list[Note]:
    return sorted(notes, key=reading_order_key)


@dataclass(frozen=True, slots=True)
class NoteGroup:
    """Consecutive notes in reading order that share a heading in the panel and the exports."""

    kind: str  # "document", "section" or "orphaned"
    title: str | None
    notes: tuple[Note, ...]


def group_notes(notes: Iterable[Note]) -> list[NoteGroup]:
    """Whole-document notes, then notes grouped by their section in order, then orphaned ones."""
    ordered = in_reading_order(notes)
    groups: list[NoteGroup] = []
    document = tuple(n for n in ordered if n.scope is NoteScope.DOCUMENT)
    if document:
        groups.append(NoteGroup("document", None, document))
    current: list[Note] = []
    title: str | None = None
    for note in ordered:
        if note.scope is NoteScope.DOCUMENT or note.is_orphaned:
            continue
        if current and note.section_title != title:
            groups.append(NoteGroup("section", title, tuple(current)))
            current = []
        title = note.section_title
        current.append(note)
    if current:
        groups.append(NoteGroup("section", title, tuple(current)))
    orphaned = tuple(n for n in ordered if n.is_orphaned and n.scope is not NoteScope.DOCUMENT)
    if orphaned:
        groups.append(NoteGroup("orphaned", None, orphaned))
    return groups
