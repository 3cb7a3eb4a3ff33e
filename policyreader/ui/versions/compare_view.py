"""The compare view: two versions aligned by section, changed sentences marked, practice changes."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from policyreader.core.document import BlockKind, PolicyDocument
from policyreader.core.versions import (
    OPENING,
    Comparison,
    PracticeChangeKind,
    SectionChange,
    SectionDiff,
    SentenceChangeKind,
    Span,
    long_date,
    version_label,
)
from policyreader.ui.common.theme import LIGHT, Theme
from policyreader.ui.reader.layout_pump import LayoutPump

_WORDS = re.compile(r"\S+")
SIDE_BY_SIDE = "side"
INLINE = "inline"
BADGE_WORDS = {
    SectionChange.ADDED: "added",
    SectionChange.REMOVED: "removed",
    SectionChange.CHANGED: "changed",
    SectionChange.MOVED: "moved",
    SectionChange.SAME: "",
}


@dataclass(frozen=True, slots=True)
class CompareColours:
    """Marks that read in both themes: soft backgrounds on light pages, deep ones on dark."""

    added: str
    removed: str
    changed: str
    moved: str
    text: str
    muted: str
    rule: str

    @classmethod
    def for_theme(cls, theme: Theme) -> CompareColours:
        if theme.dark:
            return cls(
                "#1f4d2e", "#5a2328", "#4d4216", "#233f66", theme.text, theme.muted, theme.rule
            )
        return cls("#d3f2dc", "#fadadd", "#fbeeb8", "#dbe7fb", theme.text, theme.muted, theme.rule)

    def of(self, change: SectionChange | PracticeChangeKind | SentenceChangeKind) -> str:
        return getattr(self, change.value, self.changed)


def badge_html(change: SectionChange, colours: CompareColours) -> str:
    word = BADGE_WORDS[change]
    if not word:
        return ""
    return (
        f"<span style='background-color:{colours.of(change)}; color:{colours.text};'>"
        f"&nbsp;{word}&nbsp;</span>"
    )


def practice_summary_html(comparison: Comparison, colours: CompareColours) -> str:
    if not comparison.practice_changes:
        return f"<span style='color:{colours.muted}'>No change in the practices the policy states.</span>"
    items = []
    for change in comparison.practice_changes:
        word, _, rest = change.summary().partition(": ")
        word = word.capitalize()
        items.append(
            f"<li><span style='background-color:{colours.of(change.change)}; color:{colours.text}'>"
            f"&nbsp;{html.escape(word)}&nbsp;</span> {html.escape(rest)}</li>"
        )
    return "<b>Practice changes</b><ul style='margin-top:2px'>" + "".join(items) + "</ul>"


NOTE_STATE_WORDS = {
    "exact": "in place",
    "moved": "moved with their text",
    "fuzzy": "re-attached to edited text (check them)",
    "orphaned": "lost their text",
}


def notes_line(states: dict[str, int]) -> str:
    """How the reader's notes came through to the new version, by anchoring state."""
    total = sum(states.values())
    if not total:
        return ""
    order = [*NOTE_STATE_WORDS, *sorted(set(states) - set(NOTE_STATE_WORDS))]
    parts = [f"{states[s]} {NOTE_STATE_WORDS.get(s, s)}" for s in order if states.get(s)]
    return (
        f"Your {total} note{'s' if total != 1 else ''} on the new version: "
        + ", ".join(parts)
        + "."
    )


def compare_html(
    comparison: Comparison,
    colours: CompareColours,
    mode: str = SIDE_BY_SIDE,
    only_changes: bool = False,
) -> str:
    """The body of the compare view: one row per section (anchored ``s<index>``)."""
    rows = []
    for index, section in enumerate(comparison.sections):
        if only_changes and section.change is SectionChange.SAME:
            continue
        if mode == INLINE:
            rows.append(_inline_row(comparison, section, index, colours))
        else:
            rows.append(_side_row(comparison, section, index, colours))
    if not rows:
        return f"<p style='color:{colours.muted}'>The two versions say the same thing.</p>"
    if mode == INLINE:
        return "".join(rows)
    head = (
        f"<tr><th width='50%' align='left'>{html.escape(_label(comparison.old))}</th>"
        f"<th width='50%' align='left'>{html.escape(_label(comparison.new))}</th></tr>"
    )
    return (
        f"<table width='100%' cellspacing='0' cellpadding='6' border='0'>{head}"
        + "".join(rows)
        + "</table>"
    )


def _label(document: PolicyDocument) -> str:
    return version_label(document)


def context_html(comparison: Comparison, colours: CompareColours) -> str:
    """The policy's own dates that changed, and how the older version was compared."""
    lines = [
        f"{name.replace('_', ' ').capitalize()}: {long_date(before) if before else 'not stated'}"
        f" → {long_date(after) if after else 'not stated'}"
        for name, (before, after) in comparison.dates.items()
    ]
    if comparison.text_only:
        lines.append(
            "The older version was kept before policyreader kept original files, so the two "
            "are compared as text: its layout follows the newer one where the words agree."
        )
    return "".join(f"<p style='color:{colours.muted}'>{html.escape(line)}</p>" for line in lines)


def _section_heading(section: SectionDiff, index: int, colours: CompareColours) -> str:
    title = section.new_title if section.new_span is not None else section.old_title
    name = html.escape(title if title is not None else OPENING)
    renamed = ""
    if section.renamed:
        renamed = f" <span style='color:{colours.muted}'>(was “{html.escape(section.old_title or '')}”)</span>"
    return f"<a name='s{index}'></a><b>{name}</b> {badge_html(section.change, colours)}{renamed}"


def _side_row(
    comparison: Comparison, section: SectionDiff, index: int, colours: CompareColours
) -> str:
    old_marks, new_marks = _marks(section, colours)
    old_cell = (
        _span_html(comparison.old, section.old_span, old_marks, colours)
        if section.old_span is not None
        else f"<p style='color:{colours.muted}'><i>Not in this version.</i></p>"
    )
    new_cell = (
        _span_html(comparison.new, section.new_span, new_marks, colours)
        if section.new_span is not None
        else f"<p style='color:{colours.muted}'><i>Removed in this version.</i></p>"
    )
    border = f"border-top: 1px solid {colours.rule};"
    return (
        f"<tr><td colspan='2' style='{border}'>{_section_heading(section, index, colours)}</td></tr>"
        f"<tr><td width='50%' valign='top'>{old_cell}</td>"
        f"<td width='50%' valign='top'>{new_cell}</td></tr>"
    )


def _inline_row(
    comparison: Comparison, section: SectionDiff, index: int, colours: CompareColours
) -> str:
    """The new text with its additions marked; what was removed or rewritten follows, struck out."""
    parts = [f"<hr/><p>{_section_heading(section, index, colours)}</p>"]
    _, new_marks = _marks(section, colours)
    if section.new_span is not None:
        parts.append(_span_html(comparison.new, section.new_span, new_marks, colours))
    gone = [
        change.old_text
        for change in section.sentences
        if change.kind is not SentenceChangeKind.ADDED and change.old_text
    ]
    if section.new_span is None and section.old_span is not None:
        gone = [comparison.old.text[section.old_span.start : section.old_span.end]]
    for text in gone:
        parts.append(
            f"<p style='margin-left:16px'><span style='background-color:{colours.removed};"
            f" text-decoration: line-through;'>{html.escape(text)}</span></p>"
        )
    return "".join(parts)


def _marks(section: SectionDiff, colours: CompareColours) -> tuple[list, list]:
    old_marks: list[tuple[int, int, str]] = []
    new_marks: list[tuple[int, int, str]] = []
    for change in section.sentences:
        colour = colours.of(change.kind)
        if change.kind is SentenceChangeKind.CHANGED and change.old and change.new:
            old_words, new_words = _changed_words(
                change.old, change.new, change.old_text or "", change.new_text or ""
            )
            old_marks.extend(_segments(change.old, old_words, colour, colours.removed))
            new_marks.extend(_segments(change.new, new_words, colour, colours.added))
            continue
        if change.old is not None and section.change is not SectionChange.REMOVED:
            style = f"background-color:{colour}; text-decoration: line-through;"
            old_marks.append((change.old.start, change.old.end, style))
        if change.new is not None and section.change is not SectionChange.ADDED:
            new_marks.append((change.new.start, change.new.end, f"background-color:{colour};"))
    return old_marks, new_marks


def _changed_words(
    old: Span, new: Span, old_text: str, new_text: str
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Offsets of the words that differ between an edited sentence's two versions."""
    old_words = [(m.start() + old.start, m.end() + old.start) for m in _WORDS.finditer(old_text)]
    new_words = [(m.start() + new.start, m.end() + new.start) for m in _WORDS.finditer(new_text)]
    matcher = SequenceMatcher(
        None,
        [w.group() for w in _WORDS.finditer(old_text)],
        [w.group() for w in _WORDS.finditer(new_text)],
        autojunk=False,
    )
    old_changed: list[tuple[int, int]] = []
    new_changed: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            old_changed.append((old_words[i1][0], old_words[i2 - 1][1]))
        if j2 > j1:
            new_changed.append((new_words[j1][0], new_words[j2 - 1][1]))
    return old_changed, new_changed


def _segments(
    span: Span, changed: list[tuple[int, int]], base: str, strong: str
) -> list[tuple[int, int, str]]:
    """The sentence in its change colour, the words that differ in a stronger one."""
    marks = []
    position = span.start
    for start, end in changed:
        if start > position:
            marks.append((position, start, f"background-color:{base};"))
        marks.append((start, end, f"background-color:{strong}; font-weight:600;"))
        position = end
    if position < span.end:
        marks.append((position, span.end, f"background-color:{base};"))
    return marks


def _span_html(
    document: PolicyDocument, span: Span, marks: list[tuple[int, int, str]], colours: CompareColours
) -> str:
    """The blocks of ``document`` inside ``span`` (the section's heading aside), marks applied."""
    parts = []
    for block in document.blocks:
        if block.end <= span.start or block.start >= span.end:
            continue
        if block.kind is BlockKind.HEADING:
            continue
        text = _marked(document.text, block.start, block.end, marks)
        if block.kind is BlockKind.LIST_ITEM:
            marker = html.escape(block.marker or "•")
            parts.append(f"<p style='margin-left:{12 + 12 * block.level}px'>{marker} {text}</p>")
        else:
            parts.append(f"<p>{text}</p>")
    return "".join(parts) or f"<p style='color:{colours.muted}'><i>(no text)</i></p>"


def _marked(text: str, start: int, end: int, marks: list[tuple[int, int, str]]) -> str:
    out = []
    position = start
    for mark_start, mark_end, style in sorted(marks):
        mark_start, mark_end = max(mark_start, start), min(mark_end, end)
        if mark_start >= mark_end or mark_start < position:
            continue
        out.append(_escape(text[position:mark_start]))
        out.append(f"<span style='{style}'>{_escape(text[mark_start:mark_end])}</span>")
        position = mark_end
    out.append(_escape(text[position:end]))
    return "".join(out)


def _escape(text: str) -> str:
    return html.escape(text).replace("\n", "<br/>").replace("\t", " &nbsp; ")


class CompareView(QWidget):
    """Practice changes on top; the sections with badges on the left; the aligned texts."""

    section_activated = Signal(int)

    def __init__(
        self,
        comparison: Comparison,
        theme: Theme = LIGHT,
        parent: QWidget | None = None,
        note_states: dict[str, int] | None = None,
    ):
        super().__init__(parent)
        self.note_states = note_states or {}
        self.setObjectName("compareView")
        self.comparison = comparison
        self.colours = CompareColours.for_theme(theme)
        self.mode = SIDE_BY_SIDE
        self.summary = QLabel(self)
        self.summary.setObjectName("practiceChanges")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.outline = QListWidget(self)
        self.outline.setObjectName("compareOutline")
        self.outline.setAccessibleName("Sections and their changes")
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("compareText")
        self.browser.setOpenLinks(False)
        # Two versions of a long policy side by side: Qt's lazy layout would stall as in the reader.
        self.layout_pump = LayoutPump(self)
        self.layout_pump.watch(self.browser.document())
        self.only_changes = QCheckBox("Only changed sections", self)
        self.side_button = QRadioButton("Side by side", self)
        self.inline_button = QRadioButton("Inline", self)
        self.side_button.setChecked(True)
        self._build()
        self.refresh()

    def _build(self) -> None:
        modes = QButtonGroup(self)
        modes.addButton(self.side_button)
        modes.addButton(self.inline_button)
        self.side_button.toggled.connect(lambda on: self.set_mode(SIDE_BY_SIDE if on else INLINE))
        self.only_changes.toggled.connect(lambda _on: self.refresh())
        self.outline.currentRowChanged.connect(self._row_chosen)
        bar = QHBoxLayout()
        bar.addWidget(self.side_button)
        bar.addWidget(self.inline_button)
        bar.addSpacing(16)
        bar.addWidget(self.only_changes)
        bar.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.outline)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 980])
        self.outline.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.outline.viewport().installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.refresh()

    def refresh(self) -> None:
        notes = notes_line(self.note_states)
        self.summary.setText(
            practice_summary_html(self.comparison, self.colours)
            + context_html(self.comparison, self.colours)
            + (f"<p>{html.escape(notes)}</p>" if notes else "")
        )
        only = self.only_changes.isChecked()
        self.browser.setHtml(compare_html(self.comparison, self.colours, self.mode, only))
        self.outline.blockSignals(True)
        self.outline.clear()
        for index, section in enumerate(self.comparison.sections):
            if only and section.change is SectionChange.SAME:
                continue
            self._add_outline_row(index, section)
        self.outline.blockSignals(False)

    def _add_outline_row(self, index: int, section: SectionDiff) -> None:
        title = section.new_title if section.new_span is not None else section.old_title
        level = section.new_level if section.new_span is not None else section.old_level
        item = QListWidgetItem()
        item.setData(Qt.ItemDataRole.UserRole, index)
        item.setData(
            Qt.ItemDataRole.AccessibleTextRole, f"{title or OPENING} {BADGE_WORDS[section.change]}"
        )
        label = QLabel(
            f"{'&nbsp;' * 3 * max(level - 1, 0)}{html.escape(title or OPENING)} "
            f"{badge_html(section.change, self.colours)}"
        )
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setContentsMargins(4, 2, 4, 2)
        # Long section names wrap onto more lines rather than being cut off at the edge.
        label.setWordWrap(True)
        item.setToolTip(title or OPENING)
        self.outline.addItem(item)
        self.outline.setItemWidget(item, label)
        self._fit_row(item, label)

    def _fit_row(self, item: QListWidgetItem, label: QLabel) -> None:
        width = max(self.outline.viewport().width() - 4, 80)
        item.setSizeHint(QSize(width, label.heightForWidth(width)))

    def _fit_rows(self) -> None:
        for row in range(self.outline.count()):
            item = self.outline.item(row)
            label = self.outline.itemWidget(item)
            if isinstance(label, QLabel):
                self._fit_row(item, label)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.outline.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_rows()
        return super().eventFilter(watched, event)

    def badges(self) -> dict[str, str]:
        """Outline rows that carry a badge: title -> badge word (for tests and accessibility)."""
        found = {}
        for row in range(self.outline.count()):
            index = self.outline.item(row).data(Qt.ItemDataRole.UserRole)
            section = self.comparison.sections[index]
            word = BADGE_WORDS[section.change]
            if word:
                found[section.new_title or section.old_title or OPENING] = word
        return found

    def _row_chosen(self, row: int) -> None:
        item = self.outline.item(row)
        if item is None:
            return
        index = item.data(Qt.ItemDataRole.UserRole)
        self.browser.scrollToAnchor(f"s{index}")
        self.section_activated.emit(index)
