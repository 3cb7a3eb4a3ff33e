"""The open cache: a hit gives the same document and detections; anything else is a clean miss."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from policyreader.core.analysis import DETECTOR_ENV
from policyreader.core.loading import load_path
from policyreader.core.practices.detector import DetectorKind, detect_practices
from policyreader.core.practices.polarity import Polarity
from policyreader.storage import analysis_cache
from policyreader.storage.analysis_cache import (
    FORMAT_VERSION,
    AnalysisCache,
    cache_dir,
    cache_key,
)
from policyreader.storage.opening import open_source

POLICY = (
    "# Privacy Policy\n\nLast updated: 1 May 2024\n\n## What we collect\n\n"
    "We collect your **email address** and location when you register.\n\n"
    "## Sharing\n\nWe share your data with [advertising partners](https://example.com).\n\n"
    "| Data | Kept |\n|---|---|\n| Logs | 30 days |\n"
)


def _policy(tmp_path: Path, text: str = POLICY) -> Path:
    path = tmp_path / "policy.md"
    path.write_text(text, encoding="utf-8")
    return path


def _fill(cache: AnalysisCache, path: Path) -> str:
    """Open ``path`` once (a miss) and store what the practices job would."""
    opened = open_source(str(path), cache=cache)
    assert opened.detected is None and opened.cache_key is not None
    cache.put(opened.cache_key, opened.document, detect_practices(opened.document))
    return opened.cache_key


def test_a_second_open_is_a_hit_with_the_same_document_and_detections(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path / "cache")
    path = _policy(tmp_path)
    _fill(cache, path)
    again = open_source(str(path), cache=cache)
    fresh = load_path(path)
    assert again.detected == detect_practices(fresh)
    assert again.document.text == fresh.text
    assert again.document.blocks == fresh.blocks
    assert again.document.sections == fresh.sections
    assert again.document.metadata == fresh.metadata
    assert again.document.title == fresh.title
    assert again.document.path == str(path)
    assert again.document.original is not None
    assert again.document.original.data == path.read_bytes()


def test_a_changed_file_misses(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path / "cache")
    path = _fill_and_return(cache, tmp_path)
    path.write_text(POLICY + "\nWe never sell your data.\n", encoding="utf-8")
    opened = open_source(str(path), cache=cache)
    assert opened.detected is None
    assert "never sell" in opened.document.text


def _fill_and_return(cache: AnalysisCache, tmp_path: Path) -> Path:
    path = _policy(tmp_path)
    _fill(cache, path)
    return path


def test_another_app_version_or_detector_misses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = AnalysisCache(tmp_path / "cache")
    path = _fill_and_return(cache, tmp_path)
    monkeypatch.setattr(analysis_cache, "__version__", "999.0")
    assert open_source(str(path), cache=cache).detected is None
    monkeypatch.undo()
    monkeypatch.setenv("POLICYREADER_CACHE_DIR", str(tmp_path / "unused"))
    assert open_source(str(path), cache=cache).detected is not None
    monkeypatch.setenv(DETECTOR_ENV, "rules")
    assert open_source(str(path), cache=cache).detected is None


def test_the_key_depends_on_bytes_and_detector() -> None:
    assert cache_key(b"a", "combined") != cache_key(b"b", "combined")
    assert cache_key(b"a", "combined") != cache_key(b"a", "rules")
    assert cache_key(b"a", "combined") == cache_key(b"a", "combined")


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # truncated
        lambda raw: b"\x80\x81 not utf-8" + raw,
        lambda raw: b"",
        lambda raw: b'{"format": "something-else", "version": 1}\n{}',
        lambda raw: raw.replace(f'"version": {FORMAT_VERSION}'.encode(), b'"version": 0', 1),
        lambda raw: b"\x80\x04\x95 a pickle stream, never unpickled",
        lambda raw: raw.replace(b"email address", b"email addresx", 1),  # fingerprint fails
    ],
)
def test_a_damaged_or_foreign_entry_is_ignored_and_rewritten(tmp_path: Path, damage) -> None:
    cache = AnalysisCache(tmp_path / "cache")
    path = _policy(tmp_path)
    key = _fill(cache, path)
    entry = tmp_path / "cache" / f"{key}.json"
    entry.write_bytes(damage(entry.read_bytes()))
    opened = open_source(str(path), cache=cache)
    assert opened.detected is None  # a miss, never an error
    assert opened.document.text == load_path(path).text
    assert not entry.exists()  # the bad entry is gone...
    _fill(cache, path)
    assert open_source(str(path), cache=cache).detected is not None  # ...and written anew


def test_practices_outside_the_text_are_refused(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path / "cache")
    path = _policy(tmp_path)
    key = _fill(cache, path)
    entry = tmp_path / "cache" / f"{key}.json"
    header, body = entry.read_text(encoding="utf-8").split("\n", 1)
    data = json.loads(body)
    assert data["detected"]
    data["detected"][0][2] = 10**9
    entry.write_text(header + "\n" + json.dumps(data), encoding="utf-8")
    assert open_source(str(path), cache=cache).detected is None


def test_the_cap_evicts_the_entries_used_longest_ago(tmp_path: Path) -> None:
    directory = tmp_path / "cache"
    big = AnalysisCache(directory, cap=10**9)
    keys = []
    for number in range(4):
        folder = tmp_path / f"p{number}"
        folder.mkdir()
        keys.append(_fill(big, _policy(folder, POLICY + f"\nVersion {number}.\n")))
        entry = directory / f"{keys[-1]}.json"
        os.utime(entry, ns=(number * 10**9, number * 10**9))  # distinct ages
    sizes = [(directory / f"{key}.json").stat().st_size for key in keys]
    # Room for the two newest entries only.
    AnalysisCache(directory, cap=sizes[2] + sizes[3]).evict()
    assert [(directory / f"{key}.json").exists() for key in keys] == [False, False, True, True]


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    cache = AnalysisCache(blocker / "cache")
    path = _policy(tmp_path)
    _fill(cache, path)  # put() fails quietly
    assert open_source(str(path), cache=cache).detected is None


def test_the_directory_follows_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLICYREADER_CACHE_DIR", str(tmp_path / "here"))
    assert cache_dir() == tmp_path / "here"
    assert AnalysisCache().directory == tmp_path / "here"


def test_the_refined_key_changes_with_the_encoder_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policyreader.core import analysis

    both = (DetectorKind.COMBINED, DetectorKind.BEST)
    monkeypatch.setattr(analysis, "window_detectors", lambda: both)
    folder = tmp_path / "practices"
    folder.mkdir()
    (folder / "model.json.gz").write_bytes(b"the linear model")
    (folder / "encoder.onnx").write_bytes(b"encoder, first fit")
    cache = AnalysisCache(tmp_path / "cache", data_folder=folder)
    first = cache.window_keys(b"policy bytes")
    assert first.refined is not None and first.refined != first.fast
    (folder / "encoder.onnx").write_bytes(b"encoder, second fit")
    second = cache.window_keys(b"policy bytes")
    assert second.refined != first.refined
    (folder / "encoder.json").write_text('{"best": {"weight": [2.0]}}', encoding="utf-8")
    assert cache.window_keys(b"policy bytes").refined != second.refined
    monkeypatch.setattr(analysis, "window_detectors", lambda: (DetectorKind.COMBINED, None))
    assert cache.window_keys(b"policy bytes").refined is None


def test_an_entry_keeps_each_practice_polarity(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path / "cache")
    path = _policy(tmp_path, POLICY + "\nWe do not sell your personal information.\n")
    opened = open_source(str(path), cache=cache)
    assert opened.cache_key is not None
    detected = detect_practices(opened.document)
    assert {p.polarity for p in detected} == {Polarity.DOES, Polarity.DOES_NOT}
    cache.put(opened.cache_key, opened.document, detected)
    assert open_source(str(path), cache=cache).detected == detected
