"""The encoder's refine in the window: fast highlights first, then only the changed ones repainted;
cancelled with its tab; a damaged encoder file says so once; no encoder file, no worker."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from policyreader.core.analysis import correct
from policyreader.core.practices import encoder as encoder_module
from policyreader.core.practices.detector import DetectorKind, PracticeDetector
from policyreader.core.practices.encoder import (
    ENCODER_FILE,
    SETTINGS_FILE,
    SETTINGS_FORMAT,
    VOCAB_FILE,
    default_encoder,
)
from policyreader.core.practices.model import default_model
from policyreader.core.practices.polarity import default_polarity
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES, Category
from policyreader.resources_path import resource
from policyreader.storage.analysis_cache import AnalysisCache
from policyreader.ui.common.tasks import TaskRunner
from policyreader.ui.common.theme import ThemeManager
from policyreader.ui.practices import practices_feature, refine
from policyreader.ui.practices.highlights import iter_segments, light_underline
from policyreader.ui.practices.practices_feature import PracticesFeature
from policyreader.ui.practices.refine import PROBLEM_MESSAGE, changed_practices
from policyreader.ui.practices.summary_card import label_html
from policyreader.ui.reader.document_tab import DocumentTab
from policyreader.ui.shell.main_window import MainWindow
from policyreader.ui.shell.settings import Settings
from tests.fake_encoder import FakeEncoder

pytestmark = pytest.mark.refine

FILLER = (
    "Heron Maps draws hiking routes, and this page says in plain words what the app learns "
    "about you while you plan a walk with it. "
)
POLICY = f"""# Heron Maps Privacy Policy

{FILLER * 2}

## What we collect

We collect your email address and the location of your phone while a route is recorded.

{FILLER * 3}

## Sharing

We share your route history with partners who help us improve the maps.

We do not sell your personal information and we never share your location with advertisers.

## Keeping data

We keep your saved routes until you delete your account.

{FILLER * 3}

## Security

We use encryption to protect your account.
"""


@pytest.fixture
def policy_path(tmp_path: Path) -> Path:
    path = tmp_path / "heron.md"
    path.write_text(POLICY, encoding="utf-8")
    return path


@pytest.fixture
def window(qtbot: QtBot, settings: Settings, themes: ThemeManager, tmp_path: Path) -> MainWindow:
    main = MainWindow(settings, themes, analysis_cache=AnalysisCache(tmp_path / "open-cache"))
    qtbot.addWidget(main)
    main.resize(1000, 700)
    main.show()
    qtbot.waitExposed(main)
    return main


def _use(monkeypatch: pytest.MonkeyPatch, fake: FakeEncoder | None) -> list[int]:
    """The window's tabs refine with ``fake`` (None: no encoder); returns a list that counts
    the refine workers started."""
    started: list[int] = []
    source = None if fake is None else (lambda: fake)
    monkeypatch.setattr(practices_feature, "default_encoder_source", lambda: source)
    real = TaskRunner.run_reporting

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        started.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(TaskRunner, "run_reporting", counted)
    return started


def _open(qtbot: QtBot, window: MainWindow, path: Path) -> tuple[DocumentTab, PracticesFeature]:
    """Open ``path`` and wait for its tab (not for the tasks: the refine may run for long)."""
    before = set(window.tabs.document_tabs())
    window.open_requested.emit([str(path)])
    qtbot.waitUntil(lambda: bool(set(window.tabs.document_tabs()) - before), timeout=20_000)
    (tab,) = set(window.tabs.document_tabs()) - before
    feature = PracticesFeature.of(tab)
    assert feature is not None
    return tab, feature


def _best(document, fake: FakeEncoder) -> list[Practice]:  # type: ignore[no-untyped-def]
    detector = PracticeDetector(
        DetectorKind.BEST,
        model=default_model(),
        encoder=fake,  # type: ignore[arg-type]
        polarity=default_polarity(),
    )
    return detector.detect(document)


def _underline_at(tab: DocumentTab, offset: int):  # type: ignore[no-untyped-def]
    cursor = QTextCursor(tab.reader.document())
    cursor.setPosition(tab.offsets.to_position(offset) + 1)
    return cursor.charFormat().underlineColor().name()


def test_fast_highlights_first_then_only_the_changed_ones_are_repainted(
    qtbot: QtBot, window: MainWindow, policy_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeEncoder(delay=0.3)
    _use(monkeypatch, fake)
    fast_seen: list[list[Practice]] = []
    repainted: list[list[tuple[int, int]] | None] = []
    full_paints: list[int] = []
    painter_class = practices_feature.HighlightPainter
    real_changes, real_paint = painter_class.paint_changes, painter_class.paint

    def spy_changes(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        repainted.append(real_changes(self, *args, **kwargs))
        return repainted[-1]

    def spy_paint(self, practices, *args, **kwargs):  # type: ignore[no-untyped-def]
        full_paints.append(1)
        fast_seen.append(list(practices))
        return real_paint(self, practices, *args, **kwargs)

    monkeypatch.setattr(painter_class, "paint_changes", spy_changes)
    monkeypatch.setattr(painter_class, "paint", spy_paint)
    tab, feature = _open(qtbot, window, policy_path)
    qtbot.waitUntil(lambda: feature.refine_state == "done", timeout=20_000)
    qtbot.waitUntil(lambda: not feature.painter.busy and not window.tasks.busy)

    document = tab.document
    fast = fast_seen[0]
    assert fast == correct(document, PracticeDetector(
        DetectorKind.COMBINED, model=default_model(), polarity=default_polarity()
    ).detect(document), [])  # fmt: skip
    final = _best(document, fake)
    assert feature.detected == final
    changes = changed_practices(fast, final)
    assert changes  # the fake encoder removes the partners' sharing, adds the retention
    assert feature.refine_changes == changes
    assert any(c[2] == Category.DATA_RETENTION.value for c in changes)
    # One full paint, the fast highlights; the refine repainted only pieces of changed spans.
    assert len(full_paints) == 1
    pieces = [piece for step in repainted if step for piece in step]
    assert pieces and all(
        any(start < c[1] and c[0] < end for c in changes) for start, end in pieces
    )
    # And the text looks as a full paint of the final practices would make it.
    theme, visible = tab.theme, feature.visible()
    for start, end, categories in iter_segments(feature.practices, visible):
        assert (
            _underline_at(tab, (start + end) // 2) == light_underline(categories[-1], theme).name()
        )
    assert feature.summary is not None
    assert feature.summary.stated_count >= 3


def test_closing_the_tab_mid_run_cancels_the_refine(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeEncoder(delay=0.15)
    started = _use(monkeypatch, fake)
    path = tmp_path / "long.md"
    path.write_text(POLICY * 60, encoding="utf-8")
    tab, feature = _open(qtbot, window, path)
    qtbot.waitUntil(lambda: fake.calls >= 2, timeout=20_000)
    assert feature.refine_state == "running" and started == [1]
    window.tabs.close_tab(window.tabs.indexOf(tab))
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10_000)
    calls = fake.calls
    qtbot.wait(500)
    assert fake.calls == calls  # stopped, not running on in the pool
    assert fake.calls < 20  # the whole policy needs about 60 batches


def test_opening_another_policy_pauses_the_refine_until_its_tab_shows(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeEncoder(delay=0.1)
    _use(monkeypatch, fake)
    long_path, short_path = tmp_path / "long.md", tmp_path / "short.md"
    long_path.write_text(POLICY * 30, encoding="utf-8")
    short_path.write_text(POLICY, encoding="utf-8")
    long_tab, long_feature = _open(qtbot, window, long_path)
    qtbot.waitUntil(lambda: fake.calls >= 1, timeout=20_000)
    _short_tab, short_feature = _open(qtbot, window, short_path)
    qtbot.waitUntil(lambda: short_feature.refine_state == "done", timeout=20_000)
    assert long_feature.refine_state == "paused"
    window.tabs.setCurrentWidget(long_tab)
    qtbot.waitUntil(lambda: long_feature.refine_state == "done", timeout=30_000)
    assert long_feature.detected == _best(long_tab.document, fake)


def test_a_damaged_encoder_file_says_so_once_and_keeps_the_fast_highlights(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "encoder"
    folder.mkdir()
    (folder / "encoder.onnx").write_bytes(b"\x08\x07 not an onnx graph \xff\x00" * 64)
    (folder / "encoder-vocab.txt").write_bytes(resource(*VOCAB_FILE).read_bytes())
    settings = {"format": SETTINGS_FORMAT, "categories": [c.value for c in PRACTICE_CATEGORIES]}
    settings |= {"max_length": 128, "cuts": [0.0] * 9}
    (folder / "encoder.json").write_text(json.dumps(settings), encoding="utf-8")
    names = {ENCODER_FILE: "encoder.onnx", VOCAB_FILE: "encoder-vocab.txt"}
    names[SETTINGS_FILE] = "encoder.json"
    real = encoder_module.resource
    monkeypatch.setattr(
        encoder_module,
        "resource",
        lambda *parts: folder / names[parts] if parts in names else real(*parts),
    )
    monkeypatch.delenv("POLICYREADER_DETECTOR", raising=False)
    # The window's own choice: the file is there, so it refines, with the bundled loader.
    monkeypatch.setattr(practices_feature, "default_encoder_source", refine.default_encoder_source)
    default_encoder.cache_clear()
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    try:
        first_tab, first = _open(qtbot, window, _write(tmp_path, "one.md"))
        qtbot.waitUntil(lambda: first.refine_state == "failed", timeout=20_000)
        _second_tab, second = _open(qtbot, window, _write(tmp_path, "two.md"))
        qtbot.waitUntil(lambda: second.refine_state == "failed", timeout=20_000)
    finally:
        default_encoder.cache_clear()
    assert messages.count(PROBLEM_MESSAGE) == 1
    assert not any("Traceback" in m or "<" in m for m in messages)
    fast = PracticeDetector(
        DetectorKind.COMBINED, model=default_model(), polarity=default_polarity()
    ).detect(first_tab.document)
    assert first.detected == fast and first.practices


def _write(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_text(POLICY.replace("Heron", name[:3].title()), encoding="utf-8")
    return path


def test_without_the_encoder_no_worker_runs(
    qtbot: QtBot, window: MainWindow, policy_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = _use(monkeypatch, None)
    tab, feature = _open(qtbot, window, policy_path)
    qtbot.waitUntil(lambda: feature.summary is not None and not window.tasks.busy)
    qtbot.wait(200)
    assert started == [] and feature.refine_state == "none"
    fast = PracticeDetector(
        DetectorKind.COMBINED, model=default_model(), polarity=default_polarity()
    ).detect(tab.document)
    assert feature.detected == fast


def test_without_the_file_the_window_chooses_no_refine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoder_module, "ENCODER_FILE", ("practices", "no-such-encoder.onnx"))
    assert refine.default_encoder_source() is None
    monkeypatch.undo()
    monkeypatch.setenv("POLICYREADER_DETECTOR", "fast")
    assert refine.default_encoder_source() is None


def test_a_refined_policy_reopens_with_its_final_highlights_and_no_refine(
    qtbot: QtBot,
    settings: Settings,
    themes: ThemeManager,
    policy_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakeEncoder()
    started = _use(monkeypatch, fake)
    monkeypatch.setattr(encoder_module, "encoder_available", lambda: True)
    cache = AnalysisCache(tmp_path / "cache")
    first_window = MainWindow(settings, themes, analysis_cache=cache)
    qtbot.addWidget(first_window)
    _tab, feature = _open(qtbot, first_window, policy_path)
    qtbot.waitUntil(lambda: feature.refine_state == "done", timeout=20_000)
    qtbot.waitUntil(lambda: not first_window.tasks.busy)
    assert started == [1]
    second_window = MainWindow(settings, themes, analysis_cache=cache)
    qtbot.addWidget(second_window)
    opened: list[object] = []
    second_window.tabs.opened.connect(lambda tab: opened.append(tab.result))
    _tab, again = _open(qtbot, second_window, policy_path)
    qtbot.waitUntil(lambda: again.summary is not None and not second_window.tasks.busy)
    assert opened and opened[0].refined  # type: ignore[attr-defined]
    assert again.detected == feature.detected and again.refine_state == "none"
    assert started == [1]  # the encoder did not run again


REAL_ENCODER = resource(*ENCODER_FILE).is_file() and importlib.util.find_spec("onnxruntime")


@pytest.mark.skipif(not REAL_ENCODER, reason="the encoder file or onnxruntime is absent")
def test_the_real_encoder_refines_the_sample_without_listing_a_refused_recipient(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(practices_feature, "default_encoder_source", refine.default_encoder_source)
    monkeypatch.delenv("POLICYREADER_DETECTOR", raising=False)
    sample = Path(str(resource("samples", "lanternfish-privacy.md")))
    tab, feature = _open(qtbot, window, sample)
    qtbot.waitUntil(lambda: feature.refine_state == "done", timeout=180_000)
    assert feature.refine_state == "done"
    assert {p.source for p in feature.detected} & {"encoder", "model", "rules+model"}
    summary = feature.summary
    assert summary is not None
    # The sample never uses places for advertising and does not sell: no such recipient.
    html = label_html(summary, tab.theme, marks="text").html
    shared = html.split("Shared with", 1)[1].split("</tr>", 1)[0] if "Shared with" in html else ""
    assert "Advertisers" not in shared
    assert "Does not sell" in html


def test_deleting_the_window_mid_run_stops_the_refine_at_once(
    qtbot: QtBot, settings: Settings, themes: ThemeManager, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    fake = FakeEncoder(delay=0.15)
    _use(monkeypatch, fake)
    path = tmp_path / "long.md"
    path.write_text(POLICY * 60, encoding="utf-8")
    main = MainWindow(settings, themes)
    main.show()
    _tab, feature = _open(qtbot, main, path)
    qtbot.waitUntil(lambda: fake.calls >= 2, timeout=20_000)
    assert feature.refine_state == "running"
    shiboken6.delete(main)  # the thread pools wait for their threads here
    assert fake.calls < 20  # stopped: the whole policy needs about 60 batches
