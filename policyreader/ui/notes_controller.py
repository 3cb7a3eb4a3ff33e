"""The notes feature of one window: tabs attached to the store, the notes actions, files, faults."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from policyreader.core.anchoring import AnchorState
from policyreader.core.annotations_io import (
    AnnotationFormatError,
    dumps_json,
    export_html,
    export_markdown,
    import_json,
)
from policyreader.core.corrections import Correction
from policyreader.core.document import Section
from policyreader.core.review_bundle import (
    BUNDLE_SUFFIX,
    BundleError,
    ReviewBundle,
    read_bundle,
    write_bundle,
)
from policyreader.core.urls import looks_like_url
from policyreader.storage.corrections import CorrectionsStore
from policyreader.storage.db import StorageError
from policyreader.storage.library import Library
from policyreader.storage.notes import NotesStore, NotSaved, OpenedDocument
from policyreader.ui.document_tab import DocumentTab
from policyreader.ui.library_window import LibraryWindow
from policyreader.ui.tab_notes import TabNotes, note_at
from policyreader.ui.theme import Theme

if TYPE_CHECKING:
    from policyreader.ui.main_window import MainWindow

RETRY_MS = 3000
STATUS_MS = 6000
EXPORT_FILTERS = {
    "Markdown (*.md)": ".md",
    "Web page (*.html)": ".html",
    "W3C Web Annotations (*.json)": ".json",
}
T = TypeVar("T")


def source_iri(source: str | None) -> str | None:
    """Where the policy came from as the W3C ``source`` wants it: a web address or file URI."""
    if not source:
        return None
    if looks_like_url(source):
        return source
    return Path(source).as_uri() if Path(source).is_absolute() else None


def is_review_path(path: str) -> bool:
    """A local ``.policyreview`` file (a web address ending so is fetched like any page)."""
    return path.lower().endswith(BUNDLE_SUFFIX) and not looks_like_url(path)


class NotesController(QObject):
    """One per window: attaches notes to every tab and carries out the notes actions."""

    def __init__(self, window: MainWindow, store: NotesStore) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.library = Library(store.database)
        self.library_window: LibraryWindow | None = None
        self.problem: str | None = None
        self.last_status = ""  # the last thing said in the status bar (other features speak too)
        self._deleted: list[tuple[TabNotes, str]] = []
        self._wanted_notes: dict[str, str] = {}  # path -> note to show once it is open
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
        window.installEventFilter(self)
        QTimer.singleShot(0, self._startup_notice)

    def _wire(self) -> None:
        window, actions = self.window, self.window.actions
        triggers: dict[str, Callable[[], object]] = {
            "notes_add": lambda: self._on_current(self.add_note),
            "notes_add_section": lambda: self._on_current(self.add_section_note),
            "notes_add_document": lambda: self._on_current(self.add_document_note),
            "notes_go": lambda: self._on_current(self.go_to_note),
            "file_export_notes": lambda: self._on_current(self.choose_export),
            "file_import_notes": lambda: self._on_current(self.choose_import),
            "file_export_review": lambda: self._on_current(self.choose_export_review),
            "file_library": self.show_library,
        }
        for name, trigger in triggers.items():
            actions[name].triggered.connect(lambda _checked=False, call=trigger: call())
        window.tabs.opened.connect(self._opened)
        window.tabs.changed.connect(self._update_actions)
        window.themes.changed.connect(self._theme_changed)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.applicationStateChanged.connect(self._application_state_changed)

    # Tabs ----------------------------------------------------------------------------------------

    def tab_notes(self, tab: DocumentTab | None = None) -> TabNotes | None:
        tab = tab or self.window.current_tab()
        found = tab.findChild(TabNotes) if tab is not None else None
        return found if isinstance(found, TabNotes) else None

    def _opened(self, path: str) -> None:
        tab = self.window.tabs.tab_for_path(path)
        if isinstance(tab, DocumentTab) and self.tab_notes(tab) is None:
            notes = self.attach(tab, path)
            wanted = self._wanted_notes.pop(path, None)
            if wanted is not None:
                self._focus_note(notes, wanted)

    def attach(self, tab: DocumentTab, path: str | None) -> TabNotes:
        """Register the tab's document with the store (re-anchoring its notes) and show them."""
        opened = self.call(lambda: self.store.open_document(tab.document, path))
        if opened is None:
            opened = OpenedDocument("", tab.document, path)
        notes = TabNotes(self, tab, opened)
        notes.refresh()
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

    def open_review(self, path: str) -> None:
        """Show a ``.policyreview`` file: its text with the sender's notes, ready to merge."""
        existing = self.window.tabs.tab_for_path(path)
        if existing is not None:
            self.window.tabs.setCurrentWidget(existing)
            return
        try:
            bundle = read_bundle(Path(path).read_bytes())
        except OSError as error:
            self.window.present_error(
                f"Cannot open {Path(path).name}", f"{path} cannot be read: {error.strerror}."
            )
            return
        except BundleError as error:
            self.window.present_error(f"Cannot open {Path(path).name}", str(error))
            return
        tab = self.window.tabs.add_document(bundle.document, path=path)
        index = self.window.tabs.indexOf(tab)
        self.window.tabs.setTabText(index, f"{tab.title} (review)")
        notes = TabNotes(self, tab, None, bundle)
        notes.refresh()
        notes.reveal_panel()  # the notes are what a review is opened for
        count = len(bundle.notes)
        notes.panel.offer_merge(
            f"A review with {count} note{'s' if count != 1 else ''} from someone else.",
            lambda: self.merge_review(notes),
        )
        self.window.settings.add_recent_file(path)
        self._update_actions()

    def merge_review(self, notes: TabNotes) -> None:
        if notes.review is None:
            return
        opened = self.call(
            lambda: self.store.open_document(
                notes.review.document, notes.tab.property("source_path")
            )
        )
        if opened is None:
            return
        review = notes.review
        report = self.call(lambda: self.store.import_notes(opened, review.notes))
        corrections = self.call(lambda: self._merge_corrections(review)) or 0
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

    def _merge_corrections(self, review: ReviewBundle) -> int:
        """Add the sender's corrections of the practices that this reader does not have yet."""
        corrections = CorrectionsStore(self.store.database)

        def key(c: Correction) -> tuple[object, ...]:
            return (c.start, c.end, c.kind, c.original_category, c.new_category)

        known = {key(c) for c in corrections.for_text(review.fingerprint)}
        added = 0
        for correction in review.corrections:
            if key(correction) not in known:
                corrections.add(correction)
                known.add(key(correction))
                added += 1
        return added

    # Notes ---------------------------------------------------------------------------------------

    def add_note(self, notes: TabNotes) -> None:
        if not self._editable(notes):
            return
        selected = notes.selection_range()
        if selected is None:
            self.status("Select a passage first, then add a note to it")
            return
        assert notes.opened is not None
        note = self.call(lambda: self.store.add_note(notes.opened, *selected))
        if note is not None:
            notes.refresh(select=note.id, edit=True)

    def add_section_note(self, notes: TabNotes, section: Section | None = None) -> None:
        if not self._editable(notes):
            return
        section = section or notes.current_section()
        if section is None:
            self.status("This policy has no sections; add a note on the whole policy instead")
            return
        assert notes.opened is not None
        note = self.call(lambda: self.store.add_section_note(notes.opened, section))
        if note is not None:
            notes.refresh(select=note.id, edit=True)

    def add_document_note(self, notes: TabNotes) -> None:
        if not self._editable(notes):
            return
        assert notes.opened is not None
        note = self.call(lambda: self.store.add_document_note(notes.opened))
        if note is not None:
            notes.refresh(select=note.id, edit=True)

    def edit(
        self, notes: TabNotes, note_id: str, body: str, tags: tuple, colour: str | None
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
        neighbour = (following or before[-1:] or [None])[0]
        if neighbour is not None:
            notes.panel.focus_note(neighbour)
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

    # Files ---------------------------------------------------------------------------------------

    def choose_export(self, notes: TabNotes) -> None:
        start = str(self._suggested_path(notes, " notes.md"))
        path, chosen = QFileDialog.getSaveFileName(
            self.window, "Export notes", start, ";;".join(EXPORT_FILTERS)
        )
        if path:
            suffix = EXPORT_FILTERS.get(chosen, ".md")
            if Path(path).suffix.lower() not in EXPORT_FILTERS.values():
                path += suffix
            self.export_notes(notes, Path(path))

    def export_notes(self, notes: TabNotes, path: Path) -> bool:
        """Write the tab's notes to ``path`` as Markdown, HTML or JSON (by its suffix)."""
        document, source = notes.tab.document, notes.tab.property("source_path")
        suffix = path.suffix.lower()
        if suffix == ".json":
            uri = source_iri(source)
            content = dumps_json(notes.notes, source=uri)
        elif suffix in (".html", ".htm"):
            content = export_html(notes.notes, document.title, source, document.text)
        else:
            content = export_markdown(notes.notes, document.title, source, document.text)
        if self._write(path, content.encode("utf-8")):
            self.status(f"Exported {len(notes.notes)} notes to {path.name}")
            return True
        return False

    def choose_import(self, notes: TabNotes) -> None:
        start = str(self._suggested_path(notes, " notes.json").parent)
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Import notes", start, "W3C Web Annotations (*.json);;All files (*)"
        )
        if path:
            self.import_notes(notes, Path(path))

    def import_notes(self, notes: TabNotes, path: Path) -> int:
        """Add the annotations in ``path`` to the tab's document; returns how many were added."""
        if not self._editable(notes):
            return 0
        title = f"Cannot import {path.name}"
        try:
            incoming = import_json(path.read_bytes())
        except OSError as error:
            self.window.present_error(title, f"{path} cannot be read: {error.strerror}.")
            return 0
        except AnnotationFormatError as error:
            self.window.present_error(title, f"{path.name}: {error}")
            return 0
        assert notes.opened is not None
        report = self.call(lambda: self.store.import_notes(notes.opened, incoming))
        notes.refresh()
        if report is None:
            return 0
        states = report.states
        counts = ", ".join(f"{states[s]} {s.value}" for s in AnchorState if states[s])
        added = len(report.added)
        text = f"Imported {added} note{'s' if added != 1 else ''}"
        if counts:
            text += f" ({counts})"
        if report.skipped:
            text += f"; {report.skipped} were already here"
        self.status(text)
        return added

    def choose_export_review(self, notes: TabNotes) -> None:
        start = str(self._suggested_path(notes, BUNDLE_SUFFIX))
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export review", start, f"Policy review (*{BUNDLE_SUFFIX})"
        )
        if path:
            if not path.lower().endswith(BUNDLE_SUFFIX):
                path += BUNDLE_SUFFIX
            self.export_review(notes, Path(path))

    def export_review(self, notes: TabNotes, path: Path) -> bool:
        """Write the policy, its notes and the reader's corrections as a ``.policyreview``."""
        corrections = []
        if notes.opened is not None and notes.opened.fingerprint:
            found = self.call(
                lambda: CorrectionsStore(self.store.database).for_text(notes.opened.fingerprint)
            )
            corrections = found or []
        data = write_bundle(notes.tab.document, notes.notes, corrections)
        if self._write(path, data):
            self.status(f"Review saved as {path.name}: send it with its notes")
            return True
        return False

    def _write(self, path: Path, data: bytes) -> bool:
        try:
            path.write_bytes(data)
        except OSError as error:
            self.window.present_error(
                f"Cannot save {path.name}", f"{path} cannot be written: {error.strerror}."
            )
            return False
        return True

    def _suggested_path(self, notes: TabNotes, suffix: str) -> Path:
        source = notes.tab.property("source_path")
        if not source or looks_like_url(source):  # a page from the web: home, named by title
            stem = "".join(c for c in notes.tab.title if c.isalnum() or c in " -_").strip()
            return Path.home() / f"{stem or 'policy'}{suffix}"
        return Path(source).parent / f"{Path(source).stem}{suffix}"

    # Library -------------------------------------------------------------------------------------

    def show_library(self) -> LibraryWindow:
        if self.library_window is None:
            self.library_window = LibraryWindow(
                self.library, self.window.present_error, self.window
            )
            self.library_window.open_requested.connect(self.window.open_requested)
            self.library_window.note_requested.connect(self.open_at_note)
            self.library_window.link_requested.connect(self.link_documents)
            self.library_window.unlink_requested.connect(self.unlink)
            self.library_window.compare_requested.connect(self.window.compare_policies.show)
        self.library_window.reload()
        self.library_window.show()
        self.library_window.raise_()
        self.library_window.activateWindow()
        return self.library_window

    def link_documents(self, newer_id: int, older_id: int) -> None:
        """Make two documents versions of one policy; open tabs of either follow at once."""
        linked = self.call(lambda: self.store.link_documents(newer_id, older_id) or True)
        if linked:
            self._follow_documents({newer_id, older_id})
            self.status("Linked as versions of one policy: its notes follow the newer version")

    def unlink(self, document_id: int, link_id: int) -> None:
        """Undo a link made by hand; tabs of the policy see which document they are again."""
        if self.call(lambda: self.store.unlink(link_id)) is not None:
            self._follow_documents({document_id})
            self.status("Unlinked: the version linked last is a policy of its own again")

    def _follow_documents(self, document_ids: set[int]) -> None:
        for tab in self.window.tabs.document_tabs():
            notes = self.tab_notes(tab)
            opened = notes.opened if notes is not None else None
            if notes is None or opened is None or opened.document_id not in document_ids:
                continue
            # Registering again gives the tab its document's id now and re-anchors its notes.
            again = self.call(lambda o=opened: self.store.open_document(o.document, o.path))
            if again is not None:
                notes.opened = again
                notes.refresh()
        if self.library_window is not None:
            self.library_window.reload()

    def open_at_note(self, path: str, note_id: str) -> None:
        """Open the policy at ``path`` (or show its tab) and bring up the note."""
        absolute = str(Path(path).absolute())
        tab = self.window.tabs.tab_for_path(absolute)
        notes = self.tab_notes(tab) if isinstance(tab, DocumentTab) else None
        if notes is not None:
            self.window.tabs.setCurrentWidget(notes.tab)
            self._focus_note(notes, note_id)
            return
        self._wanted_notes[absolute] = note_id
        self.window.open_requested.emit([absolute])

    def _focus_note(self, notes: TabNotes, note_id: str) -> None:
        self.window.activateWindow()
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
        if watched is self.window and event.type() == QEvent.Type.Close and not self.may_close():
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
        box = QMessageBox(QMessageBox.Icon.Warning, "Notes not saved", message, parent=self.window)
        box.setInformativeText("Quit anyway and lose them, or stay and free some room first?")
        quit_button = box.addButton("Quit Anyway", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Stay", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is quit_button

    def _startup_notice(self) -> None:
        """Tell once that a damaged database was moved aside, or that notes cannot be saved."""
        database = self.store.database
        if database.moved_aside is not None and database.notice:
            self.window.present_error("Notes database replaced", database.notice)
        elif database.notice:
            self._show_problem(database.notice)

    # Helpers -------------------------------------------------------------------------------------

    def status(self, text: str, timeout_ms: int = STATUS_MS) -> None:
        self.last_status = text
        self.window.statusBar().showMessage(text, timeout_ms)

    def _editable(self, notes: TabNotes) -> bool:
        if notes.editable:
            return True
        self.status("These notes belong to a review: merge them into yours to change them")
        return False

    def _on_current(self, call: Callable[[TabNotes], object]) -> None:
        notes = self.tab_notes()
        if notes is not None:
            call(notes)

    def _all_tab_notes(self) -> list[TabNotes]:
        found = (self.tab_notes(tab) for tab in self.window.tabs.document_tabs())
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
        actions = self.window.actions
        editable = notes is not None and notes.editable
        for name in ("notes_add", "notes_add_section", "notes_add_document", "file_import_notes"):
            actions[name].setEnabled(editable)
        for name in ("notes_go", "file_export_notes", "file_export_review"):
            actions[name].setEnabled(notes is not None)
