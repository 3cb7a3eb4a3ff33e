"""The narrow parts of the window a feature is given: actions, status line, error presenter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtGui import QAction

from policyreader.storage.opening import Source

# Tells the user about something that failed: ``present_error(title, message)``.
ErrorPresenter = Callable[[str, str], None]
# Asks the window to open sources (paths, web addresses, review bundles) through its one signal.
OpenRequester = Callable[[list[Source]], None]


class Actions(Protocol):
    """The window's actions by name (``actions["file_open"]``)."""

    def __getitem__(self, name: str) -> QAction: ...


class StatusLine(Protocol):
    """Where short messages go (the window's status bar)."""

    def showMessage(self, text: str, timeout: int = 0) -> None: ...

    def clearMessage(self) -> None: ...

    def currentMessage(self) -> str: ...
