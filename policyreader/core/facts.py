"""The facts of several policies side by side: one row per fact of the label, one cell per policy.

A cell is one of four things, kept apart everywhere it is shown: the policy **states** it (with its
words, e.g. "For 30 days"), it states it **does not** ("We do not sell"), the whole topic is
**not stated**, or the topic is addressed without naming this item (**not named**, an empty cell).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from policyreader.core.document import Metadata
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import Attribute, Category
from policyreader.core.summary import value_words

Span = tuple[int, int]

DATA_TYPES = (
    "contact",
    "location",
    "financial",
    "health",
    "device_identifiers",
    "cookies_tracking",
    "online_activity",
    "demographics",
    "user_content",
    "account_credentials",
    "social_media",
    "government_id",
)
RECIPIENTS = (
    "service_providers",
    "advertisers",
    "analytics",
    "affiliates",
    "business_partners",
    "social_networks",
    "government_legal",
    "buyer_in_merger",
    "unnamed_third_parties",
)
PURPOSES = (
    "service_operation",
    "advertising",
    "marketing",
    "analytics_research",
    "personalization",
    "security_fraud",
    "legal",
    "merger",
)
RIGHTS = ("access", "correct", "delete", "export")
RIGHT_WORDS = {
    "access": "Access",
    "correct": "Correction",
    "delete": "Deletion",
    "export": "Portability",
}
OPT_OUTS = (
    "opt_out_link",
    "opt_in_consent",
    "browser_cookie_controls",
    "account_settings",
    "contact_company",
)
REGIONS = ("eu", "california", "other_regions", "international_transfer")
CHILDREN = ("children_under_13", "children_under_16", "children")

# Selling data; "sale of all or substantially all assets" and "if the company is sold" are mergers.
_SELLS = re.compile(
    r"\b(?<!is )(?<!are )(?<!be )(?<!been )(?<!being )(?:sell|sells|sold|selling|rent|rents|renting)\b"
    r"|\bsale of (?:your|personal)",
    re.IGNORECASE,
)
# What is sold must be data ("sell your information", "lists we rent"), not the business itself.
_DATA_OBJECT = re.compile(
    r"\b(?:information|data|lists?|e-?mail addresses|names|cookies|details|it|them)\b", re.I
)
# The direct object of the verb (its first words) when a business, not data, is sold.
_BUSINESS_OBJECT = re.compile(
    r"\b(?:assets?|stock|divisions?|units?|products?|product lines|offerings|services|merge\w*|"
    r"subscriptions?|tickets|goods|merchandise)\b|"
    r"\b(?:our|its|the|this|their|a) (?:business|company)\b",
    re.IGNORECASE,
)
OBJECT_WORDS_REACH = 50
OBJECT_REACH = 80
# A negation earlier in the same clause: "we do not sell", "this does not include selling".
_NEGATION = re.compile(r"\b(?:not|never|no|neither|nor)\b|n't\b", re.IGNORECASE)
_CLAUSE_START = re.compile(r"[.;:!?]\s|\bbut\b|\bexcept\b|\bhowever\b", re.IGNORECASE)
NEGATION_REACH = 60
# The CCPA link title names a right, it says nothing about whether the company sells.
_DO_NOT_SELL_LINK = re.compile(r"\bdo not sell my\b", re.IGNORECASE)
_DNT_HONOURED = re.compile(r"\b(?:we|will) (?:honou?r|respect|respond to)\b", re.IGNORECASE)
_DNT_IGNORED = re.compile(
    r"\b(?:not|no|cannot|n't)\b[^.]{0,60}\b(?:respond|honou?r|recogni[sz]e|support)|"
    r"\bno (?:uniform|industry|common) standard\b",
    re.IGNORECASE,
)


class CellState(StrEnum):
    STATES = "states"
    DOES_NOT = "does_not"
    NOT_STATED = "not_stated"  # the policy never addresses the topic
    NOT_NAMED = "not_named"  # the topic is addressed, this item is not named: an empty cell


NOT_STATED_WORDS = "Not stated"
DOES_NOT_WORDS = "Does not"
MIXED_WORDS = "Does not, except as stated"


@dataclass(frozen=True, slots=True)
class FactRow:
    key: str  # stable id, e.g. ``collects.location``
    group: str  # ``Collects``
    label: str  # ``Location``

    @property
    def title(self) -> str:
        return f"{self.group}: {self.label}"


@dataclass(frozen=True, slots=True)
class FactCell:
    state: CellState
    words: str = ""
    spans: tuple[Span, ...] = ()

    @property
    def shown(self) -> str:
        """What the cell says: its words, or the two fixed phrases; a not-named cell is empty."""
        if self.state is CellState.NOT_STATED:
            return NOT_STATED_WORDS
        if self.state is CellState.DOES_NOT:
            return self.words or DOES_NOT_WORDS
        return self.words

    def as_json(self) -> dict[str, object]:
        return {
            "state": self.state.value,
            "value": self.shown,
            "spans": [list(s) for s in self.spans],
        }


def _rows() -> tuple[FactRow, ...]:
    rows = [FactRow(f"collects.{v}", "Collects", value_words(v)) for v in DATA_TYPES]
    rows += [FactRow(f"shares_with.{v}", "Shares with", value_words(v)) for v in RECIPIENTS]
    rows.append(FactRow("sells", "Sells data", "Sells personal data"))
    rows += [FactRow(f"purpose.{v}", "Purposes", value_words(v)) for v in PURPOSES]
    rows.append(FactRow("retention.stated", "Retention", "Retention stated"))
    rows.append(FactRow("retention.periods", "Retention", "Periods"))
    rows += [FactRow(f"right.{v}", "Rights", RIGHT_WORDS[v]) for v in RIGHTS]
    rows += [FactRow(f"opt_out.{v}", "Opt-outs", value_words(v)) for v in OPT_OUTS]
    rows.append(FactRow("do_not_track", "Do Not Track", "Do Not Track signals"))
    rows.append(FactRow("children", "Children", "Children"))
    rows += [FactRow(f"region.{v}", "Regions", value_words(v)) for v in REGIONS]
    rows.append(FactRow("last_updated", "Last updated", "Last updated"))
    return tuple(rows)


FACT_ROWS: tuple[FactRow, ...] = _rows()


def polarity(practice: Practice) -> str:
    """``does``, ``does_not`` or ``mixed``; practices without a polarity field state what they say."""
    return getattr(practice, "polarity", "does") or "does"


def _not_done(practice: Practice) -> bool:
    """Stated as not done: plainly, or "not, except ..." (mixed), which never reads as a yes."""
    return polarity(practice) in ("does_not", "mixed")


def _not_done_words(not_done: Sequence[Practice], plain: str = DOES_NOT_WORDS) -> str:
    """A mixed statement alone keeps its exceptions visible."""
    if any(polarity(p) == "does_not" for p in not_done):
        return plain
    return MIXED_WORDS


def policy_facts(
    text: str, practices: Iterable[Practice], metadata: Metadata | None = None
) -> dict[str, FactCell]:
    """Every fact of ``FACT_ROWS`` for one policy, keyed by row key."""
    by_category: dict[Category, list[Practice]] = {}
    for practice in sorted(practices, key=lambda p: (p.start, p.end)):
        by_category.setdefault(practice.category, []).append(practice)
    collected = by_category.get(Category.FIRST_PARTY_COLLECTION, [])
    shared = by_category.get(Category.THIRD_PARTY_SHARING, [])
    access = by_category.get(Category.USER_ACCESS, [])
    choice = by_category.get(Category.USER_CHOICE, [])
    audiences = by_category.get(Category.INTERNATIONAL_SPECIFIC_AUDIENCES, [])
    cells: dict[str, FactCell] = {}
    cells |= _value_cells("collects", collected, Attribute.DATA_TYPES, DATA_TYPES)
    cells |= _value_cells("shares_with", shared, Attribute.THIRD_PARTIES, RECIPIENTS)
    cells["sells"] = _sells(text, shared)
    cells |= _value_cells("purpose", collected + shared, Attribute.PURPOSES, PURPOSES)
    cells |= _retention(by_category.get(Category.DATA_RETENTION, []))
    cells |= _value_cells("right", access, Attribute.RIGHTS, RIGHTS)
    cells |= _value_cells("opt_out", choice, Attribute.CHOICES, OPT_OUTS)
    cells["do_not_track"] = _do_not_track(text, by_category.get(Category.DO_NOT_TRACK, []))
    cells["children"] = _children(audiences)
    cells |= _value_cells("region", audiences, Attribute.AUDIENCES, REGIONS)
    cells["last_updated"] = _last_updated(metadata)
    return cells


def _spans(found: Iterable[Practice]) -> tuple[Span, ...]:
    return tuple((p.start, p.end) for p in found)


def _names(practice: Practice, key: str) -> list[str]:
    value = practice.attributes.get(key)
    return [value] if isinstance(value, str) else list(value or ())


def _stated_or_not(does: list[Practice], does_not: list[Practice], words: str) -> FactCell:
    """``does`` wins over ``does_not``: a policy that says both states it (and both are linked)."""
    if does:
        return FactCell(CellState.STATES, words, _spans(does + does_not))
    return FactCell(CellState.DOES_NOT, _not_done_words(does_not), _spans(does_not))


def _value_cells(
    prefix: str,
    found: Sequence[Practice],
    kind: Attribute,
    values: Sequence[str],
) -> dict[str, FactCell]:
    if not found:
        return {f"{prefix}.{v}": FactCell(CellState.NOT_STATED) for v in values}
    cells = {}
    for value in values:
        naming = [p for p in found if value in _names(p, kind.value)]
        does = [p for p in naming if not _not_done(p)]
        does_not = [p for p in naming if _not_done(p)]
        if naming:
            cells[f"{prefix}.{value}"] = _stated_or_not(does, does_not, "Yes")
        else:
            cells[f"{prefix}.{value}"] = FactCell(CellState.NOT_NAMED)
    return cells


def _sells(text: str, shared: Sequence[Practice]) -> FactCell:
    """Each mention of selling in the sharing sentences, negated or not; its sentence is linked."""
    does: list[Span] = []
    does_not: list[Span] = []
    negated_by: list[Practice] = []
    for practice in shared:
        for match in _SELLS.finditer(text, practice.start, practice.end):
            start = max(practice.start, match.start() - NEGATION_REACH)
            before = text[start : match.start()]
            clause = before[_last_end(_CLAUSE_START, before) :]
            if _DO_NOT_SELL_LINK.search(text, start, match.end() + 3):
                continue
            after = text[match.end() : min(practice.end, match.end() + OBJECT_REACH)]
            after = after[: _first_start(_CLAUSE_START, after)]
            sold = after[:OBJECT_WORDS_REACH]
            if _BUSINESS_OBJECT.search(sold) or not _DATA_OBJECT.search(clause + " " + after):
                continue  # selling assets, products or the company: not a sale of data
            sentence = _sentence(text, match.start(), practice.start, practice.end)
            negated = _not_done(practice) or _NEGATION.search(clause)
            target = does_not if negated else does
            if negated and polarity(practice) != "mixed":
                negated_by.append(practice)
            if sentence not in target:
                target.append(sentence)
    if does:
        return FactCell(CellState.STATES, "Sells", tuple(does + does_not))
    if does_not:
        words = DOES_NOT_WORDS if negated_by else MIXED_WORDS
        return FactCell(CellState.DOES_NOT, words, tuple(does_not))
    return FactCell(CellState.NOT_STATED)


def _first_start(pattern: re.Pattern[str], text: str) -> int:
    found = pattern.search(text)
    return found.start() if found else len(text)


def _last_end(pattern: re.Pattern[str], text: str) -> int:
    return max((m.end() for m in pattern.finditer(text)), default=0)


def _sentence(text: str, offset: int, lower: int, upper: int) -> Span:
    """The sentence around ``offset``, kept inside the practice's span."""
    start = max(text.rfind(". ", lower, offset) + 2, lower) if ". " in text[lower:offset] else lower
    end = text.find(". ", offset, upper)
    return start, (end + 1 if end >= 0 else upper)


def _retention(found: Sequence[Practice]) -> dict[str, FactCell]:
    if not found:
        return {
            "retention.stated": FactCell(CellState.NOT_STATED),
            "retention.periods": FactCell(CellState.NOT_STATED),
        }
    periods: dict[str, list[Span]] = {}
    for practice in found:
        period = practice.attributes.get(Attribute.RETENTION_PERIOD.value)
        if isinstance(period, str) and period:
            periods.setdefault(period, []).append((practice.start, practice.end))
    stated = FactCell(CellState.STATES, "Yes", _spans(found))
    if not periods:
        return {"retention.stated": stated, "retention.periods": FactCell(CellState.NOT_NAMED)}
    spans = tuple(span for group in periods.values() for span in group)
    words = "; ".join(periods)
    return {
        "retention.stated": stated,
        "retention.periods": FactCell(CellState.STATES, words, spans),
    }


def _do_not_track(text: str, found: Sequence[Practice]) -> FactCell:
    if not found:
        return FactCell(CellState.NOT_STATED)
    ignored = [
        p for p in found if polarity(p) == "does_not" or _DNT_IGNORED.search(text, p.start, p.end)
    ]
    honoured = [p for p in found if p not in ignored and _DNT_HONOURED.search(text, p.start, p.end)]
    if honoured:
        return FactCell(CellState.STATES, "Honoured", _spans(honoured))
    if ignored:
        return FactCell(CellState.DOES_NOT, "Not honoured", _spans(ignored))
    return FactCell(CellState.STATES, "Mentioned", _spans(found))


def _children(audiences: Sequence[Practice]) -> FactCell:
    naming = [p for p in audiences if set(_names(p, Attribute.AUDIENCES.value)) & set(CHILDREN)]
    if not naming:
        return FactCell(CellState.NOT_STATED)
    ages = {v for p in naming for v in _names(p, Attribute.AUDIENCES.value)} & set(CHILDREN)
    words = next((value_words(v) for v in CHILDREN if v in ages), "Children")
    does = [p for p in naming if not _not_done(p)]
    does_not = [p for p in naming if _not_done(p)]
    return _stated_or_not(does, does_not, words)


def _last_updated(metadata: Metadata | None) -> FactCell:
    date = metadata and (metadata.last_updated or metadata.effective_date)
    return FactCell(CellState.STATES, date) if date else FactCell(CellState.NOT_STATED)


def facts_json(cells: Mapping[str, FactCell]) -> dict[str, dict[str, object]]:
    return {row.key: cells[row.key].as_json() for row in FACT_ROWS if row.key in cells}


def differing_rows(columns: Sequence[Mapping[str, FactCell]]) -> tuple[FactRow, ...]:
    """Rows where the policies do not all say the same (state and words)."""
    return tuple(
        row
        for row in FACT_ROWS
        if len({(c[row.key].state, c[row.key].shown) for c in columns if row.key in c}) > 1
    )


def csv_header() -> list[str]:
    """The scan CSV's columns: which file, then one column per fact."""
    return ["path", "title", "error", *(row.title for row in FACT_ROWS)]


def csv_row(record: Mapping[str, object]) -> list[str]:
    """One policy's row from its scan line (``facts`` as ``facts_json`` writes them)."""
    facts = record.get("facts") or {}
    assert isinstance(facts, dict)
    values = [str(facts.get(row.key, {}).get("value", "")) for row in FACT_ROWS]
    return [
        str(record.get("path") or ""),
        str(record.get("title") or ""),
        str(record.get("error") or ""),
        *values,
    ]
