"""The side-by-side facts: the four kinds of cell, selling and its negation, polarity."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policyreader.core.facts import (
    FACT_ROWS,
    CellState,
    csv_header,
    csv_row,
    differing_rows,
    facts_json,
    policy_facts,
)
from policyreader.core.loading import load_path
from policyreader.core.practices.detector import detect_practices
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import Category

COMPARE = Path(__file__).resolve().parent.parent / "fixtures" / "compare"


@dataclass(frozen=True, slots=True)
class PolarPractice(Practice):
    """A practice as the polarity branch makes them (``polarity`` ``does`` or ``does_not``)."""

    polarity: str = "does"


def facts_of(name: str) -> dict:
    document = load_path(COMPARE / name)
    return policy_facts(document.text, detect_practices(document), document.metadata)


def test_the_three_fixtures_sell_do_not_sell_and_stay_silent() -> None:
    sells, does_not, silent = (
        facts_of(n) for n in ("brightkettle.md", "quillmoss.md", "tallowfen.md")
    )
    assert (sells["sells"].state, sells["sells"].shown) == (CellState.STATES, "Sells")
    assert (does_not["sells"].state, does_not["sells"].shown) == (CellState.DOES_NOT, "Does not")
    assert (silent["sells"].state, silent["sells"].shown) == (CellState.NOT_STATED, "Not stated")


def test_a_cell_links_the_sentence_that_states_it() -> None:
    document = load_path(COMPARE / "quillmoss.md")
    cells = policy_facts(document.text, detect_practices(document), document.metadata)
    ((start, end),) = cells["sells"].spans
    assert document.text[start:end] == "We do not sell your personal information to anyone."
    ((start, end),) = cells["retention.periods"].spans
    assert "30 days" in document.text[start:end]


def test_not_named_is_empty_while_a_topic_never_addressed_is_not_stated() -> None:
    silent = facts_of("tallowfen.md")
    assert silent["collects.location"].shown == "Yes"  # a postal code is a location
    assert silent["collects.health"].state is CellState.NOT_NAMED
    assert silent["collects.health"].shown == ""
    assert silent["right.delete"].shown == "Not stated"
    assert silent["last_updated"].shown == "Not stated"


def test_dates_come_from_the_metadata() -> None:
    assert facts_of("brightkettle.md")["last_updated"].shown == "2026-02-10"
    assert facts_of("quillmoss.md")["last_updated"].shown == "2025-11-01"


def test_do_not_track_ignored_reads_not_honoured() -> None:
    cell = facts_of("brightkettle.md")["do_not_track"]
    assert (cell.state, cell.shown) == (CellState.DOES_NOT, "Not honoured")


def test_a_does_not_practice_gives_does_not() -> None:
    text = "We never collect your location."
    practice = PolarPractice(
        Category.FIRST_PARTY_COLLECTION,
        0,
        len(text),
        0.9,
        {"data_types": ["location"]},
        polarity="does_not",
    )
    cells = policy_facts(text, [practice])
    assert cells["collects.location"].state is CellState.DOES_NOT
    assert cells["collects.location"].shown == "Does not"
    assert cells["collects.location"].spans == ((0, len(text)),)
    assert cells["collects.contact"].state is CellState.NOT_NAMED


def test_a_mixed_practice_is_never_a_yes_and_keeps_its_exceptions_visible() -> None:
    text = "We never share your location with advertisers unless you ask us to."
    practice = PolarPractice(
        Category.THIRD_PARTY_SHARING,
        0,
        len(text),
        0.9,
        {"third_parties": ["advertisers"]},
        polarity="mixed",
    )
    cell = policy_facts(text, [practice])["shares_with.advertisers"]
    assert cell.state is CellState.DOES_NOT
    assert cell.shown == "Does not, except as stated"


def test_a_does_practice_wins_over_a_does_not_one_and_both_are_linked() -> None:
    text = "We do not share your location. We share your location with advertisers."
    first = PolarPractice(
        Category.THIRD_PARTY_SHARING,
        0,
        30,
        0.9,
        {"third_parties": ["advertisers"]},
        polarity="does_not",
    )
    second = PolarPractice(
        Category.THIRD_PARTY_SHARING, 31, len(text), 0.9, {"third_parties": ["advertisers"]}
    )
    cell = policy_facts(text, [second, first])["shares_with.advertisers"]
    assert cell.state is CellState.STATES
    assert set(cell.spans) == {(0, 30), (31, len(text))}


def test_a_does_not_practice_about_selling_says_does_not() -> None:
    # "is sold" reads as the company being sold (a merger), whatever the polarity.
    text = "Your data is sold to partners."
    practice = PolarPractice(Category.THIRD_PARTY_SHARING, 0, len(text), 0.9, polarity="does_not")
    assert policy_facts(text, [practice])["sells"].state is CellState.NOT_STATED
    text = "We sell data to partners."
    practice = PolarPractice(Category.THIRD_PARTY_SHARING, 0, len(text), 0.9, polarity="does_not")
    plain = Practice(Category.THIRD_PARTY_SHARING, 0, len(text), 0.9)
    assert policy_facts(text, [practice])["sells"].shown == "Does not"
    assert policy_facts(text, [plain])["sells"].shown == "Sells"


def test_selling_the_company_and_the_ccpa_link_title_are_not_selling_data() -> None:
    text = (
        "If the company is sold, a buyer gets your data. Click Do Not Sell My Personal Information."
    )
    practice = Practice(Category.THIRD_PARTY_SHARING, 0, len(text), 0.9)
    assert policy_facts(text, [practice])["sells"].state is CellState.NOT_STATED


def test_rows_where_policies_differ() -> None:
    columns = [facts_of(n) for n in ("brightkettle.md", "quillmoss.md")]
    keys = {row.key for row in differing_rows(columns)}
    assert "sells" in keys and "collects.contact" not in keys
    assert keys < {row.key for row in FACT_ROWS}


def test_csv_row_follows_the_header() -> None:
    document = load_path(COMPARE / "quillmoss.md")
    cells = policy_facts(document.text, detect_practices(document), document.metadata)
    record = {"path": "q.md", "title": "Q", "error": None, "facts": facts_json(cells)}
    row = dict(zip(csv_header(), csv_row(record), strict=True))
    assert row["Sells data: Sells personal data"] == "Does not"
    assert row["Retention: Periods"] == "30 days"
    assert row["Collects: Health data"] == ""
