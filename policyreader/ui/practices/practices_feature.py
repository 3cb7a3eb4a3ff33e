"""One tab's practices feature: detection in a worker, then highlights, panel, label and corrections."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMenu, QWidget

from policyreader.core.analysis import (
    Analysis,
    Detector,
    analyse,
    correct,
    environment_detector,
)
from policyreader.core.document import PolicyDocument
from policyreader.core.gc_pause import cyclic_gc_paused
from policyreader.core.practices.corrections import Correction
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES, Category
from policyreader.core.summary import PolicySummary, Span, summarise
from policyreader.storage.corrections_store import CorrectionsStore
from policyreader.ui.common.tasks import TaskRunner
from policyreader.ui.practices.corrections_menu import TabCorrections
from policyreader.ui.practices.export import (
    choose_export_path,
    choose_printer,
    export_file,
    print_file,
)
from policyreader.ui.practices.highlights import (
    HighlightPainter,
    HoverExplainer,
    MarginMarks,
    PracticeIndex,
    colour,
    mix,
    starting_in,
)
from policyreader.ui.practices.practices_panel import PracticesPanel
from policyreader.ui.practices.refine import (
    PROBLEM_MESSAGE,
    EncoderSource,
    ProgressText,
    RefineJob,
    RefineSlot,
    RefineUpdate,
    RememberRefined,
    changed_practices,
    default_encoder_source,
)
from policyreader.ui.practices.summary_card import SummaryCard
from policyreader.ui.reader.document_tab import DocumentTab
from policyreader.ui.reader.reader_view import LinkAction, UrlOpener, classify_link

FLASH_LAYER = "practice_flash"
CURRENT_LAYER = "practice_current"  # the passage N/P or F8 stepped to, until the next step
FLASH_MS = 900
CURRENT_SHARE = 0.4  # of the category colour behind the current passage (text keeps 4.5:1)
# A tab opened in the background never paints; its detection starts after this wait.
DETECTION_FALLBACK_MS = 250
BIG_TEXT = 200_000  # characters: above this, showing the results is spread over several events


# Keeps a tab's detections for next time (the open cache); runs in the worker.
Remember = Callable[[list[Practice]], None]


def analyse_in_worker(
    document: PolicyDocument,
    detect: Detector,
    corrections: TabCorrections,
    remember: Remember | None = None,
) -> Analysis:
    """Runs in the worker: the core pipeline, with the collector held off meanwhile."""
    # Its full collections would hold the GIL, and with it the window, for up to 90 ms.
    with cyclic_gc_paused():
        result = analyse(document, detect, corrections.read)
    if remember is not None and result.problem is None:
        remember(result.detected)
    return result


class PracticesFeature(QObject):
    """Attaches to a ``DocumentTab``: adds the Summary and Practices side panels and owns the
    highlights; ``ready`` follows the first time the practices are shown."""

    ready = Signal()
    changed = Signal()  # practices re-applied after a correction or a toggle
    refined = Signal()  # the encoder's refine has finished and its practices show

    def __init__(
        self,
        tab: DocumentTab,
        tasks: TaskRunner,
        corrections: TabCorrections,
        url_opener: UrlOpener | None = None,
        detect: Detector = environment_detector,
        cached: list[Practice] | None = None,
        remember: Remember | None = None,
        encoder_source: EncoderSource | None = None,
        remember_refined: RememberRefined | None = None,
    ) -> None:
        super().__init__(tab)
        self.setObjectName("practicesFeature")
        self.tab = tab
        self.corrections = corrections
        self.url_opener = url_opener or QDesktopServices.openUrl
        self.tasks = tasks
        self.detected: list[Practice] = []
        self.practices: list[Practice] = []
        self.summary: PolicySummary | None = None
        self.fingerprint: str | None = None
        self._cursor_offset = 0
        self._span_steps: dict[str, int] = {}
        # View > Tint All Highlights; off, only the legend's selected category is tinted.
        self.all_tints = False
        self.current: Practice | None = None
        # The encoder's refine (None: the fast practices are final).
        self.encoder_source = encoder_source
        self.remember_refined = remember_refined
        self.refine_state = "none" if encoder_source is None else "waiting"
        self.refined_blocks: frozenset[int] = frozenset()
        # Every practice (span, category, polarity) a refine step changed: what was repainted.
        self.refine_changes: set[tuple[int, int, str, str]] = set()
        self._refine_cancel: threading.Event | None = None
        self._progress_text: ProgressText | None = None

        self.card = SummaryCard(tab.theme, tab)
        self.panel = PracticesPanel(tab.theme, tab)
        tab.add_side_panel(self.card, "summary")
        tab.add_side_panel(self.panel, "practices")
        self.painter = HighlightPainter(tab, self)
        self.hover = HoverExplainer(tab, lambda: tab.theme)
        self.marks = MarginMarks(tab, lambda: tab.theme)
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(lambda: tab.set_highlights(FLASH_LAYER, []))
        self._connect()
        self.panel.show_busy("Finding practices…")
        document = tab.document
        glue = corrections
        if cached is not None:  # from the open cache: nothing to find, nothing to remember
            detect, remember = (lambda _document: list(cached)), None
        self._start_detection = lambda: tasks.run(
            lambda: analyse_in_worker(document, detect, glue, remember),
            self._detected,
            self._failed,
            context=self,
        )
        # Detection is Python in a worker and holds the GIL while it runs: started at once, it
        # slowed the first layout and paint of the text. So it starts when the text has painted
        # once, or after a short wait for a tab in the back.
        self._detection_started = False
        tab.reader.viewport().installEventFilter(self)
        tab.reader.installEventFilter(self)  # N / P step through practices from the text
        tab.installEventFilter(self)  # a paused refine resumes when its tab shows again
        QTimer.singleShot(DETECTION_FALLBACK_MS, self, self.begin_detection)
        if cached is not None:  # only corrections and the label to work out: the highlights come
            self.begin_detection()  # with the first paint

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self.tab.reader.viewport():
            QTimer.singleShot(0, self, self.begin_detection)
        if watched is self.tab.reader and _step_key(event) is not None:
            self.step_selected(_step_key(event) is True)
            return True
        if (
            watched is self.tab
            and event.type() == QEvent.Type.Show
            and self.refine_state == "paused"
        ):
            QTimer.singleShot(0, self, self.start_refine)
        return False

    def begin_detection(self) -> None:
        """Start finding practices now (normally once the text has painted); runs once."""
        if self._detection_started:
            return
        self._detection_started = True
        self.tab.reader.viewport().removeEventFilter(self)
        self._start_detection()

    @staticmethod
    def of(tab: DocumentTab) -> PracticesFeature | None:
        return tab.findChild(PracticesFeature, "practicesFeature")

    def _connect(self) -> None:
        self.panel.practice_activated.connect(self.go_to)
        self.panel.legend.visibility_changed.connect(lambda _shown: self._paint())
        # Selecting a category in the legend tints its passages (the rest keep a light underline).
        self.panel.legend.list.currentItemChanged.connect(lambda *_items: self._paint())
        self.panel.legend.step_requested.connect(self.step)
        self.painter.progress.connect(self.panel.show_progress)
        self.painter.finished.connect(self._painted)
        self.card.spans_requested.connect(self.show_spans)
        self.card.url_requested.connect(self.open_url)
        self.tab.rendered.connect(self._rendered)
        self.tab.reader_menu_requested.connect(self._extend_menu)

    # Results -----------------------------------------------------------------------------------

    def _detected(self, result: Analysis) -> None:
        self.detected, self.fingerprint = result.detected, result.fingerprint
        if result.problem:
            self.tab.status_message.emit(f"Practices: {result.problem}")
        self.corrections.current = list(result.corrections)
        self._show(result.practices, result.summary)
        self.ready.emit()
        if self.refine_state == "waiting" and result.problem is None:
            self.start_refine()

    # The encoder's refine ----------------------------------------------------------------------

    def start_refine(self) -> None:
        """Score the passages with the encoder in a worker, the view's first; each step's
        practices replace the shown ones where they differ."""
        if self.encoder_source is None or self.refine_state not in ("waiting", "paused"):
            return
        slot = RefineSlot.of(self.tasks)
        slot.take(self)
        self.refine_state = "running"
        self._refine_cancel = cancel = threading.Event()
        # Closing the tab deletes this feature: the worker stops after its current batch.
        self.destroyed.connect(lambda *_args: cancel.set())
        self._progress_text = ProgressText()
        job = RefineJob(
            self.tab.document,
            list(self.detected),
            self.encoder_source,
            list(self.corrections.current),
            self._top_offset(),
            self.refined_blocks,
            self.remember_refined,
            cancel,
        )
        self.tasks.run_reporting(
            job.run,
            self._refine_step,
            self._refine_done,
            self._refine_failed,
            context=self,
            cancel=cancel,
        )

    def pause_refine(self) -> None:
        """Stop the running refine after its batch; it resumes when the tab shows again."""
        if self.refine_state == "running" and self._refine_cancel is not None:
            self._refine_cancel.set()
            self.refine_state = "pausing"

    def _top_offset(self) -> int:
        reader = self.tab.reader
        point = QPointF(reader.column_margin() + 1, reader.verticalScrollBar().value())
        hit = reader.document().documentLayout().hitTest(point, Qt.HitTestAccuracy.FuzzyHit)
        return self.tab.offsets.to_offset(max(hit, 0))

    def _refine_step(self, update: RefineUpdate) -> None:
        step = update.step
        if self._progress_text is not None:
            text = self._progress_text.text(step)
            if text is not None:
                self.tab.status_message.emit(text)
        if update.practices is None or step.practices is None:
            return
        practices = update.practices
        if list(update.corrections) != self.corrections.current:  # corrected meanwhile
            practices = correct(self.tab.document, step.practices, self.corrections.current)
        self.refined_blocks = step.refined_blocks
        self.detected = step.practices
        # Only practices of the blocks refined since the last step can differ.
        spans = step.changed_spans
        changes = changed_practices(
            starting_in(self.practices, spans), starting_in(practices, spans)
        )
        self.practices = practices
        if changes:
            self.refine_changes |= changes
            self._repaint_changes(spans)
        if update.summary is not None:
            self.summary = update.summary
            self.card.set_summary(update.summary)
            text = self.tab.document.text
            self._in_turns(
                lambda: self.panel.set_practices(text, self.practices), self.changed.emit
            )

    def _repaint_changes(self, spans: Sequence[tuple[int, int]]) -> None:
        shown = self.shown_practices()
        self.hover.index = PracticeIndex(shown)
        self.marks.set_practices(shown)
        self.painter.paint_changes(
            self.practices, self.visible(), self.tab.theme, self.tinted(), within=spans
        )

    def _refine_done(self, final: list[Practice] | None) -> None:
        RefineSlot.of(self.tasks).release(self)
        if final is not None:
            self.refine_state = "done"
            self.refined.emit()
        elif self.refine_state == "pausing":
            self.refine_state = "paused"
            if self.tab.isVisible():  # shown again before the pause took effect
                QTimer.singleShot(0, self, self.start_refine)
        else:
            self.refine_state = "none"  # no encoder or no model after all: the fast path stays

    def _refine_failed(self, error: Exception) -> None:
        """A damaged encoder file: said once in the window; the fast highlights stay."""
        RefineSlot.of(self.tasks).release(self)
        self.refine_state = "failed"
        slot = RefineSlot.of(self.tasks)
        if not slot.problem_told:
            slot.problem_told = True
            self.tab.status_message.emit(PROBLEM_MESSAGE)

    def _failed(self, error: Exception) -> None:
        self.panel.show_done(f"Practices could not be found: {error}")
        self.tab.status_message.emit(f"Practices could not be found: {error}")

    def refresh(self) -> None:
        """Re-apply the corrections to the detections and show the result everywhere."""
        practices = correct(self.tab.document, self.detected, self.corrections.current)
        self._show(practices, summarise(self.tab.document, practices))

    def _show(self, practices: list[Practice], summary: PolicySummary) -> None:
        text = self.tab.document.text
        self.practices = practices
        self.summary = summary
        self.card.set_summary(summary)
        # On a big policy each step gets its own turn of the event loop, so none holds the
        # window for long; a small one is shown at once.
        self._in_turns(
            lambda: self.panel.set_practices(text, self.practices),
            self._paint,
            self.changed.emit,
        )

    def _in_turns(self, *calls: Callable[[], object]) -> None:
        if len(self.tab.document.text) < BIG_TEXT:
            for call in calls:
                call()
            return

        # Each step is queued when the previous one has run (not all three at once): timers
        # queued together fire in one pass of the event loop, back to back.
        def run(index: int) -> None:
            calls[index]()
            if index + 1 < len(calls):
                QTimer.singleShot(0, self, lambda: run(index + 1))

        QTimer.singleShot(0, self, lambda: run(0))

    def visible(self) -> set[Category]:
        return self.panel.legend.visible()

    def shown_practices(self) -> list[Practice]:
        shown = self.visible()
        return [p for p in self.practices if p.category in shown]

    def _paint(self) -> None:
        shown = self.shown_practices()
        self.hover.index = PracticeIndex(shown)
        self.marks.set_practices(shown)
        if len(self.practices) > 200:
            self.panel.show_busy("Highlighting…")
        self.painter.paint(self.practices, self.visible(), self.tab.theme, self.tinted())

    def tinted(self) -> set[Category] | None:
        """The categories whose passages get a background: all (None) or the selected one."""
        if self.all_tints:
            return None
        selected = self.panel.legend.current_category()
        return {selected} if selected is not None else set()

    def set_all_tints(self, on: bool) -> None:
        if on != self.all_tints:
            self.all_tints = on
            if self.fingerprint is not None:
                self._paint()

    def _painted(self) -> None:
        total = len(self.practices)
        stated = self.summary.stated_count if self.summary else 0
        self.panel.show_done(
            f"{total} passage{'s' if total != 1 else ''} on {stated} of "
            f"{len(PRACTICE_CATEGORIES)} topics. Hover a highlight to see why; "
            "right-click it to correct it."
            if total
            else "No data practices found in this text."
        )

    def _rendered(self) -> None:
        if self.card.theme != self.tab.theme:
            self.card.set_theme(self.tab.theme)
            self.panel.set_theme(self.tab.theme)
        if self.fingerprint is not None:
            self._paint()

    # Navigation --------------------------------------------------------------------------------

    def go_to(self, practice: Practice) -> None:
        self.current = practice
        self.reveal(practice.start, practice.end, practice.category)
        current = QTextCharFormat()
        current.setBackground(
            mix(
                QColor(self.tab.theme.page),
                colour(practice.category, self.tab.theme),
                CURRENT_SHARE,
            )
        )
        self.tab.set_highlights(CURRENT_LAYER, [(practice.start, practice.end, current)])

    def reveal(self, start: int, end: int, category: Category | None = None) -> None:
        """Scroll ``text[start:end]`` a third of the way down the view and flash it."""
        tab = self.tab
        tab.show_page_of(start)
        first = tab.offsets.to_position(start)
        cursor = QTextCursor(tab.reader.document())
        cursor.setPosition(first)
        tab.reader.setTextCursor(cursor)
        bar = tab.reader.verticalScrollBar()
        bar.setValue(int(tab.position_y(first) - tab.reader.viewport().height() / 3))
        tab.show_section_of(start)
        self._cursor_offset = start
        flash = QTextCharFormat()
        strong = colour(category, tab.theme) if category else QColor(tab.theme.accent)
        flash.setBackground(mix(QColor(tab.theme.page), strong, 0.6))
        tab.set_highlights(FLASH_LAYER, [(start, end, flash)])
        self._flash_timer.start(FLASH_MS)

    def step(self, category: Category | None, forward: bool) -> Practice | None:
        """Go to the next (or previous) shown practice of ``category`` (any shown one if None)."""
        shown = [p for p in self.shown_practices() if category is None or p.category is category]
        here = self._here()
        if forward:
            target = next((p for p in shown if p.start > here), shown[0] if shown else None)
        else:
            target = next(
                (p for p in reversed(shown) if p.start < here), shown[-1] if shown else None
            )
        if target is None:
            self.tab.status_message.emit("No highlighted practice of that kind")
            return None
        self.go_to(target)
        return target

    def _here(self) -> int:
        cursor = self.tab.reader.textCursor()
        return self.tab.offsets.to_offset(cursor.position()) if cursor else self._cursor_offset

    def show_spans(self, words: str, spans: Sequence[Span]) -> None:
        """A label fact: the first click shows its first sentence, each next click the next."""
        if not spans:
            return
        step = self._span_steps.get(words, -1) + 1
        step %= len(spans)
        self._span_steps = {words: step}
        start, end = spans[step]
        category = next(
            (p.category for p in self.practices if (p.start, p.end) == (start, end)), None
        )
        self.reveal(start, end, category)
        self.tab.status_message.emit(f"{words}: passage {step + 1} of {len(spans)}")

    def open_url(self, url: QUrl) -> None:
        """Opt-out links go through the same check as the reader's links: web and mail only."""
        if classify_link(url.toString()) is LinkAction.OPEN_EXTERNAL:
            self.url_opener(url)
            self.tab.status_message.emit(f"Opened {url.toString()} in your browser")
        else:
            self.tab.status_message.emit(
                f"Not opened: {url.toString()} (only web and mail links open)"
            )

    # Corrections ------------------------------------------------------------------------------

    def _extend_menu(self, menu: QMenu, offset: int) -> None:
        if self.fingerprint is None:
            return
        cursor = self.tab.reader.textCursor()
        selection: Span | None = None
        if cursor.hasSelection():
            selection = (
                self.tab.offsets.to_offset(cursor.selectionStart()),
                self.tab.offsets.to_offset(cursor.selectionEnd()),
            )
        under = self.hover.index.at(offset)
        self.corrections.extend_menu(menu, under, selection, self.correct, self.undo)

    def correct(self, correction: Correction) -> None:
        self.corrections.add(correction, self.fingerprint or "")
        self.refresh()

    def undo(self, start: int, end: int) -> None:
        self.corrections.undo(start, end)
        self.refresh()

    def step_selected(self, forward: bool) -> Practice | None:
        """F8 / Shift+F8: through the legend's selected category, or every shown one."""
        return self.step(self.panel.legend.current_category(), forward)

    def export_to(self, target: Path) -> None:
        """Write the label and the highlighted policy to ``target`` (HTML or PDF) in a worker."""
        self._in_worker(
            lambda: export_file(self.tab.document, list(self.practices), self.visible(), target),
            f"Saving {target.name}…",
            f"Saved {target}",
            f"Could not save {target}",
        )

    def print_to(self, printer: QPrinter) -> None:
        self._in_worker(
            lambda: print_file(self.tab.document, list(self.practices), self.visible(), printer),
            "Printing…",
            "Sent to the printer",
            "Could not print",
        )

    def _in_worker(self, work: Callable[[], object], busy: str, done: str, failed: str) -> None:
        tab = self.tab
        tab.status_message.emit(busy)
        # The printer must outlive the job: the lambda holds it until the callbacks run.
        self.tasks.run(
            work,
            lambda _result: tab.status_message.emit(done),
            lambda error: tab.status_message.emit(f"{failed}: {error}"),
        )

    def finish_painting(self) -> None:
        self.painter.finish_now()


def _step_key(event: QEvent) -> bool | None:
    """True for N, False for P (pressed alone), None for any other event."""
    if not isinstance(event, QKeyEvent) or event.type() != QEvent.Type.KeyPress:
        return None
    if event.modifiers() not in (
        Qt.KeyboardModifier.NoModifier,
        Qt.KeyboardModifier.KeypadModifier,
    ):
        return None
    return {Qt.Key.Key_N: True, Qt.Key.Key_P: False}.get(Qt.Key(event.key()))


def attach_practices(
    tab: DocumentTab,
    tasks: TaskRunner,
    store: CorrectionsStore | None = None,
    url_opener: UrlOpener | None = None,
    cached: list[Practice] | None = None,
    remember: Remember | None = None,
    refined: bool = False,
    remember_refined: RememberRefined | None = None,
) -> PracticesFeature:
    """Give ``tab`` its practices: side panels (the label in front), highlights, corrections;
    ``cached`` detections (from the open cache) are shown without detecting again, and when
    they are ``refined`` (the encoder's) without refining them again either."""
    feature = PracticesFeature(
        tab,
        tasks,
        TabCorrections(store),
        url_opener,
        cached=cached,
        remember=remember,
        encoder_source=None if refined else default_encoder_source(),
        remember_refined=remember_refined,
    )
    tab.side_tabs.setCurrentWidget(feature.card)
    return feature


def export_practices(parent: QWidget, feature: PracticesFeature) -> Path | None:
    """File > Export Summary and Highlights: HTML or PDF, written by a worker."""
    stem = Path(feature.tab.document.path or "policy").stem
    target = choose_export_path(parent, f"{stem}-practices.pdf")
    if target is not None:
        feature.export_to(target)
    return target


def print_practices(parent: QWidget, feature: PracticesFeature) -> bool:
    printer = choose_printer(parent)
    if printer is None:
        return False
    feature.print_to(printer)
    return True
