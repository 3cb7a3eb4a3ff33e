"""The outline panel alone: levels, filter, current section, activation by mouse and keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt

from policyreader.ui.reader.outline_index import OutlineIndex
from policyreader.ui.reader.outline_panel import OutlinePanel
from tests.ui.documents import kestrel_document


def _panel(qtbot) -> OutlinePanel:
    panel = OutlinePanel()
    qtbot.addWidget(panel)
    panel.set_sections(kestrel_document().sections)
    panel.resize(280, 500)
    panel.show()
    return panel


def _titles(panel: OutlinePanel) -> list[str]:
    return [e.title for e in panel.index.entries]


def test_index_lists_sections_in_reading_order_with_parents():
    index = OutlineIndex(kestrel_document().sections)
    titles = [e.title for e in index.entries]
    assert titles[:4] == [
        "1. Information we collect",
        "1.1 Information you give us",
        "1.2 Information collected automatically",
        "2. How we use information",
    ]
    assert [e.level for e in index.entries[:4]] == [1, 2, 2, 1]
    assert index.entries[2].parent == 0
    assert index.ancestors(2) == [0]


def test_entry_at_finds_the_innermost_section():
    document = kestrel_document()
    index = OutlineIndex(document.sections)
    assert index.entry_at(0) is None  # the title and introduction come before any section
    sub = index.entries[2]
    assert index.entry_at(sub.start) == 2
    assert index.entry_at(sub.start + 5) == 2
    assert index.entry_at(len(document.text)) == len(index) - 1


def test_filter_keeps_ancestors_of_matches_visible():
    index = OutlineIndex(kestrel_document().sections)
    matches, visible = index.filter("automatically")
    assert matches == {2}
    assert visible == {0, 2}
    matches, visible = index.filter("information COLLECT")
    assert matches == {0, 2}
    assert index.filter("") == (set(range(len(index))), set(range(len(index))))


def test_tree_shows_levels_and_filter_hides_the_rest(qtbot):
    panel = _panel(qtbot)
    assert panel.tree.topLevelItemCount() == 6
    assert panel.item(0).childCount() == 2
    qtbot.keyClicks(panel.filter_box, "deletion")
    visible = [e.title for i, e in enumerate(panel.index.entries) if not panel.item(i).isHidden()]
    assert visible == ["5. Your rights", "5.2 Deletion"]
    panel.filter_box.clear()
    assert not any(panel.item(i).isHidden() for i in range(len(panel.index)))


def test_enter_in_the_filter_activates_the_first_match(qtbot):
    panel = _panel(qtbot)
    with qtbot.waitSignal(panel.section_activated) as signal:
        qtbot.keyClicks(panel.filter_box, "retention")
        qtbot.keyClick(panel.filter_box, Qt.Key.Key_Return)
    target = _titles(panel).index("4. Data retention")
    assert signal.args == [panel.index.entries[target].start]


def test_keyboard_activation_from_the_tree(qtbot):
    panel = _panel(qtbot)
    panel.tree.setFocus()
    panel.tree.setCurrentItem(panel.item(3))
    with qtbot.waitSignal(panel.section_activated) as signal:
        qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
    assert signal.args == [panel.index.entries[3].start]


def test_set_current_bolds_one_entry_and_expands_its_parents(qtbot):
    panel = _panel(qtbot)
    panel.tree.collapseAll()
    rights = _titles(panel).index("5.2 Deletion")
    panel.set_current(panel.index.entries[rights].start + 3)
    assert panel.is_bold(rights)
    assert panel.item(panel.index.entries[rights].parent).isExpanded()
    panel.set_current(panel.index.entries[0].start)
    assert panel.is_bold(0) and not panel.is_bold(rights)
    panel.set_current(0)
    assert panel.current_index() is None
    assert not any(panel.is_bold(i) for i in range(len(panel.index)))


def test_a_document_without_headings_says_so(qtbot):
    panel = OutlinePanel()
    qtbot.addWidget(panel)
    panel.set_sections([])
    panel.show()
    assert panel.empty_label.isVisible()
    assert not panel.tree.isVisible()
    assert not panel.filter_box.isEnabled()


def test_long_headings_wrap_instead_of_being_cut(qtbot):
    from policyreader.core.builder import assemble, text_block
    from policyreader.core.document import BlockKind, DocumentFormat

    long_title = "Disclosure of your information to third parties for their own direct marketing"
    document = assemble(
        [
            text_block(BlockKind.HEADING, "Short", level=2),
            text_block(BlockKind.HEADING, long_title, level=2),
        ],
        DocumentFormat.MARKDOWN,
    )
    panel = OutlinePanel()
    qtbot.addWidget(panel)
    panel.set_sections(document.sections)
    panel.resize(220, 400)
    panel.show()
    qtbot.waitExposed(panel)
    short, long = (panel.tree.visualItemRect(panel.item(i)).height() for i in (0, 1))
    assert long >= 2 * short - 4
    panel.resize(900, 400)
    qtbot.waitUntil(lambda: panel.tree.visualItemRect(panel.item(1)).height() == short)
