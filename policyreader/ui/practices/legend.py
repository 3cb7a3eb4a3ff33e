"""The legend: each category's mark, colour and count, a toggle for each, all on / all off, stepping."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from policyreader.core.practices.taxonomy import LABELS, PRACTICE_CATEGORIES, Category
from policyreader.ui.common.theme import Theme
from policyreader.ui.practices.highlights import mark_pixmap

ROLE_CATEGORY = Qt.ItemDataRole.UserRole


class Legend(QWidget):
    """Toggles per category; ``visibility_changed(set)`` after any change.

    ``step_requested(category, forward)`` asks for the next or previous practice of a category
    (N / P on a row, or the buttons); the window decides what that means.
    """

    visibility_changed = Signal(object)  # set[Category]
    step_requested = Signal(object, bool)  # Category, forward

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self._counts: dict[Category, int] = dict.fromkeys(PRACTICE_CATEGORIES, 0)
        self.list = QListWidget(self)
        self.list.setObjectName("practiceLegend")
        self.list.setAccessibleName("Practice categories")
        self.list.setUniformItemSizes(True)
        self.list.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.list.installEventFilter(self)
        for category in PRACTICE_CATEGORIES:
            item = QListWidgetItem(self.list)
            item.setData(ROLE_CATEGORY, category.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.all_on = self._button("All", "Show every category")
        self.all_off = self._button("None", "Hide every category")
        self.previous = self._button("◀", "Previous practice of the selected category (Shift+F8)")
        self.next = self._button("▶", "Next practice of the selected category (F8)")
        self.all_on.clicked.connect(lambda: self.set_all(True))
        self.all_off.clicked.connect(lambda: self.set_all(False))
        self.previous.clicked.connect(lambda: self._step(False))
        self.next.clicked.connect(lambda: self._step(True))
        self.list.itemChanged.connect(lambda _item: self.visibility_changed.emit(self.visible()))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.all_on, self.all_off):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.previous, self.next):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.set_theme(theme)

    def _button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        return button

    # State -------------------------------------------------------------------------------------

    def item(self, category: Category) -> QListWidgetItem:
        return self.list.item(PRACTICE_CATEGORIES.index(category))

    def visible(self) -> set[Category]:
        return {
            Category(self.list.item(i).data(ROLE_CATEGORY))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        }

    def set_visible(self, category: Category, shown: bool) -> None:
        state = Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked
        self.item(category).setCheckState(state)

    def set_all(self, shown: bool) -> None:
        self.list.blockSignals(True)
        for category in PRACTICE_CATEGORIES:
            self.set_visible(category, shown)
        self.list.blockSignals(False)
        self.visibility_changed.emit(self.visible())

    def set_counts(self, counts: dict[Category, int]) -> None:
        self._counts = {c: counts.get(c, 0) for c in PRACTICE_CATEGORIES}
        self._refresh()

    def count(self, category: Category) -> int:
        return self._counts.get(category, 0)

    def current_category(self) -> Category | None:
        item = self.list.currentItem()
        return Category(item.data(ROLE_CATEGORY)) if item is not None else None

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._refresh()

    def _refresh(self) -> None:
        self.list.blockSignals(True)
        ratio = self.devicePixelRatioF()
        for category in PRACTICE_CATEGORIES:
            item = self.item(category)
            count = self._counts.get(category, 0)
            label = LABELS[category]
            item.setText(f"{label}   {count}" if count else f"{label}   —")
            item.setIcon(QIcon(mark_pixmap(category, self.theme, 14, ratio)))
            item.setToolTip(
                f"{count} passage{'s' if count != 1 else ''} — space shows or hides them, "
                "N / P step through them"
                if count
                else "Not stated in this policy"
            )
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{label}, {count}")
            item.setForeground(self.palette().text() if count else self.palette().placeholderText())
        self.list.blockSignals(False)
        rows = self.list.sizeHintForRow(0) * self.list.count() + 2 * self.list.frameWidth() + 4
        self.list.setFixedHeight(rows)

    # Keys --------------------------------------------------------------------------------------

    def _step(self, forward: bool) -> None:
        category = self.current_category()
        self.step_requested.emit(category, forward)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.list
            and isinstance(event, QKeyEvent)
            and event.type() == event.Type.KeyPress
            and event.key() in (Qt.Key.Key_N, Qt.Key.Key_P)
            and not event.modifiers()
        ):
            self._step(event.key() == Qt.Key.Key_N)
            return True
        return super().eventFilter(watched, event)
