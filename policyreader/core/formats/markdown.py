"""Markdown: CommonMark with tables through markdown-it-py, raw HTML shown as text, never rendered."""

from __future__ import annotations

import itertools
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from policyreader.core.builder import RawBlock, Run, SourceParse
from policyreader.core.document import BlockKind

BULLET = "•"

# Front matter: YAML between "---" (closed by "---" or "..."), TOML between "+++".
# Front matter is short: a "---" rule far down a document does not close it.
_YAML_FRONT = re.compile(r"\A---[ \t]*\n(?P<body>(?:.*\n){0,200}?)(?:---|\.\.\.)[ \t]*(?:\n|\Z)")
_TOML_FRONT = re.compile(r"\A\+\+\+[ \t]*\n(?P<body>(?:.*\n){0,200}?)\+\+\+[ \t]*(?:\n|\Z)")
_YAML_KEY = re.compile(
    r"^(?P<key>[A-Za-z_][\w.-]*|\"[^\"]+\"|'[^']+')[ \t]*:(?:[ \t]+(?P<value>.*?))?\s*$"
)
_TOML_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w.-]*|\"[^\"]+\")\s*=\s*(?P<value>.*?)\s*$")
_BLOCK_SCALAR = re.compile(r"^[|>][-+]?\d*$")

# kramdown attribute lists and extensions: "{: #id .class}", "{:.class}", "{:toc}", "{::comment}".
_KRAMDOWN = re.compile(r"\s*\{::?[^{}\n]*\}")
_KRAMDOWN_TOC = re.compile(r"\{::?\s*toc\s*\}", re.I)
# Header ids in kramdown, PHP Markdown Extra and pandoc style: "## Title {#title}".
_HEADING_ATTRS = re.compile(r"\s*\{\s*[#.][^{}\n]*\}\s*$")

# Raw HTML: what is dropped with its content, which tags end a paragraph, and any tag at all.
_HTML_DROP = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|template|noscript|iframe|object|svg)\b[^>]*>.*?(?:</\1\s*>|\Z)",
    re.S | re.I,
)
_HTML_BREAK = re.compile(
    r"</?(?:p|div|br|li|ul|ol|dl|dt|dd|h[1-6]|tr|table|thead|tbody|section|article|header|footer"
    r"|nav|aside|main|blockquote|pre|hr|details|summary|figure|figcaption|center)\b[^>]*>",
    re.I,
)
_HTML_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.I | re.S)
_HEADING_MARK = "\x01"  # marks a heading's text between the substitutions; never left in text
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>|<![^>]*>|<\?.*?\?>", re.S)
_HTML_SKIP_OPEN = re.compile(r"<(script|style|template|noscript|iframe|object|svg)\b", re.I)
_HTML_BR = re.compile(r"<br\b", re.I)
_HTML_STYLE = re.compile(r"<(/?)(b|strong|i|em)\b[^>]*>", re.I)
_PARAGRAPH_GAP = re.compile(r"\n\s*\n")

_WORD = re.compile(r"\w")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp"})

# Static-site generator syntax around the policy's text.
_SITE_SYNTAX_HINT = re.compile(r"\{%|\{\{[<%]|^\s*(?::::|!!!|\?\?\?)", re.M)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TEMPLATE_TAG = re.compile(r"\{%-?.*?-?%\}|\{\{[<%].*?[>%]\}\}")
_MKDOCS_ADMONITION = re.compile(
    r'^ {0,3}(?:!!!|\?\?\?\+?)\s*[\w-]+(?:\s+[\w-]+)*(?:\s+"(?P<title>[^"]*)")?\s*$'
)
_DOCUSAURUS_FENCE = re.compile(r"^ {0,3}:::+\s*(?:[\w-]+)?(?:[ \t]+(?P<title>.*?))?\s*$")
# In-page navigation that is not part of the policy: "↑ Back to top".
_BACK_TO_TOP = re.compile(
    r"^\W*(?:(?:back|return|go|jump)\s+to\s+(?:the\s+)?)?top(?:\s+of\s+page)?\W*$", re.I
)

# A bold paragraph acts as a heading only when it is short and not a sentence.
_MAX_PSEUDO_CHARS = 90
_MAX_PSEUDO_WORDS = 12
_NUMBERED = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.|[A-Z]\.|\(\w{1,4}\)|section\s+\d+\.?)\s", re.I
)
_SECTION_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?\s")
_SENTENCE_END = re.compile(r"[.,;!]$")
_INNER_SENTENCE = re.compile(r"[.!?]\s+[A-Z]")
_NOT_A_TITLE = re.compile(
    r"(?:last\s+(?:updated|update|modified|revised|edited)|effective(?:\s+date)?|updated|revised"
    r"|version|date)\b[\s:]*$|please\b",
    re.I,
)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_TITLE_WORDS = re.compile(r"\b(?:privacy|policy|policies|notice|statement|terms|cookies?)\b", re.I)
# Source parsed at a time (see _spans) and where a piece may end.
_CHUNK_CHARS = 256 * 1024
# A body past this many characters is parsed by worker processes, at most this many.
_POOL_CHARS = 4_000_000
_MAX_PROCESSES = 4
_HEADING_AFTER_BLANK = re.compile(r"\n[ \t]*\n(?=#{1,6}[ \t])")
_FENCE_LINE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})", re.M)
_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:", re.M)
_REFERENCE_LINE = re.compile(r"^ {0,3}\[[^\]\n]+\]:.*$", re.M)
# Token nesting past which lines are read flat (a list level costs two, a blockquote one), and the
# parser's own limit above it, whose overflow would skip lines silently.
_FLAT_LEVEL = 32
_MAX_NESTING = 40
_NESTING_MARKERS = re.compile(r"^(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))+[ \t]*", re.M)
# How far into a document a bold title line may sit.
_TITLE_BLOCKS = 3
# Words in a nested block that make a numbered item a section rather than a table-of-contents entry.
_BODY_WORDS = 8


def read_markdown(text: str, processes: int | None = None) -> SourceParse:
    """Parse Markdown into raw blocks; front matter becomes ``fields`` and its title the hint.

    ``processes`` parse the pieces of a long body side by side (see ``_walked_pieces``); by
    default only a body past ``_POOL_CHARS`` on a machine of several cores uses them.
    """
    fields, body = split_front_matter(text)
    body = strip_site_syntax(body)
    body = _SPACED_BOLD_LINE.sub(r"**\1**", body)
    walker = _Walker()
    for piece in _walked_pieces(body, _pool_size(len(body), processes)):
        walker.extend(piece)
    blocks = walker.finish()
    return SourceParse(blocks=blocks, title_hint=fields.get("title") or None, fields=fields)


@dataclass(slots=True)
class _Walked:
    """One piece of source walked on its own: its blocks, which of them are pseudo-headings, and
    the link labels its own parse defined (that the pieces after it may use)."""

    blocks: list[RawBlock]
    pseudo: set[int]
    bold_pseudo: set[int]
    new_labels: frozenset[str] = frozenset()


def _pool_size(length: int, processes: int | None) -> int:
    if processes is not None:
        return processes
    # A frozen app (PyInstaller) would start itself again as each worker.
    if length <= _POOL_CHARS or getattr(sys, "frozen", False):
        return 1
    return min(os.cpu_count() or 1, _MAX_PROCESSES)


def _walked_pieces(body: str, processes: int = 1) -> Iterator[_Walked]:
    """Each piece of ``body`` parsed and walked, in order; by ``processes`` workers if above one.

    A piece ends where nothing is open (see ``_cut``), so walking it alone gives the blocks the
    walk of the whole would. Workers read the link definitions found up front; if a piece other
    than the last defined a label of its own (a definition the up-front pass could not read),
    the body is walked again in order, as the pieces after it must see that label.
    """
    env = _definitions_env(body)
    spans = list(_spans(body))
    if processes > 1 and len(spans) > 1:
        walked = _walk_in_pool(body, spans, env, processes)
        if walked is not None and not any(piece.new_labels for piece in walked[:-1]):
            yield from walked
            return
    for start, end in spans:
        yield _walk_piece(body[start:end], env)


def _walk_in_pool(
    body: str, spans: list[tuple[int, int]], env: dict[str, Any], processes: int
) -> list[_Walked] | None:
    """The pieces walked by worker processes, or None when no pool could do it."""
    import multiprocessing  # only for the longest policies: kept out of every start-up
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # "spawn": the window loads in threads, and forking a threaded process is unsafe.
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            return list(
                pool.map(
                    _walk_piece,
                    (body[start:end] for start, end in spans),
                    itertools.repeat(env),
                )
            )
    except (OSError, BrokenProcessPool):
        return None


def _walk_piece(source: str, env: dict[str, Any]) -> _Walked:
    """Parse and walk one piece; definitions it makes are added to ``env`` for the next."""
    known = set(env.get("references", {}))
    walker = _Walker()
    walker.walk(_parser().parse(source, env))
    new_labels = frozenset(env.get("references", {})) - known
    return _Walked(walker.blocks, walker.pseudo, walker.bold_pseudo, new_labels)


def _definitions_env(body: str) -> dict[str, Any]:
    """Link reference definitions read first, so a link in one piece finds one in any other."""
    env: dict[str, Any] = {}
    if len(body) > _CHUNK_CHARS and _REFERENCE.search(body):
        definitions = "\n\n".join(m.group() for m in _REFERENCE_LINE.finditer(body))
        _parser().parse(definitions, env)
    return env


def _spans(body: str) -> Iterator[tuple[int, int]]:
    """Where ``body`` is cut into pieces of a few hundred kilobytes, parsed one at a time.

    Tokens cost about 40 bytes of memory per character of source (760 MB for 19 MB), so a long
    policy is parsed in pieces cut where nothing can be open: at a blank line before a heading at
    the start of a line, outside fenced code.
    """
    start = 0
    while start < len(body):
        end = _cut(body, start)
        yield start, end
        start = end


def _cut(body: str, start: int) -> int:
    """Where the piece that begins at ``start`` ends: the whole rest, or a safe cut past the size."""
    position = start + _CHUNK_CHARS
    while position < len(body):
        cut = _HEADING_AFTER_BLANK.search(body, position)
        if cut is None:
            break
        if len(_FENCE_LINE.findall(body, start, cut.start())) % 2 == 0:
            return cut.start() + 1  # the piece keeps the newline that ends its last line
        position = cut.end()
    return len(body)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "commonmark" keeps raw HTML as html_block/html_inline tokens, which we turn into text.
    parser = MarkdownIt("commonmark").enable("table")
    # markdown-it skips every line nested past maxNesting (20: blockquotes 20 deep, lists 10);
    # past _FLAT_LEVEL the lines are read as one flat paragraph instead, so no text is lost.
    parser.options["maxNesting"] = _MAX_NESTING
    parser.block.ruler.before("table", "flat_when_too_deep", _flat_when_too_deep)
    # Every link target parses, so "[Reset](javascript:...)" reads "Reset" instead of showing its
    # syntax; _safe_href then keeps only targets that are safe to open.
    parser.validateLink = lambda url: True
    return parser


def _flat_when_too_deep(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Past ``_FLAT_LEVEL`` the remaining lines become one paragraph, their markers taken out."""
    if silent or state.level < _FLAT_LEVEL:
        return False
    line = start  # up to where the enclosing item ends (a line indented less than it)
    while line < end and (state.isEmpty(line) or state.sCount[line] >= state.blkIndent):
        line += 1
    end = line
    content = _NESTING_MARKERS.sub("", state.getLines(start, end, state.blkIndent, False)).strip()
    state.line = end
    if content:
        state.push("paragraph_open", "p", 1).map = [start, end]
        inline = state.push("inline", "", 0)
        inline.content, inline.map, inline.children = content, [start, end], []
        state.push("paragraph_close", "p", -1)
    return True


def _safe_href(url: str) -> str | None:
    """Web, mail and in-page targets only: never javascript:, data:, file: and the like."""
    url = url.strip()
    scheme = _SCHEME.match(url)
    if scheme and scheme.group(1).lower() not in _SAFE_SCHEMES:
        return None
    return url or None


# ---------------------------------------------------------------------------------------------
# Front matter


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Remove YAML or TOML front matter from the start of ``text`` and parse its simple keys."""
    text = text.lstrip("\ufeff")
    for pattern, parse in ((_YAML_FRONT, _parse_yaml), (_TOML_FRONT, _parse_toml)):
        match = pattern.match(text)
        if match:
            fields = parse(match.group("body"))
            # "---" also starts a thematic break; without key lines it is not front matter.
            if fields:
                return fields, text[match.end() :]
    return {}, text


def _field_name(key: str) -> str:
    return re.sub(r"[\s-]+", "_", key.strip().strip("\"'").lower())


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        return inner.replace('\\"', '"') if value[0] == '"' else inner.replace("''", "'")
    # An unquoted YAML or TOML value may end in a comment.
    return re.sub(r"\s+#.*$", "", value).strip()


def _parse_yaml(body: str) -> dict[str, str]:
    """Top-level ``key: value`` pairs; block scalars and lists under a key are joined into one line.

    Returns nothing unless every top-level line is a key, a list item or a comment: text between
    two thematic breaks ("Contact: ...") is not front matter.
    """
    fields: dict[str, str] = {}
    current: str | None = None
    for line in body.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#") and fields:
            continue  # a comment; before any key it is more likely a Markdown heading
        indented = line[:1] in (" ", "\t")
        if current is not None and (indented or stripped.startswith("- ")):
            _continue_yaml_value(fields, current, stripped)
            continue
        if indented or stripped.startswith("- "):
            continue  # a nested mapping or list under a key that had a value of its own
        match = _YAML_KEY.match(line)
        if not match:
            return {}
        current = _field_name(match.group("key"))
        value = match.group("value") or ""
        # "|" and ">" start a block scalar; an empty value starts a list or a nested mapping.
        fields[current] = "" if _BLOCK_SCALAR.match(value) else _unquote(value)
        if fields[current]:
            current = None
    return fields


def _continue_yaml_value(fields: dict[str, str], key: str, line: str) -> None:
    if line.startswith("- "):
        item = _unquote(line[2:])
        fields[key] = f"{fields[key]}, {item}" if fields[key] else item
    else:
        fields[key] = f"{fields[key]} {line}" if fields[key] else line


def _parse_toml(body: str) -> dict[str, str]:
    """Top-level ``key = value`` pairs; keys inside ``[tables]`` belong to something else."""
    fields: dict[str, str] = {}
    for line in body.split("\n"):
        stripped = line.strip()
        if stripped.startswith("["):
            break
        match = _TOML_KEY.match(stripped)
        if match:
            value = match.group("value")
            if value.startswith("[") and value.endswith("]"):
                value = ", ".join(_unquote(v) for v in value[1:-1].split(",") if v.strip())
            fields[_field_name(match.group("key"))] = _unquote(value)
    return fields


# ---------------------------------------------------------------------------------------------
# Static-site syntax


# "** Privacy Policy **": bold meant as a heading, with spaces CommonMark does not accept inside.
_SPACED_BOLD_LINE = re.compile(r"^\*\*[ \t]+(\S(?:[^\n*]*\S)?)[ \t]+\*\*[ \t]*$", re.M)


def strip_site_syntax(text: str) -> str:
    """Remove what site generators add around a policy, outside code fences.

    Liquid tags (``{% include toc.html %}``), Hugo shortcodes, Docusaurus admonition fences
    (``:::note`` ... ``:::``) and MkDocs admonitions (``!!! note "Title"`` with an indented body,
    which CommonMark would otherwise show as code) are markup of the site, not of the policy.
    """
    if not _SITE_SYNTAX_HINT.search(text):
        return text
    out: list[str] = []
    fence: str | None = None
    in_admonition = False
    for line in text.split("\n"):
        stripped = line.strip()
        fence_match = _FENCE.match(line)
        if fence is not None:
            if (
                fence_match
                and fence_match.group(1)[0] == fence[0]
                and len(fence_match.group(1)) >= len(fence)
            ):
                fence = None
            out.append(line)
            continue
        if in_admonition:
            if not stripped:
                out.append("")
                continue
            if line.startswith(("    ", "\t")):
                out.append(line[4:] if line.startswith("    ") else line[1:])
                continue
            in_admonition = False
        if fence_match:
            fence = fence_match.group(1)
            out.append(line)
            continue
        mkdocs = _MKDOCS_ADMONITION.match(line)
        if mkdocs:
            in_admonition = True
            out.extend([mkdocs.group("title") or "", ""])
            continue
        docusaurus = _DOCUSAURUS_FENCE.match(line)
        if docusaurus:
            out.extend([docusaurus.group("title") or "", ""])
            continue
        out.append(_TEMPLATE_TAG.sub("", line) if "{" in line else line)
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Block walk


@dataclass(slots=True)
class _Item:
    marker: str
    ordered: bool
    level: int
    start: int  # index of the first block emitted inside this item
    pending_marker: bool = True
    first_paragraph: int | None = None


@dataclass(slots=True)
class _List:
    ordered: bool
    items: list[tuple[_Item, int]] = field(default_factory=list)  # (item, blocks emitted)


@dataclass(slots=True)
class _Quote:
    pass


_Frame = _Item | _List | _Quote


class _Walker:
    """Turns markdown-it's flat token stream into RawBlocks, tracking lists and quotes."""

    def __init__(self) -> None:
        self.blocks: list[RawBlock] = []
        # Headings made from bold paragraphs or numbered items get their level in finish().
        self.pseudo: set[int] = set()
        self.bold_pseudo: set[int] = set()  # the subset made from bold paragraphs
        self.frames: list[_Frame] = []

    def extend(self, piece: _Walked) -> None:
        """Append a piece walked on its own; its pseudo-headings are renumbered to follow ours."""
        offset = len(self.blocks)
        self.blocks.extend(piece.blocks)
        self.pseudo.update(index + offset for index in piece.pseudo)
        self.bold_pseudo.update(index + offset for index in piece.bold_pseudo)

    def walk(self, tokens: list[Token]) -> None:
        index = 0
        while index < len(tokens):
            index = self._step(tokens, index)

    def _step(self, tokens: list[Token], index: int) -> int:
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            self._heading(int(token.tag[1]), tokens[index + 1])
            return index + 3
        if kind == "paragraph_open":
            self._paragraph(tokens[index + 1])
            return index + 3
        if kind in ("bullet_list_open", "ordered_list_open"):
            self.frames.append(_List(ordered=kind == "ordered_list_open"))
        elif kind == "list_item_open":
            self._open_item(token)
        elif kind == "list_item_close":
            self._close_item()
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self._close_list()
        elif kind == "blockquote_open":
            self.frames.append(_Quote())
        elif kind == "blockquote_close":
            self.frames.pop()
        elif kind in ("fence", "code_block"):
            self._list_place()  # a list item that opens with code shows no marker of its own
            self._emit(RawBlock(BlockKind.CODE, [Run(token.content)]))
        elif kind == "html_block":
            for level, chunk in html_text(token.content):
                if level:
                    self._emit(RawBlock(BlockKind.HEADING, [Run(chunk)], level=level))
                else:
                    self._emit(RawBlock(self._context_kind(), [Run(chunk)], **self._list_place()))
        elif kind == "table_open":
            return self._table(tokens, index)
        return index + 1

    # Containers -------------------------------------------------------------------------------

    def _open_item(self, token: Token) -> None:
        parent = self.frames[-1]
        assert isinstance(parent, _List)
        level = sum(1 for frame in self.frames if isinstance(frame, _List)) - 1
        if parent.ordered:
            number = str(int(token.info)) if token.info.isdigit() else token.info
            marker = f"{number}{token.markup}"
        else:
            marker = BULLET
        self.frames.append(_Item(marker, parent.ordered, level, start=len(self.blocks)))

    def _close_item(self) -> None:
        item = self.frames.pop()
        assert isinstance(item, _Item)
        parent = self.frames[-1]
        assert isinstance(parent, _List)
        parent.items.append((item, len(self.blocks) - item.start))

    def _close_list(self) -> None:
        frame = self.frames.pop()
        assert isinstance(frame, _List)
        for item, emitted in frame.items:
            if item.first_paragraph is not None and self._item_is_section(frame, item, emitted):
                self._make_pseudo(item.first_paragraph, item.marker if item.ordered else "")
                if not item.ordered:
                    # A lone bold bullet reads like a bold paragraph, not a numbered section.
                    self.bold_pseudo.add(item.first_paragraph)
                self._lift_body(item, item.first_paragraph + 1, item.start + emitted)

    def _item_is_section(self, frame: _List, item: _Item, emitted: int) -> bool:
        """A bold-only item is a heading when it stands alone or heads a numbered item's body.

        A list of several bold items is a list (often a table of contents); a numbered item whose
        bold title is followed by body text is a numbered section written as a list.
        """
        block = self.blocks[item.first_paragraph]  # type: ignore[index]
        if not is_pseudo_heading(block.runs):
            return False
        if len(frame.items) == 1:
            return True
        if not item.ordered or emitted < 2:
            return False
        body = self.blocks[item.first_paragraph + 1 : item.start + emitted]  # type: ignore[operator]
        return any(len(b.plain.split()) > _BODY_WORDS for b in body)

    def _innermost(self) -> _Frame | None:
        for frame in reversed(self.frames):
            if not isinstance(frame, _List):
                return frame
        return None

    def _context_kind(self) -> BlockKind:
        frame = self._innermost()
        if isinstance(frame, _Item):
            return BlockKind.LIST_ITEM
        if isinstance(frame, _Quote):
            return BlockKind.QUOTE
        return BlockKind.PARAGRAPH

    def _list_place(self) -> dict[str, object]:
        """Level and marker for a block written inside a list item; the marker goes to its first."""
        frame = self._innermost()
        if not isinstance(frame, _Item):
            return {}
        marker = frame.marker if frame.pending_marker else ""
        frame.pending_marker = False
        return {"level": frame.level, "marker": marker}

    def _emit(self, block: RawBlock) -> int | None:
        # A word character settles it cheaply; otherwise ask the builder (invisible characters).
        if not any(_WORD.search(run.text) for run in block.runs) and block.is_empty:
            return None
        self.blocks.append(block)
        return len(self.blocks) - 1

    # Leaf blocks ------------------------------------------------------------------------------

    def _heading(self, level: int, inline: Token) -> None:
        lines, toc = inline_runs(inline)
        runs = _strip_heading_attrs(_join_lines(lines))
        if toc:
            return
        frame = self._innermost()
        if isinstance(frame, _Item) and frame.pending_marker:
            # "1. ## Scope": the number belongs to the heading; a bullet before a heading does not.
            if frame.ordered:
                runs = [Run(f"{frame.marker} "), *runs]
            frame.pending_marker = False
        self._emit(RawBlock(BlockKind.HEADING, runs, level=level))

    def _paragraph(self, inline: Token) -> None:
        lines, toc = inline_runs(inline)
        if toc:
            # kramdown's "* TOC\n{:toc}" stands for a generated table of contents: nothing to show.
            self._list_place()
            return
        kind = self._context_kind()
        if _is_back_link(lines):
            return
        if kind is BlockKind.PARAGRAPH and is_pseudo_heading(lines[0]):
            # A bold line alone, or a bold line followed by a line break and the section's text.
            rest = _join_lines(lines[1:])
            if self._emit(RawBlock(BlockKind.HEADING, lines[0])) is not None:
                self.pseudo.add(len(self.blocks) - 1)
                self.bold_pseudo.add(len(self.blocks) - 1)
            if rest:
                self._emit(RawBlock(BlockKind.PARAGRAPH, rest))
            return
        frame = self._innermost()
        first_in_item = isinstance(frame, _Item) and len(self.blocks) == frame.start
        index = self._emit(RawBlock(kind, _join_lines(lines), **self._list_place()))
        if first_in_item and index is not None and isinstance(frame, _Item):
            frame.first_paragraph = index

    def _table(self, tokens: list[Token], index: int) -> int:
        rows: list[list[list[Run]]] = []
        header_rows = 0
        in_head = False
        index += 1
        while index < len(tokens) and tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open":
                rows.append([])
                header_rows += in_head
            elif token.type == "inline" and rows:
                lines, _ = inline_runs(token)
                rows[-1].append(_join_lines(lines))
            index += 1
        self._list_place()
        self._emit(RawBlock(BlockKind.TABLE, rows=rows, header_rows=header_rows))
        return index + 1

    def _make_pseudo(self, index: int, number: str) -> None:
        block = self.blocks[index]
        block.kind = BlockKind.HEADING
        block.runs = [Run(f"{number} "), *block.runs] if number else block.runs
        block.marker = ""
        self.pseudo.add(index)

    def _lift_body(self, item: _Item, start: int, end: int) -> None:
        """The body of an item that became a heading is the section's text, no longer a list."""
        for block in self.blocks[start:end]:
            if block.kind is not BlockKind.LIST_ITEM:
                continue
            if block.level == item.level and not block.marker:
                block.kind, block.level = BlockKind.PARAGRAPH, 0
            elif block.level > item.level:
                block.level -= item.level + 1

    # Levels -----------------------------------------------------------------------------------

    def finish(self) -> list[RawBlock]:
        """Give each pseudo-heading the level one below the heading it follows.

        Numbered list items that became sections sit below the last real heading; bold
        paragraphs sit below the last real heading or numbered section, so "**Usage Data**"
        after "1. **Types of Data**" is its sub-heading, and consecutive bold heads are siblings.
        """
        real = [
            b.level
            for i, b in enumerate(self.blocks)
            if b.kind is BlockKind.HEADING and i not in self.pseudo
        ]
        title = None if real else self._bold_title()
        last_real: int | None = None
        last_structural: int | None = None
        for index, block in enumerate(self.blocks):
            if block.kind is not BlockKind.HEADING:
                continue
            if index == title:
                block.level = last_real = last_structural = 1
            elif index not in self.pseudo:
                last_real = last_structural = block.level
            else:
                above = last_structural if index in self.bold_pseudo else last_real
                base = above + 1 if above is not None else min(real, default=1)
                block.level = min(base + _number_depth(block.plain) - 1, 6)
                if index not in self.bold_pseudo:
                    last_structural = block.level
        return self.blocks

    def _bold_title(self) -> int | None:
        """In a document without real headings, a bold "Acme Privacy Policy" at the top is its title.

        Bold lines above it (a company name, a document number) are part of the title block,
        shown as paragraphs rather than as sections.
        """
        for index, block in enumerate(self.blocks[:_TITLE_BLOCKS]):
            if index in self.pseudo and _TITLE_WORDS.search(block.plain):
                for earlier in range(index):
                    if earlier in self.pseudo:
                        self.blocks[earlier].kind = BlockKind.PARAGRAPH
                        self.pseudo.discard(earlier)
                        self.bold_pseudo.discard(earlier)
                return index
        return None


# ---------------------------------------------------------------------------------------------
# Inline content


def inline_runs(inline: Token) -> tuple[list[list[Run]], bool]:
    """Styled runs of an inline token, split into source lines; and whether it was a kramdown TOC.

    Raw inline HTML tags are dropped (their text stays); script and style content is dropped;
    images are dropped (never fetched, and their alt text is not part of the policy's prose).
    """
    lines: list[list[Run]] = [[]]
    bold = italic = 0
    hrefs: list[str | None] = []
    skipping: str | None = None
    toc = False
    for child in inline.children or ():
        kind = child.type
        if skipping:
            if kind == "html_inline" and child.content.lower().startswith(f"</{skipping}"):
                skipping = None
            continue
        if kind in ("text", "text_special"):
            content = child.content
            if "{:" in content:
                toc = toc or bool(_KRAMDOWN_TOC.search(content))
                content = _KRAMDOWN.sub("", content)
            if content:
                href = hrefs[-1] if hrefs else None
                lines[-1].append(Run(content, bold > 0, italic > 0, False, href))
        elif kind == "code_inline":
            href = hrefs[-1] if hrefs else None
            lines[-1].append(Run(child.content, bold > 0, italic > 0, True, href))
        elif kind in ("softbreak", "hardbreak"):
            lines.append([])
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            hrefs.append(_safe_href(str(child.attrs.get("href") or "")))
        elif kind == "link_close":
            if hrefs:
                hrefs.pop()
        elif kind == "html_inline":
            opened = _HTML_SKIP_OPEN.match(child.content)
            if opened and not child.content.rstrip().endswith("/>"):
                skipping = opened.group(1).lower()
            elif _HTML_BR.match(child.content):
                lines.append([])
            else:
                # <b>, <strong>, <i>, <em> pasted into Markdown still mean bold and italic.
                style = _HTML_STYLE.match(child.content)
                if style:
                    step = -1 if style.group(1) else 1
                    if style.group(2).lower() in ("b", "strong"):
                        bold = max(0, bold + step)
                    else:
                        italic = max(0, italic + step)
    return [line for line in lines if line] or [[]], toc


def _join_lines(lines: list[list[Run]]) -> list[Run]:
    runs: list[Run] = []
    for line in lines:
        if runs and line:
            runs.append(Run(" "))
        runs.extend(line)
    return runs


def _strip_heading_attrs(runs: list[Run]) -> list[Run]:
    if runs and _HEADING_ATTRS.search(runs[-1].text):
        last = runs[-1]
        runs = [
            *runs[:-1],
            Run(_HEADING_ATTRS.sub("", last.text), last.bold, last.italic, last.code, last.href),
        ]
    return runs


def is_pseudo_heading(runs: list[Run]) -> bool:
    """A line that is bold throughout, short, not a link, and not a sentence acts as a heading."""
    visible = [run for run in runs if run.text.strip()]
    if not visible or not all(run.bold and run.href is None for run in visible):
        return False
    text = " ".join("".join(run.text for run in runs).split())
    if len(text) > _MAX_PSEUDO_CHARS or len(text.split()) > _MAX_PSEUDO_WORDS:
        return False
    if not any(ch.isalpha() for ch in text) or not (
        text[0].isupper() or text[0].isdigit() or text[0] in "(\"'“"
    ):
        return False
    if _SENTENCE_END.search(text) and not (text.endswith(".") and _NUMBERED.match(text)):
        return False
    # A date line ("Last updated: May 2, 2023"), its label alone, a plea ("Please read this
    # carefully") or two sentences in bold are not headings.
    unnumbered = _NUMBERED.sub("", text, count=1)
    if _YEAR.search(text) or _NOT_A_TITLE.match(unnumbered):
        return False
    return not _INNER_SENTENCE.search(unnumbered)


def _is_back_link(lines: list[list[Run]]) -> bool:
    runs = [run for line in lines for run in line if run.text.strip()]
    if not runs or not all(run.href and run.href.startswith("#") for run in runs):
        return False
    return bool(_BACK_TO_TOP.match(" ".join(run.text for run in runs)))


def _number_depth(text: str) -> int:
    """How deep a section number goes: "2." is 1, "2.3" is 2, an unnumbered title 1."""
    match = _SECTION_NUMBER.match(text)
    return match.group(1).count(".") + 1 if match else 1


def html_text(html: str) -> list[tuple[int, str]]:
    """The readable text of a raw HTML block as ``(heading level or 0, text)`` paragraphs.

    Tags, comments, scripts and styles are removed; nothing is rendered. An ``<h2>`` pasted into
    Markdown is still a heading a reader sees, so its level is kept as structure.
    """
    text = _HTML_DROP.sub("", html)
    text = _HTML_HEADING.sub(lambda m: f"\n\n{_HEADING_MARK}{m.group(1)}{m.group(2)}\n\n", text)
    text = _HTML_BREAK.sub("\n\n", text)
    text = _HTML_TAG.sub("", text)
    chunks: list[tuple[int, str]] = []
    for chunk in _PARAGRAPH_GAP.split(text):
        level = 0
        if chunk.lstrip().startswith(_HEADING_MARK):
            chunk = chunk.lstrip()
            level, chunk = int(chunk[1]), chunk[2:]
        chunk = unescape(chunk.replace(_HEADING_MARK, ""))
        if chunk.strip():
            chunks.append((level, chunk))
    return chunks
