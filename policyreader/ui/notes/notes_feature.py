"""The notes feature of one window: tabs attached to the store, the notes actions, faults."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from policyreader.core.anchoring import AnchorState
from policyreader.core.document import Section
from policyreader.storage.corrections_store import CorrectionsStore
from policyreader.storage.db import StorageError
from policyreader.storage.library import Library
from policyreader.storage.notes_store import NotesStore, NotSaved, OpenedDocument
from policyreader.storage.opening import OpenedSource
from policyreader.ui.common.theme import Theme
from policyreader.ui.library.library_window import LibraryWindow
from policyreader.ui.notes.notes_files import NotesFiles
from policyreader.ui.notes.tab_notes import TabNotes, note_at
from policyreader.ui.reader.document_tab import DocumentTab
from policyreader.ui.reader.feature_context import FeatureContext
from policyreader.ui.reader.tab_area import OpenedTab

RETRY_MS = 3000
STATUS_MS = 6000
T = TypeVar("T")


class NotesFeature(QObject):
    """One per window: attaches notes to every tab and carries out the notes actions.

    ``compare_requested(paths)``: the library asks to see those policies side by side.
    """

    compare_requested = Signal(list)

    def __init__(self, context: FeatureContext, store: NotesStore) -> None:
        super().__init__(context.host)
        self.context = context
        self.tabs = context.tabs
        self.actions = context.actions
        self.present_error = context.present_error
        self.host = context.host
        self.store = store
        self.corrections = CorrectionsStore(store.database)
        self.files = NotesFiles(self)
        self.library = Library(store.database)
        self.library_window: LibraryWindow | None = None
        self.problem: str | None = None
        self.last_status = ""  # the last thing said in the status bar (other features speak too)
        self._deleted: list[tuple[TabNotes, str]] = []
        self._wanted_notes: dict[str, str] = {}  # path -> note to show once it is open
        self._reviews_loading: set[str] = set()
        # An open library follows the notes, once typing pauses.
        self._library_timer = QTimer(self)
        self._library_timer.setSingleShot(True)
        self._library_timer.setInterval(500)
        self._library_timer.timeout.connect(
            lambda: self.library_window is not None and self.library_window.reload()
        )
        self._retry = QTimer(self)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.retry)
        # Asked before quitting with changes the disk still refuses; tests answer it themselves.
        self.confirm_quit: Callable[[str], bool] = self._ask_quit
        self._wire()
        self._update_actions()
        self.host.installEventFilter(self)
        QTimer.singleShot(0, self._startup_notice)

    def _wire(self) -> None:
        actions = self.actions
        triggers: dict[str, Callable[[], object]] = {
            "notes_add": lambda: self._on_current(self.add_note),
            "notes_add_section": lambda: self._on_current(self.add_section_note),
            "notes_add_document": lambda: self._on_current(self.add_document_note),
            "notes_go": lambda: self._on_current(self.go_to_note),
            "file_export_notes": lambda: self._on_current(self.files.choose_export),
            "file_import_notes": lambda: self._on_current(self.files.choose_import),
            "file_export_review": lambda: self._on_current(self.files.choose_export_review),
            "file_library": self.show_library,
        }
        for name, trigger in triggers.items():
            actions[name].triggered.connect(lambda _checked=False, call=trigger: call())
        self.tabs.opened.connect(self._opened)
        self.tabs.changed.connect(self._update_actions)
        self.context.themes.changed.connect(self._theme_changed)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.applicationStateChanged.connect(self._application_state_changed)

    # Tabs ----------------------------------------------------------------------------------------

    def tab_notes(self, tab: DocumentTab | None = None) -> TabNotes | None:
        tab = tab or self.tabs.current_tab()
        found = tab.findChild(TabNotes) if tab is not None else None
        return found if isinstance(found, TabNotes) else None

    def _opened(self, opened: OpenedTab) -> None:
        """A tab arrived from the open job, its notes already read and re-anchored there."""
        tab, result = opened.tab, opened.result
        if self.tab_notes(tab) is not None:
            return
        if result.review is not None:
            self._show_review(tab, result)
            return
        notes = self.attach(tab, result)
        wanted = self._wanted_notes.pop(result.source, None)
        if wanted is not None:
            self._focus_note(notes, wanted)

    def attach(self, tab: DocumentTab, result: OpenedSource) -> TabNotes:
        """Show the notes the open job found for the tab's document (registered and re-anchored)."""
        opened = result.registration or OpenedDocument("", tab.document, result.source)
        notes = TabNotes(self, tab, opened)
        notes.show(result.notes)
        self._show_problem(self.store.problem.message if self.store.problem else self.problem)
        review = sum(1 for n in notes.notes if n.state is AnchorState.FUZZY)
        gone = sum(1 for n in notes.notes if n.is_orphaned)
        if review or gone:
            parts = [f"{review} to review"] if review else []
            parts += [f"{gone} whose passage is gone"] if gone else []
            self.status(f"The text changed under some notes: {' and '.join(parts)} (see Notes)")
        elif opened.new_version:
            self.status("This file changed since you last opened it; its notes were re-anchored")
        self._update_actions()
        return notes

    def _show_review(self, tab: DocumentTab, result: OpenedSource) -> None:
        """A ``.policyreview``: its text with the sender's notes, read-only until merged."""
        bundle = result.review
        assert bundle is not None
        self.tabs.setTabText(self.tabs.indexOf(tab), f"{tab.title} (review)")
        notes = TabNotes(self, tab, None, bundle)
        notes.show(list(bundle.notes))
        notes.reveal_panel()  # the notes are what a review is opened for
        count = len(bundle.notes)
        notes.panel.offer_merge(
            f"A review with {count} note{'s' if count != 1 else ''} from someone else.",
            lambda: self.merge_review(notes),
        )
        self._update_actions()

    def merge_review(self, notes: TabNotes) -> None:
        review = notes.review
        if review is None:
            return
        source = notes.tab.property("source_path")
        opened = self.call(lambda: self.store.open_document(review.document, source))
        if opened is None:
            return
        report = self.call(lambda: self.store.import_notes(opened, review.notes))
        corrections = (
            self.call(lambda: self.corrections.add_missing(review.corrections, review.fingerprint))
            or 0
        )
        notes.opened = opened
        notes.review = None
        notes.refresh()
        if report is not None:
            added, skipped = len(report.added), report.skipped
            text = f"Merged {added} note{'s' if added != 1 else ''} into yours"
            if skipped:
                text += f"; {skipped} you had already"
            if corrections:
                text += f", and {corrections} correction{'s' if corrections != 1 else ''}"
            self.status(text)
        self._update_actions()

    # Notes ---------------------------------------------------------------------------------------

    def add_note(self, notes: TabNotes) -> None:
        if not self.check_editable(notes):
            return
        selected = notes.selection_range()
        if selected is None:
            self.status("Select a passage first, then add a note to it")
            return
        opened = notes.registered()
        note = self.call(lambda: self.store.add_note(opened, *selected))
        if note is not None:
            notes.refresh(select=note.id, edit=True)

    def add_section_note(self, notes: TabNotes, section: Section | None = None) -> None:
        if not self.check_editable(notes):
            return
        section = section or notes.current_section()
        if section is None:
            self.status("This policy has no sections; add a note on the whole policy instead")
            return
        opened = notes.registered()
        note = self.call(lambda: self.store.add_section_note(opened, section))
        if note is not None:
            notes.refresh(select=note.id, edit=True)

    def add_document_note(self, notes: TabNotes) -> None:
        if not self.check_editable(notes):
            return
        opened = notes.registered()
        note = self.call(lambda: self.store.add_document_note(opened))
        if note is not None:
            notes.refresh(select=note.id, edit=True)

    def edit(
        self, notes: TabNotes, note_id: str, body: str, tags: tuple[str, ...], colour: str | None
    ) -> None:
        note = self.call(
            lambda: self.store.update_note(note_id, body=body, tags=tags, colour=colour)
        )
        if note is not None:
            for shown in (notes, *self.siblings(notes)):
                shown.notes = [note if n.id == note.id else n for n in shown.notes]
                shown.panel.update_note(note)
                shown.paint()
            notes.panel.editor.show_saved(self.problem is None)

    def delete(self, notes: TabNotes, note_id: str) -> None:
        note = self.call(lambda: self.store.delete_note(note_id))
        if note is None:
            return
        self._deleted.append((notes, note_id))
        visible = notes.panel.visible_note_ids()
        following = visible[visible.index(note_id) + 1 :] if note_id in visible else []
        before = visible[: visible.index(note_id)] if note_id in visible else []
        notes.refresh()
        neighbours = following or before[-1:]
        if neighbours:
            notes.panel.focus_note(neighbours[0])
        else:
            notes.panel.setFocus(Qt.FocusReason.OtherFocusReason)
        notes.panel.offer_undo("Note deleted.")
        self.status("Note deleted; Ctrl+Z in the notes panel brings it back")

    def undo(self) -> None:
        """Bring back the last deleted note."""
        while self._deleted:
            notes, note_id = self._deleted.pop()
            note = self.call(lambda: self.store.restore_note(note_id))  # noqa: B023
            if note is None:
                return
            try:
                notes.refresh(select=note_id)
            except RuntimeError:  # its tab was closed meanwhile
                continue
            notes.panel.action_notice.hide()
            self.status("Note restored")
            return
        self.status("Nothing to undo")

    def confirm(self, notes: TabNotes, note_id: str) -> None:
        note = self.call(lambda: self.store.confirm_anchor(note_id))
        if note is not None:
            notes.refresh(select=note_id)
            self.status("Note confirmed at its new place")

    def go_to_note(self, notes: TabNotes) -> None:
        """From the text to the note at the cursor; from the panel back to the passage."""
        focus = QApplication.focusWidget()
        if focus is not None and notes.panel.isAncestorOf(focus):
            if notes.panel.selected_id is not None:
                notes.show_passage(notes.panel.selected_id, focus=True)
            return
        note, covers = note_at(notes.notes, notes.cursor_offset())
        if note is None:
            self.status("No note at or after the cursor")
            return
        if not covers:
            self.status("No note at the cursor; this is the next one")
        notes.go_to(note.id)

    # Library -------------------------------------------------------------------------------------

    def show_library(self) -> LibraryWindow:
        if self.library_window is None:
            self.library_window = LibraryWindow(self.library, self.present_error, self.host)
            self.library_window.open_requested.connect(self.context.request_open)
            self.library_window.note_requested.connect(self.open_at_note)
            self.library_window.link_requested.connect(self.link_documents)
            self.library_window.unlink_requested.connect(self.unlink)
            self.library_window.compare_requested.connect(self.compare_requested)
        self.library_window.reload()
        self.library_window.show()
        self.library_window.raise_()
        self.library_window.activateWindow()
        return self.library_window

    def link_documents(self, newer_id: int, older_id: int) -> None:
        """Make two documents versions of one policy; open tabs of either follow at once."""

        def link() -> bool:
            self.store.link_documents(newer_id, older_id)
            return True

        if self.call(link):
            self._follow_documents({newer_id, older_id})
            self.status("Linked as versions of one policy: its notes follow the newer version")

    def unlink(self, document_id: int, link_id: int) -> None:
        """Undo a link made by hand; tabs of the policy see which document they are again."""
        if self.call(lambda: self.store.unlink(link_id)) is not None:
            self._follow_documents({document_id})
            self.status("Unlinked: the version linked last is a policy of its own again")

    def _follow_documents(self, document_ids: set[int]) -> None:
        for tab in self.tabs.document_tabs():
            notes = self.tab_notes(tab)
            opened = notes.opened if notes is not None else None
            if notes is None or opened is None or opened.document_id not in document_ids:
                continue
            # Registering again gives the tab its document's id now and re-anchors its notes.
            again = self.call(partial(self.store.open_document, opened.document, opened.path))
            if again is not None:
                notes.opened = again
                notes.refresh()
        if self.library_window is not None:
            self.library_window.reload()

    def open_at_note(self, path: str, note_id: str) -> None:
        """Open the policy at ``path`` (or show its tab) and bring up the note."""
        absolute = str(Path(path).absolute())
        tab = self.tabs.tab_for_path(absolute)
        notes = self.tab_notes(tab) if isinstance(tab, DocumentTab) else None
        if notes is not None:
            self.tabs.setCurrentWidget(notes.tab)
            self._focus_note(notes, note_id)
            return
        self._wanted_notes[absolute] = note_id
        self.context.request_open([absolute])

    def _focus_note(self, notes: TabNotes, note_id: str) -> None:
        self.host.activateWindow()
        notes.reveal_panel()
        notes.panel.focus_note(note_id)
        notes.show_passage(note_id, focus=False)

    # Faults --------------------------------------------------------------------------------------

    def call(self, operation: Callable[[], T]) -> T | None:
        """Run a store operation; a change the disk refused stays queued and is retried."""
        try:
            result = operation()
        except NotSaved as error:
            self._show_problem(str(error))
            self._retry.start()
            # NotSaved comes only from writing a note, so T is Note here (kept, to retry).
            return error.note  # type: ignore[return-value]
        except StorageError as error:
            self._show_problem(str(error))
            self._retry.start()
            return None
        except (KeyError, ValueError) as error:
            # A note deleted by another window meanwhile, or a change the note cannot take.
            self.status(f"That note cannot be changed: {error.args[0] if error.args else error}")
            return None
        if self.problem is not None and self.store.pending_count == 0:
            self._show_problem(None)
        if self.library_window is not None and self.library_window.isVisible():
            self._library_timer.start()
        return result

    def retry(self) -> None:
        """Write the queued changes if the disk takes them now."""
        if self.store.pending_count == 0:
            self._retry.stop()
            self._show_problem(None)
            return
        try:
            written = self.store.flush_pending()
        except NotSaved as error:
            self._show_problem(str(error))
            return
        self._retry.stop()
        self._show_problem(None)
        self.status(f"Saved {written} note change{'s' if written != 1 else ''} kept in memory")

    def _show_problem(self, message: str | None) -> None:
        changed = message != self.problem
        self.problem = message
        for notes in self._all_tab_notes():
            notes.panel.show_save_problem(message)
        if message and changed:
            self.status(message, 15_000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.host and event.type() == QEvent.Type.Close and not self.may_close():
            event.ignore()
            return True
        return super().eventFilter(watched, event)

    def may_close(self) -> bool:
        """Save what is typed and queued; if the disk still refuses, ask before losing it."""
        for notes in self._all_tab_notes():
            notes.panel.editor.flush()
        if self.store.pending_count == 0:
            return True
        try:
            self.store.flush_pending()
        except NotSaved as error:
            count = self.store.pending_count
            changes = f"{count} note change{'s' if count != 1 else ''}"
            return self.confirm_quit(f"{changes} could not be saved. {error}")
        return True

    def _ask_quit(self, message: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, "Notes not saved", message, parent=self.host)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText("Quit anyway and lose them, or stay and free some room first?")
        quit_button = box.addButton("Quit Anyway", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Stay", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is quit_button

    def _startup_notice(self) -> None:
        """Tell once that a damaged database was moved aside, or that notes cannot be saved."""
        database = self.store.database
        if database.moved_aside is not None and database.notice:
            self.present_error("Notes database replaced", database.notice)
        elif database.notice:
            self._show_problem(database.notice)

    # Helpers -------------------------------------------------------------------------------------

    def status(self, text: str, timeout_ms: int = STATUS_MS) -> None:
        self.last_status = text
        self.context.status.showMessage(text, timeout_ms)

    def check_editable(self, notes: TabNotes) -> bool:
        if notes.editable:
            return True
        self.status("These notes belong to a review: merge them into yours to change them")
        return False

    def _on_current(self, call: Callable[[TabNotes], object]) -> None:
        notes = self.tab_notes()
        if notes is not None:
            call(notes)

    def _all_tab_notes(self) -> list[TabNotes]:
        found = (self.tab_notes(tab) for tab in self.tabs.document_tabs())
        return [notes for notes in found if notes is not None]

    def siblings(self, notes: TabNotes) -> list[TabNotes]:
        """The other tabs that show notes of the same document."""
        mine = notes.opened
        if mine is None:
            return []
        return [
            other
            for other in self._all_tab_notes()
            if other is not notes
            and other.opened is not None
            and (
                other.opened.fingerprint == mine.fingerprint
                or (mine.document_id is not None and other.opened.document_id == mine.document_id)
            )
        ]

    def _application_state_changed(self, state: Qt.ApplicationState) -> None:
        """Coming back to policyreader: another instance may have changed these notes."""
        if state == Qt.ApplicationState.ApplicationActive:
            for notes in self._all_tab_notes():
                notes.reload_if_changed()

    def _theme_changed(self, theme: Theme) -> None:
        for notes in self._all_tab_notes():
            notes.panel.apply_theme(theme)
            notes.paint()  # the tab re-rendered before this: its formats follow the theme

    def _update_actions(self) -> None:
        notes = self.tab_notes()
        actions = self.actions
        editable = notes is not None and notes.editable
        for name in ("notes_add", "notes_add_section", "notes_add_document", "file_import_notes"):
            actions[name].setEnabled(editable)
        for name in ("notes_go", "file_export_notes", "file_export_review"):
            actions[name].setEnabled(notes is not None)
