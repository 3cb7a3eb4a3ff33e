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

from policyreader.core.practices.polarity import Polarity
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import LABELS, PRACTICE_CATEGORIES, Category
from policyreader.core.summary import DOES_NOT, EXCEPT_AS_STATED, QUESTIONS, value_words
from policyreader.ui.common.plain_text import plain_tip
from policyreader.ui.common.theme import Theme
from policyreader.ui.practices.highlights import mark_pixmap
from policyreader.ui.practices.legend import Legend

ROLE_PRACTICE = Qt.ItemDataRole.UserRole  # index into the panel's practices
ROLE_CATEGORY = Qt.ItemDataRole.UserRole + 1  # on category rows
ROLE_GROUP = Qt.ItemDataRole.UserRole + 2  # on attribute-group rows
QUOTE_CHARS = 150


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """A passage on one line, cut at a word near ``limit``."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit)
    return flat[: cut if cut > limit // 2 else limit].rstrip(",;: ") + "…"


def group_names(practice: Practice) -> list[str]:
    """The attribute values a practice is listed under inside its category ("Location").

    A practice stated as not done is listed apart ("Does not: Advertisers"), and one with
    exceptions under "Not, with exceptions" alone: neither names a value as if it happened.
    """
    if practice.polarity is Polarity.MIXED:
        return [EXCEPT_AS_STATED]
    questions = QUESTIONS.get(practice.category, ())
    kind = questions[0][1] if questions else None
    value = practice.attributes.get(kind.value) if kind is not None else None
    values = [value] if isinstance(value, str) else list(value or ())
    names = [value_words(v) for v in values] or ["Other passages" if kind else ""]
    if practice.polarity is Polarity.DOES_NOT:
        return [f"{DOES_NOT}: {name}" if name else DOES_NOT for name in names]
    return names


class PracticesPanel(QWidget):
    """Shows what the detector found; ``practice_activated(Practice)`` when one is chosen."""

    practice_activated = Signal(object)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("practicesPanel")
        self.theme = theme
        self.text = ""
        self.practices: list[Practice] = []
        self._pending: dict[int, list[int]] = {}  # id(node) -> practices not yet shown under it
        self._keep: list[QTreeWidgetItem] = []  # keeps the ids above valid
        self.legend = Legend(theme, self)
        self.status = QLabel("Finding practices…", self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
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
        self.tree.itemExpanded.connect(self._materialise)
        self.legend.visibility_changed.connect(self._show_categories)

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
        """Categories and their groups now; the quoted passages when a node first opens.

        A 1 MB policy has thousands of passages: building every row at once would hold the
        window for a third of a second.
        """
        self.tree.clear()
        self._pending = {}
        self._keep = []
        ratio = self.devicePixelRatioF()
        for category in PRACTICE_CATEGORIES:
            found = [i for i, p in enumerate(self.practices) if p.category is category]
            if not found:
                continue
            top = QTreeWidgetItem(self.tree, [f"{LABELS[category]}  ({len(found)})"])
            top.setIcon(0, QIcon(mark_pixmap(category, self.theme, 14, ratio)))
            top.setData(0, ROLE_CATEGORY, category.value)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            groups: dict[str, list[int]] = {}
            for index in found:
                for name in group_names(self.practices[index]):
                    groups.setdefault(name, []).append(index)
            for name, indices in groups.items():
                node = top
                if name:
                    node = QTreeWidgetItem(top, [f"{name}  ({len(indices)})"])
                    node.setData(0, ROLE_GROUP, name)
                self._defer(node, indices)
            top.setExpanded(True)  # categories open, their groups closed: one screen shows all

    def _defer(self, node: QTreeWidgetItem, indices: list[int]) -> None:
        node.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
        self._pending.setdefault(id(node), []).extend(indices)
        self._keep.append(node)

    def _materialise(self, node: QTreeWidgetItem) -> None:
        indices = self._pending.pop(id(node), None)
        if not indices:
            return
        for index in indices:
            self._entry(node, index, self.practices[index])
        node.setChildIndicatorPolicy(
            QTreeWidgetItem.ChildIndicatorPolicy.DontShowIndicatorWhenChildless
        )

    def _entry(self, parent: QTreeWidgetItem, index: int, practice: Practice) -> None:
        passage = self.text[practice.start : practice.end]
        item = QTreeWidgetItem(parent, [f"“{quote(passage)}”"])
        item.setData(0, ROLE_PRACTICE, index)
        item.setToolTip(0, plain_tip(quote(passage, 600)))

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
        """Hide entries whose passage, group or category lacks the words typed, and hidden
        categories; a filter opens the groups that still have entries."""
        words = self.filter.text().casefold().split()
        shown = self.legend.visible()
        for top in self._tops():
            category = Category(top.data(0, ROLE_CATEGORY))
            context = top.text(0).casefold()
            if words:
                self._materialise(top)
            left = [self._filter_node(child, words, context) for child in _children(top)]
            top.setHidden(category not in shown or (bool(words) and not any(left)))
            if words:
                top.setExpanded(True)

    def _filter_node(self, item: QTreeWidgetItem, words: list[str], context: str) -> bool:
        if not words:
            item.setHidden(False)
            for child in _children(item):
                child.setHidden(False)
            return True
        haystack = f"{context} {item.text(0).casefold()}"
        if item.data(0, ROLE_GROUP) is not None:
            self._materialise(item)
            left = [self._filter_node(child, words, haystack) for child in _children(item)]
            item.setHidden(not any(left))
            item.setExpanded(any(left))
            return any(left)
        index = item.data(0, ROLE_PRACTICE)
        if index is not None:
            practice = self.practices[int(index)]
            haystack += " " + self.text[practice.start : practice.end].casefold()
        visible = all(word in haystack for word in words)
        item.setHidden(not visible)
        return visible

    def _show_categories(self, shown: set[Category]) -> None:
        """A legend toggle only shows or hides whole categories (cheap on thousands of entries)."""
        if self.filter.text().strip():
            self.apply_filter()
            return
        for top in self._tops():
            top.setHidden(Category(top.data(0, ROLE_CATEGORY)) not in shown)

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        index = item.data(0, ROLE_PRACTICE)
        if index is not None:
            self.practice_activated.emit(self.practices[int(index)])

    def entries(self) -> list[QTreeWidgetItem]:
        """Every leaf (one per practice and group), built if not yet shown; for tests."""
        found: list[QTreeWidgetItem] = []
        stack = self._tops()
        while stack:
            item = stack.pop(0)
            self._materialise(item)
            if item.data(0, ROLE_PRACTICE) is not None:
                found.append(item)
            stack[:0] = _children(item)
        return found

    def _tops(self) -> list[QTreeWidgetItem]:
        tree = self.tree
        return [t for i in range(tree.topLevelItemCount()) if (t := tree.topLevelItem(i))]


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [child for k in range(item.childCount()) if (child := item.child(k))]
