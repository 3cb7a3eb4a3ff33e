"""What a feature is given of its window: the tabs and a few narrow collaborators, never the window."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from policyreader.ui.common.collaborators import Actions, ErrorPresenter, OpenRequester, StatusLine
from policyreader.ui.common.tasks import TaskRunner
from policyreader.ui.common.theme import ThemeManager
from policyreader.ui.reader.tab_area import TabArea


@dataclass(frozen=True, slots=True)
class FeatureContext:
    """The collaborators a window-wide feature (notes, versions) works with.

    ``host`` parents the feature's dialogs and windows; ``request_open`` goes through the
    window's one ``open_requested`` signal.
    """

    tabs: TabArea
    actions: Actions
    status: StatusLine
    present_error: ErrorPresenter
    tasks: TaskRunner
    themes: ThemeManager
    request_open: OpenRequester
    host: QWidget
