"""The practices in the real window: highlights, legend toggles, panel jumps, label, corrections."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QAction, QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from policyreader.core.practices.taxonomy import Category
from policyreader.storage.corrections_store import CorrectionsStore
from policyreader.storage.db import Database
from policyreader.ui.common.theme import ThemeManager
from policyreader.ui.practices.highlights import Underline, light_underline, tint
from policyreader.ui.practices.practices_feature import PracticesFeature
from policyreader.ui.reader.document_tab import DocumentTab
from policyreader.ui.shell.main_window import MainWindow
from policyreader.ui.shell.settings import Settings
from tests.ui.conftest import Recorder, open_and_wait

FILLER = (
    "Osprey Notes is a note-taking app for teams, and this page explains in plain words how the "
    "app handles what you write in it and what it learns about you while you use it. "
)

# A fictitious policy: it collects, shares, offers an opt-out and secures data, but never says
# how long it keeps anything.
POLICY = f"""# Osprey Notes Privacy Policy

{FILLER * 3}

## Information we collect

We collect your name, email address and the location of your device when you sign up.

{FILLER * 6}

## Sharing

We share your email address with advertisers and with service providers who host our servers.

{FILLER * 6}

## Your choices

You can opt out of interest-based advertising at https://osprey.example/privacy/opt-out at any time.

{FILLER * 6}

## Security

We use encryption and secure servers to protect your personal information from unauthorized access.
"""


@pytest.fixture
def policy_path(tmp_path: Path) -> Path:
    path = tmp_path / "osprey.md"
    path.write_text(POLICY, encoding="utf-8")
    return path


def open_policy(
    qtbot: QtBot, window: MainWindow, path: Path
) -> tuple[DocumentTab, PracticesFeature]:
    tabs = open_and_wait(qtbot, window, path)
    tab = tabs[-1]
    feature = PracticesFeature.of(tab)
    assert feature is not None
    qtbot.waitUntil(
        lambda: feature.summary is not None and not feature.painter.busy, timeout=10_000
    )
    return tab, feature


def format_at(tab: DocumentTab, offset: int) -> QTextCharFormat:
    cursor = QTextCursor(tab.reader.document())
    cursor.setPosition(tab.offsets.to_position(offset) + 1)
    return cursor.charFormat()


def background_at(tab: DocumentTab, offset: int) -> QColor | None:
    cursor = QTextCursor(tab.reader.document())
    cursor.setPosition(tab.offsets.to_position(offset) + 1)
    brush = cursor.charFormat().background()
    return None if brush.style() == Qt.BrushStyle.NoBrush else brush.color()


def first_practice(feature: PracticesFeature, category: Category):  # type: ignore[no-untyped-def]
    return next(p for p in feature.practices if p.category is category)


def test_text_shows_highlights_and_a_label(
    qtbot: QtBot, window: MainWindow, policy_path: Path
) -> None:
    tab, feature = open_policy(qtbot, window, policy_path)
    collected = first_practice(feature, Category.FIRST_PARTY_COLLECTION)
    assert "email address" in tab.document.text[collected.start : collected.end]
    # The calm default: a light dotted underline, no tint until a category is selected.
    assert background_at(tab, collected.start + 3) is None
    assert format_at(tab, collected.start + 3).underlineStyle() == Underline.DotLine
    assert format_at(tab, collected.start + 3).underlineColor() == light_underline(
        Category.FIRST_PARTY_COLLECTION, tab.theme
    )
    legend = feature.panel.legend
    legend.list.setCurrentItem(legend.item(Category.FIRST_PARTY_COLLECTION))
    qtbot.waitUntil(lambda: not feature.painter.busy)
    assert background_at(tab, collected.start + 3) == tint(
        Category.FIRST_PARTY_COLLECTION, tab.theme
    )
    shared = first_practice(feature, Category.THIRD_PARTY_SHARING)
    assert background_at(tab, shared.start + 2) is None  # only the selected category
    window.actions.view_all_tints.setChecked(True)  # View > Tint All Highlights
    qtbot.waitUntil(lambda: not feature.painter.busy)
    assert background_at(tab, shared.start + 2) == tint(Category.THIRD_PARTY_SHARING, tab.theme)
    assert tab.side_tabs.currentWidget() is feature.card
    assert feature.panel.legend.count(Category.FIRST_PARTY_COLLECTION) >= 1


def test_toggling_a_category_hides_and_shows_its_highlights(
    qtbot: QtBot, window: MainWindow, policy_path: Path
) -> None:
    window.actions.view_all_tints.setChecked(True)
    tab, feature = open_policy(qtbot, window, policy_path)
    shared = first_practice(feature, Category.THIRD_PARTY_SHARING)
    collected = first_practice(feature, Category.FIRST_PARTY_COLLECTION)
    legend = feature.panel.legend
    colour = tint(Category.THIRD_PARTY_SHARING, tab.theme)
    assert background_at(tab, shared.start + 2) == colour

    legend.item(Category.THIRD_PARTY_SHARING).setCheckState(Qt.CheckState.Unchecked)
    qtbot.waitUntil(lambda: not feature.painter.busy)
    assert background_at(tab, shared.start + 2) is None
    assert background_at(tab, collected.start + 2) is not None  # other categories stay
    assert not feature.hover.index.at(shared.start + 2) or all(
        p.category is not Category.THIRD_PARTY_SHARING
        for p in feature.hover.index.at(shared.start + 2)
    )

    legend.item(Category.THIRD_PARTY_SHARING).setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: not feature.painter.busy)
    assert background_at(tab, shared.start + 2) == colour

    legend.all_off.click()
    qtbot.waitUntil(lambda: not feature.painter.busy)
    assert background_at(tab, collected.start + 2) is None
    legend.all_on.click()
    qtbot.waitUntil(lambda: not feature.painter.busy)
    assert background_at(tab, collected.start + 2) is not None


def test_clicking_a_practice_jumps_to_it(
    qtbot: QtBot, window: MainWindow, policy_path: Path
) -> None:
    tab, feature = open_policy(qtbot, window, policy_path)
    panel = feature.panel
    tab.side_tabs.setCurrentWidget(panel)
    security = first_practice(feature, Category.DATA_SECURITY)
    bar = tab.reader.verticalScrollBar()
    bar.setValue(0)
    entry = next(
        item
        for item in panel.entries()
        if panel.practices[item.data(0, Qt.ItemDataRole.UserRole)] == security
    )
    entry.parent().setExpanded(True)
    panel.tree.scrollToItem(entry)
    rect = panel.tree.visualItemRect(entry)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    assert bar.value() > 0
    y = tab.position_y(tab.offsets.to_position(security.start)) - bar.value()
    assert 0 <= y < tab.reader.viewport().height()
    assert tab.offsets.to_offset(tab.reader.textCursor().position()) == security.start
    flashed = tab._layers.get("practice_flash")
    assert flashed and flashed[0][:2] == (security.start, security.end)


def test_not_stated_appears_for_a_policy_without_retention(
    qtbot: QtBot, window: MainWindow, policy_path: Path
) -> None:
    _tab, feature = open_policy(qtbot, window, policy_path)
    text = feature.card.toPlainText()
    retention = text.index("How long they keep it")
    assert text[retention:].split("\n", 1)[0].strip().endswith("Not stated")
    assert "What they collect" in text and "Not stated" not in text.split("\n")[1]
    assert feature.panel.legend.count(Category.DATA_RETENTION) == 0


def test_label_fact_jumps_and_opt_out_link_opens_safely(
    qtbot: QtBot, window: MainWindow, policy_path: Path, recorder: Recorder
) -> None:
    tab, feature = open_policy(qtbot, window, policy_path)
    card = feature.card
    words, spans = card.item("Advertisers")  # type: ignore[misc]
    card.anchorClicked.emit(QUrl(f"item:{card.content.items.index((words, spans))}"))
    assert tab.offsets.to_offset(tab.reader.textCursor().position()) == spans[0][0]
    assert card.content.links == ["https://osprey.example/privacy/opt-out"]

    card.anchorClicked.emit(QUrl("optout:0"))
    assert recorder.opened_urls == ["https://osprey.example/privacy/opt-out"]


def test_f8_steps_through_practices_of_the_selected_category(
    qtbot: QtBot, window: MainWindow, policy_path: Path
) -> None:
    tab, feature = open_policy(qtbot, window, policy_path)
    legend = feature.panel.legend
    legend.list.setCurrentItem(legend.item(Category.DATA_SECURITY))
    tab.reader.setFocus()
    window.actions.go_next_practice.trigger()
    security = first_practice(feature, Category.DATA_SECURITY)
    assert tab.offsets.to_offset(tab.reader.textCursor().position()) == security.start
    legend.list.setCurrentItem(None)
    legend.list.clearSelection()
    window.actions.go_previous_practice.trigger()
    here = tab.offsets.to_offset(tab.reader.textCursor().position())
    assert here < security.start


def _menu_action(tab: DocumentTab, offset: int, name: str):  # type: ignore[no-untyped-def]
    rect = tab.reader.cursorRect(_cursor_at(tab, offset))
    menu = tab.build_reader_menu(QPoint(rect.center().x() + 2, rect.center().y()))
    found = menu.findChild(QAction, name) or menu.findChild(QMenu, name)
    return menu, found


def _cursor_at(tab: DocumentTab, offset: int) -> QTextCursor:
    cursor = QTextCursor(tab.reader.document())
    cursor.setPosition(tab.offsets.to_position(offset))
    return cursor


@pytest.fixture
def store(tmp_path: Path) -> CorrectionsStore:
    return CorrectionsStore(Database.open(tmp_path / "notes.sqlite"))


def _window(
    qtbot: QtBot, settings: Settings, themes: ThemeManager, store: CorrectionsStore
) -> MainWindow:
    main = MainWindow(settings, themes, corrections_store=store)
    qtbot.addWidget(main)
    main.resize(1100, 720)
    main.show()
    return main


def test_a_correction_survives_closing_and_reopening(
    qtbot: QtBot,
    settings: Settings,
    themes: ThemeManager,
    store: CorrectionsStore,
    policy_path: Path,
) -> None:
    window = _window(qtbot, settings, themes, store)
    tab, feature = open_policy(qtbot, window, policy_path)
    security = first_practice(feature, Category.DATA_SECURITY)
    shared = first_practice(feature, Category.THIRD_PARTY_SHARING)
    tab.reader.verticalScrollBar().setValue(0)
    feature.go_to(security)
    menu, wrong = _menu_action(tab, security.start + 5, "correction_wrong_data_security")
    assert wrong is not None
    wrong.trigger()
    menu.deleteLater()
    # Re-categorise the sharing sentence and mark a passage the detector missed.
    feature.go_to(shared)
    menu, change = _menu_action(tab, shared.start + 5, "correction_change_third_party_sharing")
    change.findChild(QAction, "to_user_choice").trigger()
    missed = tab.document.text.index("this page explains")
    cursor = _cursor_at(tab, missed)
    cursor.setPosition(tab.offsets.to_position(missed + 18), QTextCursor.MoveMode.KeepAnchor)
    tab.reader.setTextCursor(cursor)
    menu, mark = _menu_action(tab, missed + 3, "correction_mark")
    mark.findChild(QAction, "mark_data_retention").trigger()

    def check(feature: PracticesFeature) -> None:
        kinds = {(p.start, p.end): p.category for p in feature.practices}
        assert kinds.get((security.start, security.end)) is not Category.DATA_SECURITY
        assert kinds[(shared.start, shared.end)] is Category.USER_CHOICE
        assert kinds[(missed, missed + 18)] is Category.DATA_RETENTION
        assert feature.summary.section(Category.DATA_RETENTION).stated

    check(feature)
    qtbot.waitUntil(lambda: not feature.painter.busy)
    assert background_at(feature.tab, security.start + 5) is None
    assert len(store.for_text(feature.fingerprint or "")) == 3

    window.tabs.close_tab(0)
    _tab, reopened = open_policy(qtbot, window, policy_path)
    check(reopened)
    window.close()

    # A new window on the same database (the app started again) applies them too.
    second = _window(qtbot, settings, themes, CorrectionsStore(Database.open(store.database.path)))
    _tab, again = open_policy(qtbot, second, policy_path)
    check(again)
    assert background_at(again.tab, security.start + 5) is None


def test_theme_change_repaints_highlights_in_its_colours(
    qtbot: QtBot, window: MainWindow, policy_path: Path
) -> None:
    from policyreader.ui.common.theme import ThemeChoice

    window.actions.view_all_tints.setChecked(True)
    tab, feature = open_policy(qtbot, window, policy_path)
    collected = first_practice(feature, Category.FIRST_PARTY_COLLECTION)
    window.set_theme_choice(ThemeChoice.DARK)
    qtbot.waitUntil(lambda: not feature.painter.busy)
    assert tab.theme.dark
    assert background_at(tab, collected.start + 2) == tint(
        Category.FIRST_PARTY_COLLECTION, tab.theme
    )


def test_hovering_a_highlight_explains_it(
    qtbot: QtBot, window: MainWindow, policy_path: Path
) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    tab, feature = open_policy(qtbot, window, policy_path)
    shared = first_practice(feature, Category.THIRD_PARTY_SHARING)
    feature.go_to(shared)
    rect = tab.reader.cursorRect(_cursor_at(tab, shared.start + 4))
    viewport = tab.reader.viewport()
    point = rect.center()
    QApplication.sendEvent(
        viewport, QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point))
    )
    assert "Sharing with third parties" in QToolTip.text()
    assert "Because of" in QToolTip.text()
    QToolTip.hideText()


def test_undoing_a_correction_brings_the_detection_back(
    qtbot: QtBot,
    settings: Settings,
    themes: ThemeManager,
    store: CorrectionsStore,
    policy_path: Path,
) -> None:
    window = _window(qtbot, settings, themes, store)
    tab, feature = open_policy(qtbot, window, policy_path)
    security = first_practice(feature, Category.DATA_SECURITY)
    feature.go_to(security)
    _menu, change = _menu_action(tab, security.start + 5, "correction_change_data_security")
    change.findChild(QAction, "to_data_retention").trigger()
    assert first_practice(feature, Category.DATA_RETENTION).start == security.start
    _menu, undo = _menu_action(tab, security.start + 5, "correction_undo")
    undo.trigger()
    assert first_practice(feature, Category.DATA_SECURITY) == security
    assert not any(p.category is Category.DATA_RETENTION for p in feature.practices)
    assert store.for_text(feature.fingerprint or "") == []


def test_export_runs_in_a_worker_and_writes_html_and_pdf(
    qtbot: QtBot, window: MainWindow, policy_path: Path, tmp_path: Path
) -> None:
    _tab, feature = open_policy(qtbot, window, policy_path)
    messages: list[str] = []
    feature.tab.status_message.connect(messages.append)
    for name in ("osprey.html", "osprey.pdf"):
        feature.export_to(tmp_path / name)
        qtbot.waitUntil(lambda: not window.tasks.busy, timeout=20_000)
    assert messages[-1] == f"Saved {tmp_path / 'osprey.pdf'}"
    page = (tmp_path / "osprey.html").read_text(encoding="utf-8")
    assert "Not stated" in page and "Osprey Notes Privacy Policy" in page
    assert 'href="https://osprey.example/privacy/opt-out"' in page  # a real link in a file
    assert "item:" not in page and "optout:" not in page
    assert (tmp_path / "osprey.pdf").read_bytes()[:4] == b"%PDF"
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    feature.print_to(printer)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=20_000)
    assert messages[-1] == "Sent to the printer"
    assert (tmp_path / "printed.pdf").read_bytes()[:4] == b"%PDF"


def test_n_and_p_in_the_text_step_through_practices_marking_the_passage_and_section(
    qtbot: QtBot, window: MainWindow, policy_path: Path
) -> None:
    from policyreader.ui.practices.practices_feature import CURRENT_LAYER

    tab, feature = open_policy(qtbot, window, policy_path)
    tab.reader.setFocus()
    tab.reader.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.keyClick(tab.reader, Qt.Key.Key_N)
    first = feature.current
    assert first is not None and first is feature.practices[0]
    qtbot.keyClick(tab.reader, Qt.Key.Key_N)
    second = feature.current
    assert second is not None and second.start > first.start
    # The passage stays marked and its section is the one selected in the outline.
    assert tab._layers[CURRENT_LAYER] and tab._layers[CURRENT_LAYER][0][:2] == (
        second.start,
        second.end,
    )
    section = tab.document.section_at(second.start)
    assert section is not None
    assert tab.outline.index.entries[tab.outline.current_index()].start == section.start
    qtbot.keyClick(tab.reader, Qt.Key.Key_P)
    assert feature.current is first
    window.actions.go_next_practice.trigger()  # F8 from the text as well
    assert feature.current is second
