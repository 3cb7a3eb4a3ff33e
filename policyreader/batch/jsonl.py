"""The scan's output file: whole lines appended as they come, read back for ``--resume``, compacted.

Nothing here holds the lines in memory: a million policies make tens of gigabytes of JSON, so the
file is read line by line and rewritten by seeking to the one line kept per path.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from policyreader.core.bounded_json import UntrustedJsonError, loads_bounded
from policyreader.core.facts import csv_header, csv_row

# A record is one file's results; a line longer than this is not one of ours.
MAX_LINE_BYTES = 64 * 1024 * 1024


def drop_torn_tail(path: Path) -> None:
    """Cut a last line that a kill left without its newline; whole lines are never touched."""
    size = path.stat().st_size
    with path.open("rb+") as handle:
        # Read back from the end in blocks until a newline: the file may be very large.
        position = size
        while position > 0:
            step = min(65536, position)
            handle.seek(position - step)
            block = handle.read(step)
            if position == size and block.endswith(b"\n"):
                return
            newline = block.rfind(b"\n")
            if newline >= 0:
                handle.truncate(position - step + newline + 1)
                return
            position -= step
        handle.truncate(0)


def records(path: Path) -> Iterator[tuple[int, dict]]:
    """(byte offset, record) of every whole, parseable line with a path."""
    with path.open("rb") as handle:
        offset = 0
        for raw in handle:
            try:
                record = loads_bounded(raw, MAX_LINE_BYTES, max_depth=8)
            except UntrustedJsonError:
                record = None  # only a torn line can be unparseable: the resumed run redoes it
            if isinstance(record, dict) and isinstance(record.get("path"), str):
                yield offset, record
            offset += len(raw)


def known_fingerprints(path: Path) -> dict[str, str | None]:
    """Path -> the fingerprint on its last line (None for a failed file, which a resume retries)."""
    return {record["path"]: record.get("fingerprint") for _, record in records(path)}


def compact(path: Path, order: Sequence[str]) -> None:
    """Leave ``path`` with one line per file of ``order``, in that order (the last line of a path
    wins); a file already like that is not touched, another is rewritten and renamed over it."""
    last: dict[str, int] = {}
    sequence: list[str] = []
    for offset, record in records(path):
        last[record["path"]] = offset
        sequence.append(record["path"])
    if sequence == list(order):
        return
    partial = path.with_name(path.name + ".partial")
    with path.open("rb") as source, partial.open("wb") as target:
        for name in order:
            if name in last:
                source.seek(last[name])
                target.write(source.readline())
    os.replace(partial, path)


def write_csv(jsonl: Path, target: Path) -> int:
    """One row per policy line of ``jsonl``: its path, title, error and each side-by-side fact."""
    count = 0
    with target.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(csv_header())
        for _, record in records(jsonl):
            writer.writerow(csv_row(record))
            count += 1
    return count
