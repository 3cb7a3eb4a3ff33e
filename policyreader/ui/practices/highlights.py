"""Practice highlights in the text: palette, marks, char formats applied in time-boxed chunks, tooltips."""

from __future__ import annotations

import heapq
import html
import math
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QWidget

from policyreader.core.practices.polarity import Polarity
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import LABELS, PRACTICE_CATEGORIES, Category
from policyreader.core.summary import value_words
from policyreader.ui.common.theme import Theme
from policyreader.ui.reader.document_tab import DocumentTab

Underline = QTextCharFormat.UnderlineStyle

# Time a chunk of highlighting should take before the event loop gets the GUI thread back; the
# chunk is a stretch of text whose length adapts to the speed measured on the previous chunk.
# Qt re-positions everything after an edit (about 30 ms from the top of a 1 MB policy), so tiny
# chunks would cost more in total: the target leaves room for that and stays well under 100 ms.
CHUNK_TARGET_S = 0.045
FIRST_CHUNK_CHARS = 10_000
MIN_CHUNK_CHARS = 5_000
MAX_CHUNK_CHARS = 400_000
TINT_LIGHT = 0.30  # share of the category colour in the highlight's background, light theme
TINT_DARK = 0.34
# The calm default tints no background: a light underline and the margin mark show a practice.
UNDERLINE_SHARE = 0.65


@dataclass(frozen=True, slots=True)
class CategoryStyle:
    """How one category looks: a colour per theme, an underline style and a margin mark.

    The colours start from Paul Tol's "muted" scheme, with security a neutral slate (apart
    from collection's blue), retention Okabe-Ito's orange and policy changes a taupe (apart
    from it for protanopes), each mark at least 3:1 against the page in both themes; the mark
    shape and the underline tell categories apart without colour at all. ``tools/contrast.py``
    prints the measured ratios and colour-blind distances.
    """

    colour: str
    dark_colour: str
    underline: Underline
    mark: str  # shape name, see ``draw_mark``
    short: str  # two letters, for the margin and the legend's accessible text


STYLES: dict[Category, CategoryStyle] = {
    Category.FIRST_PARTY_COLLECTION: CategoryStyle(
        "#2f7fa8", "#88ccee", Underline.SingleUnderline, "circle", "Co"
    ),
    Category.THIRD_PARTY_SHARING: CategoryStyle(
        "#cc6677", "#e5909d", Underline.WaveUnderline, "square", "Sh"
    ),
    Category.USER_CHOICE: CategoryStyle(
        "#2e8b7a", "#4fd0b0", Underline.DashUnderline, "triangle", "Ch"
    ),
    Category.USER_ACCESS: CategoryStyle(
        "#117733", "#4fbf74", Underline.DashDotLine, "diamond", "Ri"
    ),
    Category.DATA_RETENTION: CategoryStyle(
        "#b86e00", "#f0b040", Underline.DotLine, "hexagon", "Re"
    ),
    Category.DATA_SECURITY: CategoryStyle(
        "#55555f", "#b4b4be", Underline.SingleUnderline, "plus", "Se"
    ),
    Category.POLICY_CHANGE: CategoryStyle(
        "#8a7560", "#c9b291", Underline.DashDotDotLine, "down", "Pc"
    ),
    Category.DO_NOT_TRACK: CategoryStyle("#882255", "#d0609a", Underline.DotLine, "cross", "Dn"),
    Category.INTERNATIONAL_SPECIFIC_AUDIENCES: CategoryStyle(
        "#aa4499", "#c98be0", Underline.DashUnderline, "star", "Au"
    ),
}


def colour(category: Category, theme: Theme) -> QColor:
    """The category's strong colour in ``theme``: underlines, marks, legend swatches."""
    style = STYLES[category]
    return QColor(style.dark_colour if theme.dark else style.colour)


def light_underline(category: Category, theme: Theme) -> QColor:
    """The calm default's underline: the category colour, softened into the page."""
    return mix(QColor(theme.page), colour(category, theme), UNDERLINE_SHARE)


def tint(category: Category, theme: Theme) -> QColor:
    """The background behind a highlighted passage: the colour mixed into the page."""
    return mix(QColor(theme.page), colour(category, theme), TINT_DARK if theme.dark else TINT_LIGHT)


def mix(base: QColor, over: QColor, share: float) -> QColor:
    return QColor(
        round(base.red() + (over.red() - base.red()) * share),
        round(base.green() + (over.green() - base.green()) * share),
        round(base.blue() + (over.blue() - base.blue()) * share),
    )


# Marks ------------------------------------------------------------------------------------------


def _polygon(points: Iterable[tuple[float, float]], rect: QRectF) -> QPolygonF:
    return QPolygonF(
        [QPointF(rect.left() + x * rect.width(), rect.top() + y * rect.height()) for x, y in points]
    )


_PLUS = (
    (0.34, 0), (0.66, 0), (0.66, 0.34), (1, 0.34), (1, 0.66), (0.66, 0.66),
    (0.66, 1), (0.34, 1), (0.34, 0.66), (0, 0.66), (0, 0.34), (0.34, 0.34),
)  # fmt: skip
_CROSS = (
    (0.22, 0), (0.5, 0.28), (0.78, 0), (1, 0.22), (0.72, 0.5), (1, 0.78),
    (0.78, 1), (0.5, 0.72), (0.22, 1), (0, 0.78), (0.28, 0.5), (0, 0.22),
)  # fmt: skip


def mark_path(shape: str, rect: QRectF) -> QPainterPath:
    """The outline of a margin mark inside ``rect``; a distinct shape per category."""
    path = QPainterPath()
    if shape == "circle":
        path.addEllipse(rect)
    elif shape == "square":
        path.addRect(rect.adjusted(1, 1, -1, -1))
    elif shape == "triangle":
        path.addPolygon(_polygon([(0.5, 0), (1, 1), (0, 1)], rect))
    elif shape == "down":
        path.addPolygon(_polygon([(0, 0), (1, 0), (0.5, 1)], rect))
    elif shape == "diamond":
        path.addPolygon(_polygon([(0.5, 0), (1, 0.5), (0.5, 1), (0, 0.5)], rect))
    elif shape == "hexagon":
        path.addPolygon(
            _polygon([(0.25, 0), (0.75, 0), (1, 0.5), (0.75, 1), (0.25, 1), (0, 0.5)], rect)
        )
    elif shape == "plus":
        path.addPolygon(_polygon(_PLUS, rect))
    elif shape == "cross":
        path.addPolygon(_polygon(_CROSS, rect))
    else:  # star
        points = []
        for i in range(10):
            radius = 0.5 if i % 2 == 0 else 0.22
            angle = -math.pi / 2 + i * math.pi / 5
            points.append((0.5 + radius * math.cos(angle), 0.52 + radius * math.sin(angle)))
        path.addPolygon(_polygon(points, rect))
    path.closeSubpath()
    return path


def draw_mark(painter: QPainter, category: Category, rect: QRectF, theme: Theme) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(theme.page), 0.8))
    painter.setBrush(QBrush(colour(category, theme)))
    painter.drawPath(mark_path(STYLES[category].mark, rect))
    painter.restore()


def mark_pixmap(category: Category, theme: Theme, size: int = 14, ratio: float = 1.0) -> QPixmap:
    """The category's mark as an icon (legend, panel headers, menus)."""
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    draw_mark(painter, category, QRectF(1, 1, size - 2, size - 2), theme)
    painter.end()
    return pixmap


# Segments ---------------------------------------------------------------------------------------


def layered_segments(
    practices: Sequence[Practice], visible: set[Category]
) -> list[tuple[int, int, tuple[Category, ...]]]:
    """Cut the visible practices' spans into pieces with the categories that cover each piece.

    Overlapping practices then get one format per piece that shows both (background of one,
    underline of the other) instead of the later one hiding the earlier.
    """
    return list(iter_segments(practices, visible))


def iter_segments(
    practices: Sequence[Practice], visible: set[Category]
) -> Iterator[tuple[int, int, tuple[Category, ...]]]:
    """``layered_segments`` one piece at a time, in text order (the painter takes them lazily)."""
    events: list[tuple[int, int, int]] = []
    order = {c: i for i, c in enumerate(PRACTICE_CATEGORIES)}
    for practice in practices:
        if practice.category in visible and practice.end > practice.start:
            rank = order[practice.category]
            events.append((practice.start, 1, rank))
            events.append((practice.end, -1, rank))
    events.sort(key=lambda e: (e[0], e[1]))
    active = [0] * len(PRACTICE_CATEGORIES)
    held: tuple[int, int, tuple[Category, ...]] | None = None
    previous = 0
    for position, delta, rank in events:
        if position > previous and any(active):
            ordered = tuple(c for c, n in zip(PRACTICE_CATEGORIES, active, strict=True) if n)
            if held is not None and held[1] == previous and held[2] == ordered:
                held = (held[0], position, ordered)
            else:
                if held is not None:
                    yield held
                held = (previous, position, ordered)
        previous = position
        active[rank] += delta
    if held is not None:
        yield held


def highlight_format(
    categories: tuple[Category, ...], theme: Theme, tinted: set[Category] | None = None
) -> QTextCharFormat:
    """Background of the first tinted category, underline (colour and style) of the last one.

    ``tinted`` None tints every category; otherwise a piece none of whose categories is tinted
    gets only a light plain underline, so a dense policy still reads as text.
    """
    fmt = QTextCharFormat()
    shown = [c for c in categories if tinted is None or c in tinted]
    last = categories[-1]
    if not shown:
        # Dotted: it reads as a note on the words, never as a link.
        fmt.setUnderlineStyle(Underline.DotLine)
        fmt.setUnderlineColor(light_underline(last, theme))
        return fmt
    fmt.setBackground(tint(shown[0], theme))
    fmt.setUnderlineStyle(STYLES[last].underline)
    fmt.setUnderlineColor(colour(last, theme))
    return fmt


# Painting ---------------------------------------------------------------------------------------


# A stretch of QTextDocument positions and its new format (None: clear the highlight there).
_Item = tuple[int, int, QTextCharFormat | None]


@dataclass(frozen=True, slots=True)
class _Original:
    """What a run of the rendered text looked like before highlighting (links, inline code)."""

    first: int
    last: int
    fmt: QTextCharFormat


@dataclass(frozen=True, slots=True)
class _PaintRequest:
    practices: list[Practice]
    visible: frozenset[Category]
    theme: Theme
    tinted: frozenset[Category] | None


def starting_in(practices: list[Practice], spans: Sequence[tuple[int, int]]) -> list[Practice]:
    """The practices (sorted by start) that start inside one of ``spans``."""
    starts = [p.start for p in practices]
    found: list[Practice] = []
    for start, end in spans:
        found += practices[bisect_left(starts, start) : bisect_left(starts, end)]
    return found


def _frozen(tinted: set[Category] | None) -> frozenset[Category] | None:
    return None if tinted is None else frozenset(tinted)


class HighlightPainter(QObject):
    """Applies practice highlights to a tab's rendered text as char formats.

    Char formats merged in an edit block are several times faster than extra selections on a big
    policy; the work runs in chunks of about ``CHUNK_TARGET_S`` so the window keeps answering.
    ``progress(done, total)`` reports chunks; ``finished`` follows the last one.
    """

    progress = Signal(int, int)
    finished = Signal()

    def __init__(self, tab: DocumentTab, parent: QObject | None = None) -> None:
        super().__init__(parent or tab)
        self.tab = tab
        self._qdocument: QTextDocument | None = None
        self._originals: list[_Original] = []
        self._original_starts: list[int] = []
        # Position ranges that may carry a highlight: painted ones, and those a superseded paint
        # had yet to clear (a correction or toggle can arrive before the last paint finished).
        self._painted: set[tuple[int, int]] = set()
        self._stream: Iterator[_Item] | None = None
        # The visible stretch goes first, whole, in one chunk; then the text below it, then the
        # text above it (held in ``_above`` meanwhile). See ``_seek``.
        self._view = (0, 0)  # positions from a screen above the view to a screen below it
        self._seeking = False
        self._above: list[_Item] = []
        self._cut = 0  # the last index of ``_above`` no earlier item reaches past
        self._reach = -1
        self._lookahead: _Item | None = None
        self._done = 0
        self._total = 1
        self._chunk_chars = FIRST_CHUNK_CHARS
        # What the last paint asked for: ``paint_changes`` diffs against it.
        self._last: _PaintRequest | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)

    @property
    def busy(self) -> bool:
        return self._stream is not None

    def paint(
        self,
        practices: Sequence[Practice],
        visible: set[Category],
        theme: Theme,
        tinted: set[Category] | None = None,
    ) -> None:
        """Replace the highlights with those of ``practices`` whose category is ``visible``;
        only ``tinted`` categories get a background (all of them when None)."""
        qdocument = self.tab.reader.document()
        if qdocument is not self._qdocument:  # a new rendering: nothing of ours is on it
            self._qdocument = qdocument
            self._painted = set()
            self._capture_originals(qdocument)
        self._last = _PaintRequest(list(practices), frozenset(visible), theme, _frozen(tinted))
        clears = ((first, last, None) for first, last in sorted(self._painted))
        applies = self._applies(iter_segments(practices, visible), theme, tinted)
        self._start(clears, applies)

    def paint_changes(
        self,
        practices: Sequence[Practice],
        visible: set[Category],
        theme: Theme,
        tinted: set[Category] | None = None,
        within: Sequence[tuple[int, int]] | None = None,
    ) -> list[tuple[int, int]] | None:
        """Like ``paint``, but only the pieces of text whose highlight differs from the last
        paint's are cleared and painted again (the encoder's refine changes a few passages;
        the rest of the text is not touched). ``within``: the only spans where practices may
        have changed (they start there), so only those are compared. Returns the repainted
        pieces' offsets, or None when it had to paint everything (the last paint unfinished,
        or other categories or theme)."""
        last = self._last
        request = _PaintRequest(list(practices), frozenset(visible), theme, _frozen(tinted))
        if (
            last is None
            or self.busy
            or self._qdocument is not self.tab.reader.document()
            or (last.visible, last.theme, last.tinted) != (request.visible, theme, request.tinted)
        ):
            self.paint(practices, visible, theme, tinted)
            return None
        old, new_practices = last.practices, request.practices
        if within is not None:  # a 1 MB policy's full comparison took 30-120 ms of the GUI
            old, new_practices = starting_in(old, within), starting_in(new_practices, within)
        before = set(iter_segments(old, visible))
        after = list(iter_segments(new_practices, visible))
        kept = before.intersection(after)
        gone = sorted(segment for segment in before if segment not in kept)
        new = [segment for segment in after if segment not in kept]
        self._last = request
        if not gone and not new:
            return []
        # Old pieces never overlap kept ones (a paint's pieces are disjoint): clearing them
        # and applying the new ones leaves exactly the full paint's result.
        to_position = self.tab.offsets.to_position
        clears = ((to_position(start), to_position(end), None) for start, end, _ in gone)
        self._start(clears, self._applies(iter(new), theme, tinted))
        return sorted({(start, end) for start, end, _ in gone + new})

    def _start(
        self,
        clears: Iterator[tuple[int, int, QTextCharFormat | None]],
        applies: Iterator[tuple[int, int, QTextCharFormat | None]],
    ) -> None:
        assert self._qdocument is not None
        # Old highlights cleared just before the new ones of the same stretch: Qt then lays each
        # stretch of the document out once, not twice. The visible stretch comes first.
        self._stream = heapq.merge(clears, applies, key=lambda item: (item[0], item[2] is not None))
        self._view = self._visible_positions()
        self._seeking, self._above, self._cut, self._reach = True, [], 0, -1
        self._lookahead = None
        self._done = 0
        self._total = max(1, self._qdocument.characterCount())
        # Never inside the caller: a tab that was just created has resizes and layout requests
        # queued, and formatting its text before they run leaves Qt's layout of it inconsistent
        # (scroll range too short). The first chunk runs on the next turn of the event loop.
        self._timer.start()

    def _visible_positions(self) -> tuple[int, int]:
        """Positions from a screen above the view to a screen below it (laid out or nearly)."""
        reader = self.tab.reader
        top = reader.verticalScrollBar().value()
        height = max(1, reader.viewport().height())
        layout = reader.document().documentLayout()
        x_probe = reader.column_margin() + 1
        first = layout.hitTest(QPointF(x_probe, max(0, top - height)), Qt.HitTestAccuracy.FuzzyHit)
        last = layout.hitTest(QPointF(x_probe, top + 2 * height), Qt.HitTestAccuracy.FuzzyHit)
        return max(0, first), max(0, last)

    def _applies(
        self,
        segments: Iterator[tuple[int, int, tuple[Category, ...]]],
        theme: Theme,
        tinted: set[Category] | None,
    ) -> Iterator[tuple[int, int, QTextCharFormat | None]]:
        formats: dict[tuple[Category, ...], QTextCharFormat] = {}
        to_position = self.tab.offsets.to_position
        on_page = self.tab.on_page
        for start, end, categories in segments:
            if not on_page(start, end):  # a long policy's other parts are not written
                continue
            fmt = formats.get(categories)
            if fmt is None:
                fmt = formats[categories] = highlight_format(categories, theme, tinted)
            yield to_position(start), to_position(end), fmt

    def finish_now(self) -> None:
        """Apply what is left in one go (screenshots, printing, tests)."""
        while self._stream is not None:
            self._step(chars=math.inf)

    def _next_chunk(self, chars: float) -> list[_Item]:
        """The items of the next ``chars`` positions, widened so no item overlaps the next chunk;
        a chunk ends with its stretch (visible, below, above)."""
        assert self._stream is not None
        taken: list[_Item] = []
        limit = -1.0
        if self._seeking:  # the visible stretch: what ``_seek`` held back, then to the view's end
            self._seeking = False
            taken = self._above[self._cut :]
            del self._above[self._cut :]
            limit = max([self._view[1], *(item[1] for item in taken)])
        while True:
            item = self._lookahead or next(self._stream, None)
            self._lookahead = None
            if item is None:
                # Below the view is done: the text above it follows, in its own chunks.
                self._stream = iter(self._above) if self._above else None
                self._above = []
                break
            if taken and item[0] >= limit:
                self._lookahead = item
                break
            if not taken:
                limit = item[0] + chars
            taken.append(item)
            limit = max(limit, item[1])
        return taken

    def _seek(self, budget: float) -> bool:
        """Hold back the items above the view for up to ``budget`` seconds; True once the
        visible stretch's first item is reached. It starts at the last cut (an item no earlier
        one reaches into) at or before the view: a clear never follows a new highlight there.
        """
        assert self._stream is not None
        started = time.perf_counter()
        first = self._view[0]
        above = self._above
        while True:
            item = self._lookahead or next(self._stream, None)
            self._lookahead = None
            if item is None:
                return True
            if self._reach <= item[0]:
                if item[0] > first:
                    self._lookahead = item
                    return True
                self._cut = len(above)
            above.append(item)
            self._reach = max(self._reach, item[1])
            if len(above) % 64 == 0 and time.perf_counter() - started >= budget:
                return False

    def _step(self, chars: float | None = None) -> None:
        if self._qdocument is None or self._qdocument is not self.tab.reader.document():
            self._stream = None
            return
        if self._stream is None:
            return
        if self._seeking and not self._seek(CHUNK_TARGET_S if chars is None else math.inf):
            self._timer.start()
            return
        pump = getattr(self.tab.reader, "layout_pump", None)
        if pump is not None and pump.busy:
            # Formatting text Qt has not laid out yet leaves blocks after it without lines:
            # wait for the layout pump (or, asked to finish now, finish the layout first).
            if chars is None:
                self._timer.start()
                return
            pump.finish_now()
        started = time.perf_counter()
        chunk = self._next_chunk(self._chunk_chars if chars is None else chars)
        cursor = QTextCursor(self._qdocument)
        cursor.beginEditBlock()
        for first, last, fmt in chunk:  # clears first: they may overlap this chunk's new pieces
            if fmt is None:
                cursor.setPosition(first)
                cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
                self._clear(cursor, first, last)
                self._painted.discard((first, last))
        for first, last, fmt in chunk:
            if fmt is not None:
                cursor.setPosition(first)
                cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
                cursor.mergeCharFormat(fmt)
                self._painted.add((first, last))
        # Re-laying out the changed stretch (in endEditBlock) is most of the cost.
        cursor.endEditBlock()
        if chunk and chars is None:
            self._adapt(chunk[-1][1] - chunk[0][0], time.perf_counter() - started)
        # The stretches come out of text order: progress counts the positions covered.
        self._done += chunk[-1][1] - chunk[0][0] if chunk else 0
        if self._stream is not None:
            self.progress.emit(min(self._done, self._total - 1), self._total)
            self._timer.start()
        else:
            self.progress.emit(self._total, self._total)
            self.finished.emit()

    def _adapt(self, span: int, seconds: float) -> None:
        """Size the next chunk so it takes about ``CHUNK_TARGET_S`` at the speed just seen."""
        if span > 0 and seconds > 0:
            wanted = span / seconds * CHUNK_TARGET_S
            self._chunk_chars = int(min(MAX_CHUNK_CHARS, max(MIN_CHUNK_CHARS, wanted)))

    def _clear(self, cursor: QTextCursor, first: int, last: int) -> None:
        plain = QTextCharFormat()
        plain.setBackground(QBrush(Qt.BrushStyle.NoBrush))
        plain.setUnderlineStyle(Underline.NoUnderline)
        cursor.mergeCharFormat(plain)
        # Links and inline code had their own underline or background: give it back.
        index = max(0, bisect_right(self._original_starts, first) - 1)
        while index < len(self._originals) and self._originals[index].first < last:
            original = self._originals[index]
            if original.last > first:
                cursor.setPosition(max(first, original.first))
                cursor.setPosition(min(last, original.last), QTextCursor.MoveMode.KeepAnchor)
                cursor.mergeCharFormat(original.fmt)
            index += 1

    def _capture_originals(self, qdocument: QTextDocument) -> None:
        """Record the underline and background the renderer gave links and inline code."""
        originals = []
        cursor = QTextCursor(qdocument)
        page = self.tab.page
        for block in self.tab.document.blocks[page.first_block : page.end_block]:
            for inline in block.inlines:
                if not (inline.href or inline.code) or inline.end <= inline.start:
                    continue
                first, last = self.tab.offsets.to_position_range(inline.start, inline.end)
                cursor.setPosition(first + 1)
                found = cursor.charFormat()
                fmt = QTextCharFormat()
                fmt.setBackground(found.background())
                fmt.setUnderlineStyle(found.underlineStyle())
                fmt.setUnderlineColor(found.underlineColor())
                originals.append(_Original(first, last, fmt))
        originals.sort(key=lambda o: o.first)
        self._originals = originals
        self._original_starts = [o.first for o in originals]


# Hover and margin ---------------------------------------------------------------------------------


class PracticeIndex:
    """The shown practices sorted by start, for "which practices cover this offset"."""

    def __init__(self, practices: Sequence[Practice] = ()) -> None:
        self.practices = sorted(practices, key=lambda p: (p.start, p.end))
        self._starts = [p.start for p in self.practices]
        self._longest = max((p.end - p.start for p in self.practices), default=0)

    def at(self, offset: int) -> list[Practice]:
        low = bisect_left(self._starts, offset - self._longest)
        high = bisect_right(self._starts, offset)
        return [p for p in self.practices[low:high] if p.start <= offset < p.end]

    def starting_between(self, first: int, last: int) -> list[Practice]:
        return self.practices[bisect_left(self._starts, first) : bisect_right(self._starts, last)]


NOT_DONE_WORDS = {
    Polarity.DOES_NOT: "Stated as not done",
    Polarity.MIXED: "Stated as not done, with exceptions",
}


def tooltip_html(practices: Sequence[Practice], theme: Theme) -> str:
    """Why the text is highlighted: category, attributes, confidence and the evidence words."""
    parts = []
    for practice in practices:
        swatch = colour(practice.category, theme).name()
        lines = [
            f"<b><span style='color:{swatch}'>■</span> {html.escape(LABELS[practice.category])}</b>"
            f" &nbsp;<span style='color:{theme.muted}'>"
            f"{_confidence_words(practice)}</span>"
        ]
        if not practice.happens:
            # The attributes below are what the sentence says is not done, not facts.
            lines.append(f"<i>{NOT_DONE_WORDS[practice.polarity]}</i>")
        for key, value in practice.attributes.items():
            values = [value] if isinstance(value, str) else list(value)
            words = ", ".join(
                html.escape(value_words(v) if v.isidentifier() else v) for v in values
            )
            lines.append(f"{html.escape(key.replace('_', ' ').capitalize())}: {words}")
        if practice.evidence:
            quoted = ", ".join(f"“{html.escape(e)}”" for e in practice.evidence)
            lines.append(f"<i>Because of</i> {quoted}")
        parts.append("<br>".join(lines))
    return "<hr>".join(parts)


def _confidence_words(practice: Practice) -> str:
    if practice.source == "reader":
        return "marked by you"
    return f"{round(practice.confidence * 100)} % sure · {practice.source.replace('+', ' + ')}"


class HoverExplainer(QObject):
    """Shows the tooltip of the practices under the mouse; elsewhere Qt's own tooltips apply."""

    def __init__(self, tab: DocumentTab, theme_source: Callable[[], Theme]) -> None:
        super().__init__(tab)
        self.tab = tab
        self.theme_source = theme_source
        self.index = PracticeIndex()
        # The tab shows one tooltip for every feature: the practices come first, notes after.
        tab.add_tooltip_provider(self.tooltip_for, order=0)

    def tooltip_for(self, offset: int) -> str:
        practices = self.index.at(offset)
        return tooltip_html(practices, self.theme_source()) if practices else ""

    def offset_at(self, point: QPointF) -> int | None:
        reader = self.tab.reader
        document_point = point + QPointF(
            reader.horizontalScrollBar().value(), reader.verticalScrollBar().value()
        )
        hit = (
            reader.document().documentLayout().hitTest(document_point, Qt.HitTestAccuracy.ExactHit)
        )
        return None if hit < 0 else self.tab.offsets.to_offset(hit)


class MarginMarks(QWidget):
    """Draws each visible practice's mark in the left margin, beside its first line.

    A cue that needs no colour vision: the shape names the category, as in the legend.
    """

    MARK = 11.0
    GAP = 3.0

    def __init__(self, tab: DocumentTab, theme_source: Callable[[], Theme]) -> None:
        super().__init__(tab.reader.viewport())
        self.tab = tab
        self.theme_source = theme_source
        self.index = PracticeIndex()
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        viewport = tab.reader.viewport()
        viewport.installEventFilter(self)
        tab.reader.verticalScrollBar().valueChanged.connect(self._follow)
        self.setGeometry(viewport.rect())
        self.show()

    def set_practices(self, practices: Sequence[Practice]) -> None:
        self.index = PracticeIndex(practices)
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._follow()
        return False

    def _follow(self) -> None:
        """Scrolling moves the viewport's children with the text: put the overlay back."""
        self.setGeometry(self.tab.reader.viewport().rect())
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.index.practices:
            return
        reader = self.tab.reader
        top = reader.verticalScrollBar().value()
        height = self.height()
        layout = reader.document().documentLayout()
        x_probe = reader.column_margin() + 1
        first = layout.hitTest(QPointF(x_probe, top), Qt.HitTestAccuracy.FuzzyHit)
        last = layout.hitTest(QPointF(x_probe, top + height), Qt.HitTestAccuracy.FuzzyHit)
        offsets = self.tab.offsets
        painter = QPainter(self)
        theme = self.theme_source()
        right = reader.column_margin() - 10
        taken: dict[int, int] = {}  # line y -> marks already drawn on it
        for practice in self.index.starting_between(
            offsets.to_offset(max(first, 0)) - 1, offsets.to_offset(max(last, 0)) + 1
        ):
            position = offsets.to_position(practice.start)
            y = self.tab.position_y(position) - top
            line = round(y)
            # Centred on the first line, whatever the zoom.
            y += (_line_height(reader.document(), position) - self.MARK) / 2
            slot = taken.get(line, 0)
            taken[line] = slot + 1
            x = right - (slot + 1) * (self.MARK + self.GAP)
            if x < 2:
                continue
            draw_mark(painter, practice.category, QRectF(x, y, self.MARK, self.MARK), theme)
        painter.end()


def _line_height(qdocument: QTextDocument, position: int) -> float:
    block = qdocument.findBlock(position)
    layout = block.layout()
    line = layout.lineForTextPosition(position - block.position()) if layout else None
    return line.height() if line is not None and line.isValid() else 20.0


def apply_highlights(
    qdocument: QTextDocument,
    to_position: Callable[[int], int],  # offset -> QTextDocument position
    practices: Sequence[Practice],
    visible: set[Category],
    theme: Theme,
) -> None:
    """Highlight a freshly rendered document in one go (export and print: nothing to clear)."""
    cursor = QTextCursor(qdocument)
    cursor.beginEditBlock()
    formats: dict[tuple[Category, ...], QTextCharFormat] = {}
    for start, end, categories in layered_segments(practices, visible):
        fmt = formats.get(categories) or formats.setdefault(
            categories, highlight_format(categories, theme)
        )
        cursor.setPosition(to_position(start))
        cursor.setPosition(to_position(end), QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)
    cursor.endEditBlock()
