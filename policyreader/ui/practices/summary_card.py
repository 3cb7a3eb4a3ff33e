"""The summary card: the policy's "nutrition label", each fact a link to the sentences behind it."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QFrame, QTextBrowser, QWidget

from policyreader.core.summary import NOT_STATED, PolicySummary, Span, SummarySection
from policyreader.ui.common.theme import Theme
from policyreader.ui.practices.highlights import colour, mark_pixmap

ITEM_SCHEME = "item"
LINK_SCHEME = "optout"
# What a policy says it does not do is set apart: italic, in its own colour, with a cross.
NOT_DONE_COLOURS = {False: "#2f6b3b", True: "#94d3a2"}  # light, dark (both >= 4.5:1)
NOT_DONE_MARK = "✕"


@dataclass
class LabelHtml:
    """The label as HTML plus what its ``item:N`` and ``optout:N`` anchors stand for."""

    html: str
    items: list[tuple[str, tuple[Span, ...]]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def label_html(summary: PolicySummary, theme: Theme, *, marks: str = "image") -> LabelHtml:
    """The label in the rich-text subset Qt and browsers share.

    ``marks`` is ``image`` for the card (``mark:<id>`` resources it registers, facts as
    ``item:N`` links) or ``text`` for exported files (coloured squares, facts as plain words,
    opt-out links as real links).
    """
    out = LabelHtml("")
    muted, rule = theme.muted, theme.rule
    not_stated = [s.title for s in summary.sections if not s.stated]
    parts = [
        f"<p style='margin:0'><span style='font-size:large'><b>Privacy label</b></span><br>"
        f"<span style='color:{muted}'>{summary.coverage_line()}"
        + (
            f" · not stated: {html.escape(', '.join(t.lower() for t in not_stated))}"
            if not_stated
            else ""
        )
        + (
            ". Every fact links to the sentences that state it."
            if marks == "image"
            else ". The highlighted passages below state each fact."
        )
        + "</span></p>",
        "<table width='100%' cellspacing='0' cellpadding='3' style='margin-top:6px'>",
    ]
    for section in summary.sections:
        parts.append(_section_rows(section, theme, marks, out, rule, muted))
    parts.append("</table>")
    out.html = "".join(parts)
    return out


def _mark(section: SummarySection, theme: Theme, marks: str) -> str:
    if marks == "image":
        return f"<img src='mark:{section.category.value}' width='12' height='12'> "
    return f"<span style='color:{colour(section.category, theme).name()}'>■</span> "


def _section_rows(
    section: SummarySection, theme: Theme, marks: str, out: LabelHtml, rule: str, muted: str
) -> str:
    count = len(section.spans)
    title = (
        f"<tr><td colspan='2' style='border-top:1px solid {rule}; padding-top:7px'>"
        f"{_mark(section, theme, marks)}<b>{html.escape(section.title)}</b>"
    )
    if not section.stated:
        return (
            title
            + f" &nbsp;<span style='color:{theme.current_match if theme.dark else '#a0522d'}'>"
            f"<b>{NOT_STATED}</b></span></td></tr>"
        )
    title += f" <span style='color:{muted}'>· {count} passage{'s' if count != 1 else ''}</span>"
    rows = [title + "</td></tr>"]
    for line in section.lines:
        links = []
        not_done = NOT_DONE_COLOURS[theme.dark] if line.negative else ""
        for item in line.items:
            out.items.append((item.words, item.spans))
            number = len(out.items) - 1
            extra = f" ({len(item.spans)})" if len(item.spans) > 1 else ""
            words = html.escape(item.words)
            if marks == "image":
                words = (
                    f"<a href='{ITEM_SCHEME}:{number}' style='color:{not_done or theme.link};"
                    f"text-decoration:none'>{words}</a>"
                )
            if not_done:
                words = f"<i style='color:{not_done}'>{NOT_DONE_MARK} {words}</i>"
            links.append(f"{words}<span style='color:{muted}'>{extra}</span>")
        if not links:  # the topic is stated, this question is not answered
            all_spans = section.spans
            out.items.append((line.heading, all_spans))
            links.append(
                f"<a href='{ITEM_SCHEME}:{len(out.items) - 1}' style='color:{muted}'>"
                "not specified</a>"
                if marks == "image"
                else f"<span style='color:{muted}'>not specified</span>"
            )
        heading = html.escape(line.heading)
        if not_done:
            heading = f"<i style='color:{not_done}'>{heading}</i>"
        separator = "<br>" if not_done else ", "
        rows.append(
            f"<tr><td width='26%' valign='top' style='color:{muted}'>{heading}"
            f"</td><td valign='top'>{separator.join(links)}</td></tr>"
        )
    if section.links:
        anchors = []
        for link in section.links:
            out.links.append(link.url)
            target = f"{LINK_SCHEME}:{len(out.links) - 1}" if marks == "image" else link.url
            anchors.append(
                f"<a href='{html.escape(target, quote=True)}' style='color:{theme.link}'>"
                f"{html.escape(_short_url(link.url))}</a>"
            )
        rows.append(
            f"<tr><td valign='top' style='color:{muted}'>Opt-out links</td>"
            f"<td valign='top'>{'<br>'.join(anchors)}</td></tr>"
        )
    return "".join(rows)


def _short_url(url: str, limit: int = 48) -> str:
    bare = url.split("://", 1)[-1]
    return bare if len(bare) <= limit else bare[: limit - 1] + "…"


class SummaryCard(QTextBrowser):
    """Shows the label; clicking a fact emits ``spans_requested(words, spans)`` (the window jumps
    to them one after another) and clicking a found link emits ``url_requested(QUrl)``."""

    spans_requested = Signal(str, object)  # words, tuple[Span, ...]
    url_requested = Signal(QUrl)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryCard")
        self.setAccessibleName("Privacy label")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.theme = theme
        self.summary: PolicySummary | None = None
        self.content = LabelHtml("")
        self.anchorClicked.connect(self._clicked)
        self.setHtml(f"<p style='color:{theme.muted}'>Reading the policy…</p>")

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        """Only the category marks load; nothing from disk or network."""
        name = QUrl(name)
        if name.scheme() == "mark":
            from policyreader.core.practices.taxonomy import Category

            try:
                category = Category(name.path())
            except ValueError:
                return None
            return mark_pixmap(category, self.theme, 12, self.devicePixelRatioF()).toImage()
        return None

    def set_summary(self, summary: PolicySummary) -> None:
        self.summary = summary
        self.content = label_html(summary, self.theme)
        self.document().setDefaultStyleSheet("a { text-decoration: none; }")
        self.document().setDocumentMargin(10)
        self.setHtml(self.content.html)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        # Marks are cached by URL in the document: a fresh document draws them in the new colours.
        self.setDocument(QTextDocument(self))
        if self.summary is not None:
            self.set_summary(self.summary)

    def item(self, words: str) -> tuple[str, tuple[Span, ...]] | None:
        return next((item for item in self.content.items if item[0] == words), None)

    def _clicked(self, url: QUrl) -> None:
        scheme, _, number = url.toString().partition(":")
        if not number.isdigit():
            return
        index = int(number)
        if scheme == ITEM_SCHEME and index < len(self.content.items):
            words, spans = self.content.items[index]
            self.spans_requested.emit(words, spans)
        elif scheme == LINK_SCHEME and index < len(self.content.links):
            self.url_requested.emit(QUrl(self.content.links[index]))
