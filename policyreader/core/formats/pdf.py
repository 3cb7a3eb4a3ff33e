"""PDF: text and headings recovered from font size and weight, paragraphs re-joined across lines."""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from policyreader.core.builder import RawBlock, Run, SourceParse
from policyreader.core.document import BlockKind
from policyreader.core.errors import LoadProblem, PolicyLoadError

# A line at least this much larger than the body text is a heading whatever its weight.
HEADING_SIZE_RATIO = 1.12
# A bold line at body size heads a section only when it is short; longer bold text is emphasis.
BOLD_HEADING_MAX_WORDS = 16
BOLD_HEADING_GROUP_MAX_WORDS = 28
# Running headers and footers live in these bands at the top and bottom of a page.
MARGIN_BAND = 0.1
# A gap this much larger than the usual line spacing separates paragraphs.
PARAGRAPH_GAP_RATIO = 1.3
MAX_PAGES = 400
# A line ending this many ems before the right edge of the text is a paragraph's last line.
SHORT_LINE_EMS = 8

_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_ITALIC_FONT = re.compile(r"italic|oblique", re.I)
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I
)
_LIST_MARKER = re.compile(
    r"^\s*(?P<marker>[•●▪◦○■□‣⁃∙·\-–—*\uf0b7\uf0a7\uf076\uf0d8]|\(?\d{1,2}[.)]|\(?[a-z][.)]"
    r"|\([ivx]{1,4}\))\s+"
)
_SENTENCE_END = re.compile(r"[.!?:;\"”’)]\s*$")


@dataclass(slots=True)
class _Line:
    """One text line as laid out on a page, with its style."""

    page: int
    box: int
    x0: float
    y0: float
    y1: float
    page_height: float
    size: float
    bold: float  # share of visible characters in a bold face
    runs: list[Run]
    x1: float = 0.0

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs).strip()

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(slots=True)
class _Group:
    """Consecutive lines that form one block."""

    kind: BlockKind
    lines: list[_Line] = field(default_factory=list)
    level: int = 0
    marker: str = ""
    rows: list[list[_Line]] = field(default_factory=list)  # a table's cells, row by row


def read_pdf(data: bytes) -> SourceParse:
    """Blocks of a PDF's text layer; a PDF without one (a scan) raises a clear ``PolicyLoadError``."""
    lines, title_hint, pages = _read_lines(data)
    if not any(line.text for line in lines):
        raise PolicyLoadError(
            LoadProblem.NO_TEXT,
            "This PDF has no text layer: it is a scanned image of the policy. Run it through "
            "text recognition (OCR) first, or open the policy's web page instead.",
        )
    lines = _drop_page_furniture(lines, pages)
    body_size = _body_size(lines)
    groups = _group_lines(lines, body_size)
    blocks = [_block(group) for group in groups]
    return SourceParse(blocks=blocks, title_hint=title_hint)


def _read_lines(data: bytes) -> tuple[list[_Line], str | None, int]:
    """Every text line on every page, in pdfminer's reading order, plus the declared title."""
    # pdfminer reports recoverable damage through logging; the reader shows its own message.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        return _extract(data)
    except PolicyLoadError:
        raise
    except Exception as error:  # pdfminer raises many unrelated types for damaged files
        raise PolicyLoadError(LoadProblem.UNREADABLE, _failure_message(error)) from None


def _failure_message(error: Exception) -> str:
    name = type(error).__name__
    if "Password" in name or "Encrypt" in name:
        return "This PDF is password-protected; open it in a PDF viewer and save an unlocked copy."
    return f"This PDF could not be read: it seems damaged ({name})."


def _extract(data: bytes) -> tuple[list[_Line], str | None, int]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    document = PDFDocument(PDFParser(io.BytesIO(data)))
    title = _declared_title(document)
    manager = PDFResourceManager()
    # boxes_flow=None: boxes in plain top-to-bottom order, without pdfminer's hierarchical
    # grouping, which costs most of the time (11 pages: 3.9 s -> 1 s) and policies are one column.
    device = PDFPageAggregator(manager, laparams=LAParams(boxes_flow=None))
    interpreter = PDFPageInterpreter(manager, device)
    lines: list[_Line] = []
    box_index = 0
    pages = 0
    for page_number, page in enumerate(PDFPage.create_pages(document)):
        if page_number >= MAX_PAGES:
            break
        pages += 1
        interpreter.process_page(page)
        layout = device.get_result()
        for element in layout:
            if not isinstance(element, LTTextContainer):
                continue
            box_index += 1
            members = [element] if isinstance(element, LTTextLine) else list(element)
            for text_line in members:
                if isinstance(text_line, LTTextLine):
                    line = _line(text_line, page_number, box_index, layout.height)
                    if line is not None:
                        lines.append(line)
    if pages == 0:
        raise PolicyLoadError(LoadProblem.NO_TEXT, "This PDF has no pages.")
    return lines, title, pages


def _declared_title(document: object) -> str | None:
    from pdfminer.utils import decode_text

    for info in getattr(document, "info", []) or []:
        value = info.get("Title") if isinstance(info, dict) else None
        if isinstance(value, bytes):
            value = decode_text(value)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _line(text_line: object, page: int, box: int, page_height: float) -> _Line | None:
    from pdfminer.layout import LTChar

    runs: list[Run] = []
    sizes: Counter[float] = Counter()
    bold_chars = visible = 0
    for item in text_line:  # type: ignore[attr-defined]
        text = item.get_text()
        if isinstance(item, LTChar):
            bold = bool(_BOLD_FONT.search(item.fontname))
            italic = bool(_ITALIC_FONT.search(item.fontname))
            if text.strip():
                visible += 1
                bold_chars += bold
                sizes[round(item.size * 2) / 2] += 1
        else:  # LTAnno: a space or line end pdfminer inferred; it takes the current style
            bold, italic = (runs[-1].bold, runs[-1].italic) if runs else (False, False)
            text = text.replace("\n", "")
        _append(runs, Run(text, bold=bold, italic=italic))
    if not visible:
        return None
    x0, y0, x1, y1 = text_line.bbox  # type: ignore[attr-defined]
    return _Line(
        page,
        box,
        x0,
        y0,
        y1,
        page_height,
        sizes.most_common(1)[0][0],
        bold_chars / visible,
        runs,
        x1,
    )


def _append(runs: list[Run], run: Run) -> None:
    if not run.text:
        return
    if runs and (runs[-1].bold, runs[-1].italic) == (run.bold, run.italic):
        runs[-1] = Run(runs[-1].text + run.text, bold=run.bold, italic=run.italic)
    else:
        runs.append(run)


def _drop_page_furniture(lines: list[_Line], pages: int) -> list[_Line]:
    """Drop running headers, footers and page numbers: margin lines repeated page after page."""
    in_band = [line for line in lines if _in_margin(line)]
    repeated: Counter[str] = Counter()
    for key, _page in {(_furniture_key(line.text), line.page) for line in in_band}:
        repeated[key] += 1
    threshold = max(2, pages // 2)
    return [
        line
        for line in lines
        if not (
            _in_margin(line)
            and (_PAGE_NUMBER.match(line.text) or repeated[_furniture_key(line.text)] >= threshold)
        )
    ]


def _in_margin(line: _Line) -> bool:
    band = line.page_height * MARGIN_BAND
    return line.y0 >= line.page_height - band or line.y1 <= band


def _furniture_key(text: str) -> str:
    """Headers differ only by their page number ("Privacy Policy – 3 of 9")."""
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _body_size(lines: Iterable[_Line]) -> float:
    """The size most characters are set in."""
    weight: Counter[float] = Counter()
    for line in lines:
        weight[line.size] += len(line.text)
    return weight.most_common(1)[0][0] if weight else 10.0


def _heading_levels(lines: list[_Line], body_size: float) -> dict[float, int]:
    """Larger sizes rank higher; bold lines at body size rank below every larger size."""
    sizes = sorted({line.size for line in lines if line.size >= body_size * HEADING_SIZE_RATIO})
    levels = {size: rank for rank, size in enumerate(reversed(sizes), 1)}
    levels[0.0] = min(len(sizes) + 1, 6)
    return {size: min(level, 6) for size, level in levels.items()}


def _heading_level(line: _Line, body_size: float, levels: dict[float, int]) -> int:
    """The heading level of ``line``, or 0 when it is body text."""
    if line.size >= body_size * HEADING_SIZE_RATIO and line.words <= BOLD_HEADING_GROUP_MAX_WORDS:
        return levels.get(line.size, levels[0.0])
    if line.bold >= 0.9 and line.words <= BOLD_HEADING_MAX_WORDS and line.size >= body_size * 0.95:
        return levels[0.0]
    return 0


def _leading(lines: list[_Line], body_size: float) -> float:
    """The usual distance between baselines of body lines following each other."""
    steps: Counter[float] = Counter()
    for previous, line in pairwise(lines):
        if previous.page == line.page and previous.size == line.size == body_size:
            step = round(previous.y0 - line.y0, 1)
            if 0 < step < body_size * 3:
                steps[step] += 1
    return steps.most_common(1)[0][0] if steps else body_size * 1.2


def _right_edge(lines: list[_Line], body_size: float) -> float:
    """Where full body lines end: lines of a wrapped paragraph reach it, a paragraph's last may not."""
    ends = sorted(line.x1 for line in lines if line.size == body_size)
    return ends[int(len(ends) * 0.9)] if ends else 0.0


def _group_lines(lines: list[_Line], body_size: float) -> list[_Group]:
    levels = _heading_levels(lines, body_size)
    leading = _leading(lines, body_size)
    right_edge = _right_edge(lines, body_size)
    tables = _find_tables(lines, leading)
    placed: set[int] = set()
    groups: list[_Group] = []
    for line in lines:
        table = tables.get(id(line))
        if table is not None:
            # A table's cells are never headings, whatever their weight: it goes in as one
            # block where its first cell was read.
            if id(table) not in placed:
                placed.add(id(table))
                groups.append(_Group(BlockKind.TABLE, [table[0][0]], rows=table))
            continue
        level = _heading_level(line, body_size, levels)
        marker = _LIST_MARKER.match(line.text) if not level else None
        current = groups[-1] if groups else None
        if current is not None and _continues(current, line, level, marker, leading, right_edge):
            current.lines.append(line)
            continue
        if level:
            groups.append(_Group(BlockKind.HEADING, [line], level=level))
        elif marker:
            groups.append(_Group(BlockKind.LIST_ITEM, [line], marker=marker.group("marker")))
        else:
            groups.append(_Group(BlockKind.PARAGRAPH, [line]))
    return list(_split_bold_paragraphs(groups))


# Cells of one table row share a baseline within this many points.
ROW_TOLERANCE = 2.0
# A page where most lines sit beside another is set in columns, not a table.
COLUMN_PAGE_SHARE = 0.6


def _find_tables(lines: list[_Line], leading: float) -> dict[int, list[list[_Line]]]:
    """Rows of cells side by side on one baseline, two rows or more with as many cells each.

    Returns each table line's ``id`` mapped to its table (rows of cells, left to right).
    """
    found: dict[int, list[list[_Line]]] = {}
    pages: dict[int, list[_Line]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    for page_lines in pages.values():
        rows = _rows(page_lines)
        in_rows = sum(len(row) for row in rows if len(row) > 1)
        if in_rows > COLUMN_PAGE_SHARE * len(page_lines):
            continue
        for table in _tables(rows, leading):
            for row in table:
                for cell in row:
                    found[id(cell)] = table
    return found


def _rows(page_lines: list[_Line]) -> list[list[_Line]]:
    """Lines grouped by baseline, top to bottom, each row left to right."""
    rows: list[list[_Line]] = []
    for line in sorted(page_lines, key=lambda item: (-item.y0, item.x0)):
        if rows and abs(rows[-1][0].y0 - line.y0) <= ROW_TOLERANCE:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(row, key=lambda item: item.x0) for row in rows]


def _tables(rows: list[list[_Line]], leading: float) -> Iterator[list[list[_Line]]]:
    table: list[list[_Line]] = []
    for row in rows:
        side_by_side = len(row) > 1 and all(a.x1 < b.x0 for a, b in pairwise(row))
        fits = (
            side_by_side
            and table
            and len(row) == len(table[-1])
            and table[-1][0].y0 - row[0].y0 <= leading * 3
        )
        if fits:
            table.append(row)
            continue
        if len(table) > 1:
            yield table
        table = [row] if side_by_side else []
    if len(table) > 1:
        yield table


def _continues(
    group: _Group,
    line: _Line,
    level: int,
    marker: re.Match[str] | None,
    leading: float,
    right_edge: float,
) -> bool:
    """Whether ``line`` carries on ``group`` rather than starting a new block."""
    last = group.lines[-1]
    if marker is not None or group.kind is BlockKind.TABLE:
        return False
    if group.kind is BlockKind.HEADING:
        return level == group.level and last.page == line.page and _close_below(last, line, leading)
    if level:
        return False
    if line.page != last.page:
        # A paragraph broken by a page ends without a full stop, or its next part starts lower case.
        return not _SENTENCE_END.search(last.text) or line.text[:1].islower()
    if not _close_below(last, line, leading):
        return False
    if last.x1 < right_edge - SHORT_LINE_EMS * last.size and not line.text[:1].islower():
        # A line that stops well short of the margin ended its paragraph (or a list item whose
        # bullet was drawn as a shape, as Qt and Word do), unless its sentence carries on.
        return False
    first = group.lines[0]
    if group.kind is BlockKind.LIST_ITEM:
        # Continuation lines hang under the item's text; a line back at the margin is not the item's.
        return line.x0 >= first.x0 - 2
    # A first-line indent starts a new paragraph.
    return line.x0 <= first.x0 + line.size * 1.5


def _close_below(previous: _Line, line: _Line, leading: float) -> bool:
    step = previous.y0 - line.y0
    allowed = max(leading, line.size * 1.15) * PARAGRAPH_GAP_RATIO
    return 0 < step <= allowed


def _split_bold_paragraphs(groups: list[_Group]) -> Iterator[_Group]:
    """A long run of bold body-size lines is an emphasised paragraph, not a heading."""
    for group in groups:
        words = sum(line.words for line in group.lines)
        is_bold_body = group.kind is BlockKind.HEADING and group.lines[0].bold >= 0.9
        if is_bold_body and words > BOLD_HEADING_GROUP_MAX_WORDS and len(group.lines) > 1:
            group.kind, group.level = BlockKind.PARAGRAPH, 0
        yield group


def _table_block(group: _Group) -> RawBlock:
    rows = [[[Run(cell.text, bold=cell.bold >= 0.9)] for cell in row] for row in group.rows]
    header = all(cell.bold >= 0.9 for cell in group.rows[0]) and not all(
        cell.bold >= 0.9 for cell in group.rows[-1]
    )
    return RawBlock(BlockKind.TABLE, rows=rows, header_rows=1 if header else 0)


def _block(group: _Group) -> RawBlock:
    if group.kind is BlockKind.TABLE:
        return _table_block(group)
    runs: list[Run] = []
    for line in group.lines:
        line_runs = list(line.runs)
        if runs:
            previous = runs[-1].text.rstrip()
            # A word broken at a hyphen is joined without a space ("third-" + "party"); a soft
            # hyphen ("collec\u00ad" + "tion") was only ever a break and goes.
            if previous.endswith("\u00ad"):
                previous, joiner = previous[:-1], ""
            else:
                joiner = "" if previous.endswith("-") and previous[-2:-1].isalpha() else " "
            runs[-1] = Run(previous + joiner, runs[-1].bold, runs[-1].italic)
            line_runs[0] = Run(line_runs[0].text.lstrip(), line_runs[0].bold, line_runs[0].italic)
        for run in line_runs:
            _append(runs, run)
    if group.kind is BlockKind.LIST_ITEM:
        runs = _strip_marker(runs)
    if group.kind is BlockKind.HEADING:
        runs = [Run("".join(run.text for run in runs))]
    return RawBlock(kind=group.kind, runs=runs, level=group.level, marker=group.marker)


def _strip_marker(runs: list[Run]) -> list[Run]:
    """Remove the list marker (and the space after it) from the start of the runs."""
    text = "".join(run.text for run in runs)
    match = _LIST_MARKER.match(text)
    remaining = match.end() if match else 0
    kept: list[Run] = []
    for run in runs:
        if remaining >= len(run.text):
            remaining -= len(run.text)
            continue
        kept.append(Run(run.text[remaining:], run.bold, run.italic))
        remaining = 0
    return kept
