"""The scan's output file: whole lines appended as they come, read back for ``--resume``, compacted."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Sequence
from pathlib import Path

from policyreader.core.facts import csv_header, csv_row


def drop_torn_tail(path: Path) -> None:
    """Cut a last line that a kill left without its newline; whole lines are never touched."""
    with path.open("rb+") as handle:
        data = handle.read()
        if not data or data.endswith(b"\n"):
            return
        handle.truncate(data.rfind(b"\n") + 1)


def recorded_lines(path: Path) -> dict[str, str]:
    """The last whole, parseable line per path (a later line of a path replaces an earlier one)."""
    lines: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                continue  # only a torn line can be unparseable: it is rewritten by the resumed run
            if isinstance(record, dict) and isinstance(record.get("path"), str):
                lines[record["path"]] = line.rstrip("\n")
    return lines


def known_fingerprints(path: Path) -> dict[str, str | None]:
    """Path -> the fingerprint on its line (None for a failed file, which a resume tries again)."""
    return {p: json.loads(line).get("fingerprint") for p, line in recorded_lines(path).items()}


def compact(path: Path, order: Sequence[str]) -> None:
    """Rewrite ``path`` with one line per file of ``order``, in that order; atomic by rename."""
    lines = recorded_lines(path)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        for name in order:
            if name in lines:
                handle.write(lines[name] + "\n")
    os.replace(partial, path)


def write_csv(jsonl: Path, target: Path) -> int:
    """One row per policy line of ``jsonl``: its path, title, error and each side-by-side fact."""
    count = 0
    with (
        jsonl.open(encoding="utf-8") as source,
        target.open("w", newline="", encoding="utf-8") as out,
    ):
        writer = csv.writer(out)
        writer.writerow(csv_header())
        for line in source:
            writer.writerow(csv_row(json.loads(line)))
            count += 1
    return count
