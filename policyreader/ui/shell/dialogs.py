"""The window's small dialogs: load errors (non-blocking), the About box, the shortcuts list."""

from __future__ import annotations

from collections.abc import Sequence

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from policyreader import __version__
from policyreader.core.practices.model import MODEL_FILE
from policyreader.resources_path import resource

CREDITS = (
    ("Qt and Qt for Python (PySide6)", "LGPLv3", "https://www.qt.io/"),
    ("markdown-it-py", "MIT", "https://github.com/executablebooks/markdown-it-py"),
    ("lxml", "BSD", "https://lxml.de/"),
    ("charset-normalizer", "MIT", "https://github.com/jawah/charset_normalizer"),
    ("platformdirs", "MIT", "https://github.com/tox-dev/platformdirs"),
    ("pdfminer.six", "MIT", "https://github.com/pdfminer/pdfminer.six"),
)


class MessageBoxPresenter:
    """Shows each problem in its own window-modal box that does not block the event loop.

    The boxes stay reachable (``open_boxes``) so a test can read them without clicking.
    """

    def __init__(self, parent: QWidget) -> None:
        self._parent = parent
        self.open_boxes: list[QMessageBox] = []

    def __call__(self, title: str, message: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self._parent
        )
        # The message quotes file names and file content: a link in it must not become clickable.
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setAccessibleName(title)
        box.finished.connect(lambda _result, box=box: self._forget(box))
        self.open_boxes.append(box)
        box.open()

    def _forget(self, box: QMessageBox) -> None:
        if box in self.open_boxes:
            self.open_boxes.remove(box)


def about_text() -> str:
    credits = "".join(
        f"<li><a href='{url}'>{name}</a> ({licence})</li>" for name, licence, url in CREDITS
    )
    return (
        f"<h3>policyreader {__version__}</h3>"
        "<p>A reader for privacy policies: the outline beside the text, the data practices each "
        "passage states, what the policy leaves out, and your own notes.</p>"
        f"<p>Qt {qVersion()} · PySide6 {PySide6.__version__}</p>"
        f"<p>Built with:</p><ul>{credits}</ul>"
        f"{model_credit()}"
        "<p>Opening a policy never touches the network.</p>"
    )


def model_credit() -> str:
    """Where the practice model comes from and on what terms, or that the rules work alone."""
    if not resource(*MODEL_FILE).is_file():
        return (
            "<p>Data practices are found by policyreader's own rules; this build leaves out the "
            "statistical model.</p>"
        )
    return (
        "<p>Data practices are found by policyreader's rules and a statistical model trained on "
        "the <b>OPP-115</b> corpus (Usable Privacy Policy Project, Carnegie Mellon University; "
        "Wilson et al., ACL 2016). Its annotations, and so the model, are for research, teaching "
        "and scholarship only, in the spirit of a Creative Commons Attribution-NonCommercial "
        "licence. Without the model file the rules work alone.</p>"
    )


def show_about(parent: QWidget) -> QMessageBox:
    box = QMessageBox(parent)
    box.setWindowTitle("About policyreader")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text())
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class ShortcutsDialog(QDialog):
    """Every action that has a shortcut, as a two-column table."""

    def __init__(self, rows: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        table = QTableWidget(len(rows), 2, self)
        table.setObjectName("shortcutsTable")
        table.setHorizontalHeaderLabels(["Action", "Shortcut"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        for row, (action, keys) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(action))
            table.setItem(row, 1, QTableWidgetItem(keys))
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(460, 520)
