"""Highlight pieces for overlapping practices, the palette, chunked painting, tooltips and export."""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCursor
from pytestqt.qtbot import QtBot

from policyreader.core.loading import load_text
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import PRACTICE_CATEGORIES, Category
from policyreader.ui.common.palette_check import distance
from policyreader.ui.common.theme import DARK, LIGHT
from policyreader.ui.practices import highlights
from policyreader.ui.practices.export import export_to, highlighted_document
from policyreader.ui.practices.highlights import (
    STYLES,
    HighlightPainter,
    PracticeIndex,
    colour,
    layered_segments,
    tint,
    tooltip_html,
)
from policyreader.ui.practices.legend import Legend
from policyreader.ui.reader.document_tab import DocumentTab
from policyreader.ui.reader.typography import Typography

C, S, R = Category.FIRST_PARTY_COLLECTION, Category.THIRD_PARTY_SHARING, Category.DATA_RETENTION
ALL = set(PRACTICE_CATEGORIES)


def practice(category: Category, start: int, end: int, **extra: object) -> Practice:
    return Practice(category, start, end, 0.8, **extra)  # type: ignore[arg-type]


def test_overlapping_practices_keep_both_categories_on_the_overlap() -> None:
    pieces = layered_segments([practice(C, 0, 10), practice(S, 5, 20)], ALL)
    assert pieces == [(0, 5, (C,)), (5, 10, (C, S)), (10, 20, (S,))]
    fmt = highlights.highlight_format((C, S), LIGHT)
    assert fmt.background().color() == tint(C, LIGHT)  # background of one...
    assert fmt.underlineColor() == colour(S, LIGHT)  # ...underline of the other
    assert fmt.underlineStyle() == STYLES[S].underline


def test_hidden_categories_and_touching_spans() -> None:
    spans = [practice(C, 0, 10), practice(C, 10, 15), practice(S, 12, 30), practice(R, 40, 50)]
    assert layered_segments(spans, {C}) == [(0, 15, (C,))]
    assert layered_segments(spans, set()) == []
    assert layered_segments(spans, ALL)[-1] == (40, 50, (R,))


def test_palette_is_distinct_in_both_themes_and_has_a_second_cue() -> None:
    for theme in (LIGHT, DARK):
        colours = [colour(c, theme).name() for c in PRACTICE_CATEGORIES]
        for first, second in itertools.combinations(colours, 2):
            assert distance(first, second) > 20, (first, second)  # CIELAB: another colour
        page = QColor(theme.page)
        for category in PRACTICE_CATEGORIES:
            # The tint stays close enough to the page that body text keeps its contrast.
            assert abs(tint(category, theme).lightness() - page.lightness()) < 110
    assert len({style.mark for style in STYLES.values()}) == len(PRACTICE_CATEGORIES)


def test_index_finds_every_practice_covering_an_offset() -> None:
    index = PracticeIndex([practice(C, 0, 100), practice(S, 50, 60), practice(R, 70, 80)])
    assert [p.category for p in index.at(55)] == [C, S]
    assert [p.category for p in index.at(75)] == [C, R]
    assert index.at(100) == []
    assert [p.category for p in index.starting_between(40, 75)] == [S, R]


def test_tooltip_explains_category_attributes_confidence_and_evidence() -> None:
    found = practice(
        S, 0, 10, attributes={"third_parties": ["advertisers"]}, evidence=("share", "advertisers")
    )
    tip = tooltip_html([found], LIGHT)
    for words in ("Sharing with third parties", "Advertisers", "80 %", "“share”", "Third parties"):
        assert words in tip
    mine = Practice(R, 0, 5, 1.0, source="reader")
    assert "marked by you" in tooltip_html([mine], LIGHT)


POLICY = "# Heron Maps\n\n" + "\n\n".join(
    f"Paragraph {n}: we collect your location and share it with [partners](https://heron.example/p{n})."
    for n in range(400)
)


def test_chunked_painting_clears_links_back_and_finishes(qtbot: QtBot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    document = load_text(POLICY, name="heron.md")
    tab = DocumentTab(document, LIGHT, Typography())
    qtbot.addWidget(tab)
    monkeypatch.setattr(highlights, "FIRST_CHUNK_CHARS", 500)
    monkeypatch.setattr(highlights, "MIN_CHUNK_CHARS", 500)
    monkeypatch.setattr(highlights, "MAX_CHUNK_CHARS", 2_000)
    painter = HighlightPainter(tab)
    progress: list[tuple[int, int]] = []
    painter.progress.connect(lambda done, total: progress.append((done, total)))
    text = document.text
    practices = []
    for n in range(400):
        start = text.index(f"Paragraph {n}:")
        end = text.index(".", text.index("partners", start)) + 1
        practices.append(practice(S, start, end))
    link = text.index("partners", practices[-1].start)

    def fmt_at(offset: int):  # type: ignore[no-untyped-def]
        cursor = QTextCursor(tab.reader.document())
        cursor.setPosition(tab.offsets.to_position(offset) + 1)
        return cursor.charFormat()

    assert fmt_at(link).fontUnderline()  # a link, as rendered
    painter.paint(practices, ALL, LIGHT)
    assert painter.busy  # big enough to be spread over several turns of the event loop
    qtbot.waitUntil(lambda: not painter.busy, timeout=5_000)
    assert len(progress) > 3 and progress[-1][0] == progress[-1][1]
    assert fmt_at(practices[-1].start).background().color() == tint(S, LIGHT)
    assert fmt_at(link).underlineStyle() == STYLES[S].underline

    # A second paint before the first one ran (a quick toggle) still clears what was there.
    painter.paint(practices, {R}, LIGHT)
    painter.paint(practices, set(), LIGHT)
    qtbot.waitUntil(lambda: not painter.busy, timeout=5_000)
    assert fmt_at(practices[-1].start).background().style() == Qt.BrushStyle.NoBrush
    assert fmt_at(link).fontUnderline()  # the link's own underline is back
    assert fmt_at(link).underlineColor() == QColor(LIGHT.link)


def test_the_visible_stretch_is_highlighted_first_in_one_chunk(qtbot: QtBot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    document = load_text(POLICY, name="heron.md")
    tab = DocumentTab(document, LIGHT, Typography())
    qtbot.addWidget(tab)
    tab.resize(900, 500)
    tab.show()
    qtbot.waitUntil(lambda: not tab.reader.layout_pump.busy, timeout=10_000)
    monkeypatch.setattr(highlights, "FIRST_CHUNK_CHARS", 500)
    monkeypatch.setattr(highlights, "MAX_CHUNK_CHARS", 2_000)
    text = document.text
    practices = []
    for n in range(400):
        start = text.index(f"Paragraph {n}:")
        practices.append(practice(S, start, text.index(".", start) + 1))
    tab.scroll_to_offset(practices[200].start)
    painter = HighlightPainter(tab)

    def tinted(offset: int) -> bool:
        cursor = QTextCursor(tab.reader.document())
        cursor.setPosition(tab.offsets.to_position(offset) + 1)
        return cursor.charFormat().background().color() == tint(S, LIGHT)

    # Read as the first chunk lands: later chunks may follow before the test polls again.
    after_first: list[tuple[bool, bool]] = []

    def first_chunk(_done: int, _total: int) -> None:
        if not after_first:
            shown = tab.offset_at_y(10)
            on_screen = [p for p in practices if p.start >= shown][:3]
            after_first.append(
                (all(tinted(p.start) for p in on_screen), tinted(practices[0].start))
            )

    painter.progress.connect(first_chunk)
    painter.paint(practices, ALL, LIGHT)
    qtbot.waitUntil(lambda: bool(after_first), timeout=5_000)
    # After the first chunk: the text on screen is highlighted, the top of the policy not yet.
    assert after_first[0] == (True, False)
    qtbot.waitUntil(lambda: not painter.busy, timeout=10_000)
    assert all(tinted(p.start) for p in practices)
    # Painted again out of text order, the old highlights are cleared everywhere all the same.
    painter.paint(practices[::2], ALL, LIGHT)
    qtbot.waitUntil(lambda: not painter.busy, timeout=10_000)
    assert [tinted(p.start) for p in practices] == [n % 2 == 0 for n in range(400)]


def test_legend_counts_toggles_and_steps(qtbot: QtBot) -> None:
    legend = Legend(LIGHT)
    qtbot.addWidget(legend)
    legend.set_counts({C: 3, S: 1})
    assert "3" in legend.item(C).text() and "—" in legend.item(R).text()
    seen: list[set[Category]] = []
    legend.visibility_changed.connect(seen.append)
    legend.item(S).setCheckState(Qt.CheckState.Unchecked)
    assert S not in seen[-1] and C in seen[-1]
    legend.set_all(False)
    assert seen[-1] == set()
    legend.set_all(True)
    assert seen[-1] == ALL
    steps: list[tuple[Category | None, bool]] = []
    legend.step_requested.connect(lambda category, forward: steps.append((category, forward)))
    legend.list.setCurrentItem(legend.item(C))
    qtbot.keyClick(legend.list, Qt.Key.Key_N)
    qtbot.keyClick(legend.list, Qt.Key.Key_P)
    assert steps == [(C, True), (C, False)]


def test_export_writes_label_and_highlighted_policy(qtbot: QtBot, tmp_path: Path) -> None:
    document = load_text(
        "# Heron Maps Privacy\n\nWe collect your location when you use the app.\n", name="h.md"
    )
    start = document.text.index("We collect")
    found = [practice(C, start, len(document.text), attributes={"data_types": ["location"]})]
    qdocument = highlighted_document(document, found, ALL)
    export_to(qdocument, tmp_path / "out.html")
    export_to(qdocument, tmp_path / "out.pdf")
    page = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert "Privacy label" in page and "Not stated" in page and "Location" in page
    assert tint(C, LIGHT).name() in page.lower()  # the highlight survives as a background
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
