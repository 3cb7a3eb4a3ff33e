"""The reader's corrections of the practice detector, saved per text fingerprint."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from policyreader.core.notes import utc_now
from policyreader.core.practices.corrections import Correction, CorrectionKind
from policyreader.storage.db import Database

_COLUMNS = "id, fingerprint, pos_start, pos_end, kind, original_category, new_category, created"


class CorrectionsStore:
    """Add, list, change and remove corrections; each change is its own transaction."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def add(self, correction: Correction) -> Correction:
        created = correction.created or utc_now()
        with self.database.transaction() as connection:
            cursor = connection.execute(
                "INSERT INTO corrections (fingerprint, pos_start, pos_end, kind, "
                "original_category, new_category, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    correction.fingerprint,
                    correction.start,
                    correction.end,
                    correction.kind.value,
                    correction.original_category,
                    correction.new_category,
                    created,
                ),
            )
        return Correction(
            correction.fingerprint,
            correction.start,
            correction.end,
            correction.kind,
            correction.original_category,
            correction.new_category,
            cursor.lastrowid,
            created,
        )

    def for_text(self, fingerprint: str) -> list[Correction]:
        """The corrections of the text with this fingerprint, in text order."""
        rows = self.database.query(
            f"SELECT {_COLUMNS} FROM corrections WHERE fingerprint = ? ORDER BY pos_start, id",
            (fingerprint,),
        )
        return [_from_row(row) for row in rows]

    def add_missing(self, corrections: Iterable[Correction], fingerprint: str) -> int:
        """Add the corrections of the text ``fingerprint`` that are not here yet (a merged review
        brings the sender's); returns how many were added."""
        known = {_same_key(c) for c in self.for_text(fingerprint)}
        added = 0
        for correction in corrections:
            if _same_key(correction) not in known:
                self.add(correction)
                known.add(_same_key(correction))
                added += 1
        return added

    def get(self, correction_id: int) -> Correction | None:
        rows = self.database.query(
            f"SELECT {_COLUMNS} FROM corrections WHERE id = ?", (correction_id,)
        )
        return _from_row(rows[0]) if rows else None

    def update(self, correction: Correction) -> Correction:
        if correction.id is None:
            raise ValueError("only a saved correction can be updated")
        with self.database.transaction() as connection:
            connection.execute(
                "UPDATE corrections SET pos_start = ?, pos_end = ?, kind = ?, "
                "original_category = ?, new_category = ? WHERE id = ?",
                (
                    correction.start,
                    correction.end,
                    correction.kind.value,
                    correction.original_category,
                    correction.new_category,
                    correction.id,
                ),
            )
        return correction

    def delete(self, correction_id: int) -> None:
        with self.database.transaction() as connection:
            connection.execute("DELETE FROM corrections WHERE id = ?", (correction_id,))


def _same_key(correction: Correction) -> tuple[object, ...]:
    """Two corrections of one text are the same when they say the same about the same span."""
    c = correction
    return (c.start, c.end, c.kind, c.original_category, c.new_category)


def _from_row(row: sqlite3.Row) -> Correction:
    return Correction(
        fingerprint=row["fingerprint"],
        start=row["pos_start"],
        end=row["pos_end"],
        kind=CorrectionKind(row["kind"]),
        original_category=row["original_category"],
        new_category=row["new_category"],
        id=row["id"],
        created=row["created"],
    )
