"""The main window: builds the menus, tabs and status bar from their modules and wires their signals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QStackedWidget,
)

from policyreader.core.fingerprint import fingerprint
from policyreader.core.notes import Note
from policyreader.storage.corrections_store import CorrectionsStore
from policyreader.storage.notes_store import NotesStore
from policyreader.storage.opening import Loader, OpenedSource, Source, open_source
from policyreader.storage.sources import load_source
from policyreader.ui.common.collaborators import ErrorPresenter
from policyreader.ui.common.plain_text import plain_tip
from policyreader.ui.common.tasks import TaskRunner
from policyreader.ui.common.theme import Theme, ThemeChoice, ThemeManager
from policyreader.ui.compare_policies.feature import ComparePolicies
from policyreader.ui.notes.notes_feature import NotesFeature
from policyreader.ui.practices.practices_feature import (
    PracticesFeature,
    attach_practices,
    export_practices,
    print_practices,
)
from policyreader.ui.reader.document_tab import DocumentTab, PreparedTab
from policyreader.ui.reader.feature_context import FeatureContext
from policyreader.ui.reader.reader_view import UrlOpener
from policyreader.ui.reader.reading import summary_line
from policyreader.ui.reader.reading_position import ReadingPosition
from policyreader.ui.reader.tab_area import OpenedTab, TabArea
from policyreader.ui.reader.typography import Typography
from policyreader.ui.shell.actions import (
    DOCUMENT_ACTIONS,
    MENUS,
    NOTES_ACTIONS,
    SEPARATORS_BEFORE,
    ActionCollection,
)
from policyreader.ui.shell.dialogs import MessageBoxPresenter, ShortcutsDialog, show_about
from policyreader.ui.shell.settings import Settings
from policyreader.ui.shell.welcome import WelcomePage
from policyreader.ui.versions.versions_feature import VersionsFeature

if TYPE_CHECKING:
    from policyreader.core.practices.practice import Practice
    from policyreader.storage.analysis_cache import AnalysisCache

OPEN_FILTER = (
    "Policies (*.md *.markdown *.txt *.text *.html *.htm *.xhtml *.pdf *.policyreview);;"
    "Policy reviews (*.policyreview);;All files (*)"
)


class MainWindow(QMainWindow):
    """Every way of opening a file ends in ``open_requested(sources)``; the tab area runs one open
    job per source in a worker (load, register, re-anchor) and the features take the result.

    Collaborators come in as arguments: ``loader`` reads a path or address (in the worker),
    ``present_error(title, message)``
    tells the user about a file that cannot be opened, ``url_opener`` hands links to the browser,
    ``notes_store`` keeps the reader's notes (None: the window takes no notes), ``corrections_store``
    the reader's corrections of the practice detector (None: they last as long as the tab),
    ``analysis_cache`` the open cache (None: every open parses and detects).
    """

    open_requested = Signal(list)
    # The window's actions by name; shadows QWidget.actions(), which nothing here calls.
    actions: ActionCollection  # type: ignore[assignment]

    def __init__(
        self,
        settings: Settings,
        themes: ThemeManager,
        *,
        loader: Loader | None = None,
        present_error: ErrorPresenter | None = None,
        url_opener: UrlOpener | None = None,
        notes_store: NotesStore | None = None,
        corrections_store: CorrectionsStore | None = None,
        analysis_cache: AnalysisCache | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.themes = themes
        self.present_error = present_error or MessageBoxPresenter(self)
        self.url_opener = url_opener
        self.corrections_store = corrections_store
        self.analysis_cache = analysis_cache
        self.typography = Typography(settings.zoom_index())
        self.tasks = TaskRunner(self)
        self.actions = ActionCollection(self)
        load: Loader = loader or load_source
        self.tabs = TabArea(
            self.tasks,
            lambda source: open_source(source, load, notes_store, analysis_cache),
            self._make_tab,
            self,
            render_settings=lambda: (self.themes.theme, self.typography),
        )
        self.welcome = WelcomePage(self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self._build_menus()
        self._build_status_bar()
        self._wire()
        context = FeatureContext(
            tabs=self.tabs,
            actions=self.actions,
            status=self.statusBar(),
            present_error=self.present_error,
            tasks=self.tasks,
            themes=self.themes,
            request_open=self.open_requested.emit,
            host=self,
        )
        self.notes = self._notes_feature(context, notes_store)
        self.versions = VersionsFeature(
            context,
            self.notes.library if self.notes is not None else None,
            self._notes_of,
        )
        self.compare_policies = ComparePolicies(context)
        if self.notes is not None:
            self.notes.compare_requested.connect(self.compare_policies.show)
        self._add_after("file_compare", self.compare_policies.action)
        self._update_window_state()
        self.resize(1180, 780)
        geometry = settings.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)

    def _build_menus(self) -> None:
        for key, title in MENUS:
            menu = self.menuBar().addMenu(title)
            if key == "notes":
                self.notes_menu = menu
            for action in self.actions.in_menu(key):
                if action.objectName() in SEPARATORS_BEFORE:
                    menu.addSeparator()
                menu.addAction(action)
                if action.objectName() == "file_open":
                    self.recent_menu = QMenu("Open &Recent", menu)
                    self.recent_menu.setObjectName("recentMenu")
                    self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
                    menu.addMenu(self.recent_menu)

    def _add_after(self, name: str, action: QAction) -> None:
        """Put a feature's own action in the menu holding the action ``name``, just after it."""
        anchor = self.actions[name]
        menu = next(m for m in self.menuBar().findChildren(QMenu) if anchor in m.actions())
        following = menu.actions()[menu.actions().index(anchor) + 1 :]
        if following:
            menu.insertAction(following[0], action)
        else:
            menu.addAction(action)

    def _build_status_bar(self) -> None:
        self.summary_label = QLabel("", self)
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_label.setObjectName("summaryLabel")
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)  # busy: the length of a load is unknown
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setAccessibleName("Opening files")
        self.busy_bar.hide()
        self.statusBar().addPermanentWidget(self.busy_bar)
        self.statusBar().addPermanentWidget(self.summary_label)

    def _wire(self) -> None:
        triggers: dict[str, Callable[[], object]] = {
            "file_open": self.choose_files,
            "file_close": lambda: self.tabs.close_tab(self.tabs.currentIndex()),
            "file_quit": self.close,
            "edit_copy": lambda: self._on_tab(lambda t: t.reader.copy()),
            "edit_select_all": lambda: self._on_tab(lambda t: t.reader.selectAll()),
            "edit_find": lambda: self._on_tab(DocumentTab.open_find),
            "edit_find_next": lambda: self._on_tab(DocumentTab.find_next),
            "edit_find_previous": lambda: self._on_tab(DocumentTab.find_previous),
            "view_zoom_in": lambda: self.zoom(1),
            "view_zoom_out": lambda: self.zoom(-1),
            "view_zoom_reset": lambda: self.zoom(0),
            "view_theme_system": lambda: self.set_theme_choice(ThemeChoice.SYSTEM),
            "view_theme_light": lambda: self.set_theme_choice(ThemeChoice.LIGHT),
            "view_theme_dark": lambda: self.set_theme_choice(ThemeChoice.DARK),
            "go_next_section": lambda: self._on_tab(DocumentTab.go_next_section),
            "go_previous_section": lambda: self._on_tab(DocumentTab.go_previous_section),
            "go_filter_outline": lambda: self._on_tab(lambda t: t.outline.focus_filter()),
            "go_switch_panel": self.switch_panel,
            "go_next_tab": lambda: self.tabs.step(1),
            "go_previous_tab": lambda: self.tabs.step(-1),
            "help_shortcuts": self.show_shortcuts,
            "help_about": lambda: show_about(self),
            "go_next_practice": lambda: self._on_practices(lambda f: f.step_selected(True)),
            "go_previous_practice": lambda: self._on_practices(lambda f: f.step_selected(False)),
            "file_export_practices": lambda: self._on_practices(
                lambda f: export_practices(self, f)
            ),
            "file_print": lambda: self._on_practices(lambda f: print_practices(self, f)),
        }
        for name, trigger in triggers.items():
            self.actions[name].triggered.connect(lambda _checked=False, call=trigger: call())
        self.actions.view_outline.setChecked(True)
        self.actions.view_outline.toggled.connect(self.set_outline_visible)
        self.actions.view_all_tints.setChecked(self.settings.all_tints())
        self.actions.view_all_tints.toggled.connect(self.set_all_tints)
        self.actions[f"view_theme_{self.themes.choice.value}"].setChecked(True)
        self.open_requested.connect(self.open_files)
        self.welcome.choose_requested.connect(self.choose_files)
        self.welcome.open_requested.connect(self.open_requested)
        self.tabs.changed.connect(self._update_window_state)
        self.tabs.opened.connect(self._opened)
        self.tabs.failed.connect(self.present_error)
        self.tasks.busy_changed.connect(self.busy_bar.setVisible)
        self.themes.changed.connect(self._theme_changed)

    def _notes_feature(
        self, context: FeatureContext, store: NotesStore | None
    ) -> NotesFeature | None:
        if store is not None:
            return NotesFeature(context, store)
        for name in NOTES_ACTIONS:
            self.actions[name].setVisible(False)
        self.notes_menu.menuAction().setVisible(False)
        return None

    def _notes_of(self, tab: DocumentTab) -> list[Note]:
        notes = self.notes.tab_notes(tab) if self.notes is not None else None
        return notes.notes if notes is not None else []

    def _make_tab(self, opened: OpenedSource, prepared: PreparedTab | None = None) -> DocumentTab:
        tab = DocumentTab(
            opened.document,
            self.themes.theme,
            self.typography,
            url_opener=self.url_opener,
            parent=self,
            prepared=prepared,
        )
        tab.registration = opened.registration
        tab.restore_splitter(self.settings.splitter_state())
        tab.outline.setVisible(self._outline_wanted(tab))
        tab.status_message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        tab.link_hovered.connect(lambda url: self.statusBar().showMessage(url, 4000))
        tab.splitter_moved.connect(self.settings.set_splitter_state)
        tab.reader.zoom_requested.connect(self.zoom)
        feature = attach_practices(
            tab,
            self.tasks,
            self.corrections_store,
            self.url_opener,
            cached=opened.detected,
            remember=self._remember(opened),
            refined=opened.refined,
            remember_refined=self._remember_refined(opened),
        )
        feature.all_tints = self.actions.view_all_tints.isChecked()
        self._follow_reading_position(tab, opened)
        return tab

    def _follow_reading_position(self, tab: DocumentTab, opened: OpenedSource) -> None:
        """Open where the reader left this text, and remember where they leave it now."""
        key = (
            opened.registration.fingerprint
            if opened.registration is not None
            else fingerprint(opened.document.text)
        )
        settings = self.settings
        position = ReadingPosition(
            tab,
            settings.reading_position(key),
            lambda offset: settings.set_reading_position(key, offset),
        )
        tab.closing.connect(position.save)

    def _remember(self, opened: OpenedSource) -> Callable[[list[Practice]], None] | None:
        """Keeps the detections of ``opened`` in the open cache (from the practices' worker)."""
        cache, key = self.analysis_cache, opened.cache_key
        if cache is None or key is None or opened.detected is not None:
            return None
        return lambda detected: cache.put(key, opened.document, detected)

    def _remember_refined(self, opened: OpenedSource) -> Callable[[list[Practice]], None] | None:
        """Keeps the encoder's final detections of ``opened`` (from the refine's worker)."""
        cache, key = self.analysis_cache, opened.refined_key
        if cache is None or key is None or opened.refined:
            return None
        return lambda detected: cache.put(key, opened.document, detected)

    def _on_practices(self, call: Callable[[PracticesFeature], object]) -> None:
        tab = self.current_tab()
        feature = PracticesFeature.of(tab) if tab is not None else None
        if feature is not None:
            call(feature)

    # Opening ---------------------------------------------------------------------------------

    def choose_files(self) -> None:
        recent = self.settings.recent_files()
        start = str(Path(recent[0]).parent) if recent else str(Path.home())
        paths, _ = QFileDialog.getOpenFileNames(self, "Open privacy policies", start, OPEN_FILTER)
        if paths:
            self.open_requested.emit(paths)

    def open_files(self, sources: Sequence[Source]) -> None:
        """The slot of ``open_requested``: paths, web addresses and reviews, each in a worker."""
        self.tabs.open_sources(sources)

    def _opened(self, opened: OpenedTab) -> None:
        self.settings.add_recent_file(opened.result.source)

    def current_tab(self) -> DocumentTab | None:
        return self.tabs.current_tab()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_requested.emit(paths)

    # View ------------------------------------------------------------------------------------

    def zoom(self, steps: int) -> None:
        """``steps`` up or down; 0 resets to the normal size."""
        self.typography = self.typography.zoomed(steps) if steps else Typography()
        self.settings.set_zoom_index(self.typography.zoom_index)
        for tab in self.tabs.document_tabs():
            tab.set_typography(self.typography)
        self.statusBar().showMessage(f"Zoom {round(self.typography.zoom * 100)} %", 2000)

    def set_theme_choice(self, choice: ThemeChoice) -> None:
        self.settings.set_theme_choice(choice)
        self.themes.set_choice(choice)
        self.actions[f"view_theme_{choice.value}"].setChecked(True)

    def _theme_changed(self, theme: Theme) -> None:
        for tab in self.tabs.document_tabs():
            tab.set_theme(theme)

    def set_all_tints(self, on: bool) -> None:
        self.settings.set_all_tints(on)
        for tab in self.tabs.document_tabs():
            feature = PracticesFeature.of(tab)
            if feature is not None:
                feature.set_all_tints(on)

    def set_outline_visible(self, _visible: bool) -> None:
        for tab in self.tabs.document_tabs():
            tab.outline.setVisible(self._outline_wanted(tab))

    def _outline_wanted(self, tab: DocumentTab) -> bool:
        """Shown when asked for, except beside a policy without headings (it would be empty)."""
        return self.actions.view_outline.isChecked() and bool(tab.document.sections)

    def switch_panel(self) -> None:
        tab = self.current_tab()
        if tab is None:
            return
        tab.focus_next_panel(QApplication.focusWidget())

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self.actions.shortcut_rows(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # State -----------------------------------------------------------------------------------

    def _on_tab(self, call: Callable[[DocumentTab], object]) -> None:
        tab = self.current_tab()
        if tab is not None:
            call(tab)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_files()
        for number, path in enumerate(recent, 1):
            action = self.recent_menu.addAction(f"&{number % 10} {Path(path).name}")
            action.setToolTip(plain_tip(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_requested.emit([p]))
        if recent:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("&Clear Recent Files", self.settings.clear_recent_files)
        else:
            self.recent_menu.addAction("No recent files").setEnabled(False)

    def _update_window_state(self) -> None:
        has_tabs = self.tabs.count() > 0
        if not has_tabs:
            self.welcome.set_recent(self.settings.recent_files())
        self.stack.setCurrentWidget(self.tabs if has_tabs else self.welcome)
        tab = self.current_tab()
        self.setWindowTitle(f"{tab.title} — policyreader" if tab else "policyreader")
        self.summary_label.setText(summary_line(tab.document) if tab else "")
        for name in DOCUMENT_ACTIONS:
            self.actions[name].setEnabled(tab is not None)
        self.actions.file_close.setEnabled(has_tabs)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.tasks.cancel_all()  # a refine still running stops after its batch
        for tab in self.tabs.document_tabs():
            tab.closing.emit()
        self.settings.set_window_geometry(self.saveGeometry())
        self.settings.set_window_state(QByteArray(self.saveState()))
        self.settings.sync()
        super().closeEvent(event)
