"""File > Open Web Address: asks for the address; the window's open job fetches it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class OpenUrlDialog(QDialog):
    """Asks for an address; ``address_chosen(url)`` follows one that names a web page."""

    address_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open Web Address")
        self.setObjectName("openUrlDialog")
        self.address = QLineEdit(self)
        self.address.setObjectName("urlEdit")
        self.address.setPlaceholderText("https://example.com/privacy")
        self.address.setAccessibleName("Web address of the policy")
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
        self.buttons.rejected.connect(self.reject)
        self.address.textChanged.connect(
            lambda text: self.open_button.setEnabled(bool(text.strip()))
        )
        self.open_button.setEnabled(False)
        layout = QVBoxLayout(self)
        prompt = QLabel("Address of the privacy policy:", self)
        prompt.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(prompt)
        layout.addWidget(self.address)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())

    def start(self) -> None:
        """Hand a well-formed address on and close; say why another one cannot be fetched."""
        from policyreader.storage.fetch import FetchError, normalise_url  # the network stack

        text = self.address.text().strip()
        if not text:
            return
        try:
            url = normalise_url(text)
        except FetchError as error:
            self.status.setText(str(error))
            self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.address.setFocus()
            return
        self.address_chosen.emit(url)
        self.accept()
