"""The open cache: a policy read before comes back parsed, with its detections, without the work.

Entries are JSON files (never pickle: the directory is writable by anything running as the user)
named by a key over the file's bytes, the app version, the detector and its data files (the
encoder's among them: a new encoder file means new keys). The window keeps two entries per file:
the fast detections and, once the encoder's refine has run, the final ones. A file
that does not read back exactly as written is ignored and removed; the directory is kept under a
size cap by removing the entries used longest ago.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_cache_dir

from policyreader import __version__
from policyreader.core.document import Original, PolicyDocument
from policyreader.core.fingerprint import fingerprint
from policyreader.resources_path import resource
from policyreader.storage.paths import APP_NAME

if TYPE_CHECKING:
    from policyreader.core.practices.practice import Practice

CACHE_DIR_ENV = "POLICYREADER_CACHE_DIR"
CACHE_MB_ENV = "POLICYREADER_CACHE_MB"
DEFAULT_CAP_BYTES = 200 * 1024 * 1024
# The first line of every entry; a file starting otherwise is not ours.
MAGIC = "policyreader-open-cache"
# 2: practices carry their polarity (1 lost it: a reopened "does not sell" read as selling).
FORMAT_VERSION = 2
SUFFIX = ".json"


@dataclass(slots=True)
class CachedOpen:
    """What the cache gives back: the parsed document and the detector's practices."""

    document: PolicyDocument
    detected: list[Practice]


def cache_dir() -> Path:
    """``$POLICYREADER_CACHE_DIR`` if set, else the platform's user cache directory."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(user_cache_dir(APP_NAME, appauthor=False)) / "opened"


def cap_bytes() -> int:
    """``$POLICYREADER_CACHE_MB`` megabytes if it is a number, else the default cap."""
    try:
        return max(0, int(float(os.environ[CACHE_MB_ENV]) * 1024 * 1024))
    except (KeyError, ValueError):
        return DEFAULT_CAP_BYTES


@functools.cache
def bundled_data_version() -> str:
    """``detector_data_version`` of the bundled files, worked out once (23 MB of encoder)."""
    return detector_data_version(resource("practices"))


def detector_data_version(folder: Traversable) -> str:
    """A digest of the rules, model and encoder files in ``folder``: new weights mean new
    detections."""
    digest = hashlib.sha256()
    if folder.is_dir():
        for node in sorted(folder.iterdir(), key=lambda item: item.name):
            if node.is_file():
                digest.update(node.name.encode())
                digest.update(node.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(data: bytes, detector: str, data_version: str | None = None) -> str:
    """The entry's name: the file's bytes, the app version, the detector and its data."""
    version = data_version if data_version is not None else bundled_data_version()
    digest = hashlib.sha256(data)
    digest.update(f"|{__version__}|{detector}|{version}|{FORMAT_VERSION}".encode())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class WindowKeys:
    """The window's entries for one file: the fast detections' and, when the encoder will
    refine them, the final detections' (None without an encoder)."""

    fast: str
    refined: str | None


class AnalysisCache:
    """Entries in ``directory`` (default ``cache_dir()``), at most ``cap`` bytes in all."""

    def __init__(
        self,
        directory: Path | None = None,
        cap: int | None = None,
        data_folder: Traversable | None = None,
    ) -> None:
        self.directory = directory if directory is not None else cache_dir()
        self.cap = cap if cap is not None else cap_bytes()
        # The detector's data files (default the bundled ones); tests point elsewhere.
        self.data_folder = data_folder

    def key(self, data: bytes, detector: str | None = None) -> str:
        """The entry's key for ``data`` with ``detector``, by default the window's fast one
        (``POLICYREADER_DETECTOR``)."""
        return self.window_keys(data).fast if detector is None else self._key(data, detector)

    def window_keys(self, data: bytes) -> WindowKeys:
        """The keys of the window's fast and refined detections of ``data``."""
        # Imported here: the detector is no part of start-up (this runs in the open job).
        from policyreader.core.analysis import window_detectors

        fast, refined = window_detectors()
        return WindowKeys(
            self._key(data, fast.value),
            self._key(data, refined.value) if refined is not None else None,
        )

    def _key(self, data: bytes, detector: str) -> str:
        folder = self.data_folder
        version = bundled_data_version() if folder is None else detector_data_version(folder)
        return cache_key(data, detector, version)

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}{SUFFIX}"

    def get(self, key: str, data: bytes, name: str | None = None) -> CachedOpen | None:
        """The entry for ``key`` (``data`` are the bytes it was made from), or None; a damaged
        or foreign entry is removed and counts as absent."""
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        try:
            cached = _decode(raw, key)
        except (ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError):
            _remove(path)
            return None
        cached.document.path = name
        cached.document.original = Original(data, name)
        _touch(path)  # eviction removes the entries used longest ago
        return cached

    def put(self, key: str, document: PolicyDocument, detected: Sequence[Practice]) -> None:
        """Write the entry (atomically), then evict the oldest ones over the cap; a disk that
        refuses is no error: the cache only saves time."""
        body = _encode(key, document, detected)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".part")
            with os.fdopen(handle, "wb") as out:
                out.write(body)
            os.replace(temporary, self._path(key))
        except OSError:
            return
        self.evict()

    def evict(self) -> None:
        """Remove the entries used longest ago until the rest fit under the cap."""
        entries = []
        for path in self.directory.glob(f"*{SUFFIX}"):
            try:
                status = path.stat()
            except OSError:
                continue
            entries.append((status.st_mtime_ns, status.st_size, path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= self.cap:
                break
            _remove(path)
            total -= size


# The readers below import the document and practice codecs on first use, in the open job:
# the window's start does not pay for them.


def _encode(key: str, document: PolicyDocument, detected: Sequence[Practice]) -> bytes:
    from policyreader.core.review_bundle import document_to_json

    header = {"format": MAGIC, "version": FORMAT_VERSION, "key": key}
    body = {
        "document": document_to_json(document, fingerprint(document.text)),
        "detected": [_practice_json(practice) for practice in detected],
    }
    text = json.dumps(header) + "\n" + json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


def _decode(raw: bytes, key: str) -> CachedOpen:
    from policyreader.core.review_bundle import document_from_json

    header_line, _, body_text = raw.decode("utf-8").partition("\n")
    header = json.loads(header_line)
    if header != {"format": MAGIC, "version": FORMAT_VERSION, "key": key}:
        raise ValueError("not an entry of this cache")
    body = json.loads(body_text)
    document = document_from_json(body["document"])
    if body["document"].get("fingerprint") != fingerprint(document.text):
        raise ValueError("the text does not match its fingerprint")
    length = len(document.text)
    return CachedOpen(document, [_practice_from_json(item, length) for item in body["detected"]])


def _practice_json(practice: Practice) -> list[Any]:
    return [
        practice.category.value,
        practice.start,
        practice.end,
        practice.confidence,
        practice.attributes,
        list(practice.evidence),
        practice.source,
        practice.polarity.value,
    ]


def _practice_from_json(item: Any, length: int) -> Practice:
    from policyreader.core.practices.polarity import Polarity
    from policyreader.core.practices.practice import Practice
    from policyreader.core.practices.taxonomy import Category

    category, start, end, confidence, attributes, evidence, source, polarity = item
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= length):
        raise ValueError("a practice lies outside the text")
    if not isinstance(attributes, dict) or not all(
        isinstance(value, str | list) for value in attributes.values()
    ):
        raise ValueError("malformed attributes")
    return Practice(
        Category(category),
        start,
        end,
        float(confidence),
        {str(kind): value for kind, value in attributes.items()},
        tuple(str(phrase) for phrase in evidence),
        str(source),
        Polarity(polarity),
    )


def _touch(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.utime(path)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
