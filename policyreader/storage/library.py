"""The library: every document the reader has notes on, its versions, and search across notes."""

from __future__ import annotations

from dataclasses import dataclass

from policyreader.core.document import Original
from policyreader.core.notes import Note
from policyreader.storage.db import Database
from policyreader.storage.documents import ORIGINAL_QUERY, decompress, original_from_row
from policyreader.storage.notes_store import note_from_row

_NOTE_COLUMNS = (
    "n.id, n.document_id, n.scope, n.exact, n.prefix, n.suffix, n.pos_start, n.pos_end, "
    "n.section_title, n.body, n.tags, n.colour, n.state, n.text_fingerprint, n.created, "
    "n.updated, n.deleted"
)


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    id: int
    title: str | None
    last_opened: str
    note_count: int
    paths: tuple[str, ...]
    versions: int


@dataclass(frozen=True, slots=True)
class VersionSummary:
    fingerprint: str
    title: str | None
    first_seen: str
    last_opened: str
    paths: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LinkSummary:
    """A link the reader made by hand: what was joined to the policy, and when."""

    id: int
    title: str | None
    created: str
    versions: int


@dataclass(frozen=True, slots=True)
class NoteHit:
    document_id: int
    document_title: str | None
    note: Note


class Library:
    def __init__(self, database: Database) -> None:
        self.database = database

    def documents(self, with_notes_only: bool = True) -> list[DocumentSummary]:
        """Documents, most recently opened first, with their live note counts and paths."""
        rows = self.database.query(
            "SELECT d.id, d.title, d.last_opened, "
            "(SELECT COUNT(*) FROM notes n WHERE n.document_id = d.id AND n.deleted IS NULL) "
            "AS note_count, "
            "(SELECT COUNT(*) FROM versions v WHERE v.document_id = d.id) AS version_count "
            "FROM documents d ORDER BY d.last_opened DESC, d.id DESC"
        )
        summaries = []
        for row in rows:
            if with_notes_only and not row["note_count"]:
                continue
            paths = self.database.query(
                "SELECT p.path FROM paths p JOIN versions v ON v.id = p.version_id "
                "WHERE v.document_id = ? GROUP BY p.path ORDER BY MAX(p.last_seen) DESC",
                (row["id"],),
            )
            summaries.append(
                DocumentSummary(
                    id=row["id"],
                    title=row["title"],
                    last_opened=row["last_opened"],
                    note_count=row["note_count"],
                    paths=tuple(p[0] for p in paths),
                    versions=row["version_count"],
                )
            )
        return summaries

    def versions(self, document_id: int) -> list[VersionSummary]:
        rows = self.database.query(
            "SELECT v.fingerprint, v.title, v.first_seen, v.last_opened, "
            "GROUP_CONCAT(p.path, char(10)) AS paths FROM versions v "
            "LEFT JOIN paths p ON p.version_id = v.id WHERE v.document_id = ? "
            "GROUP BY v.id ORDER BY v.first_seen, v.id",
            (document_id,),
        )
        return [
            VersionSummary(
                row["fingerprint"],
                row["title"],
                row["first_seen"],
                row["last_opened"],
                tuple(row["paths"].split("\n")) if row["paths"] else (),
            )
            for row in rows
        ]

    def links(self, document_id: int) -> list[LinkSummary]:
        """The links made by hand into this document, the latest first (the one to undo)."""
        rows = self.database.query(
            "SELECT id, merged_title, created, json_array_length(version_ids) FROM links "
            "WHERE keep_id = ? ORDER BY id DESC",
            (document_id,),
        )
        return [LinkSummary(row[0], row[1], row[2], row[3]) for row in rows]

    def version_text(self, fingerprint: str) -> str | None:
        """The text of a version as it was when opened, for comparing it with a newer one."""
        rows = self.database.query(
            "SELECT text FROM versions WHERE fingerprint = ?", (fingerprint,)
        )
        return decompress(rows[0][0]) if rows and rows[0][0] is not None else None

    def version_original(self, fingerprint: str) -> Original | None:
        """The bytes a version was read from; None for a version kept before originals were."""
        rows = self.database.query(ORIGINAL_QUERY, (fingerprint,))
        return original_from_row(rows[0][0], rows[0][1]) if rows else None

    def search(self, query: str, limit: int = 200) -> list[NoteHit]:
        """Notes of all documents whose text, quote or tags contain every word of ``query``."""
        words = query.split()
        if not words:
            return []
        clauses = []
        parameters: list[object] = []
        for word in words:
            pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            clauses.append(
                "(n.body LIKE ? ESCAPE '\\' OR n.exact LIKE ? ESCAPE '\\' "
                "OR n.tags LIKE ? ESCAPE '\\' OR n.section_title LIKE ? ESCAPE '\\')"
            )
            parameters += [pattern] * 4
        rows = self.database.query(
            f"SELECT {_NOTE_COLUMNS}, d.title AS document_title FROM notes n "
            "JOIN documents d ON d.id = n.document_id "
            f"WHERE n.deleted IS NULL AND {' AND '.join(clauses)} "
            "ORDER BY d.last_opened DESC, n.pos_start LIMIT ?",
            (*parameters, limit),
        )
        return [
            NoteHit(row["document_id"], row["document_title"], note_from_row(row)) for row in rows
        ]
