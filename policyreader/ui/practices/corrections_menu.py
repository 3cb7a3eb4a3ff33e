"""Glue between the reader's context menu and the corrections store: offer, save and load corrections."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QMenu

from policyreader.core.practices.corrections import Correction, CorrectionKind
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import LABELS, PRACTICE_CATEGORIES
from policyreader.core.summary import Span
from policyreader.storage.corrections_store import CorrectionsStore
from policyreader.storage.db import StorageError


class TabCorrections:
    """One tab's corrections: read from the store when the text is known, saved as they are made.

    Without a store (``None``) corrections live as long as the tab; a store that fails (disk
    full, read-only) keeps them in memory too and ``problem`` says why.
    """

    def __init__(self, store: CorrectionsStore | None) -> None:
        self.store = store
        self.current: list[Correction] = []
        self.problem: str | None = None

    def read(self, fingerprint: str) -> list[Correction]:
        """The saved corrections of a text, in the order they were made (a later one overrides an
        earlier one); only reads, so the detection worker may call it."""
        found: list[Correction] = []
        if self.store is not None:
            try:
                found = self.store.for_text(fingerprint)
            except StorageError as error:
                self.problem = str(error)
        return sorted(found, key=lambda c: (c.created, c.id or 0))

    def load(self, fingerprint: str) -> list[Correction]:
        self.current = self.read(fingerprint)
        return self.current

    def add(self, correction: Correction, fingerprint: str) -> Correction:
        correction = Correction(
            fingerprint,
            correction.start,
            correction.end,
            correction.kind,
            correction.original_category,
            correction.new_category,
        )
        if self.store is not None:
            try:
                correction = self.store.add(correction)
            except StorageError as error:
                self.problem = str(error)
        self.current.append(correction)
        return correction

    def undo(self, start: int, end: int) -> list[Correction]:
        """Forget the corrections of ``text[start:end]``: the detector's verdict returns."""
        undone = [c for c in self.current if (c.start, c.end) == (start, end)]
        self.current = [c for c in self.current if (c.start, c.end) != (start, end)]
        if self.store is not None:
            try:
                for correction in undone:
                    if correction.id is not None:
                        self.store.delete(correction.id)
            except StorageError as error:
                self.problem = str(error)
        return undone

    def spans(self) -> set[Span]:
        return {(c.start, c.end) for c in self.current}

    def extend_menu(
        self,
        menu: QMenu,
        under: Sequence[Practice],
        selection: Span | None,
        correct: Callable[[Correction], None],
        undo: Callable[[int, int], None] | None = None,
    ) -> None:
        """Add "not a practice", "change category" for the highlights under the pointer and
        "mark as" for a selected passage."""
        if not under and selection is None:
            return
        menu.addSeparator()
        for practice in under:
            label = LABELS[practice.category]
            wrong = menu.addAction(f"Not “{label}”: remove this highlight")
            wrong.setObjectName(f"correction_wrong_{practice.category.value}")
            wrong.triggered.connect(
                lambda _checked=False, p=practice: correct(
                    Correction("", p.start, p.end, CorrectionKind.WRONG, p.category.value)
                )
            )
            change = menu.addMenu(f"Change “{label}” to")
            change.setObjectName(f"correction_change_{practice.category.value}")
            for category in PRACTICE_CATEGORIES:
                if category is practice.category:
                    continue
                action = change.addAction(LABELS[category])
                action.setObjectName(f"to_{category.value}")
                action.triggered.connect(
                    lambda _checked=False, p=practice, c=category: correct(
                        Correction(
                            "",
                            p.start,
                            p.end,
                            CorrectionKind.RECATEGORISED,
                            p.category.value,
                            c.value,
                        )
                    )
                )
        corrected = self.spans()
        for start, end in sorted({(p.start, p.end) for p in under} & corrected):
            if undo is not None:
                action = menu.addAction("Undo My Correction Here")
                action.setObjectName("correction_undo")
                action.triggered.connect(lambda _checked=False, s=start, e=end: undo(s, e))
        if selection is not None and selection[1] > selection[0]:
            mark = menu.addMenu("Mark Selection as Practice")
            mark.setObjectName("correction_mark")
            for category in PRACTICE_CATEGORIES:
                action = mark.addAction(LABELS[category])
                action.setObjectName(f"mark_{category.value}")
                action.triggered.connect(
                    lambda _checked=False, c=category: correct(
                        Correction(
                            "", selection[0], selection[1], CorrectionKind.ADDED, None, c.value
                        )
                    )
                )
