"""Compare two versions of a policy: sections aligned (moved, renamed), sentence and practice changes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from enum import StrEnum
from pathlib import PurePath

from policyreader.core.builder import BLOCK_SEPARATOR, RawBlock, Run, text_block
from policyreader.core.contents import QUOTES as _QUOTES
from policyreader.core.contents import WORD as _WORD
from policyreader.core.contents import title_key
from policyreader.core.document import Block, BlockKind, PolicyDocument, Section
from policyreader.core.metadata import is_date_line
from policyreader.core.practices.polarity import Polarity
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.sentences import split_sentences
from policyreader.core.practices.taxonomy import LABELS, Category
from policyreader.core.summary import practice_verb

OPENING = "(opening text)"
# Two sections pair up when their sentences overlap at least this much...
CONTENT_MATCH = 0.5
# ...or their titles are this close and they still share some content.
TITLE_MATCH = 0.75
TITLE_CONTENT_FLOOR = 0.15
# Two different sentences in the same place are one edited sentence when this similar.
SENTENCE_EDIT = 0.5
SHINGLE = 3

Detect = Callable[[PolicyDocument], list[Practice]]


class SectionChange(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    MOVED = "moved"
    SAME = "same"


class SentenceChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


class PracticeChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SentenceChange:
    """A sentence added, removed or edited; spans index the old and new document texts."""

    kind: SentenceChangeKind
    old: Span | None
    new: Span | None
    old_text: str | None
    new_text: str | None


@dataclass(slots=True)
class _Unit:
    """A section's own text (without its subsections), the unit that versions are aligned by."""

    title: str | None  # None for the text before the first heading
    level: int
    start: int  # of the heading (or the opening text)
    end: int  # of the section's own text
    index: int
    sentences: list[Span]
    keys: list[str]  # normalised sentences, what "the same sentence" means

    @property
    def name(self) -> str:
        return self.title if self.title is not None else OPENING


@dataclass(slots=True)
class SectionDiff:
    """One row of the comparison: a section of the old version, the new one, or both."""

    old_title: str | None
    new_title: str | None
    change: SectionChange
    old_span: Span | None
    new_span: Span | None
    sentences: list[SentenceChange] = field(default_factory=list)
    old_level: int = 0
    new_level: int = 0

    @property
    def renamed(self) -> bool:
        return (
            self.old_title is not None
            and self.new_title is not None
            and _title_key(self.old_title) != _title_key(self.new_title)
        )

    def as_json(self) -> dict[str, object]:
        """``null`` means the section is absent from that side; text above the first heading is
        named "(opening text)"."""
        old = self.old_title if self.old_title is not None or self.old_span is None else OPENING
        new = self.new_title if self.new_title is not None or self.new_span is None else OPENING
        return {"old": old, "new": new, "change": self.change.value}


@dataclass(frozen=True, slots=True)
class PracticeChange:
    """A practice a sentence added, removed or changed; ``old``/``new`` quote the sentences."""

    category: Category
    change: PracticeChangeKind
    old: str | None
    new: str | None
    old_span: Span | None = None
    new_span: Span | None = None
    # Attribute values that differ, e.g. {"retention_period": ("30 days", "2 years")}.
    attributes: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    # (old, new) when the sentence turned from done to not done or back ("now sells").
    polarity: tuple[Polarity, Polarity] | None = None

    def as_json(self) -> dict[str, object]:
        found: dict[str, object] = {
            "category": self.category.value,
            "change": self.change.value,
            "old": self.old,
            "new": self.new,
        }
        if self.polarity is not None:
            found["polarity"] = {"old": self.polarity[0].value, "new": self.polarity[1].value}
            found["summary"] = self.summary()
        return found

    def summary(self) -> str:
        """One line for people: "changed: Data retention: retention period from 30 days to 2 years"."""
        label = LABELS[self.category]
        if self.polarity is not None:
            return f"changed: {label}: {_flip_words(self.category, self.polarity, self.new or '')}"
        for name, (before, after) in self.attributes.items():
            if before and after:
                return f"changed: {label}: {name.replace('_', ' ')} from {before} to {after}"
        quote = self.new if self.change is not PracticeChangeKind.REMOVED else self.old
        return f"{self.change.value}: {label}: “{_shorten(quote or '')}”"


@dataclass(slots=True)
class Comparison:
    old: PolicyDocument
    new: PolicyDocument
    sections: list[SectionDiff]
    practice_changes: list[PracticeChange]
    # True when the old version was kept as text only: compared as text, its structure borrowed.
    text_only: bool = False

    @property
    def dates(self) -> dict[str, tuple[str | None, str | None]]:
        """The policy's own dates that differ: {"last_updated": ("2024-01-10", "2025-03-03")}."""
        found = {}
        for name in ("last_updated", "effective_date"):
            before, after = getattr(self.old.metadata, name), getattr(self.new.metadata, name)
            if before != after:
                found[name] = (before, after)
        return found

    @property
    def unchanged(self) -> bool:
        return all(s.change is SectionChange.SAME for s in self.sections) and not (
            self.practice_changes
        )

    def as_json(self) -> dict[str, object]:
        """The shape ``policyreader diff --json`` prints."""
        return {
            "sections": [section.as_json() for section in self.sections],
            "practice_changes": [change.as_json() for change in self.practice_changes],
        } | self._dates_json()

    def _dates_json(self) -> dict[str, object]:
        """``dates`` only when the policy's own dates differ (the shape stays as it was else)."""
        dates = {name: {"old": old, "new": new} for name, (old, new) in self.dates.items()}
        return {"dates": dates} if dates else {}

    def changed_sections(self, side: str) -> dict[int, SectionChange]:
        """Section start offsets of ``side`` ("old" or "new") that differ, for outline badges."""
        found: dict[int, SectionChange] = {}
        for section in self.sections:
            span = section.new_span if side == "new" else section.old_span
            if span is not None and section.change is not SectionChange.SAME:
                found[span.start] = section.change
        return found


def compare(old: PolicyDocument, new: PolicyDocument, detect: Detect | None = None) -> Comparison:
    """Align ``old`` and ``new`` by section and list what changed; ``detect`` finds practices.

    Text that differs only in whitespace or line wrapping is the same text: both documents are
    compared sentence by sentence with whitespace collapsed. Without ``detect`` the bundled
    practice detector is used.
    """
    old_units, new_units = _units(old), _units(new)
    pairs = _align(old_units, new_units)
    sections = _section_diffs(old, new, old_units, new_units, pairs)
    if detect is None:
        from policyreader.core.practices.detector import detect_practices

        detect = detect_practices
    practice_changes = _practice_changes(old, new, sections, detect)
    return Comparison(old, new, sections, practice_changes)


# --- units -----------------------------------------------------------------------------------------


def _units(document: PolicyDocument) -> list[_Unit]:
    sections = list(document.walk_sections())
    units: list[_Unit] = []
    first = sections[0].start if sections else len(document.text)
    opening_start = _opening_start(document)
    if opening_start < first:
        units.append(_unit(document, None, 0, opening_start, first, 0))
    for section in sections:
        own_end = section.children[0].start if section.children else section.end
        units.append(
            _unit(
                document,
                section.title,
                section.level,
                section.start,
                own_end,
                len(units),
                body_start=_body_start(document, section),
            )
        )
    return [unit for unit in units if unit.title is not None or unit.keys]


def _opening_start(document: PolicyDocument) -> int:
    """Where the text before the first section starts: after the title heading if there is one."""
    if document.title_block is not None:
        return document.blocks[document.title_block].end
    return 0


def _body_start(document: PolicyDocument, section: Section) -> int:
    return document.blocks[section.block_index].end


def _unit(
    document: PolicyDocument,
    title: str | None,
    level: int,
    start: int,
    end: int,
    index: int,
    body_start: int | None = None,
) -> _Unit:
    text = document.text
    spans: list[Span] = []
    for block_index, block in enumerate(document.blocks):
        if block.end <= (body_start if body_start is not None else start) or block.start >= end:
            continue
        if block.kind is BlockKind.HEADING:
            continue
        for sentence in split_sentences(text, block.start, block.end, block_index):
            spans.append(Span(sentence.start, sentence.end))
    keys = [_sentence_key(text[span.start : span.end]) for span in spans]
    return _Unit(title, level, start, end, index, spans, keys)


def _sentence_key(sentence: str) -> str:
    """A sentence as compared: typographic quotes and dashes plain, whitespace collapsed."""
    return " ".join(sentence.translate(_QUOTES).split())


def _title_key(title: str) -> str:
    return title_key(title)


# --- alignment -------------------------------------------------------------------------------------


def _shingles(unit: _Unit) -> set[tuple[str, ...]]:
    words = [w.casefold() for key in unit.keys for w in _WORD.findall(key)]
    if len(words) < SHINGLE:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def _content_similarity(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _title_similarity(old: _Unit, new: _Unit) -> float:
    if old.title is None or new.title is None:
        return 1.0 if old.title is new.title else 0.0
    a, b = _title_key(old.title), _title_key(new.title)
    return 1.0 if a == b else SequenceMatcher(None, a, b, autojunk=False).ratio()


def _align(old_units: list[_Unit], new_units: list[_Unit]) -> dict[int, int]:
    """Pair old units with new ones: identical ones first, then best scores, each used once."""
    pairs = _identical_pairs(old_units, new_units)
    used = set(pairs.values())
    old_rest = [i for i in range(len(old_units)) if i not in pairs]
    new_rest = [j for j in range(len(new_units)) if j not in used]
    old_shingles = {i: _shingles(old_units[i]) for i in old_rest}
    new_shingles = {j: _shingles(new_units[j]) for j in new_rest}
    # Only sections sharing a shingle or a title word can pair: an index avoids all-pairs work.
    index: dict[object, set[int]] = {}
    for j in new_rest:
        for key in (*new_shingles[j], *_title_words(new_units[j])):
            index.setdefault(key, set()).add(j)
    candidates: list[tuple[float, int, int]] = []
    for i in old_rest:
        old = old_units[i]
        reachable: set[int] = set()
        for key in (*old_shingles[i], *_title_words(old)):
            reachable |= index.get(key, set())
        if old.title is None or not old_shingles[i]:
            reachable |= set(new_rest)  # the opening text and empty headings: few, check all
        for j in sorted(reachable):
            new = new_units[j]
            if (old.title is None) != (new.title is None):
                continue
            content = _content_similarity(old_shingles[i], new_shingles[j])
            title = _title_similarity(old, new)
            both_empty = not old_shingles[i] and not new_shingles[j]
            if both_empty and title < 1.0:
                continue  # two empty headings pair only by the same title
            if content >= CONTENT_MATCH or (
                title >= TITLE_MATCH and (content >= TITLE_CONTENT_FLOOR or title == 1.0)
            ):
                # Content decides; the title breaks ties and the position breaks the rest.
                closeness = 1 - abs(i / max(len(old_units), 1) - j / max(len(new_units), 1))
                candidates.append((content * 0.65 + title * 0.35 + closeness * 0.01, i, j))
    for _, i, j in sorted(candidates, reverse=True):
        if i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    return pairs


def _identical_pairs(old_units: list[_Unit], new_units: list[_Unit]) -> dict[int, int]:
    """Sections with the same title and the same sentences, paired in order (most of them)."""
    waiting: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for j, unit in enumerate(new_units):
        waiting.setdefault(_identity(unit), []).append(j)
    pairs: dict[int, int] = {}
    for i, unit in enumerate(old_units):
        matches = waiting.get(_identity(unit))
        if matches:
            pairs[i] = matches.pop(0)
    return pairs


def _identity(unit: _Unit) -> tuple[str, tuple[str, ...]]:
    return (_title_key(unit.name), tuple(unit.keys))


def _title_words(unit: _Unit) -> set[str]:
    return {f"title:{word}" for word in _title_key(unit.name).split()}


def _moved(pairs: dict[int, int]) -> set[int]:
    """Old indices whose pairs are out of order: those outside a longest increasing run."""
    ordered = sorted(pairs.items())
    news = [j for _, j in ordered]
    keep = _longest_increasing(news)
    return {ordered[k][0] for k in range(len(ordered)) if k not in keep}


def _longest_increasing(values: Sequence[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence (patience sorting)."""
    import bisect

    tails: list[int] = []
    tail_positions: list[int] = []
    previous: list[int] = [-1] * len(values)
    for position, value in enumerate(values):
        slot = bisect.bisect_left(tails, value)
        if slot == len(tails):
            tails.append(value)
            tail_positions.append(position)
        else:
            tails[slot] = value
            tail_positions[slot] = position
        previous[position] = tail_positions[slot - 1] if slot else -1
    kept: set[int] = set()
    position = tail_positions[-1] if tail_positions else -1
    while position != -1:
        kept.add(position)
        position = previous[position]
    return kept


# --- section and sentence changes ------------------------------------------------------------------


def _section_diffs(
    old: PolicyDocument,
    new: PolicyDocument,
    old_units: list[_Unit],
    new_units: list[_Unit],
    pairs: dict[int, int],
) -> list[SectionDiff]:
    moved = _moved(pairs)
    by_new = {j: i for i, j in pairs.items()}
    rows: list[tuple[tuple[float, int], SectionDiff]] = []
    for j, unit in enumerate(new_units):
        i = by_new.get(j)
        if i is None:
            rows.append(((j, 1), _one_sided(new, unit, SectionChange.ADDED)))
            continue
        before = old_units[i]
        sentences = _sentence_changes(old, new, before, unit)
        if sentences:
            change = SectionChange.CHANGED
        elif i in moved:
            change = SectionChange.MOVED
        elif _title_key(before.name) != _title_key(unit.name):
            change = SectionChange.CHANGED
        else:
            change = SectionChange.SAME
        rows.append(
            (
                (j, 1),
                SectionDiff(
                    before.title,
                    unit.title,
                    change,
                    Span(before.start, before.end),
                    Span(unit.start, unit.end),
                    sentences,
                    before.level,
                    unit.level,
                ),
            )
        )
    for i, unit in enumerate(old_units):
        if i in pairs:
            continue
        # A removed section is listed after the new place of the section that preceded it.
        anchor = next((pairs[k] for k in range(i - 1, -1, -1) if k in pairs), -1)
        rows.append(((anchor + 0.5, i), _one_sided(old, unit, SectionChange.REMOVED)))
    rows.sort(key=lambda row: row[0])
    return [row for _, row in rows]


def _one_sided(document: PolicyDocument, unit: _Unit, change: SectionChange) -> SectionDiff:
    span = Span(unit.start, unit.end)
    text = document.text
    kind = SentenceChangeKind.ADDED if change is SectionChange.ADDED else SentenceChangeKind.REMOVED
    sentences = [
        SentenceChange(
            kind,
            None if kind is SentenceChangeKind.ADDED else s,
            s if kind is SentenceChangeKind.ADDED else None,
            None if kind is SentenceChangeKind.ADDED else text[s.start : s.end],
            text[s.start : s.end] if kind is SentenceChangeKind.ADDED else None,
        )
        for s in unit.sentences
    ]
    if change is SectionChange.ADDED:
        return SectionDiff(None, unit.title, change, None, span, sentences, 0, unit.level)
    return SectionDiff(unit.title, None, change, span, None, sentences, unit.level, 0)


def _sentence_changes(
    old: PolicyDocument, new: PolicyDocument, before: _Unit, after: _Unit
) -> list[SentenceChange]:
    matcher = SequenceMatcher(None, before.keys, after.keys, autojunk=False)
    changes: list[SentenceChange] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        changes.extend(_pair_sentences(old, new, before, after, range(i1, i2), range(j1, j2)))
    return changes


def _pair_sentences(
    old: PolicyDocument,
    new: PolicyDocument,
    before: _Unit,
    after: _Unit,
    old_range: range,
    new_range: range,
) -> list[SentenceChange]:
    """Within a replaced stretch, similar sentences are edits; the rest are added or removed."""
    edits: dict[int, int] = {}
    used: set[int] = set()
    scored = sorted(
        (
            (SequenceMatcher(None, before.keys[i], after.keys[j], autojunk=False).ratio(), i, j)
            for i in old_range
            for j in new_range
        ),
        reverse=True,
    )
    for ratio, i, j in scored:
        if ratio >= SENTENCE_EDIT and i not in edits and j not in used:
            edits[i] = j
            used.add(j)
    changes: list[SentenceChange] = []
    for i in old_range:
        span = before.sentences[i]
        old_text = old.text[span.start : span.end]
        if i in edits:
            new_span = after.sentences[edits[i]]
            changes.append(
                SentenceChange(
                    SentenceChangeKind.CHANGED,
                    span,
                    new_span,
                    old_text,
                    new.text[new_span.start : new_span.end],
                )
            )
        else:
            changes.append(SentenceChange(SentenceChangeKind.REMOVED, span, None, old_text, None))
    for j in new_range:
        if j not in used:
            span = after.sentences[j]
            changes.append(
                SentenceChange(
                    SentenceChangeKind.ADDED, None, span, None, new.text[span.start : span.end]
                )
            )
    return changes


# --- practice changes ------------------------------------------------------------------------------


def _practice_changes(
    old: PolicyDocument, new: PolicyDocument, sections: list[SectionDiff], detect: Detect
) -> list[PracticeChange]:
    """Practices stated by the sentences that changed; unchanged sentences never count.

    Each changed sentence speaks for its strongest practice, so one added clause is one change
    in the summary, not one per category the detector also noticed in it.
    """
    sentence_changes = [
        change
        for section in sections
        for change in section.sentences
        if not _dating(change)  # a new date is the version's date, shown as such
    ]
    if not sentence_changes:
        return []
    old_practices, new_practices = detect(old), detect(new)
    changes: list[PracticeChange] = []
    reported: set[tuple[object, ...]] = set()
    for change in sentence_changes:
        before = _practices_at(old_practices, change.old)
        after = _practices_at(new_practices, change.new)
        for found in _practice_change(change, before, after):
            # Two edited sentences of one passage are one change of that practice, not two.
            key = _change_key(found, before, after)
            if key not in reported:
                reported.add(key)
                changes.append(found)
    return changes


def _dating(change: SentenceChange) -> bool:
    texts = [text for text in (change.old_text, change.new_text) if text]
    return bool(texts) and all(is_date_line(text) for text in texts)


def _change_key(
    change: PracticeChange, before: dict[Category, Practice], after: dict[Category, Practice]
) -> tuple[object, ...]:
    """What makes a practice change the same one: its kind and the detected passages' places."""
    old = before.get(change.category) if change.change is not PracticeChangeKind.ADDED else None
    new = after.get(change.category) if change.change is not PracticeChangeKind.REMOVED else None
    places = tuple((p.start, p.end) if p is not None else None for p in (old, new))
    if change.change is PracticeChangeKind.CHANGED and change.attributes:
        return (change.category, change.change, tuple(change.attributes.items()))
    return (change.category, change.change, places)


def _practices_at(practices: list[Practice], span: Span | None) -> dict[Category, Practice]:
    """The strongest practice of each category overlapping ``span``."""
    found: dict[Category, Practice] = {}
    if span is None:
        return found
    for practice in practices:
        if practice.start < span.end and span.start < practice.end:
            known = found.get(practice.category)
            if known is None or practice.confidence > known.confidence:
                found[practice.category] = practice
    return found


def _strongest(found: dict[Category, Practice]) -> Practice | None:
    return max(found.values(), key=lambda p: p.confidence, default=None)


def _practice_change(
    change: SentenceChange, before: dict[Category, Practice], after: dict[Category, Practice]
) -> list[PracticeChange]:
    if change.kind is SentenceChangeKind.CHANGED:
        shared = [c for c in before if c in after]
        if shared:
            category = max(shared, key=lambda c: before[c].confidence + after[c].confidence)
            return [
                PracticeChange(
                    category,
                    PracticeChangeKind.CHANGED,
                    change.old_text,
                    change.new_text,
                    change.old,
                    change.new,
                    _attribute_changes(before[category], after[category]),
                    _polarity_flip(before[category], after[category]),
                )
            ]
    results: list[PracticeChange] = []
    lost = _strongest(before)
    if lost is not None:
        results.append(
            PracticeChange(
                lost.category, PracticeChangeKind.REMOVED, change.old_text, None, change.old, None
            )
        )
    gained = _strongest(after)
    if gained is not None:
        results.append(
            PracticeChange(
                gained.category, PracticeChangeKind.ADDED, None, change.new_text, None, change.new
            )
        )
    return results


def _polarity_flip(before: Practice, after: Practice) -> tuple[Polarity, Polarity] | None:
    if before.polarity is after.polarity:
        return None
    return before.polarity, after.polarity


def _flip_words(category: Category, flip: tuple[Polarity, Polarity], text: str) -> str:
    """ "now sells (was: does not)", "now does not collect (was: does)"."""
    verb = practice_verb(category, text)
    done = f"{verb}s" if verb else "states it as done"
    not_done = f"does not {verb}" if verb else "states it as not done"
    words = {Polarity.DOES: done, Polarity.DOES_NOT: not_done, Polarity.MIXED: not_done}
    after = f"now {words[flip[1]]}" + (", with exceptions" if flip[1] is Polarity.MIXED else "")
    before = {Polarity.DOES: "does", Polarity.DOES_NOT: "does not", Polarity.MIXED: "mixed"}
    return f"{after} (was: {before[flip[0]]})"


def _attribute_changes(
    before: Practice, after: Practice
) -> dict[str, tuple[str | None, str | None]]:
    differences: dict[str, tuple[str | None, str | None]] = {}
    for name in sorted(set(before.attributes) | set(after.attributes)):
        old_value, new_value = before.attributes.get(name), after.attributes.get(name)
        if old_value != new_value:
            differences[name] = (_attribute_text(old_value), _attribute_text(new_value))
    # The period is the fact people look for; show it first.
    if "retention_period" in differences:
        differences = {"retention_period": differences.pop("retention_period"), **differences}
    return differences


def _attribute_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v).replace("_", " ") for v in value)
    return str(value)


def _shorten(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- labels ----------------------------------------------------------------------------------------


def long_date(stamp: str) -> str:
    """ "2024-03-05T10:00:00Z" as "5 March 2024" (anything else as it is)."""
    try:
        day = date.fromisoformat(stamp[:10])
    except ValueError:
        return stamp
    return f"{day.day} {day:%B %Y}"


def version_label(document: PolicyDocument) -> str:
    """ "Opened 7 December 2026 · last updated 14 March 2026": when the reader got this version
    (``fetched_at``/``opened_at`` in the metadata extras) and the date the policy gives itself."""
    extra, metadata = document.metadata.extra, document.metadata
    parts = []
    if extra.get("fetched_at"):
        parts.append(f"Fetched {long_date(extra['fetched_at'])}")
    elif extra.get("opened_at"):
        parts.append(f"Opened {long_date(extra['opened_at'])}")
    if metadata.last_updated:
        parts.append(f"last updated {long_date(metadata.last_updated)}")
    elif metadata.effective_date:
        parts.append(f"effective {long_date(metadata.effective_date)}")
    if not parts:
        return PurePath(document.path).name if document.path else "Version"
    text = " · ".join(parts)
    return text[0].upper() + text[1:]


def older_first(
    first: PolicyDocument, second: PolicyDocument
) -> tuple[PolicyDocument, PolicyDocument]:
    """The two versions, the one the policy dates earlier first (as given when either is undated)."""
    before, after = first.metadata.last_updated, second.metadata.last_updated
    if before and after and after < before:
        return second, first
    return first, second


# --- report ----------------------------------------------------------------------------------------


def format_report(comparison: Comparison) -> str:
    """A readable report of a comparison, for the command line."""
    lines = [
        f"{side}: {document.title or document.path or '(untitled)'} ({version_label(document)})"
        for side, document in (("Old", comparison.old), ("New", comparison.new))
    ] + [""]
    if comparison.unchanged:
        lines.append("No changes (whitespace and line wrapping are ignored).")
        return "\n".join(lines)
    lines.append("Sections")
    for section in comparison.sections:
        lines.append("  " + _section_line(section))
        for sentence in section.sentences:
            if section.change in (SectionChange.ADDED, SectionChange.REMOVED):
                break
            lines.extend("      " + line for line in _sentence_lines(sentence))
    if comparison.dates:
        lines.extend(["", "Dates"])
        for name, (before, after) in comparison.dates.items():
            lines.append(
                f"  {name.replace('_', ' ')}: {before or 'not stated'} → {after or 'not stated'}"
            )
    lines.append("")
    lines.append("Practice changes")
    if not comparison.practice_changes:
        lines.append("  (none detected)")
    for change in comparison.practice_changes:
        lines.append("  " + change.summary())
    return "\n".join(lines)


def _section_line(section: SectionDiff) -> str:
    old = section.old_title if section.old_title is not None else OPENING
    new = section.new_title if section.new_title is not None else OPENING
    if section.change is SectionChange.ADDED:
        return f"+ added    {new}"
    if section.change is SectionChange.REMOVED:
        return f"- removed  {old}"
    mark = {"changed": "~ changed ", "moved": "> moved   ", "same": "  same    "}[
        section.change.value
    ]
    return f"{mark}{new}" + (f"  (was “{old}”)" if section.renamed else "")


def _sentence_lines(sentence: SentenceChange) -> list[str]:
    if sentence.kind is SentenceChangeKind.ADDED:
        return [f"+ {_shorten(sentence.new_text or '')}"]
    if sentence.kind is SentenceChangeKind.REMOVED:
        return [f"- {_shorten(sentence.old_text or '')}"]
    return [f"- {_shorten(sentence.old_text or '')}", f"+ {_shorten(sentence.new_text or '')}"]


# --- stored versions ------------------------------------------------------------------------------

_HEADING_LIKE_WORDS = 12


def text_only_document(text: str, like: PolicyDocument, name: str | None = None) -> PolicyDocument:
    """A version kept as text only (before originals were kept), rebuilt to compare as text.

    Its blocks are the pieces between blank lines. A piece whose text is a block of ``like``
    (the version it is compared with) takes that block's kind, level, marker, styles and table
    cells, so what did not change reads and aligns exactly as it does there and only the
    edited text differs. Other pieces are paragraphs, or headings when short, unpunctuated and
    followed by a longer piece, the way headings sit in a policy.
    """
    from policyreader.core.builder import SourceParse
    from policyreader.core.metadata import finish_document, shows_header_date

    known: dict[str, RawBlock] = {}
    for block in like.blocks:
        known.setdefault(like.text[block.start : block.end], _raw_block(like, block))
    deepest = max((b.level for b in like.blocks if b.kind is BlockKind.HEADING), default=2)
    pieces = [piece.strip("\n") for piece in text.split(BLOCK_SEPARATOR) if piece.strip()]
    blocks = []
    for index, piece in enumerate(pieces):
        following = pieces[index + 1] if index + 1 < len(pieces) else ""
        if piece in known:
            blocks.append(known[piece])
        elif _reads_as_heading(piece, following):
            blocks.append(text_block(BlockKind.HEADING, piece, level=deepest))
        else:
            blocks.append(text_block(BlockKind.PARAGRAPH, piece))
    # Its date line goes where ``like`` put its own, so stored text from before dates were moved to
    # the header shows no change for it; a changed date is then only the version's new date.
    parse = SourceParse(
        blocks=blocks, title_hint=like.title, drop_header_dates=not shows_header_date(like)
    )
    return finish_document(parse, like.format, name)


def _raw_block(document: PolicyDocument, block: Block) -> RawBlock:
    """A block of ``document`` as a reader would hand it over: same kind, styles and cells."""
    if block.kind is BlockKind.TABLE:
        rows = [[_runs(document, start, end, block) for start, end in row] for row in block.cells]
        return RawBlock(BlockKind.TABLE, rows=rows, header_rows=block.header_rows)
    runs = _runs(document, block.start, block.end, block)
    return RawBlock(block.kind, runs=runs, level=block.level, marker=block.marker)


def _runs(document: PolicyDocument, start: int, end: int, block: Block) -> list[Run]:
    """``text[start:end]`` cut into runs at the block's inline styles."""
    runs: list[Run] = []
    position = start
    for inline in block.inlines:
        low, high = max(inline.start, start), min(inline.end, end)
        if low >= high or low < position:
            continue
        if low > position:
            runs.append(Run(document.text[position:low]))
        runs.append(
            Run(document.text[low:high], inline.bold, inline.italic, inline.code, inline.href)
        )
        position = high
    if position < end or not runs:
        runs.append(Run(document.text[position:end]))
    return runs


def _reads_as_heading(piece: str, following: str) -> bool:
    from policyreader.core.metadata import date_line

    return (
        "\n" not in piece
        and not date_line(piece)  # "Last update: February 9, 2012" dates the policy, heads nothing
        and len(piece.split()) <= _HEADING_LIKE_WORDS
        and piece[-1:] not in '.,;:!?)"”'
        and len(following) > len(piece)
    )
