"""On a big policy the results go in over separate turns of the event loop, in order, all of them."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from policyreader.core.loading import load_text
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import Category
from policyreader.ui.common.tasks import TaskRunner
from policyreader.ui.common.theme import LIGHT
from policyreader.ui.practices.corrections_menu import TabCorrections
from policyreader.ui.practices.practices_feature import BIG_TEXT, PracticesFeature
from policyreader.ui.reader.document_tab import DocumentTab
from policyreader.ui.reader.typography import Typography

BIG = "# Heron Mail Privacy\n\n" + "\n\n".join(
    f"Clause {n}. Heron Mail keeps message metadata for {n % 40 + 1} days and then deletes it."
    for n in range(3000)
)


def _retention(doc):  # type: ignore[no-untyped-def]
    spans, start = [], 0
    while (start := doc.text.find("Heron Mail keeps", start)) >= 0:
        end = doc.text.index(".", start) + 1
        spans.append(Practice(Category.DATA_RETENTION, start, end, 0.9, source="rules"))
        start = end
    return spans


def test_results_on_a_big_policy_arrive_in_later_turns_and_all_of_them(qtbot: QtBot) -> None:
    document = load_text(BIG, name="heron.md")
    assert len(document.text) > BIG_TEXT
    tab = DocumentTab(document, LIGHT, Typography())
    qtbot.addWidget(tab)
    tab.resize(1000, 700)
    tab.show()
    feature = PracticesFeature(tab, TaskRunner(tab), TabCorrections(None), detect=_retention)
    order: list[str] = []
    feature.ready.connect(lambda: order.append(f"ready, panel has {len(feature.panel.practices)}"))
    feature.painter.finished.connect(lambda: order.append("painted"))
    feature.changed.connect(
        lambda: order.append(f"changed, panel has {len(feature.panel.practices)}")
    )

    qtbot.waitUntil(lambda: "painted" in order, timeout=20_000)
    # Nothing went in while the results were taken; the panel was filled before "changed".
    assert order[0] == "ready, panel has 0"
    assert order[1] == "changed, panel has 3000"
    assert order[-1] == "painted"
    assert len(feature.practices) == 3000
