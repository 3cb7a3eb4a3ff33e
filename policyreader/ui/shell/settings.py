"""The user's preferences (recent files, geometry, zoom, theme) in one QSettings file passed around."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from platformdirs import user_config_dir
from PySide6.QtCore import QByteArray, QSettings

from policyreader import APP_NAME
from policyreader.ui.common.theme import ThemeChoice
from policyreader.ui.reader.typography import DEFAULT_ZOOM_INDEX, clamp_zoom_index

CONFIG_DIR_ENV = "POLICYREADER_CONFIG_DIR"
RECENT_LIMIT = 10
# Policies whose reading position is kept (the most recently read first).
POSITIONS_LIMIT = 200


def config_dir() -> Path:
    """``$POLICYREADER_CONFIG_DIR`` if set (tests, portable installs), else the platform's place."""
    override = os.environ.get(CONFIG_DIR_ENV)
    return Path(override) if override else Path(user_config_dir(APP_NAME, appauthor=False))


def push_recent(recent: Sequence[str], path: str, limit: int = RECENT_LIMIT) -> list[str]:
    """``path`` first, without duplicates, at most ``limit`` entries."""
    return [path, *[p for p in recent if p != path]][:limit]


def push_position(entries: Sequence[str], key: str, offset: int, limit: int) -> list[str]:
    """``"key offset"`` entries with ``key``'s first, each key once, at most ``limit``."""
    kept = [e for e in entries if e.partition(" ")[0] != key]
    return [f"{key} {offset}", *kept][:limit]


class Settings:
    """Typed access to the settings file; construct one and pass it to whoever needs it."""

    def __init__(self, directory: Path | None = None) -> None:
        directory = directory or config_dir()
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "settings.ini"
        self._store = QSettings(str(self.path), QSettings.Format.IniFormat)

    def recent_files(self) -> list[str]:
        return [path for path in self._strings("recent/files") if path]

    def add_recent_file(self, path: str) -> None:
        self._store.setValue("recent/files", push_recent(self.recent_files(), path))

    def clear_recent_files(self) -> None:
        self._store.remove("recent/files")

    def window_geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def set_window_geometry(self, value: QByteArray) -> None:
        self._store.setValue("window/geometry", value)

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def set_window_state(self, value: QByteArray) -> None:
        self._store.setValue("window/state", value)

    def splitter_state(self) -> QByteArray | None:
        return self._bytes("reader/splitter")

    def set_splitter_state(self, value: QByteArray) -> None:
        self._store.setValue("reader/splitter", value)

    def zoom_index(self) -> int:
        try:
            value = self._store.value("reader/zoom", DEFAULT_ZOOM_INDEX)
            return clamp_zoom_index(
                int(value) if isinstance(value, int | str) else DEFAULT_ZOOM_INDEX
            )
        except (TypeError, ValueError):
            return DEFAULT_ZOOM_INDEX

    def set_zoom_index(self, index: int) -> None:
        self._store.setValue("reader/zoom", clamp_zoom_index(index))

    def theme_choice(self) -> ThemeChoice:
        try:
            return ThemeChoice(str(self._store.value("view/theme", ThemeChoice.SYSTEM.value)))
        except ValueError:
            return ThemeChoice.SYSTEM

    def set_theme_choice(self, choice: ThemeChoice) -> None:
        self._store.setValue("view/theme", choice.value)

    def all_tints(self) -> bool:
        """View > Tint All Highlights (off by default: only the selected category is tinted)."""
        return str(self._store.value("view/all_tints", "false")).lower() == "true"

    def set_all_tints(self, on: bool) -> None:
        self._store.setValue("view/all_tints", "true" if on else "false")

    def reading_position(self, key: str) -> int | None:
        """Where the reader left the policy whose text has fingerprint ``key``, if known."""
        for entry in self._positions():
            found, _, offset = entry.partition(" ")
            if found == key:
                return int(offset) if offset.isdigit() else None
        return None

    def set_reading_position(self, key: str, offset: int) -> None:
        entries = push_position(self._positions(), key, max(0, offset), POSITIONS_LIMIT)
        self._store.setValue("reading/positions", entries)

    def _positions(self) -> list[str]:
        return self._strings("reading/positions")

    def _strings(self, key: str) -> list[str]:
        value = self._store.value(key, [])
        if isinstance(value, str):  # QSettings returns a lone entry as a plain string
            value = [value]
        return [str(v) for v in value] if isinstance(value, list | tuple) else []

    def sync(self) -> None:
        self._store.sync()

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._store.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None
