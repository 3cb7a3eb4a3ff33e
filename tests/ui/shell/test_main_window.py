"""The real window, driven like a user: open, outline click, scrolling, drops, bad files, tabs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from policyreader.ui.common.theme import DARK, ThemeChoice, ThemeManager
from policyreader.ui.reader.document_tab import SCROLL_PAD, DocumentTab
from policyreader.ui.shell.main_window import MainWindow
from policyreader.ui.shell.settings import Settings
from tests.conftest import unprivileged_section
from tests.ui.conftest import open_and_wait
from tests.ui.documents import kestrel_document


def _click_outline_entry(qtbot: QtBot, tab: DocumentTab, index: int) -> None:
    item = tab.outline.item(index)
    tree = tab.outline.tree
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _heading_top(tab: DocumentTab, index: int) -> float:
    start = tab.outline.index.entries[index].start
    return tab.position_y(tab.offsets.to_position(start))


def test_open_a_file_shows_title_outline_and_text(qtbot, window, policy_files):
    tabs = open_and_wait(qtbot, window, policy_files["markdown"])
    assert len(tabs) == 1
    tab = tabs[0]
    assert window.tabs.tabText(0) == "Kestrel Cloud Storage Privacy Policy"
    assert window.windowTitle().startswith("Kestrel Cloud Storage Privacy Policy")
    titles = [entry.title for entry in tab.outline.index.entries]
    assert titles[:3] == [
        "1. Information we collect",
        "1.1 Information you give us",
        "2. How we use information",
    ]
    shown = tab.reader.document().toPlainText()
    assert "Last updated 2025-02-01" in shown
    assert "Data retention" in shown
    assert "sections" in window.summary_label.text()


def test_clicking_an_outline_entry_scrolls_the_text_there(qtbot, window, policy_files):
    (tab,) = open_and_wait(qtbot, window, policy_files["markdown"])
    target = [e.title for e in tab.outline.index.entries].index("4. Data retention")
    bar = tab.reader.verticalScrollBar()
    assert bar.value() == 0

    _click_outline_entry(qtbot, tab, target)

    start = tab.outline.index.entries[target].start
    assert tab.reader.textCursor().position() == tab.offsets.to_position(start)
    assert bar.value() > 0
    # The heading sits at the top of the view (a small pad above it), not merely somewhere visible.
    assert abs(_heading_top(tab, target) - SCROLL_PAD - bar.value()) <= 2
    assert tab.outline.is_bold(target)


def test_scrolling_marks_the_current_section_in_bold(qtbot, window, policy_files):
    (tab,) = open_and_wait(qtbot, window, policy_files["markdown"])
    entries = tab.outline.index.entries
    bar = tab.reader.verticalScrollBar()
    for index in (2, 4, 1):  # down, further down, then back up
        bar.setValue(int(_heading_top(tab, index)))
        qtbot.waitUntil(lambda index=index: tab.outline.current_index() == index, timeout=2000)
        assert tab.outline.is_bold(index)
        assert [i for i in range(len(entries)) if tab.outline.is_bold(i)] == [index]
    # A subsection's parents are expanded so the bold entry is visible.
    parent = entries[1].parent
    assert parent is not None and tab.outline.item(parent).isExpanded()


def test_find_counts_matches_and_next_wraps(qtbot, window, policy_files):
    (tab,) = open_and_wait(qtbot, window, policy_files["markdown"])
    window.actions.edit_find.trigger()
    assert tab.find_bar.isVisible()
    qtbot.keyClicks(tab.find_bar.query_box, "regions")
    tab.find_bar.flush()
    expected = tab.document.text.count("regions")
    assert expected > 3
    assert tab.match_count == expected
    assert tab.find_bar.status_label.text() == f"1 of {expected}"

    for _ in range(expected - 1):
        window.actions.edit_find_next.trigger()
    assert tab.find_bar.status_label.text() == f"{expected} of {expected}"
    qtbot.keyClick(tab.find_bar.query_box, Qt.Key.Key_Return)  # Enter = next, wraps to the first
    assert tab.find_bar.status_label.text() == f"1 of {expected}"
    qtbot.keyClick(tab.find_bar.query_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert tab.find_bar.status_label.text() == f"{expected} of {expected}"

    # Highlight-all paints every match; the cursor sits on the current one.
    assert len(tab.reader.extraSelections()) == expected
    start, _end = tab._matches[tab.match_index]
    assert tab.reader.textCursor().position() == tab.offsets.to_position(start)
    qtbot.keyClick(tab.find_bar.query_box, Qt.Key.Key_Escape)
    assert not tab.find_bar.isVisible()
    assert tab.reader.extraSelections() == []


def test_find_reports_no_matches(qtbot, window, policy_files):
    (tab,) = open_and_wait(qtbot, window, policy_files["markdown"])
    tab.open_find()
    tab.find_bar.query_box.setText("zeppelin")
    tab.find_bar.flush()
    assert tab.find_bar.status_label.text() == "No matches"
    assert tab.match_count == 0


def _drop(widget, paths: list[Path]) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(
        QPoint(50, 50), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(50, 50), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, drop)
    return drop


def test_dropping_files_opens_them(qtbot, window, policy_files):
    drop = _drop(window, [policy_files["markdown"], policy_files["text"]])
    assert drop.isAccepted()
    qtbot.waitUntil(
        lambda: len(window.tabs.document_tabs()) == 2 and not window.tasks.busy, timeout=10_000
    )
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == [
        "Kestrel Cloud Storage Privacy Policy",
        "HARBOUR LIGHT NEWSLETTER PRIVACY NOTICE",
    ]


def test_the_text_view_does_not_swallow_drops(qtbot, window, policy_files):
    (tab,) = open_and_wait(qtbot, window, policy_files["text"])
    # Drops over the text reach the window (a read-only view must not take them as text).
    assert not tab.reader.acceptDrops()
    assert not tab.reader.viewport().acceptDrops()


def test_several_files_open_as_tabs_in_order(qtbot, window, policy_files):
    tabs = open_and_wait(qtbot, window, policy_files["markdown"], policy_files["text"])
    assert [t.document.format.value for t in tabs] == ["markdown", "text"]
    assert window.tabs.currentIndex() == 1
    # Opening a file that is already open shows its tab instead of a second copy.
    open_and_wait(qtbot, window, policy_files["markdown"])
    assert window.tabs.count() == 2
    assert window.tabs.currentIndex() == 0
    window.actions.go_next_tab.trigger()
    assert window.tabs.currentIndex() == 1
    window.actions.file_close.trigger()
    assert window.tabs.count() == 1


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: d / "missing.md", "does not exist"),
        (lambda d: d, "folder"),
        (lambda d: _write(d / "empty.txt", b""), "empty"),
        (lambda d: _write(d / "blob.bin", bytes(range(256)) * 64), "binary"),
        (lambda d: _write(d / "garbled.txt", b"\xff\xfe" + b"\x00\xd8" * 50), "decode"),
        (lambda d: _write(d / "huge.txt", b""), "MB"),
    ],
    ids=["missing", "directory", "empty", "binary", "undecodable", "too-large"],
)
def test_a_bad_file_shows_its_message_and_other_tabs_stay(
    qtbot, window, recorder, policy_files, tmp_path, make, words
):
    (good,) = open_and_wait(qtbot, window, policy_files["markdown"])
    bad = make(tmp_path)
    if bad.name == "huge.txt":
        with bad.open("wb") as handle:  # a sparse 50 MB file: the size check refuses it unread
            handle.truncate(50 * 1024 * 1024)
    open_and_wait(qtbot, window, bad)
    assert len(recorder.messages) == 1
    title, message = recorder.messages[0]
    assert title == f"Cannot open {bad.name}"
    assert words in message
    assert window.tabs.document_tabs() == [good]
    assert window.tabs.count() == 1


def test_an_unreadable_file_shows_a_permission_message(qtbot, window, recorder, tmp_path):
    locked = _write(tmp_path / "locked.md", b"# Locked\n\ntext\n")
    locked.chmod(0)
    tmp_path.chmod(0o755)
    with unprivileged_section():  # root reads any file: act as nobody while loading
        open_and_wait(qtbot, window, locked)
    assert "permission" in recorder.messages[0][1]


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_a_file_that_fails_to_read_shows_its_message(qtbot, window, recorder):
    # /proc/self/mem opens but every read fails (EIO), even for root.
    open_and_wait(qtbot, window, Path("/proc/self/mem"))
    title, message = recorder.messages[0]
    assert title == "Cannot open mem" and "could not be read" in message
    assert window.tabs.count() == 0


def test_the_default_error_box_does_not_block(qtbot, settings, themes, tmp_path):
    main = MainWindow(settings, themes)
    qtbot.addWidget(main)
    main.show()
    open_and_wait(qtbot, main, tmp_path / "nowhere.md")
    boxes = main.present_error.open_boxes
    assert len(boxes) == 1 and isinstance(boxes[0], QMessageBox)
    assert "does not exist" in boxes[0].text()
    assert boxes[0].isVisible()
    boxes[0].accept()


def test_zoom_keeps_the_reading_position(qtbot, window, policy_files, settings):
    (tab,) = open_and_wait(qtbot, window, policy_files["markdown"])
    tab.go_to_section(tab.outline.index.entries[4].start)
    before = tab.top_offset()
    size = tab.typography.body_size
    window.actions.view_zoom_in.trigger()
    assert tab.typography.body_size > size
    assert settings.zoom_index() == tab.typography.zoom_index
    assert abs(tab.top_offset() - before) < 80
    window.actions.view_zoom_reset.trigger()
    assert tab.typography.body_size == size


def test_theme_switch_rerenders_in_dark(qtbot, window, policy_files, themes):
    (tab,) = open_and_wait(qtbot, window, policy_files["markdown"])
    window.actions.view_theme_dark.trigger()
    assert themes.choice is ThemeChoice.DARK
    assert tab.theme is DARK
    page = tab.reader.palette().color(tab.reader.palette().ColorRole.Base).name()
    assert page == DARK.page
    assert window.settings.theme_choice() is ThemeChoice.DARK


def test_recent_files_menu_reopens(qtbot, window, policy_files):
    open_and_wait(qtbot, window, policy_files["markdown"])
    window.tabs.close_tab(0)
    window.recent_menu.aboutToShow.emit()
    entries = [a for a in window.recent_menu.actions() if a.toolTip()]
    assert entries[0].toolTip() == str(policy_files["markdown"])
    entries[0].trigger()
    qtbot.waitUntil(
        lambda: len(window.tabs.document_tabs()) == 1 and not window.tasks.busy, timeout=10_000
    )


def test_geometry_and_splitter_are_remembered(qtbot, settings, themes, recorder):
    first = MainWindow(settings, themes, present_error=recorder.present)
    qtbot.addWidget(first)
    first.resize(700, 520)  # inside the offscreen screen (800 x 600)
    first.show()
    tab = first.tabs.add_document(kestrel_document())
    tab.splitter.setSizes([180, 700])
    tab.splitter.splitterMoved.emit(180, 1)
    first.close()
    second = MainWindow(settings, themes, present_error=recorder.present)
    qtbot.addWidget(second)
    assert second.size() == first.size()
    restored = second.tabs.add_document(kestrel_document())
    assert restored.splitter.saveState() == tab.splitter.saveState()


def test_every_action_is_reachable_from_the_keyboard(window):
    for action in window.actions:
        in_menu = any(
            action in menu.actions()
            for menu in window.menuBar().findChildren(type(window.recent_menu))
        )
        assert action.shortcuts() or in_menu, action.objectName()
    for menu_action in window.menuBar().actions():
        assert "&" in menu_action.text()  # Alt+letter opens each menu


def test_panels_have_accessible_names(qtbot, window, policy_files):
    (tab,) = open_and_wait(qtbot, window, policy_files["markdown"])
    names = {
        tab.outline.accessibleName(),
        tab.outline.tree.accessibleName(),
        tab.outline.filter_box.accessibleName(),
        tab.reader.accessibleName(),
        tab.find_bar.accessibleName(),
        window.tabs.accessibleName(),
    }
    assert names == {
        "Outline",
        "Sections",
        "Filter outline",
        "Policy text",
        "Find in document",
        "Open policies",
    }


def test_switch_panel_cycles_outline_text_and_side_panel(qtbot, window, policy_files):
    (tab,) = open_and_wait(qtbot, window, policy_files["markdown"])
    window.activateWindow()
    tab.outline.tree.setFocus()
    assert tab.side_tabs.isVisible()
    side = tab.side_tabs.currentWidget()
    seen = []
    for _ in range(4):
        window.actions.go_switch_panel.trigger()
        seen.append(QApplication.focusWidget())
    assert seen[0] is tab.reader
    assert seen[1] is side or side.isAncestorOf(seen[1])  # the side tab that is shown
    assert seen[2] is tab.outline.tree and seen[3] is tab.reader
    # Another side tab shown: F6 from the text goes there; a hidden outline is skipped.
    tab.side_tabs.setCurrentIndex((tab.side_tabs.currentIndex() + 1) % tab.side_tabs.count())
    other = tab.side_tabs.currentWidget()
    window.actions.go_switch_panel.trigger()
    assert other.isAncestorOf(QApplication.focusWidget()) or QApplication.focusWidget() is other
    tab.outline.hide()
    window.actions.go_switch_panel.trigger()
    assert QApplication.focusWidget() is tab.reader


def test_next_and_previous_section_actions(qtbot, window, policy_files):
    (tab,) = open_and_wait(qtbot, window, policy_files["markdown"])
    window.actions.go_next_section.trigger()
    assert tab.outline.current_index() == 0
    window.actions.go_next_section.trigger()
    window.actions.go_next_section.trigger()
    assert tab.outline.current_index() == 2
    window.actions.go_previous_section.trigger()
    assert tab.outline.current_index() == 1


def test_shortcuts_dialog_and_about_box(qtbot, window):
    dialog = window.show_shortcuts()
    rows = {dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())}
    assert {"Open", "Find", "Zoom In", "Next Section"} <= rows
    dialog.close()
    window.actions.help_about.trigger()
    about = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    )
    assert "Qt 6" in about.text() and "policyreader" in about.text()
    about.close()


def test_settings_location_follows_the_environment(monkeypatch, tmp_path, themes):
    monkeypatch.setenv("POLICYREADER_CONFIG_DIR", str(tmp_path / "elsewhere"))
    assert Settings().path == tmp_path / "elsewhere" / "settings.ini"


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_theme_manager_follows_the_system(qapp):
    manager = ThemeManager(qapp, ThemeChoice.SYSTEM)
    seen = []
    manager.changed.connect(seen.append)
    want = Qt.ColorScheme.Light if manager.theme is DARK else Qt.ColorScheme.Dark
    try:
        # The offscreen platform has no system scheme to flip, so announce the change as Qt would.
        qapp.styleHints().colorSchemeChanged.emit(want)
        assert (manager.theme is DARK) == (want == Qt.ColorScheme.Dark)
        assert seen == [manager.theme]
        pinned = ThemeManager(qapp, ThemeChoice.LIGHT)
        qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert pinned.theme is not DARK  # an explicit choice ignores the system
        pinned.deleteLater()
    finally:
        qapp.styleHints().colorSchemeChanged.emit(qapp.styleHints().colorScheme())
        manager.deleteLater()


def test_welcome_page_lists_recent_files_and_opens_them(qtbot, window, policy_files):
    assert window.stack.currentWidget() is window.welcome
    open_and_wait(qtbot, window, policy_files["markdown"])
    assert window.stack.currentWidget() is window.tabs
    window.tabs.close_tab(0)
    assert window.stack.currentWidget() is window.welcome
    (button,) = window.welcome.recent_buttons
    assert button.text() == "kestrel.md"
    button.click()
    qtbot.waitUntil(
        lambda: len(window.tabs.document_tabs()) == 1 and not window.tasks.busy, timeout=10_000
    )


def test_the_current_line_slides_to_the_bottom_over_the_last_screen():
    from policyreader.ui.reader.document_tab import current_line

    top = current_line(0, 5000, 600)
    assert top == current_line(4400, 5000, 600) == 132  # 22 % of the view
    assert current_line(5000, 5000, 600) == 599  # at the end: the bottom edge
    assert top < current_line(4700, 5000, 600) < 599
    assert current_line(0, 0, 600) == top  # nothing to scroll


def test_scrolling_to_the_end_makes_the_last_section_current(qtbot, window, policy_files):
    (tab,) = open_and_wait(qtbot, window, policy_files["markdown"])
    bar = tab.reader.verticalScrollBar()
    bar.setValue(bar.maximum())
    last = len(tab.outline.index.entries) - 1
    qtbot.waitUntil(lambda: tab.outline.current_index() == last, timeout=2000)


def test_outline_toggles_and_stays_hidden_beside_a_policy_without_headings(qtbot, window, tmp_path):
    from policyreader.core.builder import assemble, text_block
    from policyreader.core.document import BlockKind, DocumentFormat

    plain = window.tabs.add_document(
        assemble([text_block(BlockKind.PARAGRAPH, "Only words.")], DocumentFormat.TEXT)
    )
    structured = window.tabs.add_document(kestrel_document())
    assert not plain.outline.isVisibleTo(window)
    assert structured.outline.isVisibleTo(window)
    assert window.summary_label.text().startswith("10 sections")
    window.actions.view_outline.trigger()
    assert not structured.outline.isVisibleTo(window)
    window.actions.view_outline.trigger()
    assert structured.outline.isVisibleTo(window)
    window.tabs.setCurrentWidget(plain)
    assert window.summary_label.text().startswith("no headings")


def test_standard_shortcuts_are_bound(window):
    def keys(name):
        return {s.toString() for s in window.actions[name].shortcuts()}

    assert "Ctrl+F" in keys("edit_find")
    assert {"F3", "Shift+F3"} <= keys("edit_find_next") | keys("edit_find_previous")
    assert {"Ctrl+=", "Ctrl++"} <= keys("view_zoom_in")
    assert "Ctrl+-" in keys("view_zoom_out") and "Ctrl+0" in keys("view_zoom_reset")
    assert "Ctrl+O" in keys("file_open")


def test_ctrl_f_typed_in_the_text_opens_the_find_bar(qtbot, window, policy_files):
    (tab,) = open_and_wait(qtbot, window, policy_files["markdown"])
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    tab.reader.setFocus()
    qtbot.keyClick(tab.reader, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert tab.find_bar.isVisible()
    qtbot.keyClicks(tab.find_bar.query_box, "Kestrel")
    qtbot.keyClick(tab.find_bar.query_box, Qt.Key.Key_Return)
    assert tab.find_bar.status_label.text().endswith(f"of {tab.document.text.count('Kestrel')}")
    qtbot.keyClick(tab.reader, Qt.Key.Key_Escape)
    assert not tab.find_bar.isVisible()


def test_in_page_links_go_to_their_section(qtbot, window, policy_files):
    (tab,) = open_and_wait(qtbot, window, policy_files["markdown"])
    titles = [e.title for e in tab.outline.index.entries]
    tab.reader.anchorClicked.emit(QUrl("#4-data-retention"))
    assert titles[tab.outline.current_index()] == "4. Data retention"
    assert tab.reader.verticalScrollBar().value() > 0
    tab.reader.anchorClicked.emit(QUrl("#no-such-part"))
    assert "no-such-part" in window.statusBar().currentMessage()


def test_about_box_states_the_model_origin_and_terms(monkeypatch) -> None:
    from policyreader.ui.shell import dialogs

    text = dialogs.about_text()
    assert "OPP-115" in text and "NonCommercial" in text
    monkeypatch.setattr(dialogs, "MODEL_FILE", ("practices", "absent-model.json.gz"))
    assert "leaves out the statistical model" in dialogs.about_text()


def test_previous_tab_is_shown_as_ctrl_shift_tab_and_works(qtbot, window, policy_files):
    keys = [s.toString() for s in window.actions.go_previous_tab.shortcuts()]
    assert "Ctrl+Shift+Tab" in keys and not any("Backtab" in k for k in keys)
    assert "Backtab" not in window.actions.go_previous_tab.shortcut().toString(
        QKeySequence.SequenceFormat.NativeText
    )
    open_and_wait(qtbot, window, policy_files["markdown"], policy_files["text"])
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    assert window.tabs.currentIndex() == 1
    tab = window.current_tab()
    tab.reader.setFocus()
    # Shift+Tab arrives from the keyboard as Backtab; the shortcut still takes it.
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(tab.reader, Qt.Key.Key_Backtab, modifiers)
    assert window.tabs.currentIndex() == 0


def test_the_empty_window_names_every_format_it_opens(window):
    from PySide6.QtWidgets import QLabel

    hint = window.welcome.findChild(QLabel, "welcomeHint").text()
    for name in ("Markdown", "plain text", "PDF", "web page"):
        assert name in hint
