"""Where the reader's data lives: platformdirs' user data directory, or POLICYREADER_DATA_DIR."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "policyreader"
DATA_DIR_ENV = "POLICYREADER_DATA_DIR"
DATABASE_NAME = "notes.db"


def data_dir() -> Path:
    """``$POLICYREADER_DATA_DIR`` if set (tests, portable use), else the platform's place.

    Read at call time, never at import, so tests and portable launchers can set it first.
    """
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(user_data_dir(APP_NAME, appauthor=False))


def database_path(directory: Path | None = None) -> Path:
    return (directory or data_dir()) / DATABASE_NAME
