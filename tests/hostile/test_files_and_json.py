"""Findings 4, 5 and 7 of issue 19: blocking files, uncapped bundles, tracebacks from bad JSON."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from policyreader.core.annotations_io import AnnotationFormatError, import_json, read_notes_file
from policyreader.core.bounded_json import UntrustedJsonError, loads_bounded, nesting_depth
from policyreader.core.errors import LoadProblem, PolicyLoadError
from policyreader.core.loading import load_path
from policyreader.core.review_bundle import (
    MAX_TEXT_CHARS,
    BundleError,
    read_bundle,
    read_bundle_file,
)
from policyreader.core.safe_files import read_user_file
from tests.hostile.helpers import POLICY, bundle_members, make_fifo, run_cli, zip_members

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")


# --- 4: a FIFO, a device: refused before anything is read ------------------------------------


@posix_only
def test_inspect_on_a_fifo_says_so_and_exits(tmp_path: Path) -> None:
    fifo = make_fifo(tmp_path / "policy.md")
    done = run_cli("inspect", str(fifo), timeout=30)
    assert done.returncode == 2
    assert "not a regular file" in done.stderr and "Traceback" not in done.stderr


@posix_only
def test_screenshot_of_a_fifo_exits(tmp_path: Path) -> None:
    fifo = make_fifo(tmp_path / "policy.md")
    done = run_cli(str(fifo), "--screenshot", str(tmp_path / "shot.png"), timeout=60)
    assert done.returncode in (0, 1, 2)
    assert "Traceback" not in done.stderr


@posix_only
@pytest.mark.parametrize("name", ["policy.md", "review.policyreview", "notes.json"])
def test_every_user_file_reader_refuses_a_fifo_without_blocking(tmp_path: Path, name: str) -> None:
    fifo = make_fifo(tmp_path / name)
    with pytest.raises(PolicyLoadError) as caught:
        read_user_file(fifo)
    assert caught.value.problem is LoadProblem.NOT_A_FILE
    with pytest.raises(PolicyLoadError, match="not a regular file"):
        load_path(fifo)
    with pytest.raises(BundleError, match="not a regular file"):
        read_bundle_file(fifo)
    with pytest.raises(AnnotationFormatError, match="not a regular file"):
        read_notes_file(fifo)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_refused_before_it_is_read() -> None:
    with pytest.raises(PolicyLoadError) as caught:
        read_user_file("/dev/zero")
    assert caught.value.problem is LoadProblem.NOT_A_FILE


def test_the_size_is_capped_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    with big.open("wb") as handle:
        handle.truncate(3 * 1024 * 1024)  # sparse: three megabytes that cost no disk
    with pytest.raises(PolicyLoadError) as caught:
        read_user_file(big, max_bytes=1024 * 1024)
    assert caught.value.problem is LoadProblem.TOO_LARGE
    assert read_user_file(big, max_bytes=4 * 1024 * 1024)[:4] == b"\0\0\0\0"


# --- 5: bundles are capped like files, and their text like a file's -------------------------


def test_a_bundle_file_over_the_cap_is_refused_unread(tmp_path: Path) -> None:
    huge = tmp_path / "huge.policyreview"
    with huge.open("wb") as handle:
        handle.truncate(3 * 1024**3)  # sparse 3 GB: read whole, it would take 3 GB of memory
    with pytest.raises(BundleError, match="MB"):
        read_bundle_file(huge)


def test_a_bundle_whose_text_is_over_the_file_cap_is_refused() -> None:
    members = bundle_members()
    members["document.json"]["text"] = "x" * (MAX_TEXT_CHARS + 1)
    members["document.json"]["blocks"] = []
    members["document.json"]["title_block"] = None
    with pytest.raises(BundleError, match="over 20 MB"):
        read_bundle(zip_members(members))


# --- 7: bad JSON ends in the documented error, never a traceback -----------------------------


def test_deep_json_is_refused_before_it_is_parsed() -> None:
    assert nesting_depth(b'{"a": "[[[[", "b": [[1], {"c": "\\\\"}]}') == 3
    with pytest.raises(UntrustedJsonError, match="nested"):
        loads_bounded(b"[" * 100_000 + b"]" * 100_000, 10**7)
    with pytest.raises(UntrustedJsonError, match="larger"):
        loads_bounded(b"[]" * 100, 50)
    with pytest.raises(UntrustedJsonError):
        loads_bounded(b"[" + b"1" * 50_000 + b"]", 10**6)  # past Python's digit limit


def note(start: object, end: object) -> dict[str, object]:
    return {
        "type": "Annotation",
        "body": "a note",
        "target": {
            "selector": [
                {"type": "TextQuoteSelector", "exact": "email"},
                {"type": "TextPositionSelector", "start": start, "end": end},
            ]
        },
    }


@pytest.mark.parametrize(
    "payload",
    [
        json.dumps([note(9223372036854775808, 9223372036854775809)]),
        "[" * 100_000 + "]" * 100_000,
        json.dumps([note(True, 5)]),
        json.dumps({"annotations": [{"type": "Annotation", "body": "x" * 200_000}]}),
    ],
    ids=["offset-overflow", "deep", "bool-offset", "huge-body"],
)
def test_notes_import_refuses_hostile_json_with_a_message(tmp_path: Path, payload: str) -> None:
    with pytest.raises(AnnotationFormatError):
        import_json(payload)
    policy = tmp_path / "policy.md"
    policy.write_text(POLICY, encoding="utf-8")
    notes = tmp_path / "notes.json"
    notes.write_text(payload, encoding="utf-8")
    done = run_cli("notes", "import", str(policy), str(notes), timeout=60)
    assert done.returncode == 2, done.stdout
    assert "Traceback" not in done.stderr and done.stderr.startswith("policyreader:")


def hostile_documents() -> dict[str, object]:
    document = bundle_members()["document.json"]
    return {
        "metadata-list": {**document, "metadata": ["not", "an", "object"]},
        "extra-list": {**document, "metadata": {"extra": [1, 2]}},
        "href-number": {
            **document,
            "blocks": [
                {"kind": "paragraph", "start": 0, "end": 5, "inlines": [[0, 5, 0, 0, 0, 7]]}
            ],
        },
        "blocks-object": {**document, "blocks": {"kind": "paragraph"}},
        "block-string": {**document, "blocks": ["paragraph"]},
        "level-huge": {
            **document,
            "blocks": [{"kind": "heading", "start": 0, "end": 5, "level": 10**30}],
        },
        "deep": {**document, "metadata": {"extra": {"x": "@@"}}},
    }


@pytest.mark.parametrize("case", sorted(hostile_documents()))
def test_bundles_with_wrong_types_or_depth_say_what_is_wrong(tmp_path: Path, case: str) -> None:
    members = {**bundle_members(), "document.json": hostile_documents()[case]}
    if case == "deep":
        nested = "[" * sys.getrecursionlimit() * 2 + "]" * sys.getrecursionlimit() * 2
        members["document.json"] = json.dumps(members["document.json"]).replace('"@@"', nested)
    with pytest.raises(BundleError):
        read_bundle(zip_members(members))


def test_inspect_of_a_hostile_bundle_member_is_not_a_traceback(tmp_path: Path) -> None:
    """The CLI has no bundle command; the window's open path is tested in tests/ui."""
    members = {**bundle_members(), "annotations.json": "[" * 100_000}
    with pytest.raises(BundleError, match="nested"):
        read_bundle(zip_members(members))
