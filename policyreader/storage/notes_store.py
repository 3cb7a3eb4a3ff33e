"""The notes store: documents known by fingerprint and path, notes saved at once, kept if not.

Every change is queued in memory first and then written in its own transaction; when the disk
is read-only or full the change stays queued (``NotSaved`` says so, with the note) and is written
by the next change or ``flush_pending()``. Reads show queued changes too, so the panel never
loses a note it was just given.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from policyreader.core.anchoring import (
    AnchorState,
    SectionSpan,
    TextPositionSelector,
    TextQuoteSelector,
    describe,
    reanchor,
    sections_of,
)
from policyreader.core.document import PolicyDocument, Section
from policyreader.core.fingerprint import fingerprint
from policyreader.core.notes import (
    Note,
    NoteScope,
    clean_tags,
    clip_body,
    in_reading_order,
    new_note_id,
    utc_now,
)
from policyreader.storage import documents
from policyreader.storage.db import Database, StorageError

_UNCHANGED: Any = object()
_NOTE_COLUMNS = (
    "id, document_id, scope, exact, prefix, suffix, pos_start, pos_end, section_title, body, "
    "tags, colour, state, text_fingerprint, created, updated, deleted"
)


class NotSaved(StorageError):
    """A change the database could not take now; ``note`` is kept in memory and retried."""

    def __init__(self, cause: StorageError, note: Note) -> None:
        super().__init__(cause.problem, cause.message, cause.path)
        self.note = note


@dataclass(frozen=True, slots=True)
class OpenedDocument:
    """A policy as the store knows it; pass it back to add and list notes."""

    fingerprint: str
    document: PolicyDocument = field(compare=False, repr=False)
    path: str | None = None
    document_id: int | None = None  # None while the database cannot be written
    new_version: bool = False
    previous_fingerprint: str | None = None

    @property
    def title(self) -> str | None:
        return self.document.title


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: tuple[Note, ...]
    skipped: int  # already present (same annotation id)

    @property
    def states(self) -> Counter[AnchorState]:
        return Counter(note.state for note in self.added)


@dataclass(slots=True)
class _Pending:
    note: Note
    deleted: str | None
    opened: OpenedDocument | None


class NotesStore:
    """Notes per document; built on a ``Database`` passed in (tests give one on ``tmp_path``)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.problem: StorageError | None = None
        self._pending: dict[str, _Pending] = {}
        # Texts opened in this session, by fingerprint: confirming an anchor needs the text.
        self._documents: dict[str, PolicyDocument] = {}
        self._section_cache: dict[str, list[SectionSpan]] = {}

    @classmethod
    def open(cls, path: os.PathLike[str] | str | None = None) -> NotesStore:
        return cls(Database.open(Path(path) if path is not None else None))

    @property
    def pending_count(self) -> int:
        return len(self._pending)

    # --- documents -------------------------------------------------------------------------------

    def open_document(
        self, document: PolicyDocument, path: os.PathLike[str] | str | None = None
    ) -> OpenedDocument:
        """Register the text and its path, and re-anchor its notes to this text (saved at once)."""
        shown_path = path if path is not None else document.path
        absolute = _absolute(shown_path) if shown_path else None
        text_fingerprint = fingerprint(document.text)
        self._documents[text_fingerprint] = document
        opened = OpenedDocument(text_fingerprint, document, absolute)
        try:
            with self.database.transaction() as connection:
                registration = documents.register(
                    connection,
                    text_fingerprint,
                    document.title,
                    absolute,
                    document.text,
                    utc_now(),
                    document.original,
                )
            opened = replace(
                opened,
                document_id=registration.document_id,
                new_version=registration.new_version,
                previous_fingerprint=registration.previous_fingerprint,
            )
            self._save_placements(opened)
        except StorageError as error:
            self.problem = error
            if opened.document_id is None:
                found = self._document_id_read_only(text_fingerprint, absolute)
                opened = replace(opened, document_id=found)
            return opened
        self.problem = None
        self.flush_pending(quiet=True)
        return opened

    def link_documents(self, keep: OpenedDocument | int, merge: OpenedDocument | int) -> None:
        """The reader says two documents are one: all versions and notes go to ``keep``.

        ``keep`` is the newer version: the library opens its file from now on.
        """
        keep_id, merge_id = _document_id(keep), _document_id(merge)
        with self.database.transaction() as connection:
            documents.link(connection, keep_id, merge_id, utc_now())
        # Queued changes name the merged document, which no longer exists.
        for pending in self._pending.values():
            if pending.note.document_id == merge_id:
                pending.note = replace(pending.note, document_id=keep_id)

    def unlink(self, link_id: int) -> int | None:
        """Undo a link made by hand; returns the document brought back (None: no such link)."""
        with self.database.transaction() as connection:
            return documents.unlink(connection, link_id)

    # --- reading ---------------------------------------------------------------------------------

    def notes_for(self, opened: OpenedDocument, include_deleted: bool = False) -> list[Note]:
        """The document's notes in reading order, placed in this text (queued changes included)."""
        notes: dict[str, Note] = {}
        deleted: set[str] = set()
        if opened.document_id is not None:
            try:
                rows = self.database.query(
                    f"SELECT {_NOTE_COLUMNS} FROM notes WHERE document_id = ?",
                    (opened.document_id,),
                )
            except StorageError as error:
                self.problem = error
                rows = []
            for row in rows:
                notes[row["id"]] = note_from_row(row)
                if row["deleted"]:
                    deleted.add(row["id"])
        for pending in self._pending.values():
            if self._belongs(pending, opened):
                notes[pending.note.id] = pending.note
                deleted.discard(pending.note.id)
                if pending.deleted:
                    deleted.add(pending.note.id)
        if not include_deleted:
            notes = {key: note for key, note in notes.items() if key not in deleted}
        placed = [self._placed(note, opened) for note in notes.values()]
        return in_reading_order(placed)

    def get_note(self, note_id: str) -> Note | None:
        """The note with this id, deleted or not, queued or saved."""
        if note_id in self._pending:
            return self._pending[note_id].note
        rows = self.database.query(f"SELECT {_NOTE_COLUMNS} FROM notes WHERE id = ?", (note_id,))
        return note_from_row(rows[0]) if rows else None

    def is_deleted(self, note_id: str) -> bool:
        if note_id in self._pending:
            return self._pending[note_id].deleted is not None
        rows = self.database.query("SELECT deleted FROM notes WHERE id = ?", (note_id,))
        return bool(rows and rows[0]["deleted"])

    # --- changing --------------------------------------------------------------------------------

    def add_note(
        self,
        opened: OpenedDocument,
        start: int,
        end: int,
        body: str = "",
        tags: Iterable[str] = (),
        colour: str | None = None,
        scope: NoteScope = NoteScope.PASSAGE,
    ) -> Note:
        """A note on ``text[start:end]`` (a passage, or a section's heading for ``SECTION``)."""
        document = opened.document
        if scope is NoteScope.DOCUMENT:
            start = end = 0
        elif end <= start:
            raise ValueError("a passage note needs a non-empty range")
        anchor = describe(document.text, start, end, sections_of(document))
        now = utc_now()
        note = Note(
            id=new_note_id(),
            quote=anchor.quote,
            position=anchor.position,
            body=clip_body(body),
            tags=clean_tags(tags),
            colour=colour,
            section_title=anchor.section_title,
            scope=scope,
            state=AnchorState.EXACT,
            created=now,
            updated=now,
            text_fingerprint=opened.fingerprint,
            document_id=opened.document_id,
        )
        return self._save(note, None, opened)

    def add_section_note(
        self, opened: OpenedDocument, section: Section, body: str = "", **kw: Any
    ) -> Note:
        """A note on a whole section, anchored to its heading."""
        heading = opened.document.blocks[section.block_index]
        return self.add_note(
            opened, heading.start, heading.end, body, scope=NoteScope.SECTION, **kw
        )

    def add_document_note(self, opened: OpenedDocument, body: str = "", **kw: Any) -> Note:
        return self.add_note(opened, 0, 0, body, scope=NoteScope.DOCUMENT, **kw)

    def update_note(
        self,
        note_id: str,
        *,
        body: str | None = None,
        tags: Iterable[str] | None = None,
        colour: str | None = _UNCHANGED,
    ) -> Note:
        note = self._existing(note_id)
        changed = replace(
            note,
            body=note.body if body is None else clip_body(body),
            tags=note.tags if tags is None else clean_tags(tags),
            colour=note.colour if colour is _UNCHANGED else colour,
            updated=utc_now(),
        )
        return self._save(changed, self._deleted_mark(note_id))

    def delete_note(self, note_id: str) -> Note:
        """Mark deleted (kept for ``restore_note``, the undo); returns the note as it was."""
        note = self._existing(note_id)
        self._save(note, utc_now())
        return note

    def restore_note(self, note_id: str) -> Note:
        return self._save(self._existing(note_id), None)

    def confirm_anchor(self, note_id: str) -> Note:
        """The reader agrees the passage now found is the one meant: quote it afresh, ``exact``."""
        note = self._existing(note_id)
        if note.scope is NoteScope.DOCUMENT:
            return note
        if note.state is AnchorState.ORPHANED:
            raise ValueError("an orphaned note has no passage to confirm")
        document = self._documents.get(note.text_fingerprint or "")
        if document is not None:
            text, sections = document.text, sections_of(document)
        else:
            text, sections = self._stored_text(note.text_fingerprint), []
        start, end = note.position.start, note.position.end
        anchor = describe(text, start, end, sections)
        confirmed = replace(
            note,
            quote=anchor.quote,
            state=AnchorState.EXACT,
            section_title=anchor.section_title or note.section_title,
            updated=utc_now(),
        )
        return self._save(confirmed, self._deleted_mark(note_id))

    def import_notes(self, opened: OpenedDocument, notes: Iterable[Note]) -> ImportReport:
        """Add notes from elsewhere (a file, a review bundle), anchored to this text at once.

        All are written in one transaction: either every note is saved or, with ``NotSaved``,
        none is (they stay queued for the UI). A note already on this document (same id) is
        skipped, so importing the same file twice adds nothing; one kept on another document
        is added here as a copy with an id of its own.
        """
        added: list[Note] = []
        skipped = 0
        sections = self._sections(opened)
        for note in notes:
            if self._known(note.id) and not self._live_on(note.id, opened.document_id):
                # The copy's id follows from the note's and the document's: a second import
                # of the same file finds it.
                note = replace(note, id=_copy_id(note.id, opened.document_id))
            if self._known(note.id):
                if self._live_on(note.id, opened.document_id):
                    skipped += 1
                    continue
                note = replace(note, id=new_note_id())
            result = reanchor(opened.document.text, note.anchor, sections)
            placed = replace(
                note.reanchored(result, opened.fingerprint), document_id=opened.document_id
            )
            added.append(placed)
            self._pending[placed.id] = _Pending(placed, None, opened)
        if added:
            try:
                with self.database.transaction() as connection:
                    for note in added:
                        self._write(connection, self._pending[note.id])
            except StorageError as error:
                self.problem = error
                raise NotSaved(error, added[0]) from error
            for note in added:
                del self._pending[note.id]
        self.flush_pending(quiet=True)
        return ImportReport(tuple(added), skipped)

    def flush_pending(self, quiet: bool = False) -> int:
        """Write the queued changes in order; returns how many were written.

        Raises ``NotSaved`` for the first that still cannot be written unless ``quiet``.
        """
        written = 0
        for note_id in list(self._pending):
            pending = self._pending[note_id]
            try:
                with self.database.transaction() as connection:
                    self._write(connection, pending)
            except StorageError as error:
                self.problem = error
                if quiet:
                    return written
                raise NotSaved(error, pending.note) from error
            del self._pending[note_id]
            written += 1
        self.problem = None
        return written

    # --- internals -------------------------------------------------------------------------------

    def _save(self, note: Note, deleted: str | None, opened: OpenedDocument | None = None) -> Note:
        previous = self._pending.get(note.id)
        opened = opened or (previous.opened if previous else None)
        self._pending[note.id] = _Pending(note, deleted, opened)
        try:
            self.flush_pending()
        except NotSaved as error:
            raise NotSaved(error, note) from error.__cause__
        return note

    def _write(self, connection: sqlite3.Connection, pending: _Pending) -> None:
        note = pending.note
        document_id = note.document_id
        if document_id is None and pending.opened is not None:
            document_id = self._register(connection, pending.opened)
        if document_id is None:
            raise ValueError(f"note {note.id} has no document")
        write_note(connection, replace(note, document_id=document_id), pending.deleted)

    @staticmethod
    def _register(connection: sqlite3.Connection, opened: OpenedDocument) -> int:
        found = documents.document_id_for(connection, opened.fingerprint)
        if found is not None:
            return found
        document = opened.document
        return documents.register(
            connection,
            opened.fingerprint,
            document.title,
            opened.path,
            document.text,
            utc_now(),
            document.original,
        ).document_id

    def _save_placements(self, opened: OpenedDocument) -> None:
        """Re-anchor the notes last placed in another text and save where they are now.

        The searching happens outside the transaction, so a second instance is not kept
        waiting; only the anchoring columns are written, so an edit it made meanwhile stays.
        """
        rows = self.database.query(
            f"SELECT {_NOTE_COLUMNS} FROM notes WHERE document_id = ? AND "
            "(text_fingerprint IS NULL OR text_fingerprint != ?)",
            (opened.document_id, opened.fingerprint),
        )
        if not rows:
            return
        placed = [self._placed(note_from_row(row), opened) for row in rows]
        with self.database.transaction() as connection:
            connection.executemany(
                "UPDATE notes SET pos_start = ?, pos_end = ?, state = ?, section_title = ?, "
                "text_fingerprint = ? WHERE id = ?",
                [
                    (
                        n.position.start,
                        n.position.end,
                        n.state.value,
                        n.section_title,
                        n.text_fingerprint,
                        n.id,
                    )
                    for n in placed
                ],
            )

    def _placed(self, note: Note, opened: OpenedDocument) -> Note:
        """The note as it sits in this text: re-anchored if it was last placed in another."""
        if note.text_fingerprint == opened.fingerprint:
            return note
        result = reanchor(opened.document.text, note.anchor, self._sections(opened))
        return note.reanchored(result, opened.fingerprint)

    def _sections(self, opened: OpenedDocument) -> list[SectionSpan]:
        cached = self._section_cache.get(opened.fingerprint)
        if cached is None:
            cached = self._section_cache[opened.fingerprint] = sections_of(opened.document)
        return cached

    def _belongs(self, pending: _Pending, opened: OpenedDocument) -> bool:
        note = pending.note
        if note.document_id is not None and note.document_id == opened.document_id:
            return True
        return pending.opened is not None and pending.opened.fingerprint == opened.fingerprint

    def _existing(self, note_id: str) -> Note:
        note = self.get_note(note_id)
        if note is None:
            raise KeyError(f"no note {note_id}")
        return note

    def _live_on(self, note_id: str, document_id: int | None) -> bool:
        """Whether the note with this id is a live note of ``document_id``."""
        try:
            existing = self.get_note(note_id)
            deleted = self.is_deleted(note_id)
        except StorageError:
            return False
        return existing is not None and not deleted and existing.document_id == document_id

    def _known(self, note_id: str) -> bool:
        try:
            return self.get_note(note_id) is not None
        except StorageError:
            return note_id in self._pending

    def _deleted_mark(self, note_id: str) -> str | None:
        if note_id in self._pending:
            return self._pending[note_id].deleted
        rows = self.database.query("SELECT deleted FROM notes WHERE id = ?", (note_id,))
        return rows[0]["deleted"] if rows else None

    def _document_id_read_only(self, text_fingerprint: str, path: str | None) -> int | None:
        """The document as far as a database that cannot be written says: by text, else path."""
        try:
            rows = self.database.query(
                "SELECT document_id FROM versions WHERE fingerprint = ?", (text_fingerprint,)
            )
            if not rows and path:
                rows = self.database.query(
                    "SELECT v.document_id FROM paths p JOIN versions v ON v.id = p.version_id "
                    "WHERE p.path = ? ORDER BY p.last_seen DESC LIMIT 1",
                    (path,),
                )
        except StorageError:
            return None
        return rows[0][0] if rows else None

    def _stored_text(self, text_fingerprint: str | None) -> str:
        rows = self.database.query(
            "SELECT text FROM versions WHERE fingerprint = ?", (text_fingerprint,)
        )
        if not rows or rows[0][0] is None:
            raise ValueError("the text this note was placed in is not known")
        return documents.decompress(rows[0][0])


def _document_id(value: OpenedDocument | int) -> int:
    if isinstance(value, int):
        return value
    if value.document_id is None:
        raise ValueError("the document is not saved yet")
    return value.document_id


def note_from_row(row: sqlite3.Row | Sequence[Any]) -> Note:
    return Note(
        id=row["id"],
        quote=TextQuoteSelector(row["exact"], row["prefix"], row["suffix"]),
        position=TextPositionSelector(row["pos_start"], row["pos_end"]),
        body=row["body"],
        tags=tuple(json.loads(row["tags"])),
        colour=row["colour"],
        section_title=row["section_title"],
        scope=NoteScope(row["scope"]),
        state=AnchorState(row["state"]),
        created=row["created"],
        updated=row["updated"],
        text_fingerprint=row["text_fingerprint"],
        document_id=row["document_id"],
    )


def write_note(connection: sqlite3.Connection, note: Note, deleted: str | None) -> None:
    """Insert or replace the whole row: a queued change always carries the note's full state."""
    connection.execute(
        f"INSERT OR REPLACE INTO notes ({_NOTE_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            note.id,
            note.document_id,
            note.scope.value,
            note.quote.exact,
            note.quote.prefix,
            note.quote.suffix,
            note.position.start,
            note.position.end,
            note.section_title,
            note.body,
            json.dumps(list(note.tags), ensure_ascii=False),
            note.colour,
            note.state.value,
            note.text_fingerprint,
            note.created,
            note.updated,
            deleted,
        ),
    )


def _copy_id(note_id: str, document_id: int | None) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"policyreader:{note_id}:{document_id}").hex


def _absolute(path: os.PathLike[str] | str) -> str:
    """A file's absolute path; a web address is kept as it is (its snapshots are its versions)."""
    text = os.fspath(path)
    if text.lower().startswith(("http://", "https://")):
        return text
    return os.path.abspath(text)
