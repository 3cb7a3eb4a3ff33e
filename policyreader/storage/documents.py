"""Document identity: one fingerprint per text version, every path it was opened from, links."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from dataclasses import dataclass

from policyreader.core.document import Original


@dataclass(frozen=True, slots=True)
class Registration:
    """What opening a text told us: which document it is and whether its text is new there."""

    document_id: int
    version_id: int
    # True when this text is new but its path was known with another text: a new version.
    new_version: bool
    previous_fingerprint: str | None


def register(
    connection: sqlite3.Connection,
    fingerprint: str,
    title: str | None,
    path: str | None,
    text: str,
    now: str,
    original: Original | None = None,
) -> Registration:
    """Find or create the document for this text, inside the caller's transaction.

    The same text anywhere (moved, renamed, copied) is the same version; a new text at a known
    path is a new version of the document last seen there; anything else is a new document.
    """
    found = connection.execute(
        "SELECT id, document_id FROM versions WHERE fingerprint = ?", (fingerprint,)
    ).fetchone()
    new_version = False
    previous = None
    if found is not None:
        version_id, document_id = found[0], found[1]
        connection.execute(
            "UPDATE versions SET last_opened = ?, title = COALESCE(?, title) WHERE id = ?",
            (now, title, version_id),
        )
        if original is not None:
            # A version kept as text only gains its original when the same text is read again.
            connection.execute(
                "UPDATE versions SET original = ? WHERE id = ? AND original IS NULL",
                (keep_original(connection, original), version_id),
            )
    else:
        earlier = _last_version_at(connection, path) if path else None
        if earlier is not None:
            document_id, previous = earlier
            new_version = True
        else:
            document_id = connection.execute(
                "INSERT INTO documents (title, created, last_opened) VALUES (?, ?, ?)",
                (title, now, now),
            ).lastrowid
        recipe = keep_original(connection, original) if original is not None else None
        version_id = connection.execute(
            "INSERT INTO versions (document_id, fingerprint, title, text, first_seen, last_opened,"
            " original) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (document_id, fingerprint, title, compress(text), now, now, recipe),
        ).lastrowid
    connection.execute(
        "UPDATE documents SET last_opened = ?, title = COALESCE(?, title) WHERE id = ?",
        (now, title, document_id),
    )
    if path:
        connection.execute(
            "INSERT INTO paths (path, version_id, last_seen) VALUES (?, ?, ?) "
            "ON CONFLICT (path, version_id) DO UPDATE SET last_seen = excluded.last_seen",
            (path, version_id, now),
        )
    assert document_id is not None and version_id is not None
    return Registration(document_id, version_id, new_version, previous)


def _last_version_at(connection: sqlite3.Connection, path: str) -> tuple[int, str] | None:
    row = connection.execute(
        "SELECT v.document_id, v.fingerprint FROM paths p JOIN versions v ON v.id = p.version_id "
        "WHERE p.path = ? ORDER BY p.last_seen DESC, v.id DESC LIMIT 1",
        (path,),
    ).fetchone()
    return None if row is None else (row[0], row[1])


def document_id_for(connection: sqlite3.Connection, fingerprint: str) -> int | None:
    row = connection.execute(
        "SELECT document_id FROM versions WHERE fingerprint = ?", (fingerprint,)
    ).fetchone()
    return None if row is None else row[0]


def link(
    connection: sqlite3.Connection, keep_id: int, merge_id: int, now: str | None = None
) -> None:
    """Make ``merge_id``'s versions, paths and notes part of ``keep_id`` (the reader's own link).

    With ``now``, ``keep_id``'s files count as the latest seen, so the library opens the version
    the reader called newer rather than whichever was opened last.
    """
    if keep_id == merge_id:
        return
    if now is not None:
        connection.execute(
            "UPDATE paths SET last_seen = ? WHERE version_id IN "
            "(SELECT id FROM versions WHERE document_id = ?)",
            (now, keep_id),
        )
    _remember_link(connection, keep_id, merge_id, now)
    connection.execute(
        "UPDATE versions SET document_id = ? WHERE document_id = ?", (keep_id, merge_id)
    )
    connection.execute(
        "UPDATE notes SET document_id = ? WHERE document_id = ?", (keep_id, merge_id)
    )
    # Links made earlier into the merged document now belong to the kept one.
    connection.execute("UPDATE links SET keep_id = ? WHERE keep_id = ?", (keep_id, merge_id))
    connection.execute("DELETE FROM documents WHERE id = ?", (merge_id,))


def _remember_link(
    connection: sqlite3.Connection, keep_id: int, merge_id: int, now: str | None
) -> None:
    merged = connection.execute(
        "SELECT title, created, last_opened FROM documents WHERE id = ?", (merge_id,)
    ).fetchone()
    if merged is None:
        return
    versions, notes = (_ids(connection, table, merge_id) for table in ("versions", "notes"))
    connection.execute(
        "INSERT INTO links (keep_id, merged_title, merged_created, merged_last_opened, "
        "version_ids, note_ids, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (keep_id, *merged, json.dumps(versions), json.dumps(notes), now or merged[2]),
    )


def _ids(connection: sqlite3.Connection, table: str, document_id: int) -> list[object]:
    query = f"SELECT id FROM {table} WHERE document_id = ? ORDER BY id"
    return [row[0] for row in connection.execute(query, (document_id,))]


def unlink(connection: sqlite3.Connection, link_id: int) -> int | None:
    """Undo a link: its versions and notes (those still there) become their own document again.

    Notes written after the link stay with the policy they were written on. Returns the id of
    the document brought back, or None when the link is unknown.
    """
    row = connection.execute(
        "SELECT keep_id, merged_title, merged_created, merged_last_opened, version_ids, "
        "note_ids FROM links WHERE id = ?",
        (link_id,),
    ).fetchone()
    if row is None:
        return None
    keep_id, title, created, last_opened, version_ids, note_ids = row
    document_id = connection.execute(
        "INSERT INTO documents (title, created, last_opened) VALUES (?, ?, ?)",
        (title, created, last_opened),
    ).lastrowid
    for table, ids in (("versions", json.loads(version_ids)), ("notes", json.loads(note_ids))):
        connection.executemany(
            f"UPDATE {table} SET document_id = ? WHERE id = ? AND document_id = ?",
            [(document_id, member, keep_id) for member in ids],
        )
    connection.execute("DELETE FROM links WHERE id = ?", (link_id,))
    assert document_id is not None
    return document_id


def stored_text(connection: sqlite3.Connection, fingerprint: str) -> str | None:
    row = connection.execute(
        "SELECT text FROM versions WHERE fingerprint = ?", (fingerprint,)
    ).fetchone()
    return None if row is None or row[0] is None else decompress(row[0])


def keep_original(connection: sqlite3.Connection, original: Original) -> str:
    """Store the bytes once (by their SHA-256) and return the recipe a version keeps."""
    digest = hashlib.sha256(original.data).hexdigest()
    connection.execute(
        "INSERT OR IGNORE INTO originals (sha256, data) VALUES (?, ?)",
        (digest, zlib.compress(original.data, 6)),
    )
    recipe = {"sha256": digest, "name": original.name}
    if original.charset and original.format:
        recipe |= {"charset": original.charset, "format": original.format}
    return json.dumps(recipe)


ORIGINAL_QUERY = (
    "SELECT v.original, o.data FROM versions v JOIN originals o "
    "ON o.sha256 = json_extract(v.original, '$.sha256') WHERE v.fingerprint = ?"
)


def original_from_row(recipe: str, data: bytes) -> Original:
    """An ``ORIGINAL_QUERY`` row as the ``Original`` to read again."""
    fields = json.loads(recipe)
    return Original(
        zlib.decompress(data), fields.get("name"), fields.get("charset"), fields.get("format")
    )


def compress(text: str) -> bytes:
    """Versions keep their text (for review and comparison); policies compress about 4:1."""
    # Level 1: a 1 MB policy in ~30 ms rather than ~130 ms, for a few percent more bytes.
    return zlib.compress(text.encode("utf-8"), 1)


def decompress(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8")
