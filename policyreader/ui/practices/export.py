"""Export and print: the privacy label above the highlighted policy, as HTML, PDF or on paper."""

# Building and laying out a 1 MB policy for a PDF takes seconds, so the window runs ``export_file``
# and ``print_file`` in a worker; only the file and print dialogs are on the GUI thread.

from __future__ import annotations

import html
import re
from pathlib import Path

from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget

from policyreader.core.document import PolicyDocument
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import LABELS, PRACTICE_CATEGORIES, Category
from policyreader.core.summary import summarise
from policyreader.ui.common.theme import LIGHT, Theme
from policyreader.ui.practices.highlights import STYLES, apply_highlights, colour
from policyreader.ui.practices.summary_card import label_html
from policyreader.ui.reader.render import render_document
from policyreader.ui.reader.typography import Typography

EXPORT_FILTER = "Web page (*.html);;PDF (*.pdf)"
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE)
_UNDERLINE_WORDS = {
    "SingleUnderline": "solid",
    "WaveUnderline": "wavy",
    "DashUnderline": "dashed",
    "DotLine": "dotted",
    "DashDotLine": "dash-dot",
    "DashDotDotLine": "dash-dot-dot",
}


def legend_html(visible: set[Category], theme: Theme) -> str:
    """Which colour and underline stands for which category, for readers of the exported file."""
    entries = []
    for category in PRACTICE_CATEGORIES:
        if category in visible:
            style = _UNDERLINE_WORDS.get(STYLES[category].underline.name, "")
            entries.append(
                f"<span style='color:{colour(category, theme).name()}'>■</span> "
                f"{html.escape(LABELS[category])} <span style='color:{theme.muted}'>({style})</span>"
            )
    return "<p><b>Highlights:</b> " + " &nbsp; ".join(entries) + "</p>"


def highlighted_document(
    document: PolicyDocument,
    practices: list[Practice],
    visible: set[Category],
    theme: Theme = LIGHT,
) -> QTextDocument:
    """A new QTextDocument: label, legend and the highlighted policy, in ``theme`` (light: paper)."""
    rendered = render_document(document, theme, Typography())
    apply_highlights(rendered.qdocument, rendered.offsets.to_position, practices, visible, theme)
    body = _BODY.search(rendered.qdocument.toHtml())
    label = label_html(summarise(document, practices), theme, marks="text").html
    title = html.escape(document.title or "Privacy policy")
    combined = f"{label}{legend_html(visible, theme)}<hr>" + (
        body.group(1) if body else html.escape(document.text)
    )
    result = QTextDocument()
    result.setDefaultFont(rendered.qdocument.defaultFont())
    result.setHtml(combined)
    result.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    # No deleteLater: this may run in a worker thread without an event loop; Python owns it.
    del rendered
    return result


def export_html(qdocument: QTextDocument, path: Path) -> None:
    html_text = qdocument.toHtml()
    path.write_text(html_text, encoding="utf-8")


def export_pdf(qdocument: QTextDocument, path: Path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    qdocument.print_(printer)


def export_to(qdocument: QTextDocument, path: Path) -> None:
    """HTML or PDF by the file's extension (anything but .pdf is HTML)."""
    if path.suffix.lower() == ".pdf":
        export_pdf(qdocument, path)
    else:
        export_html(qdocument, path)


def choose_export_path(parent: QWidget, suggested: str) -> Path | None:
    """Ask where to save; the extension (or the chosen filter) says HTML or PDF."""
    path, chosen = QFileDialog.getSaveFileName(
        parent, "Export summary and highlights", suggested, EXPORT_FILTER
    )
    if not path:
        return None
    target = Path(path)
    if not target.suffix:
        target = target.with_suffix(".pdf" if "pdf" in chosen.lower() else ".html")
    return target


def export_file(
    document: PolicyDocument, practices: list[Practice], visible: set[Category], target: Path
) -> Path:
    """Build and write the export; safe in a worker thread (no widgets, Python owns everything)."""
    export_to(highlighted_document(document, practices, visible), target)
    return target


def choose_printer(parent: QWidget) -> QPrinter | None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print summary and highlighted policy")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    return printer


def print_file(
    document: PolicyDocument, practices: list[Practice], visible: set[Category], printer: QPrinter
) -> None:
    """Lay out and print; Qt allows painting on a QPrinter outside the GUI thread."""
    highlighted_document(document, practices, visible).print_(printer)
