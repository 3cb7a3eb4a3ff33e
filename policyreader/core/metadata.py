"""Find a policy's title, its dates and its archive provenance, then assemble the document."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from urllib.parse import unquote

from policyreader.core.builder import RawBlock, SourceParse, assemble, compatible, drop_empty
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
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<year>\d{4})/(?P<mnum>\d{1,2})/(?P<day>\d{1,2})(?!\d)"),
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})" + _ORDINAL + r",?\s+(?P<year>\d{4})", re.I),
    re.compile(
        r"(?<!\d)(?P<day>\d{1,2})"
        + _ORDINAL
        + r"\s+(?:day\s+)?(?:of\s+)?"
        + _MONTH
        + r",?\s+(?P<year>\d{4})",
        re.I,
    ),
    # Slashed dates are read month first, the way US policies (most of them) write them, unless
    # the first number cannot be a month; dotted dates are European, day first.
    re.compile(r"(?<!\d)(?P<mnum>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})(?!\d)"),
    re.compile(r"(?<!\d)(?P<day>\d{1,2})\.(?P<mnum>\d{1,2})\.(?P<year>\d{4})(?!\d)"),
    re.compile(_MONTH + r",?\s+(?P<year>\d{4})", re.I),
)
_LAST_UPDATED = re.compile(
    r"\b(?:(?:last|latest)\s+(?:updated|update|modified|revised|amended|changed|reviewed|edited)|updated(?:\s+on)?"
    r"|revised(?:\s+on)?|date\s+of\s+last\s+(?:revision|update)|version\s+date|revision\s+date)\b",
    re.I,
)
_EFFECTIVE = re.compile(
    r"\beffective(?:\s+date|\s+as\s+of|\s+from|\s+on|\s+since)?\b|\bin\s+(?:effect|force)\s+(?:as\s+of|from|since)\b",
    re.I,
)
# A date belongs to a label only when it follows closely: "Last updated: May 1, 2023".
_LABEL_REACH = 25
_ARCHIVE_NOTICE = re.compile(
    r"extracted\s+(?:and\s+transformed\s+)?from\s+the\s+(?P<site>.+?)\s+"
    r"(?P<what>(?:privacy|cookies?|data\s+protection)\s+(?:policy|notice|statement)|"
    r"terms\s+(?:of\s+(?:service|use)|and\s+conditions)|policy|terms)\s+"
    r"that\s+was\s+archived\s+on\s+(?P<date>[^.]{6,40}?\d{2,4})",
    re.I,
)
_WAYBACK = re.compile(
    r"https?://web\.archive\.org/web/(?P<stamp>\d{4,14})[a-z_]*/(?P<url>\S+?)[)\].,]*(?:\s|$)",
    re.I,
)
_TITLE_EDGE = re.compile(r"^[\s\-|:–—•·]+|[\s\-|:–—•·]+$")
# Breadcrumb separators ("Resources :: Privacy Policy"); "|" and " - " usually add the site name,
# which is worth keeping, so they are not split.
_BREADCRUMB = re.compile(r"\s+(?:::|»|›|>)\s+")
_TITLE_WORDS = re.compile(r"\b(?:privacy|policy|notice|statement|terms|cookies?)\b", re.I)
_SITE_SUFFIX = re.compile(r"\s+\|\s+")
_OPENING_TITLE = re.compile(r"\bprivacy\b|\b(?:policy|notice|statement)$", re.I)
_DATE_SEARCH_BLOCKS = 12
_TITLE_SEARCH_BLOCKS = 4
_FIELD_LAST_UPDATED = (
    "last_updated",
    "updated",
    "last_update",
    "last_modified",
    "last_modified_at",
    "lastmod",
    "modified",
    "updated_at",
    "revised",
    "date",
)
_FIELD_EFFECTIVE = ("effective_date", "effective", "effective_on", "effective_from")


def finish_document(parse: SourceParse, fmt: DocumentFormat, path: str | None) -> PolicyDocument:
    blocks = drop_empty(parse.blocks)
    metadata = Metadata()
    blocks = _take_archive_notice(blocks, metadata)
    _find_dates(blocks, parse.fields, metadata)
    undated = metadata.last_updated is None and metadata.effective_date is None
    if parse.from_text_file and undated:
        metadata.last_updated = _date_under_title(blocks)
    if parse.from_text_file or parse.drop_header_dates:
        blocks = _drop_header_dates(blocks, metadata)
    title, title_block = _choose_title(blocks, parse)
    if not title and parse.from_text_file:
        # Saved text has no <title> or front matter: name it after its company or its file.
        title = fallback_title(blocks, path)
    return assemble(blocks, fmt, title=title, metadata=metadata, path=path, title_block=title_block)


def parse_date(text: str) -> str | None:
    """The first date written in ``text``, as ``YYYY-MM-DD``; a month and year alone gives day 1."""
    found = _first_date(text)
    return found[1] if found else None


def _first_date(text: str) -> tuple[int, str] | None:
    """Position and ISO form of the earliest valid date in ``text``."""
    best: tuple[int, str] | None = None
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            if best is not None and match.start() >= best[0]:
                break
            value = _iso(match.groupdict())
            if value:
                best = (match.start(), value)
                break
    return best


def _iso(groups: dict[str, str | None]) -> str | None:
    month = int(groups["mnum"]) if groups.get("mnum") else _MONTHS[str(groups["month"]).lower()]
    day = int(groups["day"]) if groups.get("day") else 1
    year = int(str(groups["year"]))
    if month > 12 and day <= 12:
        # "25/12/2023": a slashed date whose first number is the day.
        month, day = day, month
    if not 1900 <= year <= 2100:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _take_archive_notice(blocks: list[RawBlock], metadata: Metadata) -> list[RawBlock]:
    """Web-archive extracts open with a notice about their origin: it is provenance, not policy."""
    for index, block in enumerate(blocks[:3]):
        if block.kind is BlockKind.TABLE:
            continue
        text = block.plain
        match = _ARCHIVE_NOTICE.search(text)
        if not match:
            continue
        metadata.archived_on = parse_date(match.group("date"))
        metadata.extra["archived_site"] = match.group("site")
        snapshot = next((run.href for run in block.runs if run.href), None)
        wayback = _WAYBACK.search(f"{snapshot or text} ")
        if wayback:
            metadata.extra["snapshot_url"] = snapshot or wayback.group(0).strip().rstrip(").],")
            metadata.source_url = _original_url(wayback.group("url"))
            if metadata.archived_on is None:
                metadata.archived_on = _stamp_date(wayback.group("stamp"))
        elif snapshot:
            metadata.extra["snapshot_url"] = snapshot
            metadata.source_url = snapshot
        return blocks[:index] + blocks[index + 1 :]
    return blocks


def _original_url(archived: str) -> str:
    """The page the archive captured: percent-decoded, with a scheme even when the archive left it off."""
    url = unquote(archived)
    if not re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
        url = f"http://{url}"
    return url


def _stamp_date(stamp: str) -> str | None:
    if len(stamp) < 8:
        return None
    return _iso({"year": stamp[:4], "mnum": stamp[4:6], "day": stamp[6:8]})


def _find_dates(blocks: list[RawBlock], fields: dict[str, str], metadata: Metadata) -> None:
    for key in _FIELD_LAST_UPDATED:
        if key in fields and metadata.last_updated is None:
            metadata.last_updated = parse_date(fields[key])
    for key in _FIELD_EFFECTIVE:
        if key in fields and metadata.effective_date is None:
            metadata.effective_date = parse_date(fields[key])
    candidates = blocks[:_DATE_SEARCH_BLOCKS] + blocks[-3:]
    for block in candidates:
        if block.kind in (BlockKind.TABLE, BlockKind.CODE):
            continue
        text = block.plain[:400]
        for label, attribute in ((_LAST_UPDATED, "last_updated"), (_EFFECTIVE, "effective_date")):
            if getattr(metadata, attribute) is None:
                setattr(metadata, attribute, _labelled_date(label, text))


# What may stand beside a date on a date line: "Last update:", "Effective as of", "Posted on".
_DATE_FILLER = re.compile(
    r"\b(?:last|latest|updated?|modified|revised|revision|amended|changed|reviewed|edited|"
    r"effective|date[ds]?|as|of|on|posted|published|version|from|since|this|policy|was|is|in|"
    r"force|effect)\b|[\W_]+",
    re.I,
)
_HEADER_BLOCKS = 4


def date_line(text: str) -> str | None:
    """The date of a line that says nothing but a date: "Last update: February 9, 2012" or a bare
    "March 3, 2021" (``is_date_line`` below wants a label and gives no date)."""
    if len(text) > 80:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        value = _iso(match.groupdict())
        rest = _DATE_FILLER.sub("", text[: match.start()] + " " + text[match.end() :])
        return value if value and not rest.strip() else None
    return None


def _date_under_title(blocks: list[RawBlock]) -> str | None:
    """A bare date just under the title (a forum post's "*March 3, 2021*") dates the policy."""
    for block in blocks[:3]:
        if block.kind is BlockKind.PARAGRAPH:
            return date_line(block.plain)
    return None


def shows_header_date(document: PolicyDocument) -> bool:
    """Whether ``document`` kept a date line at its top as a paragraph (a PDF, or older text)."""
    return any(
        block.kind is BlockKind.PARAGRAPH and date_line(document.text[block.start : block.end])
        for block in document.blocks[:_HEADER_BLOCKS]
    )


def _drop_header_dates(blocks: list[RawBlock], metadata: Metadata) -> list[RawBlock]:
    """Date lines at the top that the header already shows are not repeated as paragraphs."""
    dates = {metadata.last_updated, metadata.effective_date} - {None}
    if not dates:
        return blocks
    kept: list[RawBlock] = []
    for index, block in enumerate(blocks):
        at_top = index < _HEADER_BLOCKS and all(_header_line(b) for b in blocks[:index])
        if at_top and block.kind is BlockKind.PARAGRAPH and date_line(block.plain) in dates:
            continue
        kept.append(block)
    return kept


# An eyebrow label over the title ("Legal") is this short and unpunctuated.
_EYEBROW_WORDS = 2


def _header_line(block: RawBlock) -> bool:
    """A heading, a date line or an eyebrow label: what may sit above a header date line."""
    text = block.plain.strip()
    eyebrow = len(text.split()) <= _EYEBROW_WORDS and text[-1:].isalnum()
    return block.kind is BlockKind.HEADING or bool(date_line(text)) or eyebrow


def _labelled_date(label: re.Pattern[str], text: str) -> str | None:
    """The date that closely follows ``label`` somewhere in ``text``."""
    for found in label.finditer(text):
        near = _first_date(text[found.end() : found.end() + _LABEL_REACH + 40])
        if near and near[0] <= _LABEL_REACH:
            return near[1]
    return None


# A "Last updated: May 1, 2023" line says when, not what: at most this many words.
_DATE_LINE_WORDS = 10


def is_date_line(text: str) -> bool:
    """Whether ``text`` is only a dating line ("Last updated: May 1, 2023"), stating no practice."""
    if len(text.split()) > _DATE_LINE_WORDS:
        return False
    return any(_labelled_date(label, text) for label in (_LAST_UPDATED, _EFFECTIVE))


def clean_title(title: str) -> str:
    """A title without edge punctuation, icons, or the breadcrumb that led to it on the site."""
    title = _TITLE_EDGE.sub("", _strip_symbols(" ".join(compatible(title).split())))
    parts = _BREADCRUMB.split(title)
    if len(parts) > 1:
        named = [part for part in parts if _TITLE_WORDS.search(part)]
        title = _TITLE_EDGE.sub("", named[-1] if named else parts[-1])
    return _site_first(title)


def _site_first(title: str) -> str:
    """ "Privacy policy | Orchard Lane Bakery" reads as "Orchard Lane Bakery privacy policy"."""
    parts = _SITE_SUFFIX.split(title)
    if len(parts) != 2:
        return title
    name, site = parts
    if not _TITLE_WORDS.search(name) or _TITLE_WORDS.search(site) or len(site.split()) > 5:
        return title
    words = name.split()
    if all(word.islower() for word in words[1:]):
        name = name[:1].lower() + name[1:]  # sentence case continues after the site's name
    return f"{site} {name}"


def _strip_symbols(text: str) -> str:
    """Drop emoji and other pictographs at either end ("🔒 Privacy Policy")."""
    start, end = 0, len(text)
    while start < end and (_is_symbol(text[start]) or text[start].isspace()):
        start += 1
    while end > start and (_is_symbol(text[end - 1]) or text[end - 1].isspace()):
        end -= 1
    return text[start:end]


def _is_symbol(char: str) -> bool:
    # So: pictographs; Sk: emoji modifiers; Mn/Cf: variation selectors and zero-width joiners.
    return unicodedata.category(char) in ("So", "Sk", "Mn", "Cf")


def _choose_title(blocks: list[RawBlock], parse: SourceParse) -> tuple[str | None, int | None]:
    """Front matter title, else a lone top-level heading at the start, else the declared title."""
    heading_index = _lone_top_heading(blocks)
    if heading_index is None:
        heading_index = _opening_title_heading(blocks)
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


# A company or product name: capitalised words, with ".com", "&" or a hyphen inside.
_NAME = r"(?P<name>[A-Z0-9][\w&'’.-]*[\w](?:\s+(?:&\s+)?[A-Z0-9][\w&'’.-]*[\w]){0,3})"
_NAME_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        r"\b(?:important|fundamental|a\s+priority)\s+(?:to|for|at)\s+" + _NAME,
        r"^" + _NAME + r"\s+(?:\([^)]{1,80}\)\s+)?(?:takes|respects|is\s+(?:committed|sensitive|"
        r"dedicated)|values|cares|knows|recognizes|understands|built|has\s+created)\b",
        r"\bWelcome\s+to\s+" + _NAME,
        r"\b(?:the|our)\s+" + _NAME + r"\s+(?:app|application|service|website|web\s+site|platform|"
        r"extension|software)\b",
        r"\b[Pp]rivacy\s+[Pp]olicy\s+(?:of|for)\s+(?:the\s+)?" + _NAME,
        _NAME + r"\s+\(\s*(?:the\s+)?[\"“]",
    )
)
_NOT_NAMES = frozenset(
    [
        "the",
        "this",
        "these",
        "we",
        "our",
        "you",
        "your",
        "it",
        "in",
        "at",
        "by",
        "if",
        "when",
        "privacy",
        "policy",
        "protecting",
        "personal",
        "information",
        "data",
        "please",
        "welcome",
        "all",
        "any",
    ]
)
_NAME_SEARCH_BLOCKS = 6


def fallback_title(blocks: list[RawBlock], path: str | None) -> str | None:
    """No title line: "<Company> Privacy Policy" when the text names its company, else the file."""
    company = company_name(blocks)
    if company:
        return f"{company} Privacy Policy"
    if not path:
        return None
    stem = re.split(r"[\\/]", path)[-1].rsplit(".", 1)[0]
    return " ".join(stem.replace("_", " ").split()) or None


def company_name(blocks: list[RawBlock]) -> str | None:
    """The company or product a policy's opening paragraphs name as themselves."""
    searched = 0
    for block in blocks:
        if block.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM):
            continue
        text = " ".join(block.plain[:400].split())
        for pattern in _NAME_PATTERNS:
            match = pattern.search(text)
            if match and _plausible_name(match.group("name")):
                return match.group("name").rstrip(".")
        searched += 1
        if searched >= _NAME_SEARCH_BLOCKS:
            break
    return None


def _plausible_name(name: str) -> bool:
    words = name.split()
    return words[0].lower() not in _NOT_NAMES and words[-1].lower() not in _NOT_NAMES


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


def _opening_title_heading(blocks: list[RawBlock]) -> int | None:
    """A document that opens with "Privacy Policy" as a heading as high as its sections: a title.

    Many policies give their title and their sections the same heading level; the opening one
    names the document rather than a part of it.
    """
    if not blocks or blocks[0].kind is not BlockKind.HEADING:
        return None
    text = clean_title(blocks[0].plain)
    if len(text.split()) > 8 or not _OPENING_TITLE.search(text):
        return None
    return 0
