"""The outline panel: the section tree with a filter box; it reports clicks and shows where you are."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from policyreader.core.document import Section
from policyreader.ui.common.plain_text import plain_tip
from policyreader.ui.reader.outline_index import OutlineIndex

_INDEX_ROLE = Qt.ItemDataRole.UserRole
# Outlines longer than this open with only their top level expanded.
_EXPAND_ALL_LIMIT = 60


@dataclass(slots=True)
class OutlineItems:
    """The outline's tree items, built before a view holds them (possibly in a worker thread)."""

    index: OutlineIndex
    items: list[QTreeWidgetItem]
    top_level: list[QTreeWidgetItem]


def build_outline_items(sections: list[Section]) -> OutlineItems:
    """One item per outline entry, children under their parents; items are not QObjects."""
    index = OutlineIndex(sections)
    items: list[QTreeWidgetItem] = []
    top_level: list[QTreeWidgetItem] = []
    for number, entry in enumerate(index.entries):
        parent = items[entry.parent] if entry.parent is not None else None
        item = QTreeWidgetItem(parent) if parent else QTreeWidgetItem()
        item.setText(0, entry.title)
        item.setToolTip(0, plain_tip(entry.title))
        item.setData(0, _INDEX_ROLE, number)
        if parent is None:
            top_level.append(item)
        items.append(item)
    return OutlineItems(index, items, top_level)


class _WrappingDelegate(QStyledItemDelegate):
    """Measures each entry at the width it really has, so long headings wrap onto more lines."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self._tree = tree

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        view_option = QStyleOptionViewItem(option)
        self.initStyleOption(view_option, index)
        depth = 1 if self._tree.rootIsDecorated() else 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        width = max(40, self._tree.viewport().width() - self._tree.indentation() * depth)
        # Qt measures wrapped text only against a valid rectangle; the tree passes none.
        view_option.rect = QRect(0, 0, width, 10_000)
        view_option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        style = self._tree.style()
        return style.sizeFromContents(
            QStyle.ContentsType.CT_ItemViewItem, view_option, QSize(), self._tree
        )


class OutlinePanel(QWidget):
    """Emits ``section_activated(offset)`` when an entry is clicked or activated from the keyboard.

    ``set_current(offset)`` marks the section holding ``offset`` in bold with its parents expanded;
    the panel never moves the reader itself, the tab decides.
    """

    section_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outlinePanel")
        # Lets the stylesheet paint the panel's background, margins included.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAccessibleName("Outline")
        self.index = OutlineIndex([])
        self._items: list[QTreeWidgetItem] = []
        self._current: int | None = None

        self.filter_box = QLineEdit(self)
        self.filter_box.setObjectName("outlineFilter")
        self.filter_box.setPlaceholderText("Filter sections")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.setAccessibleName("Filter outline")
        self.filter_box.textChanged.connect(self.apply_filter)
        self.filter_box.installEventFilter(self)

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("outlineTree")
        self.tree.setAccessibleName("Sections")
        self.tree.setHeaderHidden(True)
        # Long headings wrap instead of being cut short: the outline is read, not just clicked.
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setItemDelegate(_WrappingDelegate(self.tree))
        self.tree.viewport().installEventFilter(self)
        self._laid_out_width = 0
        self.tree.setFrameShape(QFrame.Shape.NoFrame)
        self.tree.setIndentation(14)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.itemClicked.connect(self._item_activated)
        self.tree.itemActivated.connect(self._item_activated)

        self.empty_label = QLabel("This document has no headings.", self)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setObjectName("outlineEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty_label, 1)
        self.setFocusProxy(self.tree)

    def set_sections(self, sections: list[Section], prepared: OutlineItems | None = None) -> None:
        """Show ``sections``; ``prepared`` holds their items if a worker built them already."""
        built = prepared if prepared is not None else build_outline_items(sections)
        self.index = built.index
        self._current = None
        self.tree.clear()
        self._items = built.items
        # Whole trees in one call: the view then updates once, not once per section.
        self.tree.addTopLevelItems(built.top_level)
        if len(self._items) <= _EXPAND_ALL_LIMIT:
            self.tree.expandAll()
        else:
            self.tree.expandToDepth(0)
        has_sections = bool(self._items)
        self.tree.setVisible(has_sections)
        self.filter_box.setEnabled(has_sections)
        self.empty_label.setVisible(not has_sections)
        if self.filter_box.text():
            self.apply_filter(self.filter_box.text())

    def item(self, index: int) -> QTreeWidgetItem:
        return self._items[index]

    def current_index(self) -> int | None:
        return self._current

    def set_current(self, offset: int) -> None:
        """Mark the section that holds ``offset`` (bold, parents expanded, scrolled into view)."""
        self.set_current_index(self.index.entry_at(offset))

    def set_current_index(self, index: int | None) -> None:
        if index == self._current:
            return
        if self._current is not None:
            self._set_bold(self._items[self._current], False)
        self._current = index
        if index is None:
            return
        item = self._items[index]
        self._set_bold(item, True)
        for ancestor in self.index.ancestors(index):
            self._items[ancestor].setExpanded(True)
        if not item.isHidden():
            self.tree.scrollToItem(item, QAbstractItemView.ScrollHint.EnsureVisible)

    def is_bold(self, index: int) -> bool:
        return self._items[index].font(0).bold()

    def apply_filter(self, query: str) -> None:
        matches, visible = self.index.filter(query)
        for number, item in enumerate(self._items):
            item.setHidden(number not in visible)
        if query.strip():
            self.tree.expandAll()
            first = min(matches, default=None)
            if first is not None:
                self.tree.setCurrentItem(self._items[first])

    def focus_filter(self) -> None:
        self.filter_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_box.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the filter box, Down moves into the tree and Enter opens the first match."""
        if watched is self.tree.viewport() and event.type() == QEvent.Type.Resize:
            self._relayout_rows()
        if watched is self.filter_box and isinstance(event, QKeyEvent):
            if event.type() != QEvent.Type.KeyPress:
                return super().eventFilter(watched, event)
            key = event.key()
            if key == Qt.Key.Key_Down:
                self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
                first = self._first_visible() if self.tree.currentItem() is None else None
                if first is not None:
                    self.tree.setCurrentItem(first)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.tree.currentItem()
                if item is not None and not item.isHidden():
                    self._item_activated(item)
                return True
            if key == Qt.Key.Key_Escape and self.filter_box.text():
                self.filter_box.clear()
                return True
        return super().eventFilter(watched, event)

    def _relayout_rows(self) -> None:
        """Wrapped rows change height with the panel's width; Qt does not re-measure them itself."""
        width = self.tree.viewport().width()
        if width != self._laid_out_width:
            self._laid_out_width = width
            self.tree.doItemsLayout()

    def _first_visible(self) -> QTreeWidgetItem | None:
        return next((item for item in self._items if not item.isHidden()), None)

    def _item_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        index = item.data(0, _INDEX_ROLE)
        if index is None:
            return
        self.set_current_index(int(index))
        self.section_activated.emit(self.index.entries[int(index)].start)

    @staticmethod
    def _set_bold(item: QTreeWidgetItem, bold: bool) -> None:
        item_font = item.font(0)
        item_font.setBold(bold)
        item.setFont(0, item_font)
