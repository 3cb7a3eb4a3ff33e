"""The refine gives ``best``'s practices, block group by block group, the view's blocks first."""

from __future__ import annotations

from policyreader.core.loading import load_text
from policyreader.core.practices.detector import DetectorKind, PracticeDetector
from policyreader.core.practices.model import default_model
from policyreader.core.practices.polarity import default_polarity
from policyreader.core.practices.refine import BATCH_PASSAGES, Refinement
from tests.fake_encoder import FakeEncoder

SECTION = (
    "## Sharing {n}\n\nWe share your route history with partners who help us improve the maps. "
    "We collect your email address when you sign up.\n\n"
    "## Keeping {n}\n\nWe keep your saved routes until you delete your account.\n\n"
)
TEXT = "# Privacy Policy\n\n" + "".join(SECTION.format(n=n) for n in range(60))


def _detector(kind: DetectorKind, fake: FakeEncoder | None = None) -> PracticeDetector:
    model, polarity = default_model(), default_polarity()
    return PracticeDetector(kind, model=model, encoder=fake, polarity=polarity)  # type: ignore[arg-type]


def test_the_last_step_equals_best_and_each_step_the_blocks_refined_so_far() -> None:
    document = load_text(TEXT)
    fake = FakeEncoder()
    fast = _detector(DetectorKind.COMBINED).detect(document)
    best = _detector(DetectorKind.BEST, fake).detect(document)
    assert best != fast
    middle = len(TEXT) // 2
    fake.calls = 0
    refinement = Refinement(document, fast, fake, default_model(), default_polarity(), middle)
    steps = list(refinement.steps(clock=iter(range(0, 10_000, 2)).__next__))
    assert [s.done for s in steps] == sorted(s.done for s in steps)
    assert steps[-1].finished and steps[-1].practices == best
    assert fake.calls == len(steps) and fake.calls > 2
    first = steps[0]
    assert first.practices is not None and first.done <= BATCH_PASSAGES + 2
    # The view's blocks come first: the first step refined blocks at the middle, not the top.
    starts = [document.blocks[block].start for block in first.refined_blocks]
    assert min(starts) <= middle + 300 and min(starts) > len(TEXT) // 3
    for practice in first.practices:
        block_start = max(b.start for b in document.blocks if b.start <= practice.start)
        refined = any(document.blocks[b].start == block_start for b in first.refined_blocks)
        assert practice in (best if refined else fast)


def test_a_cancelled_refine_stops_between_batches_and_resumes_where_it_stopped() -> None:
    document = load_text(TEXT)
    fake = FakeEncoder()
    fast = _detector(DetectorKind.COMBINED).detect(document)
    model, polarity = default_model(), default_polarity()
    refinement = Refinement(document, fast, fake, model, polarity)
    steps = refinement.steps(cancelled=lambda: fake.calls >= 2)
    taken = list(steps)
    assert fake.calls == 2 and len(taken) == 2 and not taken[-1].finished
    done = frozenset(refinement.refined)
    rest = Refinement(document, refinement.practices(), fake, model, polarity, skip_blocks=done)
    last = list(rest.steps())[-1]
    assert last.finished and last.practices == _detector(DetectorKind.BEST, fake).detect(document)
    assert rest.total + taken[-1].done == Refinement(document, fast, fake, model, polarity).total
