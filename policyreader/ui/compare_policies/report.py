"""The table as shown (visible rows and policies, in their order) as CSV or an HTML report."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence

# Each cell's class in the report: the same four kinds the window shows, told apart in words too.
_STYLE = """
body { font-family: sans-serif; margin: 2em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #bbb; padding: 4px 8px; text-align: left; vertical-align: top; }
td.does_not { font-weight: bold; background: #f6dccb; }
td.not_stated { font-style: italic; color: #555; background: #eee; }
"""


def csv_text(table: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table)
    return buffer.getvalue()


def html_report(title: str, table: Sequence[Sequence[str]], states: Sequence[Sequence[str]]) -> str:
    """A standalone page; every string from a policy is escaped (it is shown as text, never markup).

    ``states`` gives each body cell's state (``states``, ``does_not``...) for its class.
    """
    escape = html.escape
    header, *body = table
    head = "".join(f"<th scope='col'>{escape(name)}</th>" for name in header)
    rows = []
    for cells, kinds in zip(body, states, strict=True):
        fact, *values = cells
        tds = "".join(
            f"<td class='{escape(kind)}'>{escape(value)}</td>"
            for value, kind in zip(values, kinds, strict=True)
        )
        rows.append(f"<tr><th scope='row'>{escape(fact)}</th>{tds}</tr>")
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        "<p>“Not stated”: the policy never addresses the topic. “Does not”: it says it does not. "
        "An empty cell: the topic is addressed without naming this.</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "</body></html>\n"
    )
