"""Find a policy's title, its dates and its archive provenance, then assemble the document."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import unquote

from policyreader.core.builder import RawBlock, SourceParse, assemble, drop_empty
from policyreader.core.document import BlockKind, DocumentFormat, Metadata, PolicyDocument

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = (
    re.compile(r"(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})"),
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})", re.I),
    re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<year>\d{4})", re.I),
    # Numeric dates are read month first, the way US policies (most of them) write them.
    re.compile(r"(?P<mnum>\d{1,2})[/.](?P<day>\d{1,2})[/.](?P<year>\d{4})"),
    re.compile(_MONTH + r",?\s+(?P<year>\d{4})", re.I),
)
_LAST_UPDATED = re.compile(
    r"\b(?:last\s+(?:updated|update|modified|revised|amended|changed)|updated(?:\s+on)?|revised(?:\s+on)?"
    r"|date\s+of\s+last\s+(?:revision|update)|version\s+date)\b",
    re.I,
)
_EFFECTIVE = re.compile(r"\beffective(?:\s+date|\s+as\s+of|\s+from|\s+on)?\b", re.I)
_ARCHIVE_NOTICE = re.compile(
    r"extracted\s+and\s+transformed\s+from\s+the\s+(?P<site>.+?)\s+privacy\s+policy\s+that\s+was\s+"
    r"archived\s+on\s+(?P<date>\d{4}-\d{2}-\d{2})",
    re.I,
)
_WAYBACK_ORIGINAL = re.compile(r"web\.archive\.org/web/\d+[a-z_]*/(?P<url>.+)$", re.I)
_TITLE_EDGE = re.compile(r"^[\s\-|:–—•·]+|[\s\-|:–—•·]+$")
_DATE_SEARCH_BLOCKS = 12
_TITLE_SEARCH_BLOCKS = 4


def finish_document(parse: SourceParse, fmt: DocumentFormat, path: str | None) -> PolicyDocument:
    blocks = drop_empty(parse.blocks)
    metadata = Metadata()
    blocks = _take_archive_notice(blocks, metadata)
    _find_dates(blocks, parse.fields, metadata)
    title, title_block = _choose_title(blocks, parse)
    return assemble(blocks, fmt, title=title, metadata=metadata, path=path, title_block=title_block)


def parse_date(text: str) -> str | None:
    """The first date written in ``text``, as ``YYYY-MM-DD``; a month and year alone gives day 1."""
    best: tuple[int, str] | None = None
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        groups = match.groupdict()
        month = int(groups["mnum"]) if groups.get("mnum") else _MONTHS[groups["month"].lower()]
        day = int(groups["day"]) if groups.get("day") else 1
        try:
            value = date(int(groups["year"]), month, day).isoformat()
        except ValueError:
            continue
        if best is None or match.start() < best[0]:
            best = (match.start(), value)
    return best[1] if best else None


def _take_archive_notice(blocks: list[RawBlock], metadata: Metadata) -> list[RawBlock]:
    """Web-archive extracts open with a notice about their origin: it is provenance, not policy."""
    for index, block in enumerate(blocks[:3]):
        match = _ARCHIVE_NOTICE.search(block.plain)
        if not match:
            continue
        metadata.archived_on = match.group("date")
        metadata.extra["archived_site"] = match.group("site")
        snapshot = next((run.href for run in block.runs if run.href), None)
        if snapshot:
            metadata.extra["snapshot_url"] = snapshot
            original = _WAYBACK_ORIGINAL.search(snapshot)
            metadata.source_url = unquote(original.group("url")) if original else snapshot
        return blocks[:index] + blocks[index + 1 :]
    return blocks


def _find_dates(blocks: list[RawBlock], fields: dict[str, str], metadata: Metadata) -> None:
    for key in ("last_updated", "updated", "last_modified", "modified", "date"):
        if key in fields and metadata.last_updated is None:
            metadata.last_updated = parse_date(fields[key])
    for key in ("effective_date", "effective"):
        if key in fields and metadata.effective_date is None:
            metadata.effective_date = parse_date(fields[key])
    candidates = blocks[:_DATE_SEARCH_BLOCKS] + blocks[-3:]
    for block in candidates:
        if block.kind is BlockKind.TABLE:
            continue
        text = block.plain
        if len(text) > 400:
            text = text[:400]
        for label, attribute in ((_LAST_UPDATED, "last_updated"), (_EFFECTIVE, "effective_date")):
            if getattr(metadata, attribute) is not None:
                continue
            found = label.search(text)
            if found:
                value = parse_date(text[found.end() : found.end() + 60])
                if value:
                    setattr(metadata, attribute, value)


def clean_title(title: str) -> str:
    return _TITLE_EDGE.sub("", " ".join(title.split()))


def _choose_title(blocks: list[RawBlock], parse: SourceParse) -> tuple[str | None, int | None]:
    """Front matter title, else a lone top-level heading at the start, else the declared title."""
    heading_index = _lone_top_heading(blocks)
    heading = clean_title(blocks[heading_index].plain) if heading_index is not None else None
    declared = parse.fields.get("title")
    if declared:
        declared = clean_title(declared)
        same = heading is not None and heading.casefold() == declared.casefold()
        return declared or None, heading_index if same else None
    if heading:
        return heading, heading_index
    hint = clean_title(parse.title_hint) if parse.title_hint else None
    return hint or None, None


def _lone_top_heading(blocks: list[RawBlock]) -> int | None:
    headings = [(i, b) for i, b in enumerate(blocks) if b.kind is BlockKind.HEADING]
    if not headings:
        return None
    first_index, first = headings[0]
    if first_index >= _TITLE_SEARCH_BLOCKS:
        return None
    if any(other.level <= first.level for _, other in headings[1:]):
        return None
    return first_index
