"""The encoder's second pass: the fast practices replaced block by block, visible blocks first.

Pure computation for a worker: ``Refinement.steps`` scores passages in batches and now and then
hands back the whole document's practices so far (refined blocks ``best``, the others fast).
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from policyreader.core.document import PolicyDocument
from policyreader.core.practices.detector import (
    DetectorKind,
    PracticeDetector,
    PreparedText,
    prepare_text,
)
from policyreader.core.practices.encoder import encoder_input
from policyreader.core.practices.model import LinearModel
from policyreader.core.practices.polarity import Polarity, PolarityModel
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.sentences import Passage, passages
from policyreader.core.practices.taxonomy import Category

if TYPE_CHECKING:
    import numpy as np

# Passages per encoder call: big enough for onnxruntime's batching, small enough that a
# cancelled refine stops within about a second and progress moves.
BATCH_PASSAGES = 48
# Whole-document practices go to the window at most this often (each is a diff and a repaint
# there); progress alone goes after every batch.
UPDATE_EVERY_S = 1.0


class Encoder(Protocol):
    """What the refine needs of ``PassageEncoder`` (tests hand in a fake)."""

    categories: list[Category]
    settings: dict[str, object]

    def logits(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class RefineStep:
    """Progress of a refine: ``done`` of ``total`` passages scored; ``practices`` is the whole
    document's practices when this step brings them (else None: progress only)."""

    done: int
    total: int
    practices: list[Practice] | None = None
    refined_blocks: frozenset[int] = frozenset()
    # The text spans of the blocks refined since the last step with practices: only practices
    # starting there can differ from that step's.
    changed_spans: tuple[tuple[int, int], ...] = ()

    @property
    def finished(self) -> bool:
        return self.done >= self.total


def block_order(starts: dict[int, int], first: int) -> list[int]:
    """Blocks (by their start offsets) from the one holding offset ``first`` to the end, then
    from the top: what the reader sees first, then what scrolling down brings."""
    ordered = sorted(starts, key=lambda block: starts[block])
    split = bisect_right([starts[block] for block in ordered], first) - 1
    split = max(split, 0)
    return ordered[split:] + ordered[:split]


class Refinement:
    """Re-detects ``document`` with the encoder weighed in (``best``), starting at offset
    ``first`` (the top of the view); ``fast`` are the practices shown meanwhile."""

    def __init__(
        self,
        document: PolicyDocument,
        fast: Sequence[Practice],
        encoder: Encoder,
        model: LinearModel,
        polarity: PolarityModel | None = None,
        first: int = 0,
        skip_blocks: frozenset[int] = frozenset(),
    ) -> None:
        self.document = document
        self.encoder = encoder
        # The protocol is all the detector uses of the encoder.
        self.detector = PracticeDetector(
            DetectorKind.BEST,
            model=model,
            encoder=encoder,  # type: ignore[arg-type]
            polarity=polarity,
        )
        found = list(passages(document))
        self.groups: dict[int, list[Passage]] = {}
        for passage in found:
            self.groups.setdefault(passage.block, []).append(passage)
        starts = {block: group[0].sentences[0].start for block, group in self.groups.items()}
        self.order = [block for block in block_order(starts, first) if block not in skip_blocks]
        self.total = sum(len(self.groups[block]) for block in self.order)
        self._block_starts = [block.start for block in document.blocks]
        # Practices by block: fast ones until their block is refined.
        self.by_block: dict[int, list[Practice]] = {}
        for practice in fast:
            self.by_block.setdefault(self._block_of(practice), []).append(practice)
        self.refined: set[int] = set(skip_blocks)
        # The polarity readings of repeated sentences, shared by all batches.
        self._readings: dict[tuple[str, str], Polarity] = {}

    def _block_of(self, practice: Practice) -> int:
        return max(0, bisect_right(self._block_starts, practice.start) - 1)

    def practices(self) -> list[Practice]:
        """The whole document's practices now, in the detector's order."""
        return [p for block in sorted(self.by_block) for p in self.by_block[block]]

    def steps(
        self,
        cancelled: Callable[[], bool] = lambda: False,
        clock: Callable[[], float] = time.monotonic,
    ) -> Iterator[RefineStep]:
        """Score a batch, detect its blocks, report; stops early once ``cancelled()``. The first
        batch (the view) and the last always bring practices."""
        prepared = prepare_text(self.document.text)
        done = 0
        last_update: float | None = None
        pending: list[int] = []
        for batch in self._batches():
            if cancelled():
                return
            self._refine(prepared, batch)
            done += sum(len(self.groups[block]) for block in batch)
            pending += batch
            now = clock()
            if last_update is None or now - last_update >= UPDATE_EVERY_S or done >= self.total:
                last_update = now
                yield RefineStep(
                    done, self.total, self.practices(), frozenset(self.refined),
                    self._spans(pending),
                )  # fmt: skip
                pending = []
            else:
                yield RefineStep(done, self.total)
        if self.total == 0:
            yield RefineStep(0, 0, self.practices(), frozenset(self.refined))

    def _spans(self, blocks: list[int]) -> tuple[tuple[int, int], ...]:
        found = (self.document.blocks[block] for block in sorted(blocks))
        return tuple((block.start, block.end) for block in found)

    def _batches(self) -> Iterator[list[int]]:
        """Whole blocks, about ``BATCH_PASSAGES`` passages a batch, in ``order``."""
        batch: list[int] = []
        size = 0
        for block in self.order:
            batch.append(block)
            size += len(self.groups[block])
            if size >= BATCH_PASSAGES:
                yield batch
                batch, size = [], 0
        if batch:
            yield batch

    def _refine(self, prepared: PreparedText, batch: list[int]) -> None:
        text = self.document.text
        found = [passage for block in sorted(batch) for passage in self.groups[block]]
        heard = self.encoder.logits([encoder_input(text, passage) for passage in found]).tolist()
        practices = self.detector.detect_passages(prepared, found, heard, self._readings)
        for block in batch:
            self.by_block.pop(block, None)
        for practice in practices:
            self.by_block.setdefault(self._block_of(practice), []).append(practice)
        self.refined.update(batch)
