"""HTML saved from a browser: the policy's main content only, through a real HTML parser."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lxml import etree

from policyreader.core.builder import RawBlock, Run, SourceParse
from policyreader.core.document import BlockKind
from policyreader.core.errors import LoadProblem, PolicyLoadError
from policyreader.core.formats.html_content import (
    HEADING_TAGS,
    POLICY_TITLE,
    Element,
    Stats,
    chars,
    class_words,
    main_content,
    strip_chrome,
    text_of,
)

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.I)
# Characters libxml2 refuses in a Python string (NUL, C0 controls, lone surrogates).
_UNPARSABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_SPACES = re.compile(r"[\u00a0\u2007\u202f\u2000-\u200a\u3000]")
_UNSAFE_HREF = re.compile(r"^(?:javascript|vbscript|data):", re.I)
_URL_NOISE = re.compile(r"[\x00-\x20]")
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold(?:er)?|[6-9]00)\b", re.I)
_PLAIN_WEIGHT = re.compile(r"font-weight\s*:\s*(?:normal|lighter|[1-5]00)\b", re.I)
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*(?:italic|oblique)", re.I)
_CSS_BOLD_CLASS = re.compile(
    r"(?:^|[}\s,])\.([\w-]+)\s*\{[^}]*font-weight\s*:\s*(?:bold(?:er)?|[6-9]00)\b", re.I
)
_BULLET_LINE = re.compile(r"^\s*([•·▪◦‣○●■□–\-*])[\s\u00a0]+(?=\S)")
_DATE_LABEL = re.compile(
    r"^\s*(?:last\s+(?:updated|modified|revised)|effective|updated|revised)\b", re.I
)
_TITLE_PARTS = re.compile(r"\s+[|\-–—·:]\s+")
_HEADING_ENDINGS = (".", ";", ",")

_TITLE_CLASSES = frozenset({"title", "heading", "headline"})
_BOLD_TAGS = frozenset({"b", "strong"})
_ITALIC_TAGS = frozenset({"i", "em", "cite", "var", "dfn"})
_CODE_TAGS = frozenset({"code", "kbd", "samp", "tt"})
_STYLE_TAGS = _BOLD_TAGS | _ITALIC_TAGS | _CODE_TAGS | {"a"}
_LIST_TAGS = frozenset({"ul", "ol", "dir"})
# Everything that starts a new block; unknown tags are inline, custom elements (a-b) are blocks.
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "body", "center", "dd", "details", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "html",
        "legend", "li", "main", "nav", "p", "section", "summary", "caption", "tbody", "thead",
        "tfoot", "tr", "td", "th", "noframes",
    }
)  # fmt: skip
# Deeper than this (three Python frames per element) is read as plain text.
_MAX_DEPTH = 150
# Pages too deep for libxml2 are read again with the tags past this depth taken out.
_FLAT_DEPTH = 400
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)\b[^>]*?(/?)>")
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr", "keygen"}
)  # fmt: skip
_PSEUDO_HEADING_CHARS = 120
_PSEUDO_HEADING_WORDS = 16
# Cells this long in a table of at most two columns mean a page laid out with a table.
_LAYOUT_CELL_CHARS = 800
_BREAK = Run("\n")
# Block content no data table holds: headings, nested tables, quotations.
_LAYOUT_CONTENT = etree.XPath(
    ".//table | .//blockquote | " + " | ".join(f".//{h}" for h in sorted(HEADING_TAGS))
)
_NESTED_BULLETS = ("•", "◦", "▪")


@dataclass(frozen=True, slots=True)
class _Style:
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


@dataclass(slots=True)
class _Context:
    """What the text being collected will become; a list item's marker is used by its first block."""

    kind: BlockKind = BlockKind.PARAGRAPH
    level: int = 0
    marker: str = ""
    heading_like: bool = True  # may become a heading if it is a short bold-only line
    heading_hint: bool = False  # <summary>, class "title": a heading when short, bold or not


def read_html(text: str) -> SourceParse:
    """Parse a saved page; only ``PolicyLoadError`` escapes, whatever the markup."""
    try:
        root = _parse(text)
        if root is None:
            return SourceParse(blocks=[])
        title_hint, fields = _head_info(root)
        bold_classes = _css_bold_classes(root)
        body = root.find("body")
        if body is None:
            body = root
        stats = strip_chrome(body)
        writer = _BlockWriter(bold_classes, stats)
        for part in main_content(body, stats):
            writer.write_element(part)
        blocks = writer.finish(title_hint)
        return SourceParse(blocks=blocks, title_hint=title_hint, fields=fields)
    except (ValueError, TypeError, etree.LxmlError, RecursionError, UnicodeError) as error:
        raise PolicyLoadError(
            LoadProblem.UNREADABLE, "The HTML page could not be read: its markup is broken."
        ) from error


def _parse(text: str) -> Element | None:
    # The text is already decoded: a declared charset no longer applies, and lxml refuses a
    # Python string that still carries an XML encoding declaration.
    text = _UNPARSABLE.sub(lambda m: "\ufffd" if m.group() >= "\ud800" else "", text)
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        return None
    parser = _html_parser()
    # None when the parser keeps nothing (only comments, say).
    root = etree.fromstring(text, parser)
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        # libxml2 stops at 2048 levels and drops the rest of the page: read it again with the
        # tags past _FLAT_DEPTH taken out, so their text is kept, flattened into its ancestor.
        root = etree.fromstring(flatten_deep_tags(text, _FLAT_DEPTH), _html_parser())
    return root


def _html_parser() -> etree.HTMLParser:
    return etree.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=True
    )


def flatten_deep_tags(text: str, max_depth: int) -> str:
    """``text`` without the start and end tags nested deeper than ``max_depth`` (text kept).

    A tag-level approximation (unclosed ``<p>`` count as open), used only for pages libxml2
    refuses as too deep: it can only flatten more than needed, never drop text.
    """
    depth = 0
    kept: list[str] = []
    last = 0
    for tag in _TAG.finditer(text):
        closing, name, self_closing = tag.group(1), tag.group(2).lower(), tag.group(3)
        if name in _VOID_TAGS or self_closing:
            continue
        depth += -1 if closing else 1
        if (depth + (1 if closing else 0)) > max_depth:
            kept.append(text[last : tag.start()])
            last = tag.end()
        depth = max(depth, 0)
    kept.append(text[last:])
    return "".join(kept)


def _head_info(root: Element) -> tuple[str | None, dict[str, str]]:
    fields: dict[str, str] = {}
    for meta in root.iter("meta"):
        name = (
            meta.get("name")
            or meta.get("property")
            or meta.get("http-equiv")
            or meta.get("itemprop")
        )
        name = (name or "").strip()
        content = (meta.get("content") or "").strip()
        if not name or not content:
            continue
        key = name.lower()
        if key == "title":
            continue  # would outrank the page's own h1 as the document title
        fields.setdefault(key, content)
        alias = _date_alias(key)
        if alias:
            fields.setdefault(alias, content)
    title = _clean(root.findtext(".//title") or "")
    title = title or fields.get("og:title") or fields.get("twitter:title")
    return title or None, fields


def _date_alias(key: str) -> str | None:
    """Meta names of a page's modification date, under the keys metadata reads."""
    if key in ("last-modified", "last_modified", "lastmod", "last-updated"):
        return "last_modified"
    if key.endswith(("modified_time", ".modified")) or key == "datemodified":
        return "modified"
    return None


def _css_bold_classes(root: Element) -> frozenset[str]:
    """Classes a page's own stylesheet makes bold (Google Docs exports style every run this way)."""
    found: set[str] = set()
    for style in root.iter("style"):
        found.update(_CSS_BOLD_CLASS.findall(style.text or ""))
    return frozenset(found)


def _clean(text: str) -> str:
    return " ".join(_SPACES.sub(" ", text).split())


class _BlockWriter:
    """Walks content elements and turns them into raw blocks of styled runs."""

    def __init__(
        self, bold_classes: frozenset[str] = frozenset(), stats: dict[Element, Stats] | None = None
    ) -> None:
        self.stats = stats or {}  # text sizes measured while cleaning, reused for tables
        self.blocks: list[RawBlock] = []
        self.heading_like: list[tuple[bool, bool]] = []  # per block: (bold line may head, summary)
        self.runs: list[Run] = []
        self.bold_classes = bold_classes
        self.list_depth = 0

    def write_element(self, el: Element) -> None:
        context = _Context()
        if el.tag in ("body", "html"):
            self._children(el, _Style(), context, 0)
        else:
            self._element(el, _Style(), context, 0)
        self.flush(context)

    def write_cell(self, cell: Element, style: _Style, depth: int) -> None:
        """A cell of a layout table is a block container like a ``div``."""
        context = _Context()
        self._block(cell, self._styled(cell, style), context, depth, context)

    def finish(self, title_hint: str | None = None) -> list[RawBlock]:
        kept = [(b, f) for b, f in zip(self.blocks, self.heading_like, strict=True) if _visible(b)]
        blocks = [b for b, _f in kept]
        _promote_pseudo_headings(blocks, [f for _b, f in kept], title_hint)
        return blocks

    # -- walking ---------------------------------------------------------------------------

    def _children(self, el: Element, style: _Style, context: _Context, depth: int) -> None:
        self._text(el.text, style)
        for child in el:
            if isinstance(child.tag, str):
                self._element(child, style, context, depth + 1)
            self._text(child.tail, style)

    def _element(self, el: Element, style: _Style, context: _Context, depth: int) -> None:
        tag = el.tag
        if depth > _MAX_DEPTH:
            self._text(text_of(el), style)
        elif tag == "br":
            self.runs.append(_BREAK)
        elif tag in HEADING_TAGS:
            self._heading(el, style, context, depth, int(tag[1]))
        elif el.get("role") and el.get("role", "").lower() == "heading":
            level = min(max(_int(el.get("aria-level"), 2), 1), 6)
            self._heading(el, style, context, depth, level)
        elif tag in _LIST_TAGS:
            self._list(el, style, context, depth)
        elif tag == "li":
            self._list_item(el, style, context, depth, marker=_NESTED_BULLETS[0])
        elif tag == "table":
            self.flush(context)
            _TableWriter(self, depth).write(el, style)
        elif tag == "pre":
            self.flush(context)
            self._emit(RawBlock(BlockKind.CODE, [Run(_pre_text(el), code=True)]), context)
        elif tag == "blockquote":
            self._block(el, style, _Context(BlockKind.QUOTE, heading_like=False), depth, context)
        elif tag in ("dt", "dd", "caption", "figcaption", "legend"):
            inner = _Context(heading_like=False) if context.kind is BlockKind.PARAGRAPH else context
            self._block(el, style, inner, depth, context)
        elif tag == "summary":
            self._block(el, style, _Context(heading_hint=True), depth, context)
        elif tag == "hr":
            self.flush(context)
        elif tag == "img":
            return
        elif (
            (tag in ("p", "div") or "-" in tag)
            and context.kind is BlockKind.PARAGRAPH
            and (_titled(el) or _underlined_only(el))
        ):
            self._block(el, self._styled(el, style), _Context(heading_hint=True), depth, context)
        elif tag in _BLOCK_TAGS or "-" in tag:
            self._block(el, self._styled(el, style), context, depth, context)
        else:
            self._children(el, self._styled(el, style), context, depth)

    def _block(
        self, el: Element, style: _Style, inner: _Context, depth: int, outer: _Context
    ) -> None:
        self.flush(outer)
        self._children(el, style, inner, depth)
        self.flush(inner)

    def _heading(
        self, el: Element, style: _Style, context: _Context, depth: int, level: int
    ) -> None:
        self.flush(context)
        heading = _Context(BlockKind.HEADING, level=level, heading_like=False)
        self._children(el, replace(style, bold=False), heading, depth)
        if not any(r.text.strip() for r in self.runs if r is not _BREAK):
            # A logo or word-mark as the heading: its alt text is the only words it has.
            alt = " ".join(img.get("alt") or "" for img in el.iter("img")).strip()
            self.runs = [Run(alt)] if alt else []
        self.flush(heading)

    def _list(self, el: Element, style: _Style, context: _Context, depth: int) -> None:
        self.flush(context)
        ordered = el.tag == "ol"
        number = _int(el.get("start"), 1)
        kind = (el.get("type") or "1") if ordered else ""
        bullet = _NESTED_BULLETS[min(self.list_depth, len(_NESTED_BULLETS) - 1)]
        self.list_depth += 1
        self._text(el.text, style)
        for child in el:
            if isinstance(child.tag, str) and child.tag == "li":
                if ordered:
                    number = _int(child.get("value"), number)
                marker = _ordinal(number, kind) if ordered else bullet
                self._list_item(child, style, context, depth + 1, marker)
                number += 1
            elif isinstance(child.tag, str):
                self._element(child, style, context, depth + 1)
            self._text(child.tail, style)
        self.list_depth -= 1
        self.flush(context)

    def _list_item(
        self, el: Element, style: _Style, context: _Context, depth: int, marker: str
    ) -> None:
        self.flush(context)
        level = max(self.list_depth - 1, 0)
        item = _Context(BlockKind.LIST_ITEM, level=level, marker=marker, heading_like=False)
        self._children(el, self._styled(el, style), item, depth)
        self.flush(item)

    def _styled(self, el: Element, style: _Style) -> _Style:
        tag = el.tag
        if tag not in _STYLE_TAGS and not el.attrib:
            return style
        css = el.get("style") or ""
        bold = style.bold or tag in _BOLD_TAGS or bool(_BOLD_STYLE.search(css))
        if self.bold_classes and not bold:
            bold = any(c in self.bold_classes for c in (el.get("class") or "").split())
        if _PLAIN_WEIGHT.search(css):
            bold = False
        italic = style.italic or tag in _ITALIC_TAGS or bool(_ITALIC_STYLE.search(css))
        code = style.code or tag in _CODE_TAGS
        href = style.href
        if tag == "a" and el.get("href") is not None:
            raw = el.get("href") or ""
            href = None if _UNSAFE_HREF.match(_URL_NOISE.sub("", raw)) else raw
        if (bold, italic, code, href) == (style.bold, style.italic, style.code, style.href):
            return style
        return _Style(bold, italic, code, href)

    def _text(self, text: str | None, style: _Style) -> None:
        # Whitespace runs (no-break spaces included) are collapsed by the builder; whitespace
        # before any words of a block is layout between tags and is skipped here.
        if not text or (not self.runs and text.isspace()):
            return
        last = self.runs[-1] if self.runs else None
        if last is not None and last is not _BREAK and _same_style(last, style):
            self.runs[-1] = replace(last, text=last.text + text)
        else:
            self.runs.append(Run(text, style.bold, style.italic, style.code, style.href))

    # -- emitting --------------------------------------------------------------------------

    def flush(self, context: _Context) -> None:
        """Turn the pending runs into blocks: ``<br><br>`` separates paragraphs, ``<br>`` lines."""
        if not self.runs:
            return
        runs, self.runs = self.runs, []
        if not any(r.text.strip() for r in runs if r is not _BREAK):
            return
        broken = any(r is _BREAK for r in runs)
        for paragraph in _paragraphs(_lines(runs)) if broken else [[runs]]:
            if context.kind is BlockKind.PARAGRAPH and not context.heading_hint:
                self._emit_lines(paragraph, context)
            else:
                self._emit(RawBlock(context.kind, _join_lines(paragraph), context.level), context)

    def _emit_lines(self, lines: list[list[Run]], context: _Context) -> None:
        """Lines of one paragraph: bullet lines become list items, a bold first line a heading."""
        pending: list[list[Run]] = []
        for index, line in enumerate(lines):
            bullet = _BULLET_LINE.match(_line_text(line))
            if bullet:
                if pending:
                    self._emit(RawBlock(BlockKind.PARAGRAPH, _join_lines(pending)), context)
                    pending = []
                item = RawBlock(BlockKind.LIST_ITEM, _strip_prefix(line, bullet.end()))
                item.marker = "•"
                self._emit(item, _Context(heading_like=False))
                continue
            if index == 0 and len(lines) > 1 and _is_heading_line(line):
                self._emit(RawBlock(BlockKind.PARAGRAPH, line), context)
                continue
            pending.append(line)
        if pending:
            self._emit(RawBlock(BlockKind.PARAGRAPH, _join_lines(pending)), context)

    def _emit(self, block: RawBlock, context: _Context) -> None:
        if block.kind is BlockKind.LIST_ITEM and context.kind is BlockKind.LIST_ITEM:
            block.level = context.level
            # The first block of an item carries its marker; later ones continue the item.
            block.marker = context.marker
            context.marker = ""
        self.blocks.append(block)
        self.heading_like.append((context.heading_like, context.heading_hint))


class _TableWriter:
    """A data table becomes a TABLE block; a table used for page layout is read as its blocks."""

    def __init__(self, writer: _BlockWriter, depth: int) -> None:
        self.writer = writer
        self.depth = depth

    def write(self, table: Element, style: _Style) -> None:
        rows = _table_rows(table)
        if _is_layout(table, rows, self.writer.stats):
            for row, _header in rows:
                for cell in row:
                    self.writer.write_cell(cell, style, self.depth + 1)
            return
        caption = table.find("caption")
        if caption is not None:
            self.writer._block(caption, style, _Context(heading_like=False), self.depth, _Context())
        cells = [[self._cell_runs(cell, style) for cell in row] for row, _h in rows]
        header_rows = 0
        for _row, is_header in rows:
            if not is_header:
                break
            header_rows += 1
        block = RawBlock(BlockKind.TABLE, rows=cells, header_rows=header_rows)
        self.writer.blocks.append(block)
        self.writer.heading_like.append((False, False))

    def _cell_runs(self, cell: Element, style: _Style) -> list[Run]:
        if not len(cell):
            # Most cells hold plain text: no need for a writer of their own.
            cell_style = self.writer._styled(cell, style)
            text = _SPACES.sub(" ", cell.text or "")
            return [Run(text, cell_style.bold, cell_style.italic, cell_style.code, cell_style.href)]
        inner = _BlockWriter(self.writer.bold_classes, self.writer.stats)
        context = _Context(heading_like=False)
        inner._children(cell, inner._styled(cell, style), context, self.depth + 1)
        inner.flush(context)
        runs: list[Run] = []
        for block in inner.blocks:
            if runs:
                runs.append(Run(" "))
            if block.kind is BlockKind.LIST_ITEM:
                runs.append(Run("• "))
            runs.extend(block.runs)
        return runs


def _table_rows(table: Element) -> list[tuple[list[Element], bool]]:
    """Rows of this table (not of tables nested in it), each with whether it is a header row."""
    rows: list[tuple[list[Element], bool]] = []
    for part in table:
        if not isinstance(part.tag, str):
            continue
        trs = [part] if part.tag == "tr" else [r for r in part if r.tag == "tr"]
        if part.tag not in ("tr", "thead", "tbody", "tfoot"):
            continue
        for tr in trs:
            cells = [c for c in tr if c.tag in ("td", "th")]
            if not cells:
                continue
            header = part.tag == "thead" or all(c.tag == "th" for c in cells)
            rows.append((cells, header))
    return rows


def _is_layout(
    table: Element, rows: list[tuple[list[Element], bool]], stats: dict[Element, Stats]
) -> bool:
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return True
    sizes = [stats[c].text if c in stats else chars(text_of(c)) for row, _h in rows for c in row]
    if sum(1 for size in sizes if size) <= 1:
        return True
    if _LAYOUT_CONTENT(table):
        return True
    columns = max(len(row) for row, _h in rows)
    return columns <= 2 and max(sizes) > _LAYOUT_CELL_CHARS


def _pre_text(el: Element) -> str:
    parts: list[str] = []

    def walk(node: Element) -> None:
        if node.tag == "br":
            parts.append("\n")
        elif isinstance(node.tag, str):
            parts.append(node.text or "")
            for child in node:
                walk(child)
                parts.append(child.tail or "")

    walk(el)
    return _SPACES.sub(" ", "".join(parts))


def _same_style(run: Run, style: _Style) -> bool:
    return (run.bold, run.italic, run.code, run.href) == (
        style.bold,
        style.italic,
        style.code,
        style.href,
    )


def _lines(runs: list[Run]) -> list[list[Run]]:
    lines: list[list[Run]] = [[]]
    for run in runs:
        if run is _BREAK:
            lines.append([])
        else:
            lines[-1].append(run)
    return lines


def _paragraphs(lines: list[list[Run]]) -> list[list[list[Run]]]:
    """Blank lines (a ``<br><br>``) separate paragraphs."""
    paragraphs: list[list[list[Run]]] = [[]]
    for line in lines:
        if _line_text(line).strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _line_text(line: list[Run]) -> str:
    return "".join(r.text for r in line)


def _join_lines(lines: list[list[Run]]) -> list[Run]:
    joined: list[Run] = []
    for line in lines:
        if joined:
            joined.append(Run(" "))
        joined.extend(line)
    return joined


def _strip_prefix(line: list[Run], count: int) -> list[Run]:
    """The line without its first ``count`` characters (a bullet written as text)."""
    out: list[Run] = []
    for run in line:
        if count >= len(run.text):
            count -= len(run.text)
            continue
        out.append(replace(run, text=run.text[count:]) if count else run)
        count = 0
    return out


def _is_heading_line(line: list[Run]) -> bool:
    visible = [r for r in line if r.text.strip()]
    return bool(visible) and all(r.bold for r in visible) and _heading_text(_line_text(line))


def _heading_text(text: str) -> bool:
    """Short, not a sentence, not a date line: reads as a heading when set in bold alone."""
    text = " ".join(text.split())
    words = text.split()
    if not text or len(text) > _PSEUDO_HEADING_CHARS or len(words) > _PSEUDO_HEADING_WORDS:
        return False
    if not any(c.isalpha() for c in text) or _DATE_LABEL.match(text):
        return False
    return not (text.endswith(_HEADING_ENDINGS) and len(words) > 6)


def _visible(block: RawBlock) -> bool:
    """Whether the block shows a character once text is normalised (a lone control is nothing)."""
    return not block.is_empty


def _promote_pseudo_headings(
    blocks: list[RawBlock], flags: list[tuple[bool, bool]], title_hint: str | None
) -> None:
    """Bold-only short paragraphs (and ``<summary>`` lines) act as headings one level below the
    real heading above them; a bold first line that repeats the page title is the title."""
    current = 1
    titles = _title_keys(title_hint)
    for index, block in enumerate(blocks):
        if block.kind is BlockKind.HEADING:
            current = block.level
            continue
        if block.kind is BlockKind.LIST_ITEM and _item_heading(blocks, index):
            _promote_item(blocks, index, min(current + 1, 6))
            continue
        may_head, summary = flags[index]
        if block.kind is not BlockKind.PARAGRAPH or not (may_head or summary):
            continue
        if not summary and not block.only_bold:
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if following is None or not _heading_text(block.plain):
            continue
        if summary and not block.plain[0].isupper() and not block.plain[0].isdigit():
            continue  # a lower-case label styled as a heading ("note" over an aside)
        if block.plain.endswith(":") and following.kind is BlockKind.LIST_ITEM:
            continue  # "You may:" introducing a list
        block.kind = BlockKind.HEADING
        is_title = index < 3 and current == 1 and _title_key(block.plain) in titles
        # With no title to compare, a first line naming a policy ("Acme Privacy Policy") is it.
        is_title = is_title or (
            index == 0 and POLICY_TITLE.search(block.plain) and not block.plain[0].isdigit()
        )
        block.level = 1 if is_title else min(current + 1, 6)
        block.runs = [replace(r, bold=False) for r in block.runs]


def _item_heading(blocks: list[RawBlock], index: int) -> bool:
    """A list item that opens with a bold line and goes on in paragraphs of its own: a section
    of a policy written as one numbered list."""
    block = blocks[index]
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    return (
        bool(block.marker)
        and following is not None
        and following.kind is BlockKind.LIST_ITEM
        and following.level == block.level
        and not following.marker
        and block.only_bold
        and _heading_text(block.plain)
    )


def _promote_item(blocks: list[RawBlock], index: int, level: int) -> None:
    """The item's first line becomes the heading, the rest of the item its body: paragraphs,
    and lists nested in it move out one level."""
    head = blocks[index]
    depth = head.level
    # A numbered item keeps its number as part of the heading ("see section 3" must still work).
    number = [Run(head.marker + " ")] if head.marker not in _NESTED_BULLETS else []
    head.kind, head.level, head.marker = BlockKind.HEADING, level, ""
    head.runs = number + [replace(r, bold=False) for r in head.runs]
    for block in blocks[index + 1 :]:
        if block.kind is not BlockKind.LIST_ITEM or block.level < depth:
            break
        if block.level == depth:
            if block.marker:
                break  # the next item of the same list
            block.kind, block.level = BlockKind.PARAGRAPH, 0
        else:
            block.level -= depth + 1


def _underlined_only(el: Element) -> bool:
    """A paragraph whose words are all underlined: the heading style of older hand-made pages."""
    underlined = el.findall(".//u")
    if not underlined:
        return False
    inside = "".join(text_of(u) for u in underlined).split()
    return bool(inside) and inside == text_of(el).split()


def _titled(el: Element) -> bool:
    """A paragraph styled by its class as a title or heading (Google Docs' "title" style)."""
    if not el.get("class") and "-" not in el.tag:
        return False
    words = class_words(el)
    return bool(words & _TITLE_CLASSES) and "subtitle" not in words


def _title_key(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def _title_keys(title: str | None) -> set[str]:
    """A page title and its parts around a site-name separator ("Privacy Policy | Acme")."""
    key = _title_key(title)
    if not key:
        return set()
    return {key, *(part.strip() for part in _TITLE_PARTS.split(key) if part.strip())}


def _ordinal(number: int, kind: str) -> str:
    if kind in ("a", "A"):
        text = _letters(number)
        return (text.upper() if kind == "A" else text) + "."
    if kind in ("i", "I"):
        text = _roman(number)
        return (text.upper() if kind == "I" else text) + "."
    return f"{number}."


def _letters(number: int) -> str:
    text = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        text = chr(ord("a") + rest) + text
    return text or "a"


def _roman(number: int) -> str:
    if number <= 0 or number >= 4000:
        return str(number)
    values = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
              (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip
    text = ""
    for value, letters in values:
        while number >= value:
            text += letters
            number -= value
    return text


def _int(value: str | None, default: int) -> int:
    if not value:
        return default
    try:
        return int((value or "").strip())
    except ValueError:
        return default
