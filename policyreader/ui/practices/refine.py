"""The encoder's refine in the window: a worker scores a tab's passages, the tab shows the changes.

One refine runs at a time in a window (the encoder uses both cores): opening another document
pauses the running one, which resumes where it stopped when its tab is shown again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import shiboken6
from PySide6.QtCore import QObject

from policyreader.core.analysis import correct, window_detectors
from policyreader.core.document import PolicyDocument
from policyreader.core.gc_pause import cyclic_gc_paused
from policyreader.core.practices.corrections import Correction
from policyreader.core.practices.practice import Practice
from policyreader.core.summary import PolicySummary, summarise
from policyreader.ui.common.tasks import Report, TaskRunner

if TYPE_CHECKING:
    # The detector loads in the worker, never at the window's start.
    from policyreader.core.practices.refine import Encoder, RefineStep

# Loads the encoder in the worker; raises ``EncoderError`` for a damaged file.
EncoderSource = Callable[[], "Encoder | None"]
# Keeps a tab's final detections (the open cache's refined entry); runs in the worker.
RememberRefined = Callable[[list[Practice]], None]
# The encoder file could not be used: said once per window, in the status bar, as plain text.
PROBLEM_MESSAGE = "The encoder file could not be used; the highlights come from the fast detector."


_LOADING = threading.Lock()


def default_encoder_source() -> EncoderSource | None:
    """The bundled encoder's loader, or None when the window should not refine at all (no
    encoder file, no onnxruntime, or ``POLICYREADER_DETECTOR`` naming another detector)."""
    if window_detectors()[1] is None:
        return None
    return load_bundled_encoder


def load_bundled_encoder() -> Encoder | None:
    """The bundled encoder, loaded once however many workers ask at the same time."""
    from policyreader.core.practices.encoder import default_encoder

    with _LOADING:
        return default_encoder()


def practice_key(practice: Practice) -> tuple[int, int, str, str]:
    """What makes a highlight differ: its span, category and polarity."""
    return practice.start, practice.end, practice.category.value, practice.polarity.value


def changed_practices(
    before: Sequence[Practice], after: Sequence[Practice]
) -> set[tuple[int, int, str, str]]:
    """The keys of the practices only one of the lists has."""
    return {practice_key(p) for p in before} ^ {practice_key(p) for p in after}


@dataclass(frozen=True, slots=True)
class RefineUpdate:
    """A step for the window: the detections so far with the corrections applied (from the
    ``corrections`` the worker was given) and, with the last step, the label."""

    step: RefineStep
    corrections: Sequence[Correction]
    practices: list[Practice] | None = None
    summary: PolicySummary | None = None


@dataclass(slots=True)
class RefineJob:
    """What the worker needs; ``cancel`` is set from the window (tab closed, paused)."""

    document: PolicyDocument
    fast: list[Practice]
    load: EncoderSource
    corrections: list[Correction]
    first: int = 0
    skip_blocks: frozenset[int] = frozenset()
    remember: RememberRefined | None = None
    cancel: threading.Event | None = None

    def run(self, report: Report) -> list[Practice] | None:
        """Runs in the worker: the final detections, or None when cancelled or without the
        linear model (``best`` weighs the encoder into it)."""
        from policyreader.core.practices.model import default_model
        from policyreader.core.practices.polarity import default_polarity
        from policyreader.core.practices.refine import Refinement

        encoder = self.load()
        model = default_model()
        if encoder is None or model is None:
            return None
        cancel = self.cancel or threading.Event()
        document = self.document
        with cyclic_gc_paused():
            refinement = Refinement(
                document, self.fast, encoder, model, default_polarity(), self.first,
                self.skip_blocks,
            )  # fmt: skip
            final = None
            for step in refinement.steps(cancel.is_set):
                if step.practices is None:
                    report(RefineUpdate(step, self.corrections))
                    continue
                practices = correct(document, step.practices, self.corrections)
                summary = summarise(document, practices) if step.finished else None
                report(RefineUpdate(step, self.corrections, practices, summary))
                if step.finished:
                    final = step.practices
        if final is not None and self.remember is not None:
            self.remember(final)
        return final


class RefineSlot(QObject):
    """The window's one refine at a time, and whether the encoder's problem was told."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName("refineSlot")
        self.holder: Pausable | None = None
        self.problem_told = False

    @staticmethod
    def of(tasks: TaskRunner) -> RefineSlot:
        found = tasks.findChild(RefineSlot, "refineSlot")
        return found if found is not None else RefineSlot(tasks)

    def take(self, holder: Pausable) -> None:
        """``holder`` refines now; the one that did is paused."""
        previous = self.holder
        if previous is not None and previous is not holder and _alive(previous):
            previous.pause_refine()
        self.holder = holder

    def release(self, holder: Pausable) -> None:
        if self.holder is holder:
            self.holder = None


class Pausable(Protocol):
    """A refine that can stop and resume later (the practices feature)."""

    def pause_refine(self) -> None: ...


def _alive(holder: Pausable) -> bool:
    return not isinstance(holder, QObject) or shiboken6.isValid(holder)


class ProgressText:
    """ "Refining highlights… 40%", once the refine has run for ``after_s`` (a short policy
    finishes first and says nothing)."""

    def __init__(self, after_s: float = 0.5, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.started = clock()
        self.after_s = after_s
        self.shown = False

    def text(self, step: RefineStep) -> str | None:
        if step.finished:
            return "" if self.shown else None  # clear what was shown
        if self.clock() - self.started < self.after_s or step.total == 0:
            return None
        self.shown = True
        return f"Refining highlights… {100 * step.done // step.total}%"
