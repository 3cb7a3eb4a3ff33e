"""The per-file step of ``scan``: one policy file in, its JSON line out; a failure is a line too."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from policyreader.core.analysis import analyse
from policyreader.core.errors import PolicyLoadError
from policyreader.core.fingerprint import fingerprint
from policyreader.core.loading import load_path
from policyreader.core.report import document_json

# The extensions the reader's Open dialog offers; a file named on the command line is always taken.
POLICY_SUFFIXES = frozenset(
    {".md", ".markdown", ".txt", ".text", ".html", ".htm", ".xhtml", ".pdf"}
)


def scan_file(
    path: str, detector: str = "combined", keep_text: bool = False, known: str | None = None
) -> str | None:
    """The JSON line (no newline) for ``path``, or None when its fingerprint equals ``known``.

    Never raises for a bad file: its line has ``error`` set and the fields it could not fill empty.
    """
    try:
        document = load_path(path)
        print_ = fingerprint(document.text)
        if known is not None and print_ == known:
            return None
        practices = analyse(document, detector, rules_if_model_fails=False).practices
        record = document_json(document, practices)
    except PolicyLoadError as error:
        return failed_line(path, str(error))
    except Exception as error:  # a parser bug on one file must not end a batch of thousands
        return failed_line(path, f"{path} could not be analysed: {type(error).__name__}: {error}")
    if not keep_text:
        del record["text"]
    record["fingerprint"] = print_
    record["error"] = None
    return _line(record)


def scan_files(tasks: Sequence[tuple[str, str, bool, str | None]]) -> list[str | None]:
    """``scan_file`` over several files in one call: one task for a cluster's scheduler, not many."""
    return [scan_file(*task) for task in tasks]


def failed_line(path: str, message: str) -> str:
    """The line of a file that could not be analysed: its path, no fingerprint, the message."""
    return _line({"path": path, "fingerprint": None, "error": message})


def _line(record: dict[str, object]) -> str:
    # One physical line per file: json.dumps escapes every newline inside strings.
    return json.dumps(record, ensure_ascii=False)


def policy_files(paths: Iterable[str]) -> list[str]:
    """Every policy file under ``paths`` (folders recursively, hidden ones skipped), sorted by path.

    The sort is by the path string, so the order is the same on every machine and every run.
    """
    found: set[str] = set()
    for given in paths:
        if os.path.isdir(given):
            found.update(_walk(given))
        else:
            found.add(given)  # named explicitly: taken whatever its name, and reported if missing
    return sorted(found)


def _walk(root: str) -> Iterator[str]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith(".") and Path(name).suffix.lower() in POLICY_SUFFIXES:
                yield os.path.join(folder, name)
