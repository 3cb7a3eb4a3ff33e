"""Notes in and out of files: export as Markdown, HTML or JSON, import JSON, export a review."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar

from PySide6.QtWidgets import QFileDialog, QWidget

from policyreader.core.anchoring import AnchorState
from policyreader.core.annotations_io import (
    AnnotationFormatError,
    dumps_json,
    export_html,
    export_markdown,
    read_notes_file,
)
from policyreader.core.practices.corrections import Correction
from policyreader.core.review_bundle import BUNDLE_SUFFIX, write_bundle
from policyreader.core.urls import looks_like_url
from policyreader.storage.corrections_store import CorrectionsStore
from policyreader.storage.notes_store import NotesStore
from policyreader.ui.common.collaborators import ErrorPresenter
from policyreader.ui.notes.tab_notes import TabNotes

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


class FilesHost(Protocol):
    """What the files ask of the window's notes feature (``NotesFeature``)."""

    store: NotesStore
    corrections: CorrectionsStore
    host: QWidget
    present_error: ErrorPresenter

    def call(self, operation: Callable[[], T]) -> T | None: ...
    def status(self, text: str, timeout_ms: int = ...) -> None: ...
    def check_editable(self, notes: TabNotes) -> bool: ...


class NotesFiles:
    """File > Export Notes, Import Notes and Export Review for the current tab's notes."""

    def __init__(self, feature: FilesHost) -> None:
        self.feature = feature

    def choose_export(self, notes: TabNotes) -> None:
        start = str(self._suggested_path(notes, " notes.md"))
        path, chosen = QFileDialog.getSaveFileName(
            self.feature.host, "Export notes", start, ";;".join(EXPORT_FILTERS)
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
            self.feature.status(f"Exported {len(notes.notes)} notes to {path.name}")
            return True
        return False

    def choose_import(self, notes: TabNotes) -> None:
        start = str(self._suggested_path(notes, " notes.json").parent)
        path, _ = QFileDialog.getOpenFileName(
            self.feature.host, "Import notes", start, "W3C Web Annotations (*.json);;All files (*)"
        )
        if path:
            self.import_notes(notes, Path(path))

    def import_notes(self, notes: TabNotes, path: Path) -> int:
        """Add the annotations in ``path`` to the tab's document; returns how many were added."""
        if not self.feature.check_editable(notes):
            return 0
        title = f"Cannot import {path.name}"
        try:
            incoming = read_notes_file(path)  # capped, never blocking, bounded JSON
        except AnnotationFormatError as error:
            self.feature.present_error(title, f"{path.name}: {error}")
            return 0
        opened = notes.registered()
        report = self.feature.call(lambda: self.feature.store.import_notes(opened, incoming))
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
        self.feature.status(text)
        return added

    def choose_export_review(self, notes: TabNotes) -> None:
        start = str(self._suggested_path(notes, BUNDLE_SUFFIX))
        path, _ = QFileDialog.getSaveFileName(
            self.feature.host, "Export review", start, f"Policy review (*{BUNDLE_SUFFIX})"
        )
        if path:
            if not path.lower().endswith(BUNDLE_SUFFIX):
                path += BUNDLE_SUFFIX
            self.export_review(notes, Path(path))

    def export_review(self, notes: TabNotes, path: Path) -> bool:
        """Write the policy, its notes and the reader's corrections as a ``.policyreview``."""
        corrections: list[Correction] = []
        text_id = notes.opened.fingerprint if notes.opened is not None else ""
        if text_id:
            corrections = (
                self.feature.call(lambda: self.feature.corrections.for_text(text_id)) or []
            )
        data = write_bundle(notes.tab.document, notes.notes, corrections)
        if self._write(path, data):
            self.feature.status(f"Review saved as {path.name}: send it with its notes")
            return True
        return False

    def _write(self, path: Path, data: bytes) -> bool:
        try:
            path.write_bytes(data)
        except OSError as error:
            self.feature.present_error(
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
