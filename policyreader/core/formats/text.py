"""Plain text: recover the headings, lists and paragraphs a human sees in a text file."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from policyreader.core.builder import RawBlock, SourceParse, text_block
from policyreader.core.document import BlockKind

# --- line patterns (all anchored at the line start, so each costs O(line) at worst) ---------------

# A line made of one repeated punctuation character: an underline under a heading or a rule.
_RULE = re.compile(r"([-=~_*#+^`'\".:•·─━═])(?:\s*\1){2,}")
_BULLET = re.compile(r"([-*•·▪◦‣●○■□➢►✓+–—]|o(?=\s))\s+(?=\S)")
_PAREN_ENUM = re.compile(r"(\((?:\d{1,2}|[A-Za-z]|[ivxlc]{2,6}|[IVXLC]{2,6})\))\s*(?=\S)")
_LOWER_ENUM = re.compile(r"((?:[a-z]|[ivx]{2,5})[.)])\s+(?=\S)")
_UPPER_ENUM = re.compile(r"((?:[A-Z]|[IVXLC]{2,7})[.)])(?:\s+(?=\S)|$)")
_NUMBER = re.compile(r"(\d{1,3}(?:\.\d{1,3})*)([.)]?)(?:\s+(?=\S)|$)")
_KEYWORD = re.compile(
    r"(?P<word>part|chapter|article|art\.|section|sec\.|clause|schedule|annex|appendix|§§?)\s*"
    r"(?P<num>\d{1,3}[a-z]?(?:\.\d{1,3})*|[ivxlc]{1,7}|[a-z])(?!\w)\.?\s*(?:[-–—:.)]\s*)?",
    re.IGNORECASE,
)
_WIKI_HEADING = re.compile(r"(={2,6})\s*(\S.*?)\s*\1")
_ROMAN = re.compile(r"C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_LABEL_LINE = re.compile(
    r"[\W_]*(?:last\s+(?:updated|update|modified|revised|amended|changed|reviewed)|updated|revised"
    r"|modified|effective|version|date\s+of|dated|copyright|©|\(c\))\b",
    re.IGNORECASE,
)
_SENTENCE_INSIDE = re.compile(r"([A-Za-z]+)[.!?]\s+[\"'“(]?[A-Z]")
_TITLE_WORDS = re.compile(
    r"privacy|policy|notice|statement|cookie|terms|data\s+protection|practices|gdpr|ccpa", re.I
)
_PAGE_NUMBER = re.compile(
    r"(?:page\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|-\s*\d{1,4}\s*-"
    r"|[\^↑]?\s*(?:back|return|go)\s+to\s+(?:the\s+)?top(?:\s+of\s+(?:the\s+)?page)?\s*[\^↑]?)",
    re.I,
)
_BARE_NUMBER = re.compile(r"\d{1,2}\s+[A-Z]")
_INTRO_START = re.compile(
    r"(?:we|you|our|this|these|the\s+following|if|when|please|for\s+example|in\s+addition)\b",
    re.I,
)
_INTRO_WORDS = re.compile(r"\b(?:following|below|these|as\s+follows|such\s+as|including)\b", re.I)
_CONTENTS = re.compile(r"(?:table\s+of\s+)?contents:?|index", re.I)
_BLANK_RUN = re.compile(r"\n(?:[ \t\v]*\n){2,}")
_ENDS_ITEM = re.compile(r"[;,]\s+(?:and|or)$")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Sentence and clause ends: a line ending in one of these may end a paragraph or an item.
_ENDS_SENTENCE = frozenset(".!?;:")
_CLOSERS = "\"'”’)]*_"
# Words that cannot end a sentence or a title: a line ending in one continues on the next line.
_JOINERS = _words(
    "a an the and or nor of our your their its his her my this these those such any each "
    "every including than whose e.g. i.e. via per"
)
# Abbreviations that end in a full stop inside titles ("ACME Inc. Privacy Notice").
_ABBREVIATIONS = _words("inc ltd co corp llc plc gmbh ag sa bv st no nr dr mr mrs ms")
_SMALL_WORDS = _words(
    "a an the and or nor of to in on at by for with from as into about how we you your "
    "our is are what who why when where it its do does can this that"
)

_MAX_HEADING_CHARS = 100
_MAX_LONG_HEADING_CHARS = 200
_MAX_ADDRESS_LINES = 6
# A lower-case word opening a line, not a brand or a domain ("activist.org", "iPhone").
_LOWER_WORD = re.compile(r"[a-z]+(?:[\s,;:]|$)")
_PROSE_CHARS = 80
_MAX_HEADING_WORDS = 14
_SHORT_ITEM_CHARS = 60
_NAV_ITEM_CHARS = 30
_NAV_ITEM_WORDS = 4
_MIN_NAV_ITEMS = 3

# Heading styles from the top of the outline down; the levels used in a file are ranked by this.
_STYLE_ORDER = (
    "over",
    "part",
    "chapter",
    "article",
    "roman",
    "u1",
    "caps",
    "alpha",
    "num1",
    "section",
    "u2",
    "num2",
    "u3",
    "plain",
    "num3",
    "u4",
    "num4",
    "num5",
    "num6",
)
_KEYWORD_STYLES = {
    "part": "part",
    "chapter": "chapter",
    "article": "article",
    "art.": "article",
    "schedule": "part",
    "annex": "part",
    "appendix": "part",
}
_NUMBERED_STYLES = frozenset({"part", "chapter", "article", "roman", "alpha", "section"})


@dataclass(slots=True)
class _Line:
    text: str  # stripped
    indent: int
    width: int  # length including the indent, for the wrap test


@dataclass(slots=True)
class _Marker:
    """What a line starts with: a bullet, an enumerator or a heading keyword."""

    text: str  # as written, e.g. "•", "3.2", "(a)", "Article 3"
    kind: str  # bullet, paren, lower, upper, number, keyword
    key: str  # nesting key for lists, e.g. "number2", "paren"
    rest: str  # the line after the marker
    column: int  # where the text after the marker starts, for hanging indents


@dataclass(slots=True)
class _Unit:
    """A run of lines that belongs together: a heading, a paragraph or a list item."""

    lines: list[_Line]
    marker: _Marker | None
    blank_before: bool
    style: str | None = None  # heading style once decided
    forced: str | None = None  # underline style found before grouping
    kind: BlockKind = BlockKind.PARAGRAPH
    level: int = 0
    extra: list[str] = field(default_factory=list)  # a title line merged into a bare number

    @property
    def first(self) -> str:
        return self.lines[0].text

    @property
    def last(self) -> str:
        return self.lines[-1].text

    @property
    def single(self) -> bool:
        return len(self.lines) == 1


def read_text(text: str) -> SourceParse:
    """Split plain text into headings, paragraphs and list items; linear in the size of the text.

    Forum posts go to the BBCode reader; crawler and archive residue (tags, entities, comments)
    is turned into the text a browser showed before the lines are read.
    """
    from policyreader.core.formats import bbcode, wild

    if bbcode.is_bbcode(text):
        parse = bbcode.read_bbcode(text)
        parse.from_text_file = True
        return parse
    text = wild.drop_comments(text)
    if wild.is_crawler_hybrid(text):
        text = wild.untag_hybrid(text)
    text = wild.decode_entities(text)
    lines = _split_lines(text)
    forced, skip = _find_underlines(lines)
    wrap = _wrap_width(lines, skip)
    nav_end, nav_items = _find_chrome(lines, skip)
    if nav_end:
        forced.setdefault(nav_end, "over")  # the policy's name under the chrome is its title
    else:
        nav_end, nav_items = _find_nav_menu(lines, skip)
    units = _group(lines, forced, skip, wrap, nav_end)
    _classify(units, wrap)
    _mark_lists(units)
    _choose_levels(units)
    blocks: list[RawBlock] = []
    if nav_items:
        blocks.append(text_block(BlockKind.PARAGRAPH, " · ".join(nav_items)))
    blocks.extend(_to_block(unit) for unit in units)
    return SourceParse(blocks=blocks, from_text_file=True)


# --- lines -----------------------------------------------------------------------------------------


def _split_lines(text: str) -> list[_Line | None]:
    """Lines with their indentation; ``None`` for a blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    # Many blank lines mean the same as one; collapsing them keeps a file of newlines cheap.
    text = _BLANK_RUN.sub("\n\n", text)
    lines: list[_Line | None] = []
    for raw in text.split("\n"):
        if not raw or raw.isspace():
            lines.append(None)
            continue
        if "\t" in raw:
            raw = raw.expandtabs(4)
        stripped = raw.strip()
        body = raw.rstrip()
        lines.append(_Line(stripped, len(body) - len(body.lstrip()), len(body)))
    return lines


def _is_rule(line: _Line | None) -> bool:
    """A decoration line: a rule, a page number left by a PDF copy, a "back to top" link."""
    if line is None or len(line.text) < 3:
        return False
    return _RULE.fullmatch(line.text) is not None or _PAGE_NUMBER.fullmatch(line.text) is not None


def _find_underlines(lines: list[_Line | None]) -> tuple[dict[int, str], set[int]]:
    """Headings underlined (and maybe overlined) with a repeated character; rules to skip.

    Returns the heading line indexes with their style key (``over=``, ``under-``...) and the set
    of decoration lines, which count as blank lines from then on.
    """
    forced: dict[int, str] = {}
    skip: set[int] = set()
    for index, line in enumerate(lines):
        if line is not None and line.text[:1] == "=":
            inner = _wiki_heading(line.text)
            if inner is not None:
                # "=== Cookies ===" as wikis write headings; fewer signs rank higher.
                lines[index] = _Line(inner, line.indent, line.indent + len(inner))  # type: ignore[index]
                forced[index] = "under#" + "=" * (len(line.text) - len(line.text.lstrip("=")))
                continue
        if not _is_rule(line):
            continue
        skip.add(index)
        above = lines[index - 1] if index else None
        if above is None or _is_rule(above) or index - 1 in forced:
            continue
        assert line is not None
        char = line.text[0]
        if _RULE.fullmatch(line.text) is None:
            continue
        if not _underline_fits(above, line) or char in ".:'\"`":
            continue
        over = lines[index - 2] if index >= 2 else None
        if over is not None and _is_rule(over) and over.text[0] == char:
            forced[index - 1] = "over" + char
        else:
            forced[index - 1] = "under" + char
    return forced, skip


def _wiki_heading(text: str) -> str | None:
    match = _WIKI_HEADING.fullmatch(text)
    return match.group(2) if match and _title_like(match.group(2)) else None


def _underline_fits(text_line: _Line, rule: _Line) -> bool:
    """An underline is about as long as its heading; the heading is short and not a sentence."""
    text = text_line.text
    marker = _parse_marker(text)
    if len(text) > _MAX_HEADING_CHARS or (marker is not None and marker.kind == "bullet"):
        return False
    if text[-1] in ",;" or "@" in text or (text.endswith(".") and not _ends_in_abbreviation(text)):
        return False
    return len(rule.text) >= min(len(text), 3 + len(text) // 2)


def _wrap_width(lines: Sequence[_Line | None], skip: set[int]) -> int | None:
    """The column a hard-wrapped file breaks at, or None when paragraphs are on one line each.

    Wrapped text has most of its lines just short of one width; the 95th percentile of line
    lengths finds that width while ignoring the odd long URL.
    """
    widths = sorted(
        line.width
        for index, line in enumerate(lines)
        if line is not None and index not in skip and line.width >= 20
    )
    if len(widths) < 5:
        return None
    width = widths[int(0.95 * (len(widths) - 1))]
    if width > 140:
        return None
    near = sum(1 for w in widths if w >= 0.75 * width)
    if near < 0.35 * len(widths):
        return None
    return width


# --- site chrome and navigation menu ----------------------------------------------------------------

# The policy's own name: "Amazon.com Privacy Notice", "USER PRIVACY STATEMENT", "Privacy policy".
_POLICY_NAME = re.compile(
    r"\b(?:privacy|cookies?|data\s+protection)\s+(?:policy|notice|statement|highlights)\b", re.I
)
_GLUED = re.compile(r"[a-z][A-Z][a-z]")
_GLUE_POINT = re.compile(r"[a-z.!?)][A-Z](?=[a-z])|[A-Z][A-Z](?=[a-z]{2})")
_CRUMB = re.compile(r"\s+(?:>|»|›|::)\s+")
_CHROME_SCAN_LINES = 400
_PROSE_WORDS = 20
_CONTINUATION_WORDS = 8
_MIN_CHROME_LINES = 3
# A notice ("This document is not current") may stand between the chrome and the policy's name.
_AFTER_PROSE_LINES = 3
_MAX_NOTICE_LINES = 2


def _find_chrome(lines: list[_Line | None], skip: set[int]) -> tuple[int, list[str]]:
    """Site chrome saved above the policy: menus, language lists, sign-in boxes, breadcrumbs.

    The policy starts at its name ("Acme Privacy Notice"): the last such line near the first
    paragraph of prose, preferring one with a date line under it. Everything above it is chrome
    when there are at least a few lines of it. A name glued to the end of a run of menu labels
    ("…past versions.Privacy Policy") is cut from it. Returns the title's line index and the
    chrome's lines (``0, []`` when the file starts with its policy).
    """
    names: list[tuple[int, str, str]] = []  # (line, the policy's name, chrome glued before it)
    dated: list[int] = []
    prose_at = None
    previous_name = None
    for index in range(min(len(lines), _CHROME_SCAN_LINES)):
        line = lines[index]
        if line is None or index in skip:
            continue
        if prose_at is not None and index - prose_at > _AFTER_PROSE_LINES:
            break
        if _reads_as_prose(line.text) and _runs_on(lines, index):
            prose_at = index if prose_at is None else prose_at
            previous_name = None
            continue
        if previous_name is not None and _LABEL_LINE.match(line.text):
            dated.append(previous_name)
        previous_name = None
        found = _policy_name_in(line.text)
        if found is not None:
            names.append((index, *found))
            previous_name = len(names) - 1
    if prose_at is None or not names:
        return 0, []
    title, name, glued = names[dated[-1]] if dated else names[-1]
    chrome = [line.text for line in lines[:title] if line is not None]
    if glued:
        chrome.append(glued)
    weight = len(chrome) + len(_GLUED.findall(glued))
    if weight < (1 if dated else _MIN_CHROME_LINES) or (
        title > prose_at and len(chrome) > _MAX_NOTICE_LINES + 3
    ):
        return 0, []
    if glued:
        old = lines[title]
        assert old is not None
        lines[title] = _Line(name, old.indent, old.indent + len(name))
    return title, chrome


def _runs_on(lines: Sequence[_Line | None], index: int) -> bool:
    """A paragraph, not a one-line notice: long on its own, or going on in the next line."""
    line = lines[index]
    assert line is not None
    if len(line.text.split()) >= _PROSE_WORDS:
        return True
    following = lines[index + 1] if index + 1 < len(lines) else None
    return following is not None and len(following.text.split()) >= _CONTINUATION_WORDS


def _reads_as_prose(text: str) -> bool:
    """A sentence or more of running text, not a glued run of menu labels or a shouted offer."""
    words = text.split()
    if len(words) < 12 or len(text) < 60 or _glued_labels(text):
        return False
    lower = sum(1 for word in words if word[:1].islower())
    if lower < 0.5 * len(words):
        return False
    return text.rstrip(_CLOSERS)[-1:] in ".!?:" or ". " in text


def _glued_labels(text: str) -> bool:
    """Menu labels saved without spaces between them: "HomeProductsSupportSign in"."""
    glued = len(_GLUED.findall(text))
    return glued >= 3 and glued * 150 > len(text)


def _policy_name_in(text: str) -> tuple[str, str] | None:
    """The policy's name on this line and any menu labels glued in front of it.

    "Cisco Online Privacy Statement" names the policy; "Changes to this Privacy Policy" or a
    sentence does not.
    """
    if _POLICY_NAME.search(text) is None:
        return None
    if _names_the_policy(text):
        return text, ""
    if len(text) > 2000:
        return None
    crumbs = _CRUMB.split(text)
    if len(crumbs) > 1 and _names_the_policy(crumbs[-1].strip()):
        return crumbs[-1].strip(), text[: len(text) - len(crumbs[-1])].strip()
    cuts = [m.start() + 1 for m in _GLUE_POINT.finditer(text)]
    for cut in reversed(cuts):
        tail = text[cut:].strip()
        if _names_the_policy(tail):
            return tail, text[:cut].strip()
    return None


def _could_name_policy(text: str) -> bool:
    """A short line or one that names the policy, not "This privacy policy governs only"."""
    words = text.split()
    return _names_the_policy(text) or (len(words) <= 5 and words[0].lower() not in _SMALL_WORDS)


def _names_the_policy(text: str) -> bool:
    match = _POLICY_NAME.search(text)
    if match is None or len(text) > 80 or len(text.split()) > 8:
        return False
    before = [word.lower() for word in text[: match.start()].split()]
    if before[:1] == ["the"]:
        before = before[1:]
    if any(word in _SMALL_WORDS for word in before):
        return False
    return text[-1:] not in ",;:" and (text[-1:] != "." or len(text.split()) <= 5)


def _find_nav_menu(lines: Sequence[_Line | None], skip: set[int]) -> tuple[int, list[str]]:
    """A run of very short lines at the top ("Home", "Products", "Login") before the title.

    Returns the index of the first line after the menu and the menu's items (empty if none).
    """
    items: list[tuple[int, str]] = []
    end = 0
    for index, line in enumerate(lines):
        if line is None or index in skip:
            continue
        parts = _nav_parts(line.text)
        if not parts:
            break
        items.extend((index, part) for part in parts)
        end = index + 1
        if len(items) > 40:
            return 0, []
    if len(items) < _MIN_NAV_ITEMS:
        return 0, []
    titles = [position for position, (_, item) in enumerate(items) if _TITLE_WORDS.search(item)]
    if titles:
        # The last title-like entry is the policy's own title; entries after it are not menu.
        cut = titles[-1]
        if cut < _MIN_NAV_ITEMS:
            return 0, []
        return items[cut][0], [item for _, item in items[:cut]]
    return end, [item for _, item in items]


def _nav_parts(text: str) -> list[str]:
    parts = (
        [part.strip() for part in re.split(r"\s+[|·•»>]\s+", text)] if len(text) < 200 else [text]
    )
    if all(_is_nav_item(part) for part in parts):
        return parts
    return []


def _is_nav_item(text: str) -> bool:
    return (
        0 < len(text) <= _NAV_ITEM_CHARS
        and len(text.split()) <= _NAV_ITEM_WORDS
        and text[-1] not in ".,;:!?"
        and ":" not in text
        and not _parse_marker(text)
    )


# --- markers ---------------------------------------------------------------------------------------


def _parse_marker(text: str) -> _Marker | None:
    """Recognise a bullet, an enumerator or a heading keyword at the start of a stripped line."""
    first = text[0]
    if first.isdigit():
        match = _NUMBER.match(text)
        if match and (match.group(2) or "." in match.group(1)):
            depth = match.group(1).count(".") + 1
            return _Marker(
                match.group(1) + match.group(2),
                "number",
                f"number{depth}",
                text[match.end() :],
                match.end(),
            )
        return None
    if first == "(":
        match = _PAREN_ENUM.match(text)
        if match:
            return _Marker(match.group(1), "paren", "paren", text[match.end() :], match.end())
        return None
    if first.isupper() or first == "§":
        match = _KEYWORD.match(text)
        if match and (first.isupper() or first == "§"):
            word = match.group("word")
            marker = text[: match.end()].rstrip(" -–—:.)")
            return _Marker(marker, "keyword", word.lower(), text[match.end() :], match.end())
        match = _UPPER_ENUM.match(text)
        if match:
            return _Marker(match.group(1), "upper", "upper", text[match.end() :], match.end())
        return None
    if first.islower():
        match = _LOWER_ENUM.match(text)
        if match and first != "o":
            return _Marker(match.group(1), "lower", "lower", text[match.end() :], match.end())
    match = _BULLET.match(text)
    if match:
        return _Marker(
            match.group(1), "bullet", "bullet" + match.group(1), text[match.end() :], match.end()
        )
    return None


# --- grouping lines into units ---------------------------------------------------------------------


def _group(
    lines: Sequence[_Line | None],
    forced: dict[int, str],
    skip: set[int],
    wrap: int | None,
    start: int,
) -> list[_Unit]:
    """Cut the lines into units: blank lines always cut; inside a run of lines, a cut is where the
    writer pressed Enter on purpose (a short line, a marker, a heading), not where the text wrapped.
    """
    units: list[_Unit] = []
    current: _Unit | None = None
    blank = True
    for index in range(start, len(lines)):
        line = lines[index]
        if line is None or index in skip:
            current = None
            blank = True
            continue
        marker = _parse_marker(line.text)
        if current is not None and index not in forced and _continues(current, line, marker, wrap):
            current.lines.append(line)
            continue
        current = _Unit([line], marker, blank_before=blank, forced=forced.get(index))
        units.append(current)
        blank = False
        if index in forced:
            current = None  # nothing continues an underlined heading
    return units


def _continues(unit: _Unit, line: _Line, marker: _Marker | None, wrap: int | None) -> bool:
    """Whether ``line`` carries on the text of ``unit`` rather than starting a new block."""
    if unit.forced is not None:
        return False
    prev = unit.lines[-1]
    prev_text = prev.text
    fits = wrap is None or prev.width + 1 + len(line.text.split(" ", 1)[0]) <= wrap
    if marker is not None:
        if marker.kind == "bullet" or fits or _ends_sentence(prev_text):
            return False
        return _starts_lower(marker.rest)  # "...as set out in section\n4.2 of the Terms"
    head = unit.lines[0]
    if unit.marker is not None and line.indent > head.indent + unit.marker.column // 2:
        return True  # hanging indent under a list item
    if unit.single and unit.marker is None and _caps_heading(prev_text):
        return False  # "NEWSLETTER" then "we send it monthly": a heading over its text
    last_char = prev_text[-1]
    if fits and _ENDS_ITEM.search(prev_text) and not _starts_lower(line.text):
        return False  # "...regulators; or" then "With your consent."
    if not _ends_sentence(prev_text) and (
        line.text[0] in "([{"
        or (_is_prose(unit, wrap) and (_ends_sentence(line.text) or not _title_like(line.text)))
    ):
        return True  # prose goes on until its sentence ends: "...our Booking" then "Conditions."
    if _starts_lower(line.text):
        # "name;" then "email;": short items that end a clause are separate lines on purpose.
        return not (prev_text.rstrip(_CLOSERS)[-1:] in ".!?;" and fits)
    if last_char == ":" or (_ends_sentence(prev_text) and fits):
        return False
    if _ends_sentence(prev_text) and _short_title_line(line, wrap):
        return False  # a paragraph never ends on a short line without a stop: a heading
    if last_char in ",(-/[“" or _last_word(prev_text) in _JOINERS:
        return True
    return not fits


def _short_title_line(line: _Line, wrap: int | None) -> bool:
    return wrap is not None and line.width < 0.7 * wrap and _title_like(line.text)


def _caps_heading(text: str) -> bool:
    return _is_caps(text) and _title_like(text) and len(text) <= _SHORT_ITEM_CHARS


def _is_prose(unit: _Unit, wrap: int | None) -> bool:
    """Wrapped text that reads on to a full stop: several lines, or one long line of a sentence.

    Only in wrapped files: where each paragraph is one line, every line break was typed on purpose.
    """
    if wrap is None:
        return False
    if not unit.single:
        return True
    text = unit.marker.rest if unit.marker is not None else unit.first
    return unit.lines[0].width >= 0.6 * wrap and not _title_like(text)


def _starts_lower(text: str) -> bool:
    for char in text[:4]:
        if char.isalpha():
            return char.islower() and not _camel_case(text)
        if char.isdigit():
            return False
    return False


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS)[-1:] in _ENDS_SENTENCE


def _last_word(text: str) -> str:
    return text.rsplit(" ", 1)[-1].lower()


# --- classification --------------------------------------------------------------------------------


def _classify(units: list[_Unit], wrap: int | None) -> None:
    """Decide which units are headings; every other unit stays a paragraph or a list item."""
    letters_are_alpha = _letters_are_alpha(units)
    kept: list[_Unit] = []
    at_top = True  # no body text yet: the policy's own title may still come
    index = 0
    while index < len(units):
        unit = units[index]
        prev = kept[-1] if kept else None
        after = units[index + 1] if index + 1 < len(units) else None
        unit.style = _heading_style(unit, prev, after, wrap, letters_are_alpha, at_top)
        if unit.style is None and (
            _stacked_heading(unit, prev, after, units[index + 2 : index + 3])
            or _heading_after_short_lines(unit, after, kept)
        ):
            unit.style = "plain"
        at_top = at_top and unit.single and len(unit.first) <= _SHORT_ITEM_CHARS
        if unit.style is not None:
            unit.kind = BlockKind.HEADING
        kept.append(unit)
        # A bare "II." or "Article 3" took its title from the next line: that line is used up.
        index += 2 if unit.extra else 1
    units[:] = kept
    _demote_heading_runs(units)


def _stacked_heading(
    unit: _Unit, prev: _Unit | None, after: _Unit | None, beyond: Sequence[_Unit]
) -> bool:
    """ "Your Choices" over "Marketing Preferences" over a paragraph: a section and its first
    sub-section, not two items of a list."""
    if after is None or not beyond or not unit.single or unit.marker is not None:
        return False
    if not (_title_like(unit.first) and _title_case(unit.first)) or unit.first.endswith(":"):
        return False
    if _LABEL_LINE.match(unit.first) or (prev is not None and prev.last.endswith(":")):
        return False
    if prev is not None and prev.kind is not BlockKind.HEADING and _is_short_line(prev):
        return False  # the last line of an address, not a section over a sub-section
    sub = after.first
    return after.single and after.marker is None and _title_like(sub) and _long_prose(beyond[0])


def _heading_after_short_lines(unit: _Unit, after: _Unit | None, kept: Sequence[_Unit]) -> bool:
    """ "Contact Us" under an address and over a paragraph: the short lines above it were an
    address or a signature, not a list the colon of a sentence opened."""
    if after is None or not _long_prose(after) or not unit.single or unit.marker is not None:
        return False
    text = unit.first
    if not (_title_like(text) and _title_case(text)) or text.endswith(":"):
        return False
    if _LABEL_LINE.match(text) or _BARE_NUMBER.match(text):
        return False
    for run, other in enumerate(reversed(kept[-_MAX_ADDRESS_LINES - 1 :])):
        if other.kind is BlockKind.HEADING or not (
            _is_short_line(other) or (other.single and _title_like(other.first))
        ):
            return run > 0 and not other.last.endswith(":")
    return False


def _long_prose(unit: _Unit) -> bool:
    text = " ".join(line.text for line in unit.lines)
    return len(text) > _PROSE_CHARS and _ends_sentence(text)


def _demote_heading_runs(units: Sequence[_Unit]) -> None:
    """Three or more title lines with no text between them are an address or a list, not sections."""
    run: list[_Unit] = []
    for unit in [*units, None]:
        if unit is not None and unit.kind is BlockKind.HEADING and unit.style == "plain":
            run.append(unit)
            continue
        if len(run) >= 3:
            for member in run:
                member.kind, member.style = BlockKind.PARAGRAPH, None
        run = []


def _letters_are_alpha(units: Sequence[_Unit]) -> bool:
    """Single capital letters A. B. C. number sections unless the file only uses roman ones."""
    letters = {
        u.marker.text[0]
        for u in units
        if u.marker and u.marker.kind == "upper" and len(u.marker.text) == 2
    }
    return bool(letters - set("IVXLC"))


def _heading_style(
    unit: _Unit,
    prev: _Unit | None,
    after: _Unit | None,
    wrap: int | None,
    letters_are_alpha: bool,
    at_top: bool,
) -> str | None:
    if unit.forced:
        return unit.forced
    if not unit.single or after is None:
        return None  # a heading is one line, and something follows it
    if (
        prev is not None
        and prev.kind is not BlockKind.HEADING
        and prev.last.endswith(":")
        and not (unit.blank_before and _is_body(after) and after.marker is None)
        and not (after.marker is None and _long_prose(after))
    ):
        return None  # "We collect:" introduces items, unless what follows are sections
    text = unit.first
    if at_top and unit.marker is None and _names_the_policy(text):
        return "caps" if _is_caps(text) else "plain"  # "Privacy policy | Orchard Lane Bakery"
    if _long_heading(unit, after) or _heading_with_stop(unit, prev, after):
        return "plain"
    if wrap is not None and unit.lines[0].width > 0.9 * wrap and not _is_caps(text):
        return None  # a full-width line is wrapped text
    marker = unit.marker
    if marker is not None and marker.kind in ("number", "upper", "keyword"):
        return _numbered_style(unit, marker, prev, after, letters_are_alpha)
    if marker is not None:
        return None
    if not _title_like(text) or _LABEL_LINE.match(text) or _CONTENTS.fullmatch(text):
        return None
    if text.endswith(":") and not _colon_heading(text, after):
        return None  # "Email:" above an address is a label; "We collect:" opens a list
    if at_top and _TITLE_WORDS.search(text) and _could_name_policy(text):
        return "caps" if _is_caps(text) else "plain"  # the policy's name, whatever surrounds it
    if not _starts_block(unit, prev, wrap):
        return None
    if _next_to_short_items(unit, prev, after):
        return None
    if _BARE_NUMBER.match(text):
        return "num1"  # "1 Introduction": numbered like "1.", ranked like it
    if _is_caps(text):
        return "caps"
    if after.marker is None and _LOWER_WORD.match(after.first):
        return None  # "This policy governs only" then "the app and its servers": one sentence
    return "plain"


def _long_heading(unit: _Unit, after: _Unit) -> bool:
    """A heading over 100 characters: alone between blank lines, in title case, no stop at the end."""
    text = unit.first
    if not _MAX_HEADING_CHARS < len(text) <= _MAX_LONG_HEADING_CHARS or unit.marker is not None:
        return False
    if not (unit.blank_before and after.blank_before and _is_body(after)):
        return False
    if text[-1] in ".,;:!" or ". " in text or "@" in text or "http" in text:
        return False
    return _first_letter_upper(text) and _title_case(text)


def _heading_with_stop(unit: _Unit, prev: _Unit | None, after: _Unit) -> bool:
    """ "Co-branded Services." alone on its line above a paragraph: a sub-heading with a stop."""
    text = unit.first
    if unit.marker is not None or not _titled_with_stop(text) or len(text.split()) > 6:
        return False
    after_prose = (after.marker is None and not after.single) or len(
        after.first
    ) > _SHORT_ITEM_CHARS
    return (unit.blank_before or prev is None or prev.kind is BlockKind.HEADING) and after_prose


def _numbered_style(
    unit: _Unit, marker: _Marker, prev: _Unit | None, after: _Unit | None, letters_are_alpha: bool
) -> str | None:
    rest = marker.rest.strip()
    title_below = (
        not rest
        and after is not None
        and after.single
        and after.marker is None
        and _title_like(after.first)
    )
    if not rest and not title_below and marker.kind != "keyword":
        return None
    if rest and (
        not (_title_like(rest) or _titled_with_stop(rest))
        or (rest.endswith(":") and not _title_case(rest))
    ):
        return None
    style = _marker_style(unit, marker, prev, after, letters_are_alpha)
    if style is not None and title_below:
        assert after is not None
        unit.extra.append(after.first)  # "II." or "Article 3" alone, its title on the next line
    return style


def _marker_style(
    unit: _Unit, marker: _Marker, prev: _Unit | None, after: _Unit | None, letters_are_alpha: bool
) -> str | None:
    if marker.kind == "keyword":
        return _KEYWORD_STYLES.get(marker.key, "section")
    if marker.kind == "upper":
        if len(marker.text) == 2 and (letters_are_alpha or marker.text[0] not in "IVXLC"):
            return "alpha"
        return "roman" if _ROMAN.fullmatch(marker.text[:-1]) else None
    if _sibling_items(unit, marker, after) or _sibling_items(unit, marker, prev, before=True):
        return None
    depth = marker.key.removeprefix("number")
    return f"num{min(int(depth), 6)}"


def _titled_with_stop(text: str) -> bool:
    """Legal numbering often ends its titles with a full stop: "2. Information We Collect."."""
    return (
        text.endswith(".")
        and not text.endswith("..")
        and len(text.split()) <= 8
        and _title_case(text)
        and _title_like(text[:-1])
    )


def _sibling_items(unit: _Unit, marker: _Marker, other: _Unit | None, before: bool = False) -> bool:
    """Two short numbered lines in a row at the same depth are a list or a table of contents."""
    return (
        other is not None
        and not (unit if before else other).blank_before
        and other.single
        and other.kind is not BlockKind.HEADING
        and other.marker is not None
        and other.marker.key == marker.key
        and _title_like(other.marker.rest.strip() or "X")
    )


def _colon_heading(text: str, after: _Unit) -> bool:
    """ "Third-Party Advertising:" above a paragraph is a heading; "such as:" is not."""
    if not _is_body(after):
        return False
    if _title_case(text):
        return True
    # A label is a few words; a longer line ending in a colon is a sentence introducing something.
    return (
        after.marker is None
        and len(text.split()) <= 10
        and not _INTRO_START.match(text)
        and not _INTRO_WORDS.search(text)
    )


def _is_body(unit: _Unit) -> bool:
    """Text a heading can stand above: a paragraph or a marked item, not another short line."""
    return not unit.single or unit.marker is not None or len(unit.first) > _SHORT_ITEM_CHARS


def _starts_block(unit: _Unit, prev: _Unit | None, wrap: int | None) -> bool:
    """A title line follows a blank line, the file's start, a heading or a finished sentence.

    Where each paragraph is one line (no wrap width), every line starts a block of its own.
    """
    if prev is None or unit.blank_before or prev.kind is BlockKind.HEADING or wrap is None:
        return True
    return _ends_sentence(prev.last) or prev.marker is not None


def _next_to_short_items(unit: _Unit, prev: _Unit | None, after: _Unit | None) -> bool:
    """A short line among other short lines is an item of a list (or an address), not a title."""
    if (
        prev is not None
        and not unit.blank_before
        and prev.kind is not BlockKind.HEADING
        and _is_short_item(prev)
    ):
        return True
    if after is not None and not after.blank_before and _is_short_item(after):
        return True
    # Blank lines between them do not change what an address block is.
    return (
        prev is not None
        and after is not None
        and prev.kind is not BlockKind.HEADING
        and _is_short_line(prev)
        and _is_short_line(after)
    )


def _is_short_line(unit: _Unit) -> bool:
    """A short line that is not a sentence: "Acme Inc.", "600 Main Street", "Phone: 555 0100"."""
    text = unit.first
    return (
        unit.single
        and unit.marker is None
        and len(text) <= _SHORT_ITEM_CHARS
        and (text[-1] not in ".!?" or _ends_in_abbreviation(text))
    )


def _is_short_item(unit: _Unit) -> bool:
    return unit.single and unit.marker is None and _short_item(unit.first)


def _short_item(text: str) -> bool:
    return len(text) <= _SHORT_ITEM_CHARS and text.rstrip(_CLOSERS)[-1:] not in ".!?:"


def _title_like(text: str) -> bool:
    """Short, capitalised, not a sentence, not an address or a date line."""
    if not text or len(text) > _MAX_HEADING_CHARS:
        return False
    first = text[0]
    if not (first.isalnum() or first in "\"'“‘(") or not _first_letter_upper(text):
        return False
    if text[-1] in ".,;" and not _ends_in_abbreviation(text):
        return False
    if text[-1] == ")" and text.rstrip(_CLOSERS)[-1:] in ".!?":
        return False  # "(Note that this covers the app only.)" is a sentence in brackets
    if len(text.split()) > _MAX_HEADING_WORDS or _last_word(text) in _JOINERS:
        return False
    if "@" in text or "http" in text or "www." in text or "|" in text:
        return False
    if sum(char.isdigit() for char in text) >= 5:
        return False  # a telephone number or a postcode, not a title
    colon = text.find(":")
    if 0 <= colon < len(text) - 1 and (
        any(c.isdigit() for c in text) or _starts_lower(text[colon + 1 :])
    ):
        return False
    return not any(
        len(match.group(1)) > 1 and match.group(1).lower() not in _ABBREVIATIONS
        for match in _SENTENCE_INSIDE.finditer(text)
    )


def _first_letter_upper(text: str) -> bool:
    for char in text:
        if char.isalpha():
            return char.isupper() or _camel_case(text)
    return False


def _camel_case(text: str) -> bool:
    """Brand names such as "iPlanter" or "eBay" count as capitalised words."""
    word = text.split(" ", 1)[0]
    return any(char.isupper() for char in word[1:]) and word[:1].islower()


def _ends_in_abbreviation(text: str) -> bool:
    return text.endswith(".") and _last_word(text).rstrip(".") in _ABBREVIATIONS


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def _title_case(text: str) -> bool:
    words = [w for w in _WORD.findall(text) if w.lower() not in _SMALL_WORDS]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


# --- lists -----------------------------------------------------------------------------------------


def _mark_lists(units: list[_Unit]) -> None:
    """Units with a marker are list items; so are unmarked items after "such as:" or in a run."""
    open_list = False
    for index, unit in enumerate(units):
        if unit.kind is BlockKind.HEADING:
            open_list = False
            continue
        if unit.marker is not None and unit.marker.kind != "keyword":
            unit.kind = BlockKind.LIST_ITEM
            open_list = True
            continue
        prev = units[index - 1] if index else None
        after = units[index + 1] if index + 1 < len(units) else None
        if prev is not None and _unmarked_item(unit, prev, after, open_list):
            unit.kind = BlockKind.LIST_ITEM
            open_list = not unit.last.endswith((".", "!", "?"))
        else:
            open_list = False


def _unmarked_item(unit: _Unit, prev: _Unit, after: _Unit | None, open_list: bool) -> bool:
    ending = unit.last.rstrip(_CLOSERS)
    item_like = _is_short_item(unit) or ending[-1:] in ";," or _last_word(ending) in ("and", "or")
    after_short = after is not None and not after.blank_before and _is_short_item(after)
    if prev.kind is BlockKind.HEADING:
        return _is_short_item(unit) and after_short
    if prev.last.endswith(":"):
        return item_like
    if open_list and prev.kind is BlockKind.LIST_ITEM and not unit.blank_before:
        return item_like or prev.last.endswith((";", "; or", "; and", ","))
    if _is_short_item(unit):
        return after_short or (not unit.blank_before and _is_short_item(prev))
    return False


# --- levels and blocks -----------------------------------------------------------------------------


def _choose_levels(units: list[_Unit]) -> None:
    """Rank heading styles; a clear title at the top gets a level above every section."""
    _rename_underlines(units)
    title = _find_title(units)
    used = sorted(
        {u.style for u in units if u.kind is BlockKind.HEADING and u is not title},
        key=_STYLE_ORDER.index,
    )
    offset = 2 if title is not None else 1
    rank = {style: min(position + offset, 6) for position, style in enumerate(used)}
    for unit in units:
        if unit is title:
            unit.level = 1
        elif unit.kind is BlockKind.HEADING:
            unit.level = rank[unit.style]
    _nest_list_items(units)


def _rename_underlines(units: Sequence[_Unit]) -> None:
    """Underline characters rank by first use, as reStructuredText does; overlines rank first."""
    order: list[str] = []
    for unit in units:
        style = unit.style or ""
        if style.startswith("over"):
            unit.style = "over"
        elif style.startswith("under"):
            if style not in order:
                order.append(style)
            unit.style = f"u{min(order.index(style) + 1, 4)}"


def _find_title(units: list[_Unit]) -> _Unit | None:
    """The policy's own name at the top, before any body text: "Privacy Policy", "ACME Notice"."""
    top: list[_Unit] = []
    for unit in units:
        if unit.kind is BlockKind.HEADING:
            top.append(unit)
        elif sum(len(line.text) for line in unit.lines) > 120 or len(top) > 3:
            break
    candidates = [
        u for u in top if u.style not in _NUMBERED_STYLES and not u.style.startswith("num")
    ]
    if not candidates:
        return None
    named = [u for u in candidates if _TITLE_WORDS.search(u.first)]
    if named:
        title = named[0]
        for unit in candidates[: candidates.index(title)]:
            unit.kind, unit.style = BlockKind.PARAGRAPH, None  # a company name above the title
        return title
    first = candidates[0]
    if first is not top[0] or first is not units[0]:
        return None
    others = [u for u in units if u.kind is BlockKind.HEADING and u is not first]
    if first.style == "over" or (others and all(u.style != first.style for u in others)):
        return first
    return None


def _nest_list_items(units: Sequence[_Unit]) -> None:
    """Nesting depth from marker kinds and indentation: (a) under 2.1, i. under (a)."""
    stack: list[tuple[str, int]] = []
    for unit in units:
        if unit.kind is not BlockKind.LIST_ITEM:
            stack = []
            continue
        key = unit.marker.key if unit.marker else "plain"
        indent = unit.lines[0].indent
        for depth, (other_key, other_indent) in enumerate(stack):
            if other_key == key and abs(other_indent - indent) <= 1:
                del stack[depth + 1 :]
                unit.level = depth
                break
        else:
            while stack and stack[-1][1] > indent:
                stack.pop()
            stack.append((key, indent))
            unit.level = min(len(stack) - 1, 5)


def _to_block(unit: _Unit) -> RawBlock:
    if unit.kind is BlockKind.HEADING:
        text = " ".join([unit.first, *unit.extra])
        return text_block(BlockKind.HEADING, text, level=unit.level)
    texts = [line.text for line in unit.lines] + unit.extra
    marker = ""
    if unit.kind is BlockKind.LIST_ITEM and unit.marker is not None:
        marker = unit.marker.text
        texts[0] = unit.marker.rest
    return text_block(unit.kind, _join_lines(texts), level=unit.level, marker=marker)


def _join_lines(texts: list[str]) -> str:
    """Re-flow wrapped lines; a word split with a hyphen at the line end is joined back."""
    parts: list[str] = []
    for position, text in enumerate(texts):
        if (
            position
            and parts[-1].endswith("-")
            and parts[-1][-2:-1].isalpha()
            and _starts_lower(text)
        ):
            parts[-1] = parts[-1] + text
            continue
        parts.append(text)
    return " ".join(parts)
