"""The open job: load a source (file, web address or review bundle) and register it in the store."""

# Everything here may block (disk, network, SQLite), so the window runs it in a worker and only
# receives the finished ``OpenedSource``.

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from policyreader.core.document import PolicyDocument
from policyreader.core.errors import LoadProblem, PolicyLoadError
from policyreader.core.loading import read_policy_bytes
from policyreader.core.notes import Note
from policyreader.core.review_bundle import (
    BUNDLE_SUFFIX,
    MAX_BUNDLE_BYTES,
    BundleError,
    ReviewBundle,
    read_bundle,
)
from policyreader.core.safe_files import read_user_file
from policyreader.core.urls import looks_like_url
from policyreader.storage.db import StorageError
from policyreader.storage.notes_store import NotesStore, OpenedDocument
from policyreader.storage.sources import load_source

if TYPE_CHECKING:
    from policyreader.core.practices.practice import Practice
    from policyreader.storage.analysis_cache import AnalysisCache

Loader = Callable[[str], PolicyDocument]


@dataclass(frozen=True, slots=True)
class FreshCopy:
    """Open ``source`` again even when a tab shows it; a changed text replaces that tab."""

    source: str


# What the window's ``open_requested`` carries: paths, web addresses, reviews, fresh copies.
Source = str | FreshCopy


@dataclass(slots=True)
class OpenedSource:
    """A loaded source and what the store knows of it.

    ``registration`` is None without a store and for a review not yet merged (``review``);
    ``notes`` are the notes to show (the review's own for a review); ``problem`` a store
    failure to mention. The practices are found later, by their own job, once the text shows,
    unless ``detected`` holds them from the open cache (the final ones when ``refined``, else
    the fast ones); ``cache_key`` and ``refined_key`` name the cache's two entries.
    """

    source: str
    document: PolicyDocument
    registration: OpenedDocument | None = None
    notes: list[Note] = field(default_factory=list)
    review: ReviewBundle | None = None
    problem: str | None = None
    detected: list[Practice] | None = None
    cache_key: str | None = None
    refined_key: str | None = None
    refined: bool = False


def is_review_path(path: str) -> bool:
    """A local ``.policyreview`` file (a web address ending so is fetched like any page)."""
    return path.lower().endswith(BUNDLE_SUFFIX) and not looks_like_url(path)


def open_source(
    source: str,
    load: Loader = load_source,
    notes: NotesStore | None = None,
    cache: AnalysisCache | None = None,
) -> OpenedSource:
    """Load ``source``, register it (fingerprint, path, version) and re-anchor its notes.

    Raises ``PolicyLoadError`` for a source that cannot be shown; a store that fails leaves the
    document readable, with ``problem`` saying why.
    """
    if is_review_path(source):
        bundle = read_review(source)
        return OpenedSource(source, bundle.document, notes=list(bundle.notes), review=bundle)
    opened = _load(source, load, cache)
    document = opened.document
    if notes is None:
        return opened
    try:
        opened.registration = notes.open_document(document, source)
        opened.notes = notes.notes_for(opened.registration)
    except StorageError as error:
        opened.problem = str(error)
    if notes.problem is not None:
        opened.problem = notes.problem.message
    return opened


def _load(source: str, load: Loader, cache: AnalysisCache | None) -> OpenedSource:
    """The document from the open cache if a file's bytes are there, else from ``load``."""
    if cache is None or looks_like_url(source):
        return OpenedSource(source, load(source))
    try:
        data = read_policy_bytes(source)
    except PolicyLoadError:
        return OpenedSource(source, load(source))  # which says why
    keys = cache.window_keys(data)
    # The final detections first: a policy the encoder has read shows them at once.
    for key in (keys.refined, keys.fast):
        hit = cache.get(key, data, source) if key is not None else None
        if hit is not None:
            refined = key == keys.refined
            return OpenedSource(
                source, hit.document, detected=hit.detected, cache_key=keys.fast,
                refined_key=keys.refined, refined=refined,
            )  # fmt: skip
    document = load(source)
    original = document.original
    if original is not None and original.data != data:  # the file changed in between
        keys = cache.window_keys(original.data)
    return OpenedSource(source, document, cache_key=keys.fast, refined_key=keys.refined)


def read_review(path: str) -> ReviewBundle:
    """A ``.policyreview`` file, or a ``PolicyLoadError`` saying why it cannot be read."""
    data = read_user_file(path, MAX_BUNDLE_BYTES)  # capped, never blocking; says why not
    try:
        return read_bundle(data)
    except BundleError as error:
        raise PolicyLoadError(LoadProblem.UNREADABLE, str(error), path) from error
