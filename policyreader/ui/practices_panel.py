"""The practices panel: legend, progress, a filter and the detections grouped by category and attribute."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QProgressBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import LABELS, PRACTICE_CATEGORIES, Category
from policyreader.core.summary import QUESTIONS, value_words
from policyreader.ui.highlights import mark_pixmap
from policyreader.ui.legend import Legend
from policyreader.ui.theme import Theme

ROLE_PRACTICE = Qt.ItemDataRole.UserRole  # index into the panel's practices
QUOTE_CHARS = 150


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """A passage on one line, cut at a word near ``limit``."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit)
    return flat[: cut if cut > limit // 2 else limit].rstrip(",;: ") + "…"


def group_names(practice: Practice) -> list[str]:
    """The attribute values a practice is listed under inside its category ("Location")."""
    questions = QUESTIONS.get(practice.category, ())
    kind = questions[0][1] if questions else None
    value = practice.attributes.get(kind.value) if kind is not None else None
    values = [value] if isinstance(value, str) else list(value or ())
    return [value_words(v) for v in values] or ["Other passages" if kind else ""]


class PracticesPanel(QWidget):
    """Shows what the detector found; ``practice_activated(Practice)`` when one is chosen."""

    practice_activated = Signal(object)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("practicesPanel")
        self.theme = theme
        self.text = ""
        self.practices: list[Practice] = []
        self.legend = Legend(theme, self)
        self.status = QLabel("Finding practices…", self)
        self.status.setObjectName("practicesStatus")
        self.status.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.setAccessibleName("Highlighting progress")
        self.filter = QLineEdit(self)
        self.filter.setObjectName("practicesFilter")
        self.filter.setPlaceholderText("Filter practices…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter practices")
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("practicesTree")
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Practices found")
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setIndentation(14)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.legend)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        self.filter.textChanged.connect(self.apply_filter)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        self.legend.visibility_changed.connect(lambda _shown: self.apply_filter())

    # Content -----------------------------------------------------------------------------------

    def set_practices(self, text: str, practices: Sequence[Practice]) -> None:
        self.text = text
        self.practices = list(practices)
        counts = {c: 0 for c in PRACTICE_CATEGORIES}
        for practice in self.practices:
            if practice.category in counts:
                counts[practice.category] += 1
        self.legend.set_counts(counts)
        self._fill()
        self.apply_filter()

    def _fill(self) -> None:
        self.tree.clear()
        ratio = self.devicePixelRatioF()
        for category in PRACTICE_CATEGORIES:
            found = [(i, p) for i, p in enumerate(self.practices) if p.category is category]
            if not found:
                continue
            top = QTreeWidgetItem(self.tree, [f"{LABELS[category]}  ({len(found)})"])
            top.setIcon(0, QIcon(mark_pixmap(category, self.theme, 14, ratio)))
            top.setData(0, Qt.ItemDataRole.UserRole + 1, category.value)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            groups: dict[str, QTreeWidgetItem] = {}
            for index, practice in found:
                for name in group_names(practice):
                    parent = top
                    if name:
                        parent = groups.get(name) or QTreeWidgetItem(top, [name])
                        groups[name] = parent
                    self._entry(parent, index, practice)
            for group in groups.values():
                group.setText(0, f"{group.text(0)}  ({group.childCount()})")
            top.setExpanded(True)  # categories open, their groups closed: one screen shows all

    def _entry(self, parent: QTreeWidgetItem, index: int, practice: Practice) -> None:
        passage = self.text[practice.start : practice.end]
        item = QTreeWidgetItem(parent, [f"“{quote(passage)}”"])
        item.setData(0, ROLE_PRACTICE, index)
        item.setToolTip(0, quote(passage, 600))

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.legend.set_theme(theme)
        if self.practices:
            self._fill()
            self.apply_filter()

    # Progress ----------------------------------------------------------------------------------

    def show_busy(self, message: str) -> None:
        self.status.setText(message)
        self.status.show()
        self.progress.setRange(0, 0)
        self.progress.show()

    def show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setVisible(done < total)
        self.status.setText(f"Highlighting… {done * 100 // max(total, 1)} %")

    def show_done(self, message: str) -> None:
        self.progress.hide()
        self.status.setText(message)

    # Filter and activation ----------------------------------------------------------------------

    def apply_filter(self, _text: str = "") -> None:
        """Hide entries whose passage or group lacks the words typed, and hidden categories."""
        words = self.filter.text().casefold().split()
        shown = self.legend.visible()
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            category = Category(top.data(0, Qt.ItemDataRole.UserRole + 1))
            any_left = False
            for j in range(top.childCount()):
                any_left |= self._filter_item(top.child(j), words, top.text(0).casefold())
            top.setHidden(category not in shown or not any_left)
            if words:
                top.setExpanded(True)

    def _filter_item(self, item: QTreeWidgetItem, words: list[str], context: str) -> bool:
        if item.childCount():
            group = f"{context} {item.text(0).casefold()}"
            left = [
                self._filter_item(item.child(k), words, group) for k in range(item.childCount())
            ]
            item.setHidden(not any(left))
            if words and any(left):
                item.setExpanded(True)
            return any(left)
        haystack = f"{context} {item.text(0).casefold()}"
        visible = all(word in haystack for word in words)
        item.setHidden(not visible)
        return visible

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        index = item.data(0, ROLE_PRACTICE)
        if index is not None:
            self.practice_activated.emit(self.practices[int(index)])

    def entries(self) -> list[QTreeWidgetItem]:
        """Every leaf (one per practice and group), for tests and keyboard walkers."""
        found: list[QTreeWidgetItem] = []
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            if item.data(0, ROLE_PRACTICE) is not None:
                found.append(item)
            stack[:0] = [item.child(k) for k in range(item.childCount())]
        return found
