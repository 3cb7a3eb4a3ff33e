"""The facts as a Qt table: column 0 names the fact, each further column is one policy."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from policyreader.core.facts import FACT_ROWS, CellState, FactCell, FactRow
from policyreader.ui.compare_policies.analysis import PolicyColumn

Index = QModelIndex | QPersistentModelIndex
STATE_ROLE = Qt.ItemDataRole.UserRole + 1
SPANS_ROLE = Qt.ItemDataRole.UserRole + 2
SORT_ROLE = Qt.ItemDataRole.UserRole + 3
# Sorting a policy's column puts what it states first, then what it says it does not, then silence.
_STATE_ORDER = {
    CellState.STATES: 0,
    CellState.DOES_NOT: 1,
    CellState.NOT_NAMED: 2,
    CellState.NOT_STATED: 3,
}
# Translucent tints read on light and dark palettes alike; the words differ too, never colour alone.
_TINTS = {
    CellState.DOES_NOT: QColor(213, 94, 0, 60),
    CellState.NOT_STATED: QColor(128, 128, 128, 40),
}
LOADING = "Analysing…"
NOT_NAMED_TIP = "Not named: the policy addresses this topic without naming this"


def plain_tip(*lines: str) -> str:
    """A tooltip that shows file names and messages as text: Qt would render a "<b>" in them."""
    return "<p>" + "<br>".join(html.escape(line) for line in lines if line) + "</p>"


def cell_description(cell: FactCell) -> str:
    if cell.state is CellState.NOT_STATED:
        return "The policy never addresses this topic"
    if cell.state is CellState.NOT_NAMED:
        return NOT_NAMED_TIP
    count = len(cell.spans)
    if not count:
        return "From the policy's header"
    return f"{count} passage{'s' if count != 1 else ''} state this; press Enter to open"


class FactsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: tuple[FactRow, ...] = FACT_ROWS
        self.columns: list[PolicyColumn] = []

    # Content -------------------------------------------------------------------------------------

    def set_columns(self, columns: list[PolicyColumn]) -> None:
        self.beginResetModel()
        self.columns = list(columns)
        self.endResetModel()

    def add_column(self, column: PolicyColumn) -> None:
        at = len(self.columns) + 1
        self.beginInsertColumns(QModelIndex(), at, at)
        self.columns.append(column)
        self.endInsertColumns()

    def replace_column(self, column: PolicyColumn) -> None:
        """The analysed column takes the place of the pending one with the same path."""
        for number, existing in enumerate(self.columns):
            if existing.path == column.path and not existing.ready:
                self.columns[number] = column
                self.headerDataChanged.emit(Qt.Orientation.Horizontal, number + 1, number + 1)
                self.dataChanged.emit(
                    self.index(0, number + 1), self.index(len(self.rows) - 1, number + 1)
                )
                return

    def column_at(self, model_column: int) -> PolicyColumn | None:
        return self.columns[model_column - 1] if model_column >= 1 else None

    def cell(self, index: Index) -> FactCell | None:
        column = self.column_at(index.column())
        if column is None or not column.cells:
            return None
        return column.cells.get(self.rows[index.row()].key)

    def shown(self, row: int, model_column: int) -> str:
        """The words a cell shows (what the exports write)."""
        column = self.column_at(model_column)
        if column is None:
            return self.rows[row].title
        if column.error is not None:
            return ""
        if not column.cells:
            return LOADING
        return column.cells[self.rows[row].key].shown

    # Qt ------------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns) + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation is Qt.Orientation.Vertical:
            # The facts are also the row headings: they stay in view while many policies scroll.
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return self.rows[section].title
            return None
        column = self.column_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return "Fact" if column is None else column.title
        if role == Qt.ItemDataRole.ToolTipRole and column is not None:
            return plain_tip(column.path, column.error or "")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, model_column = index.row(), index.column()
        if model_column == 0:
            return self._fact_data(row, role)
        column = self.column_at(model_column)
        cell = self.cell(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.shown(row, model_column)
        if role == SORT_ROLE:
            return (_STATE_ORDER[cell.state], cell.shown.lower()) if cell else (4, "")
        if cell is None:
            if role == Qt.ItemDataRole.ToolTipRole and column is not None and column.error:
                return plain_tip(column.error)
            return None
        return self._cell_data(cell, row, column, role)

    def _fact_data(self, row: int, role: int) -> Any:
        fact = self.rows[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return fact.title
        if role == SORT_ROLE:
            return (row, "")
        return None

    def _cell_data(self, cell: FactCell, row: int, column: PolicyColumn | None, role: int) -> Any:
        if role == STATE_ROLE:
            return cell.state.value
        if role == SPANS_ROLE:
            return list(cell.spans)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            # A screen reader hears which policy and which fact, not just "Yes".
            words = cell.shown or "not named"
            title = column.title if column else ""
            return f"{title}, {self.rows[row].title}: {words}"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            return cell_description(cell)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(cell.state is CellState.NOT_STATED)
            font.setBold(cell.state is CellState.DOES_NOT)
            font.setUnderline(cell.state is CellState.STATES and bool(cell.spans))
            return font
        if role == Qt.ItemDataRole.BackgroundRole and cell.state in _TINTS:
            return QBrush(_TINTS[cell.state])
        return None


class FactsFilter(QSortFilterProxyModel):
    """Rows sorted by a policy's cells (or back to the label's order); optionally only differences."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.only_differences = False
        self.hidden_paths: set[str] = set()
        self.setSortRole(SORT_ROLE)

    def source(self) -> FactsModel:
        model = self.sourceModel()
        assert isinstance(model, FactsModel)
        return model

    def set_only_differences(self, only: bool) -> None:
        self.only_differences = only
        self.invalidate()

    def set_hidden(self, paths: set[str]) -> None:
        """Hidden policies do not count when deciding whether the shown ones differ."""
        self.hidden_paths = set(paths)
        self.invalidate()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self.only_differences:
            return True
        model = self.source()
        key = model.rows[source_row].key
        seen = {
            (c.cells[key].state, c.cells[key].shown)
            for c in model.columns
            if c.cells and c.path not in self.hidden_paths
        }
        return len(seen) > 1

    def lessThan(self, left: Index, right: Index) -> bool:
        return self.sourceModel().data(left, SORT_ROLE) < self.sourceModel().data(right, SORT_ROLE)
