"""The side-by-side window: a table of facts, one column per policy, each cell linked to its text."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from policyreader.core.scan import policy_files
from policyreader.ui.common.tasks import TaskRunner
from policyreader.ui.compare_policies.analysis import PolicyColumn, analyse_policy, pending_column
from policyreader.ui.compare_policies.report import csv_text, html_report
from policyreader.ui.compare_policies.table_model import STATE_ROLE, FactsFilter, FactsModel

OPEN_FILTER = "Policies (*.md *.markdown *.txt *.text *.html *.htm *.xhtml *.pdf);;All files (*)"
POLICY_COLUMN_WIDTH = 130
_OPEN_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space}
EMPTY_HINT = (
    "Drop policy files or folders here, or choose Add Policies, to compare them side by side."
)


class ComparePoliciesWindow(QWidget):
    """``passage_requested(path, start, end)`` when the reader asks for the sentences of a cell."""

    passage_requested = Signal(str, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("comparePoliciesWindow")
        self.setWindowTitle("Policies Side by Side — policyreader")
        self.setAccessibleName("Policies side by side")
        self.setAcceptDrops(True)
        self.resize(1100, 720)
        self.tasks = TaskRunner(self)
        self.model = FactsModel(self)
        self.proxy = FactsFilter(self)
        self.proxy.setSourceModel(self.model)
        self._span_steps: dict[tuple[str, str], int] = {}

        self.table = self._build_table()
        self.status = QLabel(EMPTY_HINT, self)
        self.status.setObjectName("comparePoliciesStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # it names policies: never markup
        self.status.setAccessibleName("Status")
        self.empty = QLabel(EMPTY_HINT, self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(self._build_bar())
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self).activated.connect(self.close)
        self.tasks.busy_changed.connect(lambda _busy: self._update_status())

    def _build_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("comparePoliciesTable")
        table.setAccessibleName("Facts of each policy")
        table.setAccessibleDescription(
            "One row per fact, one column per policy. Enter opens the passage that states a fact."
        )
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        table.setColumnHidden(0, True)  # the facts are the row headings (see FactsModel.headerData)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(True)
        rows = table.verticalHeader()
        rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
        rows.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(POLICY_COLUMN_WIDTH)
        header.setMinimumSectionSize(60)
        # A click opens the passage; Enter or Space opens it from the keyboard (a double click would
        # count twice if ``activated`` were used as well).
        table.clicked.connect(self.open_cell)
        table.installEventFilter(self)
        return table

    def _build_bar(self) -> QHBoxLayout:
        self.add_button = QPushButton("&Add Policies…", self)
        self.add_button.setToolTip("Add policy files to the comparison (or drop files and folders)")
        self.add_button.clicked.connect(self.choose_files)
        self.differ_box = QCheckBox("Only rows that &differ", self)
        self.differ_box.setToolTip("Hide the facts on which every shown policy says the same")
        self.differ_box.toggled.connect(self.set_only_differences)
        self.columns_button = QToolButton(self)
        self.columns_button.setText("&Policies")
        self.columns_button.setAccessibleName("Choose which policies are shown")
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_menu = QMenu(self.columns_button)
        self.columns_menu.aboutToShow.connect(self._fill_columns_menu)
        self.columns_button.setMenu(self.columns_menu)
        self.order_button = QPushButton("Label &Order", self)
        self.order_button.setToolTip(
            "Rows back in the label's order (click a policy's heading to sort by its cells)"
        )
        self.order_button.clicked.connect(lambda: self.sort_by(0))
        self.csv_button = QPushButton("Export &CSV…", self)
        self.csv_button.clicked.connect(lambda: self._choose_export("CSV (*.csv)", ".csv"))
        self.html_button = QPushButton("Export &HTML…", self)
        self.html_button.clicked.connect(lambda: self._choose_export("Web page (*.html)", ".html"))
        bar = QHBoxLayout()
        for widget in (self.add_button, self.differ_box, self.columns_button, self.order_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.csv_button)
        bar.addWidget(self.html_button)
        return bar

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _OPEN_KEYS
        ):
            self.open_cell(self.table.currentIndex())
            return True
        return super().eventFilter(watched, event)

    # Policies --------------------------------------------------------------------------------------

    def add_paths(self, paths: list[str]) -> None:
        """Add each policy file (folders: every policy in them) and analyse it in a worker."""
        known = {column.path for column in self.model.columns}
        for path in policy_files(paths):
            absolute = str(Path(path).absolute())
            if absolute in known:
                continue
            known.add(absolute)
            self.model.add_column(pending_column(absolute))
            self.tasks.run(
                partial(analyse_policy, absolute),
                self._analysed,
                partial(self._failed, absolute),
                self,
            )
        self._fit_columns()
        self.stack.setCurrentWidget(self.table if self.model.columns else self.empty)
        self._update_status()

    def _fit_columns(self) -> None:
        """A few policies share the width; many keep a readable width and scroll sideways."""
        count = len(self.model.columns)
        if not count:
            return
        room = self.table.viewport().width()
        width = max(POLICY_COLUMN_WIDTH, room // count)
        for number in range(1, count + 1):
            self.table.setColumnWidth(number, width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _failed(self, path: str, error: Exception) -> None:
        self._analysed(PolicyColumn(path, Path(path).name, error=f"Could not be analysed: {error}"))

    def _analysed(self, column: PolicyColumn) -> None:
        self.model.replace_column(column)
        self.proxy.invalidate()
        self._update_status()

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """Until every policy is analysed (tests and screenshots)."""
        return self.tasks.wait(timeout_ms)

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Add policies", str(Path.home()), OPEN_FILTER)
        if paths:
            self.add_paths(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.add_paths(paths)
            event.acceptProposedAction()

    def _update_status(self) -> None:
        columns = self.model.columns
        waiting = sum(1 for c in columns if not c.ready)
        failed = [c for c in columns if c.error]
        words = [f"{len(columns)} policies"] if columns else [EMPTY_HINT]
        if waiting:
            words.append(f"analysing {waiting}…")
        if failed:
            words.append(f"{len(failed)} could not be read (hover its heading)")
        shown = self.proxy.rowCount()
        if columns:
            words.append(f"{shown} of {self.model.rowCount()} facts shown")
        self.status.setText("; ".join(words))

    # Rows and columns ------------------------------------------------------------------------------

    def set_only_differences(self, only: bool) -> None:
        self.proxy.set_only_differences(only)
        self.differ_box.setChecked(only)
        self._update_status()

    def set_policy_shown(self, path: str, shown: bool) -> None:
        for number, column in enumerate(self.model.columns, start=1):
            if column.path == path:
                self.table.setColumnHidden(number, not shown)
        hidden = {
            c.path for n, c in enumerate(self.model.columns, 1) if self.table.isColumnHidden(n)
        }
        self.proxy.set_hidden(hidden)
        self._update_status()

    def _fill_columns_menu(self) -> None:
        self.columns_menu.clear()
        for number, column in enumerate(self.model.columns, start=1):
            action = QAction(column.title, self.columns_menu)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(number))
            action.toggled.connect(lambda shown, p=column.path: self.set_policy_shown(p, shown))
            self.columns_menu.addAction(action)

    def sort_by(self, model_column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Rows by a policy's cells (column 0: back to the label's order)."""
        self.table.sortByColumn(model_column, order)

    # Opening passages ------------------------------------------------------------------------------

    def open_cell(self, index: QModelIndex) -> None:
        """Ask for the cell's passage; each next activation of the same cell shows its next one."""
        source = self.proxy.mapToSource(index)
        column = self.model.column_at(source.column())
        cell = self.model.cell(source)
        if column is None or cell is None or not cell.spans:
            return
        key = (column.path, self.model.rows[source.row()].key)
        step = (self._span_steps.get(key, -1) + 1) % len(cell.spans)
        self._span_steps = {key: step}
        start, end = cell.spans[step]
        self.status.setText(
            f"{column.title}: {self.model.rows[source.row()].title}, "
            f"passage {step + 1} of {len(cell.spans)}"
        )
        self.passage_requested.emit(column.path, start, end)

    # Export ----------------------------------------------------------------------------------------

    def visible_columns(self) -> list[int]:
        """The fact, then the policies in the order shown (headings can be dragged), hidden left out."""
        header = self.table.horizontalHeader()
        logical = [header.logicalIndex(v) for v in range(header.count())]
        return [0, *(c for c in logical if c != 0 and not self.table.isColumnHidden(c))]

    def visible_table(self) -> list[list[str]]:
        """Header and rows exactly as the table shows them: what CSV and HTML export write."""
        columns = self.visible_columns()
        header = [str(self.proxy.headerData(c, Qt.Orientation.Horizontal)) for c in columns]
        rows = [
            [str(self.proxy.index(r, c).data() or "") for c in columns]
            for r in range(self.proxy.rowCount())
        ]
        return [header, *rows]

    def visible_states(self) -> list[list[str]]:
        columns = [c for c in self.visible_columns() if c != 0]
        return [
            [str(self.proxy.index(r, c).data(STATE_ROLE) or "") for c in columns]
            for r in range(self.proxy.rowCount())
        ]

    def export_csv(self, path: Path) -> None:
        path.write_text(csv_text(self.visible_table()), encoding="utf-8")

    def export_html(self, path: Path) -> None:
        report = html_report("Policies side by side", self.visible_table(), self.visible_states())
        path.write_text(report, encoding="utf-8")

    def _choose_export(self, name_filter: str, suffix: str) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export the comparison", str(Path.home() / f"policies{suffix}"), name_filter
        )
        if not chosen:
            return
        target = Path(chosen)
        try:
            (self.export_csv if suffix == ".csv" else self.export_html)(target)
        except OSError as error:
            self.status.setText(f"Not saved: {error.strerror or error}")
            return
        self.status.setText(f"Saved {target.name}")
