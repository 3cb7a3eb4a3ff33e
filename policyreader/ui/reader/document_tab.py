"""One open policy: its outline beside its rendered text and find bar, kept in step with each other."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QPoint, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QKeySequence,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QMenu,
    QSplitter,
    QTabWidget,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from policyreader.core.document import PolicyDocument
from policyreader.core.errors import PolicyLoadError
from policyreader.storage.notes_store import OpenedDocument
from policyreader.ui.common.theme import Theme
from policyreader.ui.reader.find_bar import FindBar
from policyreader.ui.reader.offset_map import OffsetMap
from policyreader.ui.reader.outline_panel import OutlineItems, OutlinePanel, build_outline_items
from policyreader.ui.reader.page_bar import PageBar
from policyreader.ui.reader.pages import Page, page_of, split_pages
from policyreader.ui.reader.reader_view import ReaderView, UrlOpener
from policyreader.ui.reader.reading import section_for_fragment
from policyreader.ui.reader.render import (
    ZERO_WIDTH_SPACE,
    RenderedDocument,
    average_char_width,
    check_fits,
    render_document,
    render_in_worker,
)
from policyreader.ui.reader.side_panels import PANEL_KEYS, side_panel
from policyreader.ui.reader.text_search import find_all, first_match_from, match_label, step
from policyreader.ui.reader.typography import Typography

# A jump leaves this much room above its target, so a heading is not glued to the window edge.
SCROLL_PAD = 16
# The section whose heading is above this line (a fraction of the view, at most in pixels) is current.
CURRENT_LINE_FRACTION = 0.22
CURRENT_LINE_MAX_PX = 140
SPY_DELAY_MS = 30
FIND_LAYER = "find"
# Rich text about the passage at a text offset, or "" when a feature has nothing to say there.
TooltipProvider = Callable[[int], str]


def current_line(value: int, maximum: int, height: int) -> float:
    """How far below the top of the view the "current section" line is, in pixels.

    Normally a fixed share of the view; over the last screen of scrolling it slides down to the
    bottom edge, so short sections at the end of a policy also become current when reached.
    """
    line = min(height * CURRENT_LINE_FRACTION, CURRENT_LINE_MAX_PX)
    if maximum <= 0 or height <= 0:
        return line
    progress = max(0.0, min(1.0, (value - (maximum - height)) / height))
    return line + (height - line - 1) * progress


def focus_into(widget: QWidget) -> None:
    """Give ``widget`` the keyboard: a panel passes it to the child it last had, else its first."""
    target: QWidget | None = widget
    if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
        last = widget.focusWidget()
        if last is not None and widget.isAncestorOf(last) and last.isVisible():
            target = last
        else:
            target = widget.nextInFocusChain()
            while target is not widget and not (
                target is not None
                and widget.isAncestorOf(target)
                and target.isVisible()
                and target.isEnabled()
                and target.focusPolicy() & Qt.FocusPolicy.TabFocus
            ):
                target = target.nextInFocusChain() if target is not None else widget
    (target or widget).setFocus(Qt.FocusReason.ShortcutFocusReason)


@dataclass(slots=True)
class PreparedTab:
    """What a tab shows, built ahead by the loader's thread: the written text (its first part),
    the outline items and the parts."""

    rendered: RenderedDocument
    outline: OutlineItems
    pages: list[Page] | None = None


def prepare_tab(document: PolicyDocument, theme: Theme, typography: Typography) -> PreparedTab:
    """Build in a worker what would otherwise hold the GUI thread while a long policy opens.

    A part too tall for Qt's layout raises ``PolicyLoadError`` instead (see ``check_fits``).
    """
    pages = split_pages(document)
    check_fits(document, typography, pages)
    rendered = render_in_worker(document, theme, typography, _shown_part(pages, 0))
    return PreparedTab(rendered, build_outline_items(document.sections), pages)


def _shown_part(pages: list[Page], index: int) -> Page | None:
    """What to render: the part, or None (the whole text) when there is only one."""
    return pages[index] if len(pages) > 1 else None


class DocumentTab(QWidget):
    """Wires the outline, the reader and the find bar of one document; no logic of its own.

    ``set_highlights(layer, ranges)`` paints text ranges (offsets into ``document.text``); the find
    bar uses the ``"find"`` layer, later features add theirs.
    """

    link_hovered = Signal(str)
    status_message = Signal(str)
    splitter_moved = Signal(QByteArray)
    current_section_changed = Signal(int)  # index in the outline, -1 before the first heading
    # Context menus: each feature adds its entries to the menu before it shows.
    reader_menu_requested = Signal(QMenu, int)  # the text offset under the pointer
    section_menu_requested = Signal(QMenu, int)  # the outline entry under the pointer
    rendered = Signal()  # the text was (re)built: features re-apply what they drew on it
    closing = Signal()  # the tab is about to go: features keep what they must (reading place)

    def __init__(
        self,
        document: PolicyDocument,
        theme: Theme,
        typography: Typography,
        url_opener: UrlOpener | None = None,
        parent: QWidget | None = None,
        prepared: PreparedTab | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        # The document as the store knows it (set by the open job's result; None without one).
        self.registration: OpenedDocument | None = None
        self.theme = theme
        self.typography = typography
        self.offsets = OffsetMap([], 0)
        self.block_positions: list[int] = []
        # A long policy is shown one part at a time (see pages.py); most have one part.
        self.pages = prepared.pages if prepared and prepared.pages else split_pages(document)
        self.page_index = 0
        self._layers: dict[str, list[tuple[int, int, QTextCharFormat]]] = {}
        self._matches: list[tuple[int, int]] = []
        self._match_index: int | None = None
        self._pinned_value: int | None = None
        # Features add what a hover over the text should explain; shown together, by order.
        self._tooltip_providers: list[tuple[int, TooltipProvider]] = []

        self.outline = OutlinePanel(self)
        self.reader = ReaderView(self, url_opener=url_opener)
        self.page_bar = PageBar(self)
        self.find_bar = FindBar(self)
        # Right-hand panels of later features (practices, summary, notes) are tabs here.
        self.side_tabs = QTabWidget(self)
        self.side_tabs.setObjectName("sidePanels")
        self.side_tabs.setAccessibleName("Side panels")
        self.side_tabs.setDocumentMode(True)
        self.side_tabs.hide()
        self.splitter = self._build_layout()

        self._spy_timer = QTimer(self)
        self._spy_timer.setSingleShot(True)
        self._spy_timer.setInterval(SPY_DELAY_MS)
        self._spy_timer.timeout.connect(self.update_current_section)
        self._connect()
        self.outline.set_sections(document.sections, prepared.outline if prepared else None)
        self.render(prepared.rendered if prepared else None)

    def _build_layout(self) -> QSplitter:
        text_side = QWidget(self)
        text_layout = QVBoxLayout(text_side)
        text_layout.setContentsMargins(0, 0, 0, 0)
        text_layout.setSpacing(0)
        text_layout.addWidget(self.page_bar)
        text_layout.addWidget(self.reader, 1)
        text_layout.addWidget(self.find_bar)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("readerSplitter")
        splitter.setChildrenCollapsible(True)
        splitter.addWidget(self.outline)
        splitter.addWidget(text_side)
        splitter.addWidget(self.side_tabs)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([300, 900, 340])
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.addWidget(splitter)
        return splitter

    def add_banner(self, banner: QWidget) -> None:
        """Show a strip above the text (a feature's notice) and show it at once."""
        self._column.insertWidget(0, banner)
        # A layout shows a new child only on a later turn of the event loop; show it now.
        banner.show()

    def _connect(self) -> None:
        self.outline.section_activated.connect(self.go_to_section)
        self.page_bar.page_requested.connect(self.show_page)
        self.reader.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.reader.highlighted.connect(lambda url: self.link_hovered.emit(url.toString()))
        self.reader.link_blocked.connect(
            lambda url: self.status_message.emit(
                f"Not opened: {url} (only web and mail links open)"
            )
        )
        self.reader.link_opened.connect(
            lambda url: self.status_message.emit(f"Opened {url} in your browser")
        )
        self.reader.fragment_requested.connect(self._go_to_fragment)
        self.find_bar.query_changed.connect(self.find)
        self.find_bar.case_sensitive_changed.connect(lambda _on: self.find(self.find_bar.query))
        self.find_bar.next_requested.connect(self.find_next)
        self.find_bar.previous_requested.connect(self.find_previous)
        self.find_bar.highlight_all_changed.connect(lambda _on: self._paint_matches())
        self.find_bar.closed.connect(self._find_closed)
        self.splitter.splitterMoved.connect(
            lambda _pos, _index: self.splitter_moved.emit(self.splitter.saveState())
        )
        self.reader.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.reader.customContextMenuRequested.connect(
            lambda pos: self._popup(self.build_reader_menu(pos), self.reader.viewport(), pos)
        )
        self.outline.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.outline.tree.customContextMenuRequested.connect(
            lambda pos: self._popup(self.build_section_menu(pos), self.outline.tree.viewport(), pos)
        )
        self.reader.viewport().installEventFilter(self)
        close_find = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        close_find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        close_find.activated.connect(self._escape)

    def add_side_panel(self, panel: QWidget, key: str) -> int:
        """Show ``panel`` as the side area's tab declared as ``key`` in ``SIDE_PANELS``, in the
        declared order whatever order the features add theirs; returns its tab index."""
        declared = side_panel(key)
        rank = PANEL_KEYS.index(key)
        shown = [self.side_tabs.tabBar().tabData(i) for i in range(self.side_tabs.count())]
        index = next(
            (i for i, other in enumerate(shown) if PANEL_KEYS.index(other) > rank), len(shown)
        )
        index = self.side_tabs.insertTab(index, panel, declared.title)
        self.side_tabs.tabBar().setTabData(index, key)
        self.side_tabs.show()
        return index

    def focus_stops(self) -> list[QWidget]:
        """Where Switch Panel (F6) goes, in turn: the outline, the text, the shown side panel."""
        stops: list[QWidget] = []
        if self.outline.isVisible():
            stops.append(self.outline.tree)
        stops.append(self.reader)
        side = self.side_tabs.currentWidget()
        if self.side_tabs.isVisible() and side is not None and side.isVisible():
            stops.append(side)
        return stops

    def focus_next_panel(self, focused: QWidget | None) -> QWidget:
        """Move the keyboard from the stop holding ``focused`` to the next; returns that stop."""
        stops = self.focus_stops()
        here = next(
            (
                i
                for i, stop in enumerate(stops)
                if focused is not None and (stop is focused or stop.isAncestorOf(focused))
            ),
            len(stops) - 1,  # from anywhere else (the find bar, the tab bar) start at the outline
        )
        chosen = stops[(here + 1) % len(stops)]
        focus_into(chosen)
        return chosen

    # Tooltips ----------------------------------------------------------------------------------

    def add_tooltip_provider(self, provider: TooltipProvider, order: int = 0) -> None:
        """Explain passages on hover; lower ``order`` first (practices 0, then notes 10)."""
        self._tooltip_providers.append((order, provider))
        self._tooltip_providers.sort(key=lambda entry: entry[0])

    def tooltip_at(self, offset: int) -> str:
        """What every feature says about the text at ``offset``, joined by rules."""
        parts = [provider(offset) for _order, provider in self._tooltip_providers]
        return "<hr>".join(part for part in parts if part)

    def offset_at_point(self, point: QPointF) -> int | None:
        """The text offset under viewport point ``point``; None off the text (margins, gaps)."""
        document_point = point + QPointF(
            self.reader.horizontalScrollBar().value(), self.reader.verticalScrollBar().value()
        )
        layout = self.reader.document().documentLayout()
        hit = layout.hitTest(document_point, Qt.HitTestAccuracy.ExactHit)
        return None if hit < 0 else self.offsets.to_offset(hit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ToolTip or not isinstance(event, QHelpEvent):
            return super().eventFilter(watched, event)
        offset = self.offset_at_point(event.pos().toPointF())
        text = self.tooltip_at(offset) if offset is not None else ""
        if not text:
            QToolTip.hideText()
            return False
        QToolTip.showText(event.globalPos(), text, self.reader.viewport())
        return True

    def build_reader_menu(self, pos: QPoint) -> QMenu:
        """The text's context menu at viewport point ``pos``: Copy, Select All, then features'."""
        menu = self.reader.createStandardContextMenu(pos)
        offset = self.offsets.to_offset(self.reader.cursorForPosition(pos).position())
        self.reader_menu_requested.emit(menu, offset)
        return menu

    def build_section_menu(self, pos: QPoint) -> QMenu | None:
        """The outline's context menu for the entry at ``pos``, or None off the entries."""
        item = self.outline.tree.itemAt(pos)
        if item is None or item.data(0, Qt.ItemDataRole.UserRole) is None:
            return None
        menu = QMenu(self)
        self.section_menu_requested.emit(menu, int(item.data(0, Qt.ItemDataRole.UserRole)))
        return menu if menu.actions() else None

    @staticmethod
    def _popup(menu: QMenu | None, origin: QWidget, pos: QPoint) -> None:
        if menu is not None:
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(origin.mapToGlobal(pos))

    # Rendering -------------------------------------------------------------------------------

    @property
    def title(self) -> str:
        if self.document.title:
            return self.document.title
        return Path(self.document.path).name if self.document.path else "Untitled policy"

    # Shadows QWidget.render(target, ...), which nothing calls on a tab.
    def render(self, prepared: RenderedDocument | None = None) -> None:  # type: ignore[override]
        """(Re)build the text for the current theme and zoom, keeping the reading position.

        ``prepared`` is the text written ahead (by the loader's thread); it is used if it was
        written for the current theme and zoom.
        """
        keep = self.top_offset() if self.block_positions else None
        self._render_part(prepared)
        if keep is not None:
            self.scroll_to_offset(keep, pin=False)
        self.rendered.emit()

    def _render_part(self, prepared: RenderedDocument | None = None) -> None:
        """Write and show the current part (the whole text when there is one)."""
        part = _shown_part(self.pages, self.page_index)
        if prepared is not None and (prepared.theme, prepared.typography, prepared.page) == (
            self.theme,
            self.typography,
            part,
        ):
            rendered = prepared
        else:
            rendered = render_document(self.document, self.theme, self.typography, part)
        self.offsets = rendered.offsets
        self.block_positions = rendered.block_positions
        self.reader.set_rendered_document(rendered.qdocument, average_char_width(self.typography))
        self._apply_reader_palette()
        self._repaint_layers()
        self._show_page_bar()

    # Parts -------------------------------------------------------------------------------------

    @property
    def page(self) -> Page:
        return self.pages[self.page_index]

    def show_page(self, index: int) -> None:
        """Show part ``index`` from its top; features repaint on ``rendered``."""
        if not 0 <= index < len(self.pages) or index == self.page_index:
            return
        self.page_index = index
        self._render_part()
        self.reader.verticalScrollBar().setValue(0)
        self.outline.set_current(self.page.start)
        self._announce_section()
        self.rendered.emit()

    def show_page_of(self, offset: int) -> None:
        """Make sure the part holding ``offset`` is the one shown (before scrolling to it)."""
        self.show_page(page_of(self.pages, offset))

    def on_page(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` is (partly) in the part shown, so drawn on it."""
        return len(self.pages) == 1 or self.page.overlaps(start, end)

    def _show_page_bar(self) -> None:
        self.page_bar.show_page(self.page_index, len(self.pages), self._page_place())

    def _page_place(self) -> str:
        """Where a later part starts: its outermost section, then its innermost ("A › B")."""
        if not self.page_index:
            return ""
        offset = self.page.start
        outer = next((s for s in self.document.sections if s.start <= offset < s.end), None)
        inner = self.document.section_at(offset)
        titles = [section.title for section in (outer, inner) if section is not None]
        return " › ".join(dict.fromkeys(titles))

    def set_theme(self, theme: Theme) -> None:
        if theme != self.theme:
            self.theme = theme
            self.render()

    def set_typography(self, typography: Typography) -> None:
        if typography == self.typography:
            return
        try:
            check_fits(self.document, typography, self.pages)
        except PolicyLoadError:
            self.status_message.emit("This policy is too long to show at that zoom")
            return
        self.typography = typography
        self.render()

    def restore_splitter(self, state: QByteArray | None) -> None:
        if state is not None:
            self.splitter.restoreState(state)

    def _apply_reader_palette(self) -> None:
        palette = self.reader.palette()
        palette.setColor(palette.ColorRole.Base, QColor(self.theme.page))
        palette.setColor(palette.ColorRole.Text, QColor(self.theme.text))
        self.reader.setPalette(palette)

    # Positions -------------------------------------------------------------------------------

    def position_y(self, position: int) -> float:
        """The document y of the line holding QTextDocument ``position``."""
        qdocument = self.reader.document()
        block = qdocument.findBlock(position)
        rect = qdocument.documentLayout().blockBoundingRect(block)
        layout = block.layout()
        line = layout.lineForTextPosition(position - block.position()) if layout else None
        return rect.top() + (line.y() if line is not None and line.isValid() else 0.0)

    def scroll_to_offset(self, offset: int, pin: bool = True) -> None:
        """Bring the text at ``offset`` to the top of the view and put the text cursor there."""
        self.show_page_of(offset)
        position = self.offsets.to_position(offset)
        cursor = QTextCursor(self.reader.document())
        cursor.setPosition(position)
        self.reader.setTextCursor(cursor)
        bar = self.reader.verticalScrollBar()
        target = max(0, int(self.position_y(position) - SCROLL_PAD))
        bar.setValue(min(target, bar.maximum()))
        self._pinned_value = bar.value() if pin else None

    def show_section_of(self, offset: int) -> None:
        """Select the section holding ``offset`` in the outline, kept until the reader scrolls."""
        self._pinned_value = self.reader.verticalScrollBar().value()
        self.outline.set_current(offset)
        self._announce_section()

    def offset_at_y(self, viewport_y: float) -> int:
        """The text offset shown at ``viewport_y`` pixels below the top of the view."""
        y = self.reader.verticalScrollBar().value() + viewport_y
        x = self.reader.column_margin() + 1
        hit = (
            self.reader.document()
            .documentLayout()
            .hitTest(QPointF(x, y), Qt.HitTestAccuracy.FuzzyHit)
        )
        return self.offsets.to_offset(max(hit, 0))

    def top_offset(self) -> int:
        return self.offset_at_y(SCROLL_PAD + 1)

    # Sections --------------------------------------------------------------------------------

    def go_to_section(self, offset: int) -> None:
        self.scroll_to_offset(offset)
        self.outline.set_current(offset)
        self._announce_section()

    def go_to_section_index(self, index: int) -> None:
        entries = self.outline.index.entries
        if 0 <= index < len(entries):
            self.go_to_section(entries[index].start)

    def go_next_section(self) -> None:
        current = self.outline.current_index()
        self.go_to_section_index(0 if current is None else current + 1)

    def go_previous_section(self) -> None:
        current = self.outline.current_index()
        if current:
            self.go_to_section_index(current - 1)

    def _scrolled(self, value: int) -> None:
        if self._pinned_value is not None and value != self._pinned_value:
            self._pinned_value = None
        self._spy_timer.start()

    def update_current_section(self) -> None:
        """Mark in the outline the section being read (kept on a clicked entry until you scroll)."""
        self._spy_timer.stop()
        if self._pinned_value is not None:
            return
        bar = self.reader.verticalScrollBar()
        line = current_line(bar.value(), bar.maximum(), self.reader.viewport().height())
        self.outline.set_current(self.offset_at_y(line))
        self._announce_section()

    def _announce_section(self) -> None:
        current = self.outline.current_index()
        self.current_section_changed.emit(-1 if current is None else current)

    def _go_to_fragment(self, fragment: str) -> None:
        offset = section_for_fragment(self.document, fragment)
        if offset is None:
            self.status_message.emit(f"No section called “{fragment}” in this policy")
        else:
            self.go_to_section(offset)

    # Find ------------------------------------------------------------------------------------

    def open_find(self) -> None:
        selected = self.reader.textCursor().selectedText().replace(ZERO_WIDTH_SPACE, "")
        self.find_bar.open_bar(selected)

    # Shadows QWidget.find(window_id), which nothing calls on a tab.
    def find(self, query: str) -> None:  # type: ignore[override]
        case = self.find_bar.match_case.isChecked()
        self._matches = find_all(self.document.text, query, case_sensitive=case)
        self._match_index = first_match_from(self._matches, self.top_offset())
        self._show_match()

    def find_next(self) -> None:
        self._step_match(forward=True)

    def find_previous(self) -> None:
        self._step_match(forward=False)

    @property
    def match_count(self) -> int:
        return len(self._matches)

    @property
    def match_index(self) -> int | None:
        return self._match_index

    def _step_match(self, forward: bool) -> None:
        if not self.find_bar.isVisible():
            self.open_find()
            return
        self._match_index = step(self._match_index, len(self._matches), forward)
        self._show_match()

    def _show_match(self) -> None:
        self.find_bar.set_status(
            match_label(self._match_index, len(self._matches), self.find_bar.query),
            bool(self._matches),
        )
        self._paint_matches()
        if self._match_index is not None:
            self._reveal(self._matches[self._match_index][0])

    def _reveal(self, start: int) -> None:
        """Scroll a match into view (a third of the way down) unless it is already well in view."""
        self.show_page_of(start)
        first = self.offsets.to_position(start)
        cursor = QTextCursor(self.reader.document())
        cursor.setPosition(first)
        self.reader.setTextCursor(cursor)
        bar = self.reader.verticalScrollBar()
        y = self.position_y(first)
        height = self.reader.viewport().height()
        if not (bar.value() + SCROLL_PAD <= y <= bar.value() + height * 0.8):
            bar.setValue(int(y - height / 3))

    def _paint_matches(self) -> None:
        ranges: list[tuple[int, int, QTextCharFormat]] = []
        every = QTextCharFormat()
        every.setBackground(QColor(self.theme.match))
        current = QTextCharFormat()
        current.setBackground(QColor(self.theme.current_match))
        current.setForeground(QColor("#111317"))
        if self.find_bar.isVisible():
            for number, (start, end) in enumerate(self._matches):
                if number == self._match_index:
                    ranges.append((start, end, current))
                elif self.find_bar.highlight_all.isChecked():
                    ranges.append((start, end, every))
        self.set_highlights(FIND_LAYER, ranges)

    def _find_closed(self) -> None:
        self.set_highlights(FIND_LAYER, [])
        self.reader.setFocus(Qt.FocusReason.OtherFocusReason)

    def _escape(self) -> None:
        if self.find_bar.isVisible():
            self.find_bar.close_bar()

    # Highlights ------------------------------------------------------------------------------

    def set_highlights(self, layer: str, ranges: list[tuple[int, int, QTextCharFormat]]) -> None:
        """Paint ``(start, end, format)`` text ranges as one named layer over the text."""
        self._layers[layer] = list(ranges)
        self._apply_layers()

    def _apply_layers(self) -> None:
        selections = []
        qdocument = self.reader.document()
        for ranges in self._layers.values():
            for start, end, fmt in ranges:
                if not self.on_page(start, end):
                    continue
                first, last = self.offsets.to_position_range(start, end)
                cursor = QTextCursor(qdocument)
                cursor.setPosition(first)
                cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format = fmt
                selections.append(selection)
        self.reader.setExtraSelections(selections)

    def _repaint_layers(self) -> None:
        """After a re-render the old cursors point into a deleted document: rebuild every layer."""
        if self.find_bar.isVisible():
            self._paint_matches()
        else:
            self._apply_layers()
