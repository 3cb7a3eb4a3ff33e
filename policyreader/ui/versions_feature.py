"""Versions in the window: Open Web Address, the "Changed since you last read it" banner, Compare."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from policyreader.core.document import Original, PolicyDocument
from policyreader.core.loading import load_original
from policyreader.core.urls import load_source, looks_like_url
from policyreader.core.versions import (
    Comparison,
    compare,
    long_date,
    older_first,
    text_only_document,
)
from policyreader.ui.compare_view import CompareView
from policyreader.ui.document_tab import DocumentTab
from policyreader.ui.theme import Theme

if TYPE_CHECKING:
    from policyreader.storage.library import Library, VersionSummary
    from policyreader.ui.main_window import MainWindow
    from policyreader.ui.open_url_dialog import OpenUrlDialog


reading_date = long_date  # "2024-03-05T10:00:00Z" as "5 March 2024"


class ChangedBanner(QFrame):
    """A strip above the text: the policy changed since the reader last read it; Compare."""

    compare_requested = Signal()

    def __init__(self, last_read: str, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changedBanner")
        self.setAccessibleName("This policy changed")
        self.label = QLabel(
            f"<b>Changed since you last read it</b> ({reading_date(last_read)})", self
        )
        self.label.setObjectName("changedBannerText")
        self.compare_button = QPushButton("Compare…", self)
        self.compare_button.setObjectName("changedBannerCompare")
        self.compare_button.clicked.connect(self.compare_requested)
        close = QToolButton(self)
        close.setText("✕")
        close.setAccessibleName("Hide this notice")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        # A strip, never a pane: the policy below takes the height.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.compare_button)
        layout.addWidget(close)
        background = "#4d4216" if theme.dark else "#fbeeb8"
        self.setStyleSheet(
            f"QFrame#changedBanner {{ background: {background}; border-bottom: 1px solid {theme.rule}; }}"
        )


class CompareWindow(QWidget):
    """A window of its own for one comparison, so the policy stays open beside it."""

    def __init__(
        self,
        comparison: Comparison,
        theme: Theme,
        parent: QWidget | None = None,
        note_states: dict[str, int] | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("compareWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        title = comparison.new.title or "policy"
        self.setWindowTitle(f"Compare versions — {title}")
        self.view = CompareView(comparison, theme, self, note_states)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.resize(1280, 820)
        # A window of its own closes as windows do: Esc or Ctrl+W (Cmd+W), not only its title bar.
        closing = [QKeySequence(Qt.Key.Key_Escape)]
        closing += QKeySequence.keyBindings(QKeySequence.StandardKey.Close)  # Ctrl+W, Ctrl+F4
        for keys in closing:
            QShortcut(keys, self, self.close, context=Qt.ShortcutContext.WindowShortcut)


class VersionsFeature(QObject):
    """One per window; made after the notes controller, whose registration says what is new."""

    compared = Signal(object)  # the CompareWindow shown

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        window.actions["file_open_url"].triggered.connect(lambda _checked=False: self.open_url())
        window.actions["file_compare"].triggered.connect(
            lambda _checked=False: self.compare_current()
        )
        window.actions["file_reload"].triggered.connect(
            lambda _checked=False: self.reload_current()
        )
        window.tabs.opened.connect(self._opened)

    @property
    def library(self) -> Library | None:
        notes = self.window.notes
        return notes.library if notes is not None else None

    # Open Web Address ---------------------------------------------------------------------------

    def open_url(self) -> OpenUrlDialog:
        from policyreader.ui.open_url_dialog import OpenUrlDialog  # the network stack, on demand

        dialog = OpenUrlDialog(self.window.tasks, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fetched.connect(self.show_fetched)
        dialog.open()
        return dialog

    def show_fetched(self, document: PolicyDocument) -> DocumentTab:
        """Show a fetched snapshot; a tab of an earlier fetch of the address gives way to it."""
        tabs = self.window.tabs
        address = document.path or ""
        old = tabs.tab_for_path(address)
        index = tabs.indexOf(old) if old is not None else -1
        if old is not None:
            tabs.close_tab(index)
        tab = tabs.add_document(document, path=address, index=index)
        tabs.opened.emit(address)
        return tab

    # Reload ---------------------------------------------------------------------------------------

    def reload_current(self, tab: DocumentTab | None = None) -> None:
        """Read the tab's file or fetch its page again; a new text replaces it as a new version."""
        tab = tab or self.window.current_tab()
        source = tab.property("source_path") if tab is not None else None
        if tab is None or not source:
            return
        shown = tab.document
        self.window.statusBar().showMessage(f"Checking {source} for a newer version…")
        self.window.tasks.run(
            lambda: load_source(source),
            lambda document: self._reloaded(shown, document),
            lambda error: self.window.present_error("Cannot reload", str(error)),
        )

    def _reloaded(self, shown: PolicyDocument, document: PolicyDocument) -> None:
        if _same_text(shown, document):
            self.window.statusBar().showMessage(
                "No change: this is still the version you have open", 6000
            )
            return
        self.window.statusBar().clearMessage()
        self.show_fetched(document)

    # Banner ---------------------------------------------------------------------------------------

    def _opened(self, path: str) -> None:
        tab = self.window.tabs.tab_for_path(path)
        if not isinstance(tab, DocumentTab):
            return
        previous = self.previous_version(tab, only_if_new=True)
        if previous is not None:
            self.show_banner(tab, previous.last_opened)

    def _registration(self, tab: DocumentTab) -> object | None:
        notes = self.window.notes.tab_notes(tab) if self.window.notes is not None else None
        return getattr(notes, "opened", None)

    def previous_version(
        self, tab: DocumentTab, only_if_new: bool = False
    ) -> VersionSummary | None:
        """The version the library holds from before this one (the newest such)."""
        opened = self._registration(tab)
        library = self.library
        if opened is None or library is None or getattr(opened, "document_id", None) is None:
            return None
        if only_if_new and not getattr(opened, "new_version", False):
            return None
        versions = library.versions(opened.document_id)  # type: ignore[attr-defined]
        fingerprints = [v.fingerprint for v in versions]
        wanted = getattr(opened, "previous_fingerprint", None)
        if wanted in fingerprints:
            return versions[fingerprints.index(wanted)]
        current = opened.fingerprint  # type: ignore[attr-defined]
        if current in fingerprints and fingerprints.index(current) > 0:
            return versions[fingerprints.index(current) - 1]
        return None

    def show_banner(self, tab: DocumentTab, last_read: str) -> ChangedBanner:
        existing = tab.findChild(ChangedBanner)
        if existing is not None:
            existing.deleteLater()
        banner = ChangedBanner(last_read, tab.theme, tab)
        banner.compare_requested.connect(lambda: self.compare_current(tab))
        tab.layout().insertWidget(0, banner)  # type: ignore[attr-defined]
        # A layout shows a new child only on a later turn of the event loop; show it now.
        banner.show()
        return banner

    # Compare --------------------------------------------------------------------------------------

    def compare_current(self, tab: DocumentTab | None = None) -> None:
        """Compare with the previous stored version, or else with a file the reader picks."""
        tab = tab or self.window.current_tab()
        if tab is None:
            return
        previous = self.previous_version(tab)
        library = self.library
        new = tab.document
        if previous is not None and library is not None:
            # Both sides from the same loader: the kept original, or the kept text for versions
            # stored before originals were (compared as text).
            original = library.version_original(previous.fingerprint)
            text = library.version_text(previous.fingerprint) if original is None else None
            if original is not None or text is not None:
                self._label_opened(new, library)
                self.compare_in_worker(
                    lambda: _stored_document(original, text, new, previous.first_seen), new
                )
                return
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            "Compare with an earlier version",
            str(Path(new.path or "~").expanduser().parent),
        )
        if path:
            self.compare_in_worker(lambda: load_source(path), new)

    def _label_opened(self, document: PolicyDocument, library: Library) -> None:
        """Name the open version by the day the reader first opened it, as stored ones are."""
        opened = self._registration_of(document)
        for version in library.versions(getattr(opened, "document_id", None) or -1):
            if version.fingerprint == getattr(opened, "fingerprint", None):
                document.metadata.extra.setdefault("opened_at", version.first_seen)

    def _registration_of(self, document: PolicyDocument) -> object | None:
        tab = next((t for t in self.window.tabs.document_tabs() if t.document is document), None)
        return self._registration(tab) if tab is not None else None

    def compare_in_worker(self, old_source: object, new: PolicyDocument) -> None:
        def work() -> Comparison:
            loaded = old_source()  # type: ignore[operator]
            older, newer = older_first(loaded, new)
            comparison = compare(older, newer)
            comparison.text_only = loaded.original is None
            return comparison

        self.window.statusBar().showMessage("Comparing versions…")
        self.window.tasks.run(work, self.show_comparison, self._failed)

    def show_comparison(self, comparison: Comparison) -> CompareWindow:
        self.window.statusBar().clearMessage()
        shown = CompareWindow(
            comparison, self.window.themes.theme, self.window, self._note_states(comparison.new)
        )
        shown.show()
        self.compared.emit(shown)
        return shown

    def _note_states(self, document: PolicyDocument) -> dict[str, int]:
        """The anchoring states of the notes carried over to ``document`` (its open tab's)."""
        controller = self.window.notes
        if controller is None:
            return {}
        tab = next((t for t in self.window.tabs.document_tabs() if t.document is document), None)
        notes = controller.tab_notes(tab) if tab is not None else None
        states: dict[str, int] = {}
        for note in getattr(notes, "notes", None) or []:
            state = str(getattr(note.state, "value", note.state))
            states[state] = states.get(state, 0) + 1
        return states

    def _failed(self, error: Exception) -> None:
        self.window.statusBar().clearMessage()
        self.window.present_error("Cannot compare", str(error))


def _stored_document(
    original: Original | None, text: str | None, like: PolicyDocument, first_seen: str
) -> PolicyDocument:
    """A stored version read again: from its original bytes, else (older stores) from its text."""
    if original is not None:
        document = load_original(original)
    else:
        document = text_only_document(text or "", like, name=like.path)
    stamp = "fetched_at" if looks_like_url(original.name if original else like.path or "") else ""
    document.metadata.extra[stamp or "opened_at"] = first_seen
    return document


def _same_text(first: PolicyDocument, second: PolicyDocument) -> bool:
    """Whether two loads show the same words; whitespace and wrapping do not count."""
    return first.text.split() == second.text.split()
