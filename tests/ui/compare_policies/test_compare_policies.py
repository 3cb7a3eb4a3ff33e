"""The side-by-side window: three fictitious policies (one sells, one does not, one is silent)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent

from policyreader.core.loading import load_path
from policyreader.storage.library import DocumentSummary
from policyreader.ui.compare_policies.table_model import STATE_ROLE
from policyreader.ui.compare_policies.window import ComparePoliciesWindow
from policyreader.ui.library.library_window import LibraryWindow
from policyreader.ui.reader.document_tab import DocumentTab

COMPARE = Path(__file__).resolve().parents[2] / "fixtures" / "compare"
NAMES = ("brightkettle.md", "quillmoss.md", "tallowfen.md")


@pytest.fixture
def paths(tmp_path: Path) -> list[str]:
    for name in NAMES:
        shutil.copy(COMPARE / name, tmp_path / name)
    return [str(tmp_path / name) for name in NAMES]


@pytest.fixture
def shown(qtbot, paths: list[str]) -> ComparePoliciesWindow:
    compare = ComparePoliciesWindow()
    qtbot.addWidget(compare)
    compare.show()
    compare.add_paths(paths)
    assert compare.wait()
    return compare


def row_of(compare: ComparePoliciesWindow, title: str) -> int:
    rows = [compare.proxy.index(r, 0).data() for r in range(compare.proxy.rowCount())]
    return rows.index(title)


def cells(compare: ComparePoliciesWindow, title: str) -> list[str]:
    row = row_of(compare, title)
    return [compare.proxy.index(row, c).data() for c in range(1, compare.proxy.columnCount())]


def test_headings_are_the_policies_in_path_order(shown) -> None:
    headings = [
        shown.proxy.headerData(c, Qt.Orientation.Horizontal)
        for c in range(shown.proxy.columnCount())
    ]
    assert headings == ["Fact", "Brightkettle Recipes", "Quillmoss Notes", "Tallowfen Weather"]


def test_the_right_cells_for_one_that_sells_one_that_does_not_and_one_silent(shown) -> None:
    assert cells(shown, "Sells data: Sells personal data") == ["Sells", "Does not", "Not stated"]
    assert cells(shown, "Collects: Contact details") == ["Yes", "Yes", ""]
    assert cells(shown, "Retention: Periods") == ["3 years", "30 days", "Not stated"]
    assert cells(shown, "Rights: Deletion") == ["Yes", "Yes", "Not stated"]
    assert cells(shown, "Rights: Portability") == ["", "Yes", "Not stated"]
    assert cells(shown, "Do Not Track: Do Not Track signals") == [
        "Not honoured",
        "Not stated",
        "Not stated",
    ]
    assert cells(shown, "Last updated: Last updated") == ["2026-02-10", "2025-11-01", "Not stated"]


def test_not_stated_does_not_and_empty_look_different(shown) -> None:
    row = row_of(shown, "Sells data: Sells personal data")
    sells, does_not, silent = (shown.proxy.index(row, c) for c in (1, 2, 3))
    assert [i.data(STATE_ROLE) for i in (sells, does_not, silent)] == [
        "states",
        "does_not",
        "not_stated",
    ]
    assert does_not.data(Qt.ItemDataRole.FontRole).bold()
    assert silent.data(Qt.ItemDataRole.FontRole).italic()
    empty = shown.proxy.index(row_of(shown, "Collects: Health data"), 1)
    assert empty.data() == "" and empty.data(STATE_ROLE) == "not_named"
    brushes = [i.data(Qt.ItemDataRole.BackgroundRole) for i in (does_not, silent, empty)]
    backgrounds = {b.color().name(QColor.NameFormat.HexArgb) if b else None for b in brushes}
    assert None in backgrounds and len(backgrounds) == 3
    assert "never addresses" in silent.data(Qt.ItemDataRole.ToolTipRole)


def test_cells_have_names_a_screen_reader_can_read(shown) -> None:
    row = row_of(shown, "Sells data: Sells personal data")
    name = shown.proxy.index(row, 2).data(Qt.ItemDataRole.AccessibleTextRole)
    assert name == "Quillmoss Notes, Sells data: Sells personal data: Does not"
    assert shown.table.accessibleName() and shown.csv_button.text().replace("&", "")


def test_clicking_a_cell_opens_its_passage_in_the_reader(qtbot, paths, window) -> None:
    compare = window.compare_policies.show(paths[:2])
    qtbot.addWidget(compare)
    assert compare.wait()
    index = compare.proxy.index(row_of(compare, "Sells data: Sells personal data"), 2)
    compare.table.scrollTo(index)
    rect = compare.table.visualRect(index)
    qtbot.mouseClick(compare.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: isinstance(window.current_tab(), DocumentTab), timeout=20_000)
    tab = window.current_tab()
    qtbot.waitUntil(lambda: tab.reader.textCursor().hasSelection(), timeout=20_000)
    selected = tab.reader.textCursor().selectedText()
    assert selected == "We do not sell your personal information to anyone."
    assert tab.property("source_path") == paths[1]


def test_enter_opens_a_cell_and_a_second_time_its_next_passage(qtbot, shown, paths) -> None:
    row = row_of(shown, "Collects: Contact details")
    shown.table.setCurrentIndex(shown.proxy.index(row, 1))
    shown.table.setFocus()
    with qtbot.waitSignal(shown.passage_requested) as first:
        qtbot.keyClick(shown.table, Qt.Key.Key_Return)
    path, start, end = first.args
    text = load_path(paths[0]).text
    assert path == paths[0] and "email address" in text[start:end]


def test_export_csv_equals_the_cells(shown, tmp_path: Path) -> None:
    shown.set_only_differences(True)
    shown.set_policy_shown(shown.model.columns[2].path, False)
    shown.sort_by(1)
    target = tmp_path / "compare.csv"
    shown.export_csv(target)
    with target.open(newline="", encoding="utf-8") as handle:
        exported = list(csv.reader(handle))
    proxy = shown.proxy
    # The facts are the row headings; the cells are those of the policies left shown.
    visible = [c for c in range(1, proxy.columnCount()) if not shown.table.isColumnHidden(c)]
    expected = [["Fact", *(proxy.headerData(c, Qt.Orientation.Horizontal) for c in visible)]]
    expected += [
        [proxy.headerData(r, Qt.Orientation.Vertical), *(proxy.index(r, c).data() for c in visible)]
        for r in range(proxy.rowCount())
    ]
    assert exported == expected
    assert exported[0] == ["Fact", "Brightkettle Recipes", "Quillmoss Notes"]
    assert all(row[1] != row[2] for row in exported[1:])  # only rows where the two differ
    # Sorted by the first policy: what it states first, then what it does not, then silence.
    order = {"states": 0, "does_not": 1, "not_named": 2, "not_stated": 3}
    firsts = [order[states[0]] for states in shown.visible_states()]
    assert firsts == sorted(firsts) and firsts[0] == 0


def test_only_differences_hides_rows_where_all_agree(shown) -> None:
    everything = shown.proxy.rowCount()
    shown.set_only_differences(True)
    titles = {shown.proxy.index(r, 0).data() for r in range(shown.proxy.rowCount())}
    assert "Sells data: Sells personal data" in titles
    assert "Collects: Health data" not in titles  # empty in all three
    assert shown.proxy.rowCount() < everything
    assert f"{shown.proxy.rowCount()} of {everything} facts shown" in shown.status.text()


def test_html_report_escapes_what_a_policy_says(qtbot, tmp_path: Path) -> None:
    # A title the detector leaves empty falls back to the file's name, which can hold markup.
    hostile = tmp_path / "<i>Evil & Co.md"
    hostile.write_text(
        "# Privacy Policy\n\nWe sell personal information to third parties such as brokers.\n",
        encoding="utf-8",
    )
    compare = ComparePoliciesWindow()
    qtbot.addWidget(compare)
    compare.add_paths([str(hostile)])
    assert compare.wait()
    report = tmp_path / "report.html"
    compare.export_html(report)
    text = report.read_text(encoding="utf-8")
    assert "<i>" not in text and "<th scope='col'>&lt;i&gt;Evil &amp; Co</th>" in text
    tip = compare.proxy.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "&lt;i&gt;Evil &amp; Co.md" in tip and "<i>" not in tip
    compare.open_cell(compare.proxy.index(row_of(compare, "Sells data: Sells personal data"), 1))
    assert compare.status.textFormat() is Qt.TextFormat.PlainText
    assert compare.status.text().startswith("<i>Evil & Co: Sells data")
    assert "<td class='states'>Sells</td>" in text


def test_dropping_a_folder_adds_its_policies_and_a_bad_file_is_a_column_with_its_error(
    qtbot, tmp_path: Path, paths
) -> None:
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    compare = ComparePoliciesWindow()
    qtbot.addWidget(compare)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(tmp_path))])
    drop = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    compare.dropEvent(drop)
    assert compare.wait()
    titles = [c.title for c in compare.model.columns]
    assert len(titles) == 4 and "empty.md" in titles
    (bad,) = [c for c in compare.model.columns if c.error]
    assert "is empty" in bad.error
    assert "1 could not be read" in compare.status.text()


def test_the_library_window_asks_to_compare_the_selected_policies(qtbot, paths) -> None:
    class Library:
        def documents(self):
            return []

    library = LibraryWindow(Library(), lambda *_: None)  # type: ignore[arg-type]
    qtbot.addWidget(library)
    library._fill_documents(
        [DocumentSummary(n, None, "2026-01-01T00:00:00", 1, (p,), 1) for n, p in enumerate(paths)]
    )
    library.stack.setCurrentWidget(library.documents)
    library.documents.selectAll()
    with qtbot.waitSignal(library.compare_requested) as asked:
        library.compare_button.click()
    assert sorted(asked.args[0]) == sorted(paths)


def test_the_file_menu_opens_the_window(qtbot, window) -> None:
    menu = window.menuBar().actions()[0].menu()
    (action,) = [a for a in menu.actions() if a.objectName() == "file_compare_policies"]
    action.trigger()
    compare = window.compare_policies.window
    qtbot.addWidget(compare)
    assert compare.isVisible() and compare.stack.currentWidget() is compare.empty


def test_the_command_line_renders_the_window(qapp, paths, tmp_path: Path) -> None:
    from policyreader.cli import main

    shot = tmp_path / "compare.png"
    assert main(["compare-policies", *paths, "--differences", "--screenshot", str(shot)]) == 0
    assert shot.stat().st_size > 10_000
