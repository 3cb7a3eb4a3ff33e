"""The one SQLite database of notes, documents and corrections: open, recover, migrate, transact."""

# WAL mode with a busy timeout lets a second running instance read and write at the same time; every
# change runs in its own ``BEGIN IMMEDIATE`` transaction, committed at once. A damaged file is moved
# aside and replaced; a read-only or full disk becomes a ``StorageError`` the UI can word.

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from policyreader.storage.paths import database_path

BUSY_TIMEOUT_MS = 5000

# Each entry migrates from version N to N + 1; ``PRAGMA user_version`` records how far a file
# got. Append, never edit: files in the wild were made by the earlier entries.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            title TEXT,
            created TEXT NOT NULL,
            last_opened TEXT NOT NULL
        )""",
        """CREATE TABLE versions (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            fingerprint TEXT NOT NULL UNIQUE,
            title TEXT,
            text BLOB,
            first_seen TEXT NOT NULL,
            last_opened TEXT NOT NULL
        )""",
        "CREATE INDEX versions_document ON versions(document_id)",
        """CREATE TABLE paths (
            path TEXT NOT NULL,
            version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
            last_seen TEXT NOT NULL,
            PRIMARY KEY (path, version_id)
        )""",
        """CREATE TABLE notes (
            id TEXT PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            scope TEXT NOT NULL,
            exact TEXT NOT NULL,
            prefix TEXT NOT NULL,
            suffix TEXT NOT NULL,
            pos_start INTEGER NOT NULL,
            pos_end INTEGER NOT NULL,
            section_title TEXT,
            body TEXT NOT NULL,
            tags TEXT NOT NULL,
            colour TEXT,
            state TEXT NOT NULL,
            text_fingerprint TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            deleted TEXT
        )""",
        "CREATE INDEX notes_document ON notes(document_id)",
        """CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            fingerprint TEXT NOT NULL,
            pos_start INTEGER NOT NULL,
            pos_end INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('wrong', 'recategorised', 'added')),
            original_category TEXT,
            new_category TEXT,
            created TEXT NOT NULL
        )""",
        "CREATE INDEX corrections_fingerprint ON corrections(fingerprint)",
    ),
    (
        # A link the reader made by hand, kept so that it can be undone: what the merged
        # document was and which of its versions and notes (JSON lists of ids) it brought.
        """CREATE TABLE links (
            id INTEGER PRIMARY KEY,
            keep_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            merged_title TEXT,
            merged_created TEXT NOT NULL,
            merged_last_opened TEXT NOT NULL,
            version_ids TEXT NOT NULL,
            note_ids TEXT NOT NULL,
            created TEXT NOT NULL
        )""",
        "CREATE INDEX links_keep ON links(keep_id)",
    ),
    (
        # Each version's original bytes, compressed and kept once however many versions share
        # them, so a version is read again by the same loader as the one it is compared with.
        """CREATE TABLE originals (
            sha256 TEXT PRIMARY KEY,
            data BLOB NOT NULL
        )""",
        # How to read it again (JSON: sha256, name, charset, format); NULL marks a version kept
        # before originals were, which is compared as text only.
        "ALTER TABLE versions ADD COLUMN original TEXT",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

# SQLite primary result codes (the low byte of an extended code).
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = (
    3, 5, 6, 8, 10, 11, 13, 14, 26,
)  # fmt: skip


class StorageProblem(StrEnum):
    READ_ONLY = "read_only"
    DISK_FULL = "disk_full"
    BUSY = "busy"
    DAMAGED = "damaged"
    NEWER_SCHEMA = "newer_schema"
    UNAVAILABLE = "unavailable"


class StorageError(Exception):
    """Storage that cannot do what was asked; ``str(error)`` is a complete sentence for the user."""

    def __init__(self, problem: StorageProblem, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.problem = problem
        self.message = message
        self.path = path


def describe_error(error: BaseException, path: Path) -> StorageError:
    """The ``StorageError`` for an sqlite3 or OS error met while using the database at ``path``."""
    folder = path.parent
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    errno = getattr(error, "errno", None)
    if primary in (_READONLY, _PERM, _CANTOPEN) or errno in (1, 13, 30):  # EPERM EACCES EROFS
        return read_only_error(path)
    if primary == _FULL or errno in (28, 122):  # ENOSPC, EDQUOT
        return StorageError(
            StorageProblem.DISK_FULL,
            f"Notes cannot be saved: the disk holding {folder} is full. They are kept in memory "
            "and saved as soon as there is room.",
            path,
        )
    if primary in (_BUSY, _LOCKED):
        return StorageError(
            StorageProblem.BUSY,
            "Notes cannot be saved right now: another policyreader window has held the notes "
            "database for too long. They are kept in memory and saved shortly.",
            path,
        )
    if primary in (_CORRUPT, _NOTADB):
        return StorageError(
            StorageProblem.DAMAGED, f"The notes database {path} is damaged ({error}).", path
        )
    return StorageError(
        StorageProblem.UNAVAILABLE,
        f"The notes database {path} cannot be used: {error}. Notes are kept in memory.",
        path,
    )


def read_only_error(path: Path) -> StorageError:
    """Blames the notes file when only it is read-only, else its folder."""
    where = (
        f"the notes file {path} is"
        if only_the_file_is_read_only(path)
        else f"the folder {path.parent} is"
    )
    return StorageError(
        StorageProblem.READ_ONLY,
        f"Notes cannot be saved: {where} read-only or not yours to write. "
        "They are kept in memory and saved when it becomes writable.",
        path,
    )


def only_the_file_is_read_only(path: Path) -> bool:
    """The database file refuses writes while its folder would take them."""
    effective = os.access in os.supports_effective_ids  # a seteuid'd test, a setuid launch
    try:
        return (
            path.is_file()
            and not os.access(path, os.W_OK, effective_ids=effective)
            and os.access(path.parent, os.W_OK, effective_ids=effective)
        )
    except OSError:
        return False


class Database:
    """A connection to the notes database, opened on first use and reopened after failures.

    ``notice`` holds a sentence for the UI after something noteworthy happened on opening (a
    damaged file moved aside, a read-only folder); ``read_only`` is True while writes cannot work.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or database_path()
        self.notice: str | None = None
        self.read_only = False
        self.moved_aside: Path | None = None
        self._connection: sqlite3.Connection | None = None
        # One connection may be used from a worker thread as well as the GUI thread.
        self._lock = threading.RLock()

    @classmethod
    def open(cls, path: Path | None = None) -> Database:
        """Open, creating, migrating or recovering as needed.

        A database that cannot be opened now (read-only folder, full disk) is not an error here:
        ``notice`` says why, ``available`` is False, and every later use tries again. Only a file
        from a newer policyreader raises, since nothing this version does can fix that.
        """
        database = cls(path)
        try:
            database.connect()
        except StorageError as error:
            if error.problem is StorageProblem.NEWER_SCHEMA:
                raise
            database.notice = error.message
        return database

    @property
    def available(self) -> bool:
        return self._connection is not None

    @property
    def connection(self) -> sqlite3.Connection:
        with self._lock:
            if self._connection is None:
                self.connect()
            assert self._connection is not None
            return self._connection

    def connect(self) -> None:
        """(Re)open the file for writing, or failing that for reading only."""
        with self._lock:
            self.close()
            try:
                self._connection = self._open_writable()
                self.read_only = False
            except StorageError as error:
                if error.problem is not StorageProblem.READ_ONLY:
                    raise
                self._connection = self._open_read_only(error)
                self.read_only = True
                self.notice = error.message

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                with suppress(sqlite3.Error):
                    self._connection.close()
                self._connection = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` … ``COMMIT``; any failure rolls back and becomes StorageError."""
        with self._lock:
            connection = self._writable()
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise self._failure(error) from error
            try:
                yield connection
                connection.execute("COMMIT")
            except sqlite3.Error as error:
                self._rollback(connection)
                raise self._failure(error) from error
            except BaseException:
                self._rollback(connection)
                raise

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self.connection.execute(sql, parameters).fetchall()
            except sqlite3.Error as error:
                raise self._failure(error) from error

    # --- opening ---------------------------------------------------------------------------------

    def _writable(self) -> sqlite3.Connection:
        if self._connection is None or self.read_only:
            self.connect()
        if self.read_only or self._connection is None:
            raise read_only_error(self.path)
        return self._connection

    def _open_writable(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise describe_error(error, self.path) from None
        try:
            return self._prepare(self._raw_connect(str(self.path), uri=False))
        except StorageError as error:
            if error.problem is not StorageProblem.DAMAGED:
                raise
        self._move_aside()
        return self._prepare(self._raw_connect(str(self.path), uri=False))

    def _open_read_only(self, cause: StorageError) -> sqlite3.Connection:
        """Read the notes even where they cannot be written (a read-only folder or medium)."""
        if not self.path.exists():
            raise cause
        uri = self.path.resolve().as_uri()
        for options in ("?mode=ro", "?immutable=1"):
            connection = None
            try:
                connection = self._raw_connect(uri + options, uri=True)
                version = connection.execute("PRAGMA user_version").fetchone()[0]
                if version == SCHEMA_VERSION:
                    return connection
            except sqlite3.Error:
                pass
            if connection is not None:
                connection.close()
        raise cause

    def _raw_connect(self, target: str, uri: bool) -> sqlite3.Connection:
        try:
            connection = sqlite3.connect(
                target,
                uri=uri,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # we issue BEGIN/COMMIT ourselves
                check_same_thread=False,
            )
        except sqlite3.Error as error:
            raise describe_error(error, self.path) from None
        connection.row_factory = sqlite3.Row
        return connection

    def _prepare(self, connection: sqlite3.Connection) -> sqlite3.Connection:
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode: a killed process loses nothing committed; only a power cut can
            # lose the last transactions, and the file stays consistent either way.
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
            check = [row[0] for row in connection.execute("PRAGMA quick_check").fetchall()]
            if check != ["ok"]:
                raise StorageError(
                    StorageProblem.DAMAGED, f"quick_check: {'; '.join(check[:3])}", self.path
                )
            self._migrate(connection)
        except sqlite3.Error as error:
            connection.close()
            raise describe_error(error, self.path) from None
        except StorageError:
            connection.close()
            raise
        return connection

    def _migrate(self, connection: sqlite3.Connection) -> None:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StorageError(
                StorageProblem.NEWER_SCHEMA,
                f"The notes database {self.path} was written by a newer policyreader; "
                "update policyreader to use it.",
                self.path,
            )
        if version == SCHEMA_VERSION:
            return
        connection.execute("BEGIN IMMEDIATE")
        try:
            # Another instance may have migrated while we waited for the lock.
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            for number in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[number]:
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {number + 1}")
            connection.execute("COMMIT")
        except BaseException:
            self._rollback(connection)
            raise

    def _move_aside(self) -> None:
        """Rename the damaged file (and its WAL companions, kept paired) and note it for the UI."""
        target = self._aside_name()
        try:
            self.path.replace(target)
            for companion in ("-wal", "-shm"):
                source = self.path.with_name(self.path.name + companion)
                if source.exists():
                    source.replace(target.with_name(target.name + companion))
        except OSError as error:
            raise describe_error(error, self.path) from None
        self.moved_aside = target
        self.notice = (
            f"The notes database was damaged and could not be read. It was moved aside to "
            f"{target.name} (in {target.parent}) and a new, empty one was started."
        )

    def _aside_name(self) -> Path:
        """A name no earlier moved-aside copy has: microseconds, then a counter if need be."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        base = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        target, number = base, 1
        while any(target.with_name(target.name + end).exists() for end in ("", "-wal", "-shm")):
            number += 1
            target = base.with_name(f"{base.name}-{number}")
        return target

    # --- failures --------------------------------------------------------------------------------

    def _failure(self, error: sqlite3.Error) -> StorageError:
        problem = describe_error(error, self.path)
        if problem.problem is StorageProblem.DAMAGED:
            # Reopening recovers: the damaged file is moved aside then.
            self.close()
        return problem

    @staticmethod
    def _rollback(connection: sqlite3.Connection) -> None:
        if connection.in_transaction:
            with suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
