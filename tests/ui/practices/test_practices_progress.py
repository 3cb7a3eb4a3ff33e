"""Text first, practices later: detection runs in a worker while the text is already readable."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from policyreader.core.loading import load_text
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import Category
from policyreader.ui.common.tasks import TaskRunner
from policyreader.ui.common.theme import LIGHT
from policyreader.ui.practices.corrections_menu import TabCorrections
from policyreader.ui.practices.practices_feature import PracticesFeature
from policyreader.ui.reader.document_tab import DocumentTab
from policyreader.ui.reader.typography import Typography

TEXT = "# Finch Radio Privacy\n\n" + "\n\n".join(
    f"Section {n}. We keep listening logs for {n + 1} days and then delete them."
    for n in range(300)
)


def test_text_is_shown_before_detection_ends_and_progress_is_reported(qtbot: QtBot) -> None:
    document = load_text(TEXT, name="finch.md")
    release = threading.Event()

    def slow_detector(doc):  # type: ignore[no-untyped-def]
        assert release.wait(10)
        spans = []
        start = 0
        while (start := doc.text.find("We keep", start)) >= 0:
            end = doc.text.index(".", start) + 1
            spans.append(Practice(Category.DATA_RETENTION, start, end, 0.9, source="rules"))
            start = end
        return spans

    tab = DocumentTab(document, LIGHT, Typography())
    qtbot.addWidget(tab)
    tab.resize(1000, 700)
    tab.show()
    tasks = TaskRunner(tab)
    feature = PracticesFeature(tab, tasks, TabCorrections(None), detect=slow_detector)
    progress: list[tuple[int, int]] = []
    feature.painter.progress.connect(lambda done, total: progress.append((done, total)))

    # The text is there and readable while the detector still works; detection starts once
    # the text has painted, so it does not slow the first layout.
    assert "Section 299" in tab.reader.toPlainText()
    qtbot.waitUntil(lambda: tasks.busy, timeout=5_000)
    assert feature.summary is None
    assert "Finding practices" in feature.panel.status.text()
    assert not feature.panel.progress.isHidden()
    assert "Reading the policy" in feature.card.toPlainText()

    release.set()
    qtbot.waitUntil(lambda: feature.summary is not None, timeout=10_000)
    qtbot.waitUntil(lambda: not feature.painter.busy, timeout=10_000)
    assert len(feature.practices) == 300
    assert progress and progress[-1][0] == progress[-1][1]
    assert "300 passages" in feature.panel.status.text()
    assert feature.panel.progress.isHidden()
    kept = feature.summary.section(Category.DATA_RETENTION).lines[0].items
    assert kept[0].words == "Mentioned, no period given" and len(kept[0].spans) == 300
