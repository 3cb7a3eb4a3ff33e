"""File > Open Web Address: fetch a policy page in a worker, with progress and Cancel."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from policyreader.core.document import PolicyDocument
from policyreader.core.errors import PolicyLoadError
from policyreader.core.fetch import FetchError, FetchProblem, document_from_fetch, fetch
from policyreader.ui.tasks import TaskRunner

Fetcher = Callable[..., PolicyDocument]


def fetch_and_read(url: str, **options: object) -> PolicyDocument:
    return document_from_fetch(fetch(url, **options))  # type: ignore[arg-type]


class _ProgressRelay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the call to the dialog."""

    progressed = Signal(int, object)


class OpenUrlDialog(QDialog):
    """Asks for an address and fetches it; ``fetched(document)`` follows a successful fetch."""

    fetched = Signal(object)

    def __init__(
        self,
        tasks: TaskRunner,
        parent: QWidget | None = None,
        fetcher: Fetcher = fetch_and_read,
        timeout: float | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open Web Address")
        self.setObjectName("openUrlDialog")
        self.tasks = tasks
        self.fetcher = fetcher
        self.timeout = timeout
        self.document: PolicyDocument | None = None
        self._cancel = threading.Event()
        self._busy = False
        self.address = QLineEdit(self)
        self.address.setObjectName("urlEdit")
        self.address.setPlaceholderText("https://example.com/privacy")
        self.address.setAccessibleName("Web address of the policy")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("fetchProgress")
        self.progress.setAccessibleName("Download progress")
        self.progress.hide()
        self.status = QLabel(
            "policyreader keeps a snapshot of the page, so your notes stay with the text you read.",
            self,
        )
        self.status.setObjectName("fetchStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.open_button = self.buttons.addButton("Fetch", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.cancel)
        self.address.textChanged.connect(
            lambda text: self.open_button.setEnabled(bool(text.strip()))
        )
        self.open_button.setEnabled(False)
        self.relay = _ProgressRelay(self)
        self.relay.progressed.connect(self._progressed)
        layout = QVBoxLayout(self)
        prompt = QLabel("Address of the privacy policy:", self)
        prompt.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(prompt)
        layout.addWidget(self.address)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())

    def start(self) -> None:
        url = self.address.text().strip()
        if not url or self._busy:
            return
        self._busy = True
        self._cancel.clear()
        self.address.setEnabled(False)
        self.open_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText(f"Fetching {url}…")
        relay, cancel, fetcher = self.relay, self._cancel, self.fetcher
        options: dict[str, object] = {
            "progress": lambda got, total: relay.progressed.emit(got, total),
            "cancelled": cancel.is_set,
        }
        if self.timeout is not None:
            options["timeout"] = self.timeout
        self.tasks.run(lambda: fetcher(url, **options), self._done, self._failed)

    def _progressed(self, received: int, total: int | None) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(min(received, total))
        self.status.setText(
            f"Received {received / 1024:.0f} KB" + (f" of {total / 1024:.0f} KB" if total else "")
        )

    def _done(self, document: PolicyDocument) -> None:
        self._busy = False
        self.document = document
        if self._cancel.is_set():
            return
        self.fetched.emit(document)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self._busy = False
        if isinstance(error, FetchError) and error.reason is FetchProblem.CANCELLED:
            return
        message = str(error) if isinstance(error, PolicyLoadError) else f"Fetching failed: {error}"
        self.status.setText(message)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress.hide()
        self.address.setEnabled(True)
        self.open_button.setEnabled(True)
        self.address.setFocus()

    def cancel(self) -> None:
        self._cancel.set()
        self.reject()
