"""Versions in the window: Open Web Address, the "Changed since you last read it" banner, Compare."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

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
from policyreader.core.notes import Note
from policyreader.core.urls import looks_like_url
from policyreader.core.versions import (
    Comparison,
    compare,
    long_date,
    older_first,
    text_only_document,
)
from policyreader.storage.library import Library, VersionSummary
from policyreader.storage.opening import FreshCopy
from policyreader.storage.sources import load_source
from policyreader.ui.common.theme import Theme
from policyreader.ui.reader.document_tab import DocumentTab
from policyreader.ui.reader.feature_context import FeatureContext
from policyreader.ui.reader.tab_area import OpenedTab
from policyreader.ui.versions.compare_view import CompareView
from policyreader.ui.versions.open_url_dialog import OpenUrlDialog

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
        self.label.setTextFormat(Qt.TextFormat.RichText)  # our words and a date only
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
    """One per window: Open Web Address, Reload, the changed-since-read banner and Compare.

    ``library`` lists the stored versions (None: no store, so no banner and no stored compare);
    ``notes_of(tab)`` gives the notes a comparison counts.
    """

    compared = Signal(object)  # the CompareWindow shown

    def __init__(
        self,
        context: FeatureContext,
        library: Library | None = None,
        notes_of: Callable[[DocumentTab], Sequence[Note]] | None = None,
    ) -> None:
        super().__init__(context.host)
        self.context = context
        self.tabs = context.tabs
        self.status = context.status
        self.library = library
        self.notes_of = notes_of
        self._checking: str | None = None  # the status line while a reload runs
        actions = context.actions
        actions["file_open_url"].triggered.connect(lambda _checked=False: self.open_url())
        actions["file_compare"].triggered.connect(lambda _checked=False: self.compare_current())
        actions["file_reload"].triggered.connect(lambda _checked=False: self.reload_current())
        self.tabs.opened.connect(self._opened)
        self.tabs.unchanged.connect(
            lambda _source: self.status.showMessage(
                "No change: this is still the version you have open", 6000
            )
        )

    # Open Web Address ---------------------------------------------------------------------------

    def open_url(self) -> OpenUrlDialog:
        """Ask for an address; the window's open job fetches it (again, if a tab shows it)."""
        dialog = OpenUrlDialog(self.context.host)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.address_chosen.connect(lambda url: self.context.request_open([FreshCopy(url)]))
        dialog.open()
        return dialog

    # Reload ---------------------------------------------------------------------------------------

    def reload_current(self, tab: DocumentTab | None = None) -> None:
        """Read the tab's file or fetch its page again; a new text replaces it as a new version."""
        tab = tab or self.tabs.current_tab()
        source = tab.property("source_path") if tab is not None else None
        if tab is None or not source:
            return
        self._checking = f"Checking {source} for a newer version…"
        self.status.showMessage(self._checking)
        self.context.request_open([FreshCopy(source)])

    # Banner ---------------------------------------------------------------------------------------

    def _opened(self, opened: OpenedTab) -> None:
        if self._checking and self.status.currentMessage() == self._checking:
            self.status.clearMessage()  # the reload is done; a feature may have said more since
        self._checking = None
        previous = self.previous_version(opened.tab, only_if_new=True)
        if previous is not None:
            self.show_banner(opened.tab, previous.last_opened)

    def previous_version(
        self, tab: DocumentTab, only_if_new: bool = False
    ) -> VersionSummary | None:
        """The version the library holds from before this one (the newest such)."""
        opened = tab.registration
        if opened is None or self.library is None or opened.document_id is None:
            return None
        if only_if_new and not opened.new_version:
            return None
        versions = self.library.versions(opened.document_id)
        fingerprints = [v.fingerprint for v in versions]
        wanted = opened.previous_fingerprint
        if wanted in fingerprints:
            return versions[fingerprints.index(wanted)]
        current = opened.fingerprint
        if current in fingerprints and fingerprints.index(current) > 0:
            return versions[fingerprints.index(current) - 1]
        return None

    def show_banner(self, tab: DocumentTab, last_read: str) -> ChangedBanner:
        existing = tab.findChild(ChangedBanner)
        if existing is not None:
            existing.deleteLater()
        banner = ChangedBanner(last_read, tab.theme, tab)
        banner.compare_requested.connect(lambda: self.compare_current(tab))
        tab.add_banner(banner)
        return banner

    # Compare --------------------------------------------------------------------------------------

    def compare_current(self, tab: DocumentTab | None = None) -> None:
        """Compare with the previous stored version, or else with a file the reader picks."""
        tab = tab or self.tabs.current_tab()
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
            self.context.host,
            "Compare with an earlier version",
            str(Path(new.path or "~").expanduser().parent),
        )
        if path:
            self.compare_in_worker(lambda: load_source(path), new)

    def _label_opened(self, document: PolicyDocument, library: Library) -> None:
        """Name the open version by the day the reader first opened it, as stored ones are."""
        tab = next((t for t in self.tabs.document_tabs() if t.document is document), None)
        opened = tab.registration if tab is not None else None
        if opened is None or opened.document_id is None:
            return
        for version in library.versions(opened.document_id):
            if version.fingerprint == opened.fingerprint:
                document.metadata.extra.setdefault("opened_at", version.first_seen)

    def compare_in_worker(
        self, old_source: Callable[[], PolicyDocument], new: PolicyDocument
    ) -> None:
        def work() -> Comparison:
            loaded = old_source()
            older, newer = older_first(loaded, new)
            comparison = compare(older, newer)
            comparison.text_only = loaded.original is None
            return comparison

        self.status.showMessage("Comparing versions…")
        self.context.tasks.run(work, self.show_comparison, self._failed)

    def show_comparison(self, comparison: Comparison) -> CompareWindow:
        self.status.clearMessage()
        theme = self.context.themes.theme
        shown = CompareWindow(
            comparison, theme, self.context.host, self._note_states(comparison.new)
        )
        shown.show()
        self.compared.emit(shown)
        return shown

    def _note_states(self, document: PolicyDocument) -> dict[str, int]:
        """The anchoring states of the notes carried over to ``document`` (its open tab's)."""
        tab = next((t for t in self.tabs.document_tabs() if t.document is document), None)
        if tab is None or self.notes_of is None:
            return {}
        return dict(Counter(note.state.value for note in self.notes_of(tab)))

    def _failed(self, error: Exception) -> None:
        self.status.clearMessage()
        self.context.present_error("Cannot compare", str(error))


def _stored_document(
    original: Original | None, text: str | None, like: PolicyDocument, first_seen: str
) -> PolicyDocument:
    """A stored version read again: from its original bytes, else (older stores) from its text."""
    if original is not None:
        document = load_original(original)
    else:
        document = text_only_document(text or "", like, name=like.path)
    name = (original.name if original else like.path) or ""
    stamp = "fetched_at" if looks_like_url(name) else ""
    document.metadata.extra[stamp or "opened_at"] = first_seen
    return document
